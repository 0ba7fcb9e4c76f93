//! `expect_tls`: how the TLS handshake went.

use super::Mismatch;
use crate::model::TlsVersion;
use crate::result::TlsFacts;

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
