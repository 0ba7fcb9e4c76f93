//! TLS steps: `connect_plain`, `tls_connect: {...}` and `expect_tls: {...}`, raw → validated.

use super::raw::{RawClientCert, RawExpectTls, RawHandshake, RawTlsConnect, S};
use super::validate::{loc, Ctx};
use crate::check::{Handshake, TlsExpect};

/// How a `connect` reaches the target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Transport {
    /// Plain TCP, even when the target is `https://` or `wss://` (plaintext sent to a TLS port).
    Plain,
    /// TLS with these overrides of the run's settings, even on an `http://` target (a
    /// ClientHello sent to a plain port).
    Tls(Box<TlsOptions>),
}

/// A TLS protocol version the client may offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TlsVersion {
    /// TLS 1.2 (RFC 5246).
    Tls12,
    /// TLS 1.3 (RFC 8446).
    Tls13,
}

impl TlsVersion {
    /// As reports and `expect_tls.version` spell it.
    pub fn name(self) -> &'static str {
        match self {
            TlsVersion::Tls12 => "TLSv1.2",
            TlsVersion::Tls13 => "TLSv1.3",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "TLSv1.2" => Some(TlsVersion::Tls12),
            "TLSv1.3" => Some(TlsVersion::Tls13),
            _ => None,
        }
    }
}

/// Which client certificate a TLS connect presents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ClientCert {
    /// The run's `--client-cert`, if it has one.
    #[default]
    Default,
    /// None, even if the run has one.
    None,
    /// A fresh self-signed certificate no server trusts (a certificate from an unknown CA).
    Untrusted,
}

/// What a `tls_connect` step overrides; `None` keeps the run's setting.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TlsOptions {
    /// ALPN protocols to offer, in preference order (an empty list offers none).
    pub alpn: Option<Vec<String>>,
    /// Versions to offer.
    pub versions: Option<Vec<TlsVersion>>,
    /// Client certificate.
    pub client_cert: ClientCert,
    /// Server name for SNI and verification; `Some("")` sends no SNI.
    pub sni: Option<String>,
}

pub(crate) fn build_tls_connect(ctx: &mut Ctx, raw: &RawTlsConnect) -> TlsOptions {
    let alpn = raw.alpn.as_ref().map(|list| {
        list.value
            .iter()
            .filter_map(|p| {
                // RFC 7301 §3.1: a protocol name is 1 to 255 bytes.
                if p.value.is_empty() || p.value.len() > 255 {
                    ctx.err(loc(p), "an ALPN protocol name has 1 to 255 bytes");
                    None
                } else {
                    Some(p.value.clone())
                }
            })
            .collect()
    });
    let versions = raw.versions.as_ref().map(|list| {
        if list.value.is_empty() {
            ctx.err(loc(list), "offer at least one version");
        }
        versions(ctx, &list.value)
    });
    TlsOptions {
        alpn,
        versions,
        client_cert: match raw.client_cert.as_ref().map(|c| c.value) {
            None | Some(RawClientCert::Default) => ClientCert::Default,
            Some(RawClientCert::None) => ClientCert::None,
            Some(RawClientCert::Untrusted) => ClientCert::Untrusted,
        },
        sni: raw.sni.as_ref().map(|s| s.value.clone()),
    }
}

fn versions(ctx: &mut Ctx, list: &[S<String>]) -> Vec<TlsVersion> {
    list.iter()
        .filter_map(|v| {
            let parsed = TlsVersion::parse(&v.value);
            if parsed.is_none() {
                ctx.err(
                    loc(v),
                    format!(
                        "`{}` is not a TLS version wirecheck can offer (TLSv1.2, TLSv1.3)",
                        v.value
                    ),
                );
            }
            parsed
        })
        .collect()
}

pub(crate) fn build_expect_tls(ctx: &mut Ctx, raw: &RawExpectTls) -> TlsExpect {
    let handshake = match raw.handshake.value {
        RawHandshake::Ok => Handshake::Ok,
        RawHandshake::Rejected => Handshake::Rejected,
    };
    if handshake == Handshake::Rejected && (raw.version.is_some() || raw.alpn.is_some()) {
        ctx.err(
            loc(&raw.handshake),
            "`version` and `alpn` describe an established session; they cannot go with `handshake: rejected`",
        );
    }
    TlsExpect {
        handshake,
        versions: raw.version.as_ref().map(|v| versions(ctx, &v.value)),
        alpn: raw.alpn.as_ref().map(|a| {
            let a = a.value.clone();
            (a != "none").then_some(a)
        }),
    }
}
