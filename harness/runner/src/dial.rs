//! How a case reaches the target: the addresses, the connect timeout and, for `https://` and
//! `wss://` targets or `tls_connect` steps, the TLS client.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::time::Instant;
use wirecheck_core::model::Transport;
use wirecheck_core::result::TlsFacts;

use crate::connection::{Connection, TlsFailure};
use crate::target::TargetUrl;
use crate::tls::{TlsClient, TlsSettings};

/// Everything a case needs to open connections to the target.
#[derive(Debug)]
pub struct Dialer {
    addrs: Arc<[SocketAddr]>,
    connect_timeout: Duration,
    host: String,
    /// The target speaks TLS: plain `connect` steps do a handshake.
    tls_target: bool,
    tls: OnceLock<Result<Arc<TlsClient>, String>>,
}

/// What opening a connection gave.
pub(crate) enum Dialed {
    /// Open (with the TLS facts when it is TLS).
    Open(Connection, Option<Box<TlsFacts>>),
    /// The target could not be reached (a harness-side `error`).
    Unreachable(String),
    /// TCP opened but the TLS handshake failed (an observation for `expect_tls`).
    TlsRefused(String),
}

impl Dialer {
    /// A dialer for `target` at `addrs`; `tls` is the run's TLS client (`None`: the default
    /// settings, made on first use).
    pub fn new(
        target: &TargetUrl,
        addrs: Vec<SocketAddr>,
        connect_timeout: Duration,
        tls: Option<Arc<TlsClient>>,
    ) -> Dialer {
        let cell = OnceLock::new();
        if let Some(t) = tls {
            let _ = cell.set(Ok(t));
        }
        Dialer {
            addrs: addrs.into(),
            connect_timeout,
            host: target.host.clone(),
            tls_target: target.is_tls(),
            tls: cell,
        }
    }

    /// The longest a connect (with its handshake) may take.
    pub(crate) fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    fn tls_client(&self) -> Result<Arc<TlsClient>, String> {
        self.tls
            .get_or_init(|| {
                TlsClient::new(&TlsSettings::default())
                    .map(Arc::new)
                    .map_err(|e| e.to_string())
            })
            .clone()
    }

    /// Opens a connection as `transport` says (`None`: as the target URL says).
    pub(crate) async fn dial(&self, transport: Option<&Transport>, deadline: Instant) -> Dialed {
        let conn = match Connection::open(&self.addrs, deadline).await {
            Ok(c) => c,
            Err(e) => return Dialed::Unreachable(e),
        };
        let opts = match transport {
            Some(Transport::Plain) => return Dialed::Open(conn, None),
            Some(Transport::Tls(o)) => Some(&**o),
            None if self.tls_target => None,
            None => return Dialed::Open(conn, None),
        };
        let client = match self.tls_client() {
            Ok(c) => c,
            Err(e) => return Dialed::Unreachable(e),
        };
        match conn.start_tls(&client, &self.host, opts, deadline).await {
            Ok((c, facts)) => Dialed::Open(c, Some(Box::new(facts))),
            Err(TlsFailure { tcp: false, why }) => Dialed::Unreachable(why),
            // A plain `connect` to a TLS target needs the handshake to run the case at all;
            // a `tls_connect` step is about the handshake, so its failure is observed.
            Err(TlsFailure { why, .. }) if opts.is_none() => {
                Dialed::Unreachable(format!("TLS handshake failed: {why}"))
            }
            Err(TlsFailure { why, .. }) => Dialed::TlsRefused(why),
        }
    }
}
