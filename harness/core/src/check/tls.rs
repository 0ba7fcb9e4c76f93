//! `expect_tls`: how the TLS handshake went.

use super::Mismatch;
use crate::model::TlsVersion;
use crate::result::{utc_date, TlsFacts};

/// How the handshake must end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handshake {
    /// The session is established (and no alert ended it since).
    Ok,
    /// The server refused the session: the handshake failed, or (TLS 1.3, where a client's
    /// handshake is complete before the server has judged its certificate) a fatal alert, a
    /// close or a reset came before any application data. Servers differ in how they refuse;
    /// any of these is a refusal.
    Rejected,
}

/// An `expect_tls` step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsExpect {
    /// How the handshake must end.
    pub handshake: Handshake,
    /// The negotiated version must be one of these.
    pub versions: Option<Vec<TlsVersion>>,
    /// The ALPN protocol the server must have selected (`None`: none selected).
    pub alpn: Option<Option<String>>,
}

/// The TLS state of the connection, as the engine saw it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum TlsState {
    /// The connection is plain TCP (or there is none).
    #[default]
    Plain,
    /// The handshake succeeded.
    Established(Box<TlsFacts>),
    /// The handshake failed; the text says how.
    Failed(String),
}

impl TlsExpect {
    /// Checks an established session against the version and ALPN expectations.
    pub fn check_session(&self, facts: &TlsFacts) -> Result<(), Mismatch> {
        if let Some(versions) = &self.versions {
            if !versions.iter().any(|v| v.name() == facts.version) {
                let names: Vec<&str> = versions.iter().map(|v| v.name()).collect();
                return Err(Mismatch::new(
                    "TLS version",
                    names.join(" or "),
                    facts.version.clone(),
                ));
            }
        }
        if let Some(want) = &self.alpn {
            if *want != facts.alpn {
                let show = |a: &Option<String>| a.clone().unwrap_or_else(|| "no ALPN".into());
                return Err(Mismatch::new("ALPN", show(want), show(&facts.alpn)));
            }
        }
        Ok(())
    }
}

/// The certificate rules (`tls-cert-name`, `tls-cert-expiry`) for a session with `host` as the
/// target's host, at `now_unix`. The handshake already verified the certificate unless the run
/// is `--insecure`, so these mostly speak when verification is off.
pub fn certificate_findings(
    facts: &TlsFacts,
    host: &str,
    now_unix: Option<u64>,
) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let Some(cert) = &facts.certificate else {
        return out;
    };
    let host = facts.sni.as_deref().unwrap_or(host);
    if !host.is_empty() && !cert.covers(host) {
        out.push((
            "tls-cert-name",
            format!(
                "the certificate's names [{}] do not cover `{host}`",
                cert.sans.join(", ")
            ),
        ));
    }
    if let Some(now) = now_unix.map(|n| n as i64) {
        let what = if now < cert.not_before {
            Some(format!("not valid before {}", utc_date(cert.not_before)))
        } else if cert.not_after < now {
            Some(format!("expired on {}", utc_date(cert.not_after)))
        } else if cert.not_after - now <= 7 * 86_400 {
            Some(format!("expires on {}", utc_date(cert.not_after)))
        } else {
            None
        };
        if let Some(what) = what {
            out.push(("tls-cert-expiry", format!("the certificate is {what}")));
        }
    }
    out
}
