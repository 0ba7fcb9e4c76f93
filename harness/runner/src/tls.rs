//! The TLS client: rustls with the ring provider passed explicitly (the build has no
//! aws-lc-rs), the run's trust and client-certificate settings, per-step overrides, and the
//! facts of each session for the transcript.

use std::fmt;
use std::net::IpAddr;
use std::sync::{Arc, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use wirecheck_core::model::{ClientCert, TlsOptions, TlsVersion};
use wirecheck_core::result::{CertFacts, TlsFacts};

/// The TLS settings of a run, as the user gave them (PEM bytes: the CLI reads the files).
#[derive(Clone, Debug, Default)]
pub struct TlsSettings {
    /// Trusted CA certificates (PEM). `None`: the Mozilla roots of `webpki-roots`.
    pub ca_pem: Option<Vec<u8>>,
    /// Accept any server certificate (the certificate rules still report on it).
    pub insecure: bool,
    /// Client certificate chain (PEM), for mutual TLS.
    pub client_cert_pem: Option<Vec<u8>>,
    /// The client certificate's private key (PEM).
    pub client_key_pem: Option<Vec<u8>>,
    /// Server name for SNI and verification instead of the target's host.
    pub sni: Option<String>,
    /// ALPN protocols to offer (none by default).
    pub alpn: Vec<String>,
}

/// Settings that cannot be used; the text names the option at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsSetupError(pub String);

impl fmt::Display for TlsSetupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TlsSetupError {}

type Identity = (Vec<CertificateDer<'static>>, Arc<PrivateKeyDer<'static>>);

/// A TLS client for one run: validated settings and the default configuration.
pub struct TlsClient {
    base: Base,
    default: Arc<ClientConfig>,
}

/// The validated settings.
struct Base {
    provider: Arc<CryptoProvider>,
    roots: Arc<RootCertStore>,
    insecure: bool,
    identity: Option<Identity>,
    sni: Option<String>,
    alpn: Vec<String>,
    /// A self-signed client certificate no server trusts, made on first use.
    untrusted: OnceLock<Result<Identity, String>>,
}

impl fmt::Debug for TlsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsClient")
            .field("insecure", &self.base.insecure)
            .field("client_certificate", &self.base.identity.is_some())
            .field("sni", &self.base.sni)
            .field("alpn", &self.base.alpn)
            .finish()
    }
}

impl TlsClient {
    /// Validates `settings` (every certificate and key parses, the key matches) and builds
    /// the default configuration.
    pub fn new(settings: &TlsSettings) -> Result<TlsClient, TlsSetupError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = RootCertStore::empty();
        match &settings.ca_pem {
            Some(pem) => {
                let certs = parse_certs(pem, "--cacert")?;
                for c in certs {
                    roots.add(c).map_err(|e| {
                        TlsSetupError(format!("--cacert: a certificate is not usable: {e}"))
                    })?;
                }
            }
            None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        }
        let identity = match (&settings.client_cert_pem, &settings.client_key_pem) {
            (Some(cert), Some(key)) => Some((
                parse_certs(cert, "--client-cert")?,
                Arc::new(PrivateKeyDer::from_pem_slice(key).map_err(|e| {
                    TlsSetupError(format!("--client-key: no usable private key ({e})"))
                })?),
            )),
            (None, None) => None,
            (Some(_), None) => {
                return Err(TlsSetupError(
                    "--client-cert needs --client-key (the certificate's private key)".into(),
                ))
            }
            (None, Some(_)) => {
                return Err(TlsSetupError(
                    "--client-key needs --client-cert (the certificate it belongs to)".into(),
                ))
            }
        };
        if let Some(sni) = &settings.sni {
            if !sni.is_empty() && ServerName::try_from(sni.clone()).is_err() {
                return Err(TlsSetupError(format!(
                    "--sni `{sni}` is not a DNS name or an IP address"
                )));
            }
        }
        let base = Base {
            provider,
            roots: Arc::new(roots),
            insecure: settings.insecure,
            identity,
            sni: settings.sni.clone(),
            alpn: settings.alpn.clone(),
            untrusted: OnceLock::new(),
        };
        let default = base.config(&TlsOptions::default()).map_err(TlsSetupError)?;
        Ok(TlsClient { base, default })
    }

    /// The configuration and server name for a connection to `host`, with `opts` (a
    /// `tls_connect` step) or the run's defaults.
    pub(crate) fn prepare(
        &self,
        host: &str,
        opts: Option<&TlsOptions>,
    ) -> Result<(Arc<ClientConfig>, ServerName<'static>, Option<String>), String> {
        let cfg = match opts {
            Some(o) => self.base.config(o)?,
            None => self.default.clone(),
        };
        let name = opts
            .and_then(|o| o.sni.clone())
            .or_else(|| self.base.sni.clone())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| host.to_string());
        let server_name = ServerName::try_from(name.clone())
            .map_err(|_| format!("`{name}` is not a DNS name or an IP address"))?;
        // rustls sends SNI only for DNS names (RFC 6066 §3 forbids IP literals in it).
        let sni = (cfg.enable_sni && name.parse::<IpAddr>().is_err()).then_some(name);
        Ok((cfg, server_name, sni))
    }
}

