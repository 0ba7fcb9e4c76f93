//! TLS options of `wirecheck run`: trust, client certificate, SNI and ALPN. The files are read
//! and checked here, before any case runs.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Args;
use wirecheck::discover::read_pem;
use wirecheck_runner::{TlsClient, TlsSettings};

/// TLS options (for `https://` and `wss://` targets, and `tls_connect` steps).
#[derive(Debug, Default, Args)]
pub(crate) struct TlsArgs {
    /// Trust the CA certificates in this PEM file instead of the Mozilla roots.
    #[arg(long, env = "WIRECHECK_CACERT", value_name = "FILE")]
    pub(crate) cacert: Option<PathBuf>,
    /// Accept any server certificate (the certificate checks still report what they see).
    #[arg(long, env = "WIRECHECK_INSECURE", value_parser = clap::builder::FalseyValueParser::new())]
    pub(crate) insecure: bool,
    /// Client certificate chain (PEM) for mutual TLS; needs --client-key.
    #[arg(long, env = "WIRECHECK_CLIENT_CERT", value_name = "FILE")]
    pub(crate) client_cert: Option<PathBuf>,
    /// The client certificate's private key (PEM: PKCS#8, PKCS#1 or SEC1).
    #[arg(long, env = "WIRECHECK_CLIENT_KEY", value_name = "FILE")]
    pub(crate) client_key: Option<PathBuf>,
    /// Server name to send in SNI and to verify, instead of the target's host ("" sends no SNI).
    #[arg(long, value_name = "NAME")]
    pub(crate) sni: Option<String>,
    /// ALPN protocol to offer (repeatable, in preference order; none by default).
    #[arg(long = "alpn", value_name = "PROTOCOL")]
    pub(crate) alpn: Vec<String>,
}

impl TlsArgs {
    /// The run's TLS client, or `None` when no option was given (the default client is then
    /// made on first use). The error names the option and the file.
    pub(crate) fn client(&self) -> Result<Option<Arc<TlsClient>>, String> {
        let given = self.cacert.is_some()
            || self.insecure
            || self.client_cert.is_some()
            || self.client_key.is_some()
            || self.sni.is_some()
            || !self.alpn.is_empty();
        if !given {
            return Ok(None);
        }
        let settings = TlsSettings {
            ca_pem: read(self.cacert.as_deref(), "--cacert")?,
            insecure: self.insecure,
            client_cert_pem: read(self.client_cert.as_deref(), "--client-cert")?,
            client_key_pem: read(self.client_key.as_deref(), "--client-key")?,
            sni: self.sni.clone(),
            alpn: self.alpn.clone(),
        };
        TlsClient::new(&settings)
            .map(|c| Some(Arc::new(c)))
            .map_err(|e| {
                let file = [
                    ("--cacert", &self.cacert),
                    ("--client-cert", &self.client_cert),
                    ("--client-key", &self.client_key),
                ]
                .into_iter()
                .find(|(opt, _)| e.0.starts_with(opt))
                .and_then(|(_, p)| p.as_ref())
                .map(|p| format!(" ({})", p.display()))
                .unwrap_or_default();
                format!("{e}{file}")
            })
    }
}

/// Reads the PEM file of `option`, if given.
fn read(path: Option<&Path>, option: &str) -> Result<Option<Vec<u8>>, String> {
    path.map(|p| read_pem(p, &format!("{option} {}", p.display())))
        .transpose()
}
