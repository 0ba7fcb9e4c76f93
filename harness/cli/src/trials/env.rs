//! The environment variables a conformance test binary reads. libtest owns the command line
//! (`cargo test -- FILTER --exact ...`), so everything about the target comes from here.

use std::path::PathBuf;

/// The target URL (`http://host:port[/base]`, `ws://host:port/path`; `host:port` means
/// `http://host:port`). Overrides the code's `.target()` and `.server()`.
pub const TARGET: &str = "WIRECHECK_TARGET";
/// A PEM file of CA certificates to trust for `https://`/`wss://` targets (the CLI's
/// `--cacert`).
pub const CACERT: &str = "WIRECHECK_CACERT";
/// A PEM client certificate chain for mutual TLS (the CLI's `--client-cert`).
pub const CLIENT_CERT: &str = "WIRECHECK_CLIENT_CERT";
/// The client certificate's PEM private key (the CLI's `--client-key`).
pub const CLIENT_KEY: &str = "WIRECHECK_CLIENT_KEY";
/// `1` accepts any server certificate (the CLI's `--insecure`).
pub const INSECURE: &str = "WIRECHECK_INSECURE";
/// An expectations file (the CLI's `--expectations` format). Overrides `.expectations()`.
pub const EXPECTATIONS: &str = "WIRECHECK_EXPECTATIONS";
/// A target profile (the CLI's `--profile` format). Overrides `.profile()`.
pub const PROFILE: &str = "WIRECHECK_PROFILE";
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
    pub(crate) client_cert: Option<PathBuf>,
    pub(crate) client_key: Option<PathBuf>,
    pub(crate) insecure: bool,
    pub(crate) expectations: Option<PathBuf>,
    pub(crate) profile: Option<PathBuf>,
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
            client_cert: get(CLIENT_CERT).map(PathBuf::from),
            client_key: get(CLIENT_KEY).map(PathBuf::from),
            insecure: match get(INSECURE).as_deref().map(str::trim) {
                None | Some("0") => false,
                Some("1") => true,
                Some(v) => return Err(format!("{INSECURE}=`{v}`: use 1 or 0")),
            },
            expectations: get(EXPECTATIONS).map(PathBuf::from),
            profile: get(PROFILE).map(PathBuf::from),
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

impl Settings {
    /// The TLS client these variables ask for (`None`: none set, the defaults apply).
    pub(crate) fn tls_client(
        &self,
    ) -> Result<Option<std::sync::Arc<wirecheck_runner::TlsClient>>, String> {
        if self.cacert.is_none()
            && self.client_cert.is_none()
            && self.client_key.is_none()
            && !self.insecure
        {
            return Ok(None);
        }
        let read = |p: &Option<PathBuf>, var: &str| -> Result<Option<Vec<u8>>, String> {
            p.as_ref()
                .map(|p| crate::discover::read_pem(p, &format!("{var}={}", p.display())))
                .transpose()
        };
        let settings = wirecheck_runner::TlsSettings {
            ca_pem: read(&self.cacert, CACERT)?,
            insecure: self.insecure,
            client_cert_pem: read(&self.client_cert, CLIENT_CERT)?,
            client_key_pem: read(&self.client_key, CLIENT_KEY)?,
            ..Default::default()
        };
        wirecheck_runner::TlsClient::new(&settings)
            .map(|c| Some(std::sync::Arc::new(c)))
            .map_err(|e| e.to_string())
    }
}