impl Base {
    /// The configuration for one connection: the run's settings with `opts` over them.
    fn config(&self, opts: &TlsOptions) -> Result<Arc<ClientConfig>, String> {
        let versions: Vec<&'static rustls::SupportedProtocolVersion> = match &opts.versions {
            Some(v) => v
                .iter()
                .map(|v| match v {
                    TlsVersion::Tls12 => &rustls::version::TLS12,
                    TlsVersion::Tls13 => &rustls::version::TLS13,
                })
                .collect(),
            None => rustls::ALL_VERSIONS.to_vec(),
        };
        let builder = ClientConfig::builder_with_provider(self.provider.clone())
            .with_protocol_versions(&versions)
            .map_err(|e| format!("TLS versions: {e}"))?;
        let builder = if self.insecure {
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AcceptAny(self.provider.clone())))
        } else {
            builder.with_root_certificates(self.roots.clone())
        };
        let identity = match opts.client_cert {
            ClientCert::Default => self.identity.clone(),
            ClientCert::None => None,
            ClientCert::Untrusted => Some(self.untrusted()?),
        };
        let mut cfg = match identity {
            Some((chain, key)) => builder
                .with_client_auth_cert(chain, key.clone_key())
                .map_err(|e| {
                    format!("--client-cert/--client-key: the certificate and key are not usable together ({e})")
                })?,
            None => builder.with_no_client_auth(),
        };
        cfg.alpn_protocols = opts
            .alpn
            .as_ref()
            .unwrap_or(&self.alpn)
            .iter()
            .map(|p| p.as_bytes().to_vec())
            .collect();
        cfg.enable_sni = opts.sni.as_deref().or(self.sni.as_deref()) != Some("");
        // Each case is judged on its own handshakes: no session is resumed across cases.
        cfg.resumption = rustls::client::Resumption::disabled();
        Ok(Arc::new(cfg))
    }

    fn untrusted(&self) -> Result<Identity, String> {
        self.untrusted
            .get_or_init(|| {
                let key = rcgen::generate_simple_self_signed(vec![
                    "wirecheck-untrusted-client".to_string()
                ])
                .map_err(|e| format!("could not make the untrusted client certificate: {e}"))?;
                let der = PrivateKeyDer::Pkcs8(key.signing_key.serialize_der().into());
                Ok((vec![key.cert.der().clone()], Arc::new(der)))
            })
            .clone()
    }
}

fn parse_certs(pem: &[u8], option: &str) -> Result<Vec<CertificateDer<'static>>, TlsSetupError> {
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| TlsSetupError(format!("{option}: malformed PEM ({e})")))?;
    if certs.is_empty() {
        return Err(TlsSetupError(format!(
            "{option}: no certificate found (expected PEM `-----BEGIN CERTIFICATE-----` blocks)"
        )));
    }
    Ok(certs)
}

/// The facts of an established session.
pub(crate) fn facts(
    conn: &rustls::ClientConnection,
    sni: Option<String>,
    client_cert: bool,
) -> TlsFacts {
    let version = match conn.protocol_version() {
        Some(rustls::ProtocolVersion::TLSv1_3) => "TLSv1.3".to_string(),
        Some(rustls::ProtocolVersion::TLSv1_2) => "TLSv1.2".to_string(),
        Some(v) => format!("{v:?}"),
        None => "unknown".to_string(),
    };
    TlsFacts {
        version,
        cipher_suite: conn
            .negotiated_cipher_suite()
            .map(|s| format!("{:?}", s.suite()))
            .unwrap_or_default(),
        alpn: conn
            .alpn_protocol()
            .map(|p| String::from_utf8_lossy(p).into_owned()),
        sni,
        client_certificate: client_cert,
        certificate: conn
            .peer_certificates()
            .and_then(|chain| chain.first())
            .and_then(|leaf| cert_facts(leaf.as_ref())),
    }
}

