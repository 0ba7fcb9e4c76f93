//! Engine settings, chosen by the runner from the command line and the case.

use std::time::Duration;

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
        }
    }
}
