//! Engine settings, chosen by the runner from the command line and the case.

use std::time::Duration;

use crate::model::Level;
use crate::result::Verdict;
use crate::wire::http1::DecodeLimits;

/// Settings for one case run.
#[derive(Clone, Debug)]
pub struct EngineConfig {
    /// Default time an expectation waits (a case's `step_timeout` or a step's `timeout` wins).
    pub step_timeout: Duration,
    /// Longest a case may take (a case's `timeout` wins).
    pub case_timeout: Duration,
    /// How long to wait for the close that `Connection: close` announces.
    pub close_grace: Duration,
    /// How long to look for stray content after a response that must have none, at the end of
    /// a case.
    pub drain: Duration,
    /// Per-response bounds.
    pub limits: DecodeLimits,
    /// Wire bytes kept in the transcript.
    pub transcript_cap: usize,
    /// SHOULD-level misses are failures.
    pub strict: bool,
    /// Wall-clock time the case started, seconds since the Unix epoch (for Date checks).
    pub start_unix: Option<u64>,
    /// Seed for masking keys and nonces (the runner picks a fresh one per case).
    pub seed: u64,
    /// WebSocket timers and limits.
    pub ws: WsSettings,
}

/// WebSocket timers and limits. Autobahn's are fixed (1 s close and drop timeouts); here
/// every timer of a case (`wait`, `kill_after`, `close_after`, echo-loop limits) and these two
/// are multiplied by `timer_scale`.
#[derive(Clone, Debug)]
pub struct WsSettings {
    /// Multiplies every WebSocket timer (2.0 on a slow CI machine, 10 under a debugger).
    pub timer_scale: f64,
    /// How long to wait for the server's Close after ours (Autobahn: 1 s).
    pub close_timeout: Duration,
    /// How long the server has to drop TCP after the closing handshake (Autobahn: 1 s,
    /// RFC 6455 §7.1.1: the server SHOULD close the TCP connection first).
    pub drop_timeout: Duration,
    /// Message payload bytes kept verbatim; beyond, only length and SHA-1.
    pub keep: usize,
    /// Caps every echo loop's count (a quicker profile for CI); `None` runs them as written.
    pub echo_limit: Option<u32>,
    /// How long to wait for the connection to end after the last step when the case has no
    /// `kill_after`/`close_after` of its own.
    pub end_wait: Duration,
}

impl Default for WsSettings {
    fn default() -> Self {
        WsSettings {
            timer_scale: 1.0,
            close_timeout: Duration::from_secs(1),
            drop_timeout: Duration::from_secs(1),
            keep: 64 * 1024,
            echo_limit: None,
            end_wait: Duration::from_secs(2),
        }
    }
}

impl WsSettings {
    /// `d` scaled by `timer_scale`.
    pub fn scaled(&self, d: Duration) -> Duration {
        d.mul_f64(self.timer_scale.clamp(0.01, 1000.0))
    }
}

impl EngineConfig {
    /// The verdict for a requirement of `level` that was not met: MUST fails, SHOULD is
    /// `non-strict` (a failure with `--strict`), MAY is `info`.
    pub fn miss(&self, level: Level) -> Verdict {
        match level {
            Level::Must => Verdict::Fail,
            Level::Should if self.strict => Verdict::Fail,
            Level::Should => Verdict::NonStrict,
            Level::May => Verdict::Info,
        }
    }
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            step_timeout: Duration::from_secs(5),
            case_timeout: Duration::from_secs(30),
            close_grace: Duration::from_secs(1),
            drain: Duration::from_millis(50),
            limits: DecodeLimits::default(),
            transcript_cap: 1024 * 1024,
            strict: false,
            start_unix: None,
            seed: 0,
            ws: WsSettings::default(),
        }
    }
}