fn cert_facts(der: &[u8]) -> Option<CertFacts> {
    use x509_parser::extensions::GeneralName;
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let mut sans = Vec::new();
    if let Ok(Some(ext)) = cert.subject_alternative_name() {
        for name in &ext.value.general_names {
            match name {
                GeneralName::DNSName(d) => sans.push(format!("DNS:{d}")),
                GeneralName::IPAddress(b) => {
                    let ip = match b.len() {
                        4 => <[u8; 4]>::try_from(*b).ok().map(IpAddr::from),
                        16 => <[u8; 16]>::try_from(*b).ok().map(IpAddr::from),
                        _ => None,
                    };
                    if let Some(ip) = ip {
                        sans.push(format!("IP:{ip}"));
                    }
                }
                _ => {}
            }
        }
    }
    Some(CertFacts {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        not_before: cert.validity().not_before.timestamp(),
        not_after: cert.validity().not_after.timestamp(),
        sans,
    })
}

/// What went wrong in a TLS operation, in words: the alert the server sent, the certificate
/// problem, or the transport failure.
pub(crate) fn describe_error(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    if let Some(tls) = e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
        return match tls {
            rustls::Error::AlertReceived(a) => {
                format!("the server sent a fatal alert: {}", alert_name(*a))
            }
            rustls::Error::InvalidCertificate(c) => {
                format!("the server's certificate was refused: {c:?} (see --cacert, --insecure)")
            }
            rustls::Error::InvalidMessage(m) => {
                format!("the server's reply is not valid TLS ({m:?})")
            }
            rustls::Error::NoApplicationProtocol => {
                "the server selected no ALPN protocol the client offered".into()
            }
            other => other.to_string(),
        };
    }
    match e.kind() {
        ErrorKind::UnexpectedEof => "the server closed the connection (FIN)".into(),
        ErrorKind::ConnectionReset => "connection reset by peer".into(),
        ErrorKind::ConnectionAborted => "connection aborted".into(),
        _ => e.to_string(),
    }
}

/// Whether a read error is the peer's TCP FIN without `close_notify`.
pub(crate) fn is_unclean_eof(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::UnexpectedEof
        && e.get_ref()
            .and_then(|i| i.downcast_ref::<rustls::Error>())
            .is_none()
}

/// The alert's name as RFC 8446 §6 spells it (`certificate_required`).
fn alert_name(a: rustls::AlertDescription) -> String {
    let debug = format!("{a:?}");
    let mut out = String::new();
    for (i, ch) in debug.chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(ch.to_ascii_lowercase());
    }
    out
}

/// `--insecure`: accepts any certificate, but still checks the handshake signatures (so the
/// session is a real one with whoever holds the key).
#[derive(Debug)]
struct AcceptAny(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAny {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alert_names() {
        assert_eq!(
            alert_name(rustls::AlertDescription::CertificateRequired),
            "certificate_required"
        );
        assert_eq!(
            alert_name(rustls::AlertDescription::HandshakeFailure),
            "handshake_failure"
        );
    }

    #[test]
    fn settings_errors_name_the_option() {
        let bad = |s: TlsSettings| TlsClient::new(&s).unwrap_err().0;
        assert!(bad(TlsSettings {
            ca_pem: Some(b"not pem".to_vec()),
            ..TlsSettings::default()
        })
        .starts_with("--cacert: no certificate"));
        assert!(bad(TlsSettings {
            client_cert_pem: Some(Vec::new()),
            ..TlsSettings::default()
        })
        .contains("--client-key"));
        let id = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
        assert!(bad(TlsSettings {
            client_cert_pem: Some(id.cert.pem().into_bytes()),
            client_key_pem: Some(
                b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".to_vec()
            ),
            ..TlsSettings::default()
        })
        .contains("--client-key"));
        let ok = TlsClient::new(&TlsSettings {
            ca_pem: Some(id.cert.pem().into_bytes()),
            client_cert_pem: Some(id.cert.pem().into_bytes()),
            client_key_pem: Some(id.signing_key.serialize_pem().into_bytes()),
            ..TlsSettings::default()
        });
        assert!(ok.is_ok(), "{ok:?}");
    }
}
