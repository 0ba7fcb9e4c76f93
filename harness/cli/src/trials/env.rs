//! The environment variables a conformance test binary reads. libtest owns the command line
//! (`cargo test -- FILTER --exact ...`), so everything about the target comes from here.

use std::path::PathBuf;

/// The target URL (`http://host:port[/base]`, `ws://host:port/path`; `host:port` means
/// `http://host:port`). Overrides the code's `.target()` and `.server()`.
pub const TARGET: &str = "WIRECHECK_TARGET";
/// A PEM file of CA certificates to trust for `https://`/`wss://` targets.
pub const CACERT: &str = "WIRECHECK_CACERT";
/// An expectations file (the CLI's `--expectations` format). Overrides `.expectations()`.
pub const EXPECTATIONS: &str = "WIRECHECK_EXPECTATIONS";
/// Comma-separated features the target offers (e.g. `echo,range,etag,last-modified`), added to
/// the code's `.features()`.
pub const FEATURES: &str = "WIRECHECK_FEATURES";
/// Caps every WebSocket echo loop (the CLI's `--ws-echo-count`).
pub const WS_ECHO_COUNT: &str = "WIRECHECK_WS_ECHO_COUNT";
/// Multiplies every WebSocket timer (the CLI's `--ws-timer-scale`).
pub const WS_TIMER_SCALE: &str = "WIRECHECK_WS_TIMER_SCALE";

/// What the environment says, read once.
#[derive(Clone, Debug, Default)]
pub(crate) struct Settings {
    pub(crate) target: Option<String>,
    pub(crate) cacert: Option<PathBuf>,
    pub(crate) expectations: Option<PathBuf>,
    pub(crate) features: Vec<String>,
    pub(crate) ws_echo_count: Option<u32>,
    pub(crate) ws_timer_scale: Option<f64>,
}

impl Settings {
    /// Reads the variables; an empty variable counts as unset. A value that cannot be parsed
    /// is an error naming the variable, reported before any trial runs.
    pub(crate) fn read() -> Result<Self, String> {
        let get = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let number = |name: &str| -> Result<Option<f64>, String> {
            get(name)
                .map(|v| {
                    v.trim()
                        .parse::<f64>()
                        .ok()
                        .filter(|n| n.is_finite() && *n > 0.0)
                        .ok_or_else(|| format!("{name}={v}: expected a positive number"))
                })
                .transpose()
        };
        let echo = number(WS_ECHO_COUNT)?;
        if echo.is_some_and(|n| n.fract() != 0.0 || n > f64::from(u32::MAX)) {
            return Err(format!("{WS_ECHO_COUNT}: expected a whole number"));
        }
        Ok(Settings {
            target: get(TARGET).map(|t| {
                if t.contains("://") {
                    t
                } else {
                    format!("http://{t}")
                }
            }),
            cacert: get(CACERT).map(PathBuf::from),
            expectations: get(EXPECTATIONS).map(PathBuf::from),
            features: get(FEATURES)
                .map(|f| {
                    f.split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            ws_echo_count: echo.map(|n| n as u32),
            ws_timer_scale: number(WS_TIMER_SCALE)?,
        })
    }
}
