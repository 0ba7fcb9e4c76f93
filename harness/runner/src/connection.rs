//! One connection (TCP, or TLS over TCP), performing engine actions with every wait bounded.

use std::io::ErrorKind;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{timeout, timeout_at, Instant};
use wirecheck_core::model::TlsOptions;
use wirecheck_core::result::TlsFacts;

use crate::tls::{describe_error, facts, is_unclean_eof, TlsClient};

/// Bytes asked of the kernel per read.
const READ_CHUNK: usize = 64 * 1024;

/// What a read produced.
pub(crate) enum ReadOutcome {
    Data(usize),
    /// The peer closed. On TLS, `unclean` says it sent no `close_notify` first.
    Eof {
        unclean: bool,
    },
    Reset(String),
    Timeout,
}

enum Stream {
    Plain(TcpStream),
    Tls(Box<tokio_rustls::client::TlsStream<TcpStream>>),
}

pub(crate) struct Connection {
    stream: Stream,
    pub(crate) buf: Vec<u8>,
}

/// A TLS handshake that did not complete: `tcp` says whether the TCP connection opened (a
/// refusal by the server) or not (the target is unreachable).
pub(crate) struct TlsFailure {
    pub(crate) tcp: bool,
    pub(crate) why: String,
}

/// Maps a read error: the peer's FIN without `close_notify` is an end, not a failure.
fn read_error(e: &std::io::Error) -> ReadOutcome {
    if is_unclean_eof(e) {
        return ReadOutcome::Eof { unclean: true };
    }
    ReadOutcome::Reset(match e.kind() {
        ErrorKind::ConnectionReset => "connection reset by peer".into(),
        ErrorKind::ConnectionAborted => "connection aborted".into(),
        _ => describe_error(e),
    })
}

impl Connection {
    /// Connects, giving up at `deadline`.
    pub(crate) async fn open(
        addrs: &[SocketAddr],
        deadline: Instant,
    ) -> Result<Connection, String> {
        let mut last = String::from("no address to connect to");
        for addr in addrs {
            match timeout_at(deadline, TcpStream::connect(addr)).await {
                Ok(Ok(stream)) => {
                    // Each write must leave as its own segment, or split sends and pauses
                    // would be coalesced by Nagle's algorithm.
                    let _ = stream.set_nodelay(true);
                    return Ok(Connection {
                        stream: Stream::Plain(stream),
                        buf: Vec::with_capacity(READ_CHUNK),
                    });
                }
                Ok(Err(e)) => last = format!("{addr}: {e}"),
                Err(_) => last = format!("{addr}: connect timed out"),
            }
        }
        Err(last)
    }

    /// Runs a TLS handshake over this TCP connection, giving up at `deadline`.
    pub(crate) async fn start_tls(
        self,
        client: &TlsClient,
        host: &str,
        opts: Option<&TlsOptions>,
        deadline: Instant,
    ) -> Result<(Connection, TlsFacts), TlsFailure> {
        let refused = |why: String| TlsFailure { tcp: true, why };
        let Stream::Plain(tcp) = self.stream else {
            return Err(refused("the connection is already TLS".into()));
        };
        let (cfg, name, sni) = client
            .prepare(host, opts)
            .map_err(|why| TlsFailure { tcp: false, why })?;
        let client_cert = cfg.client_auth_cert_resolver.has_certs();
        let connector = tokio_rustls::TlsConnector::from(cfg);
        match timeout_at(deadline, connector.connect(name, tcp)).await {
            Ok(Ok(tls)) => {
                let facts = facts(tls.get_ref().1, sni, client_cert);
                Ok((
                    Connection {
                        stream: Stream::Tls(Box::new(tls)),
                        buf: self.buf,
                    },
                    facts,
                ))
            }
            Ok(Err(e)) => Err(refused(describe_error(&e))),
            Err(_) => Err(refused(
                "the TLS handshake timed out (the server did not answer the ClientHello)".into(),
            )),
        }
    }

    /// Writes all of `bytes`, giving up at `deadline` (a server that never reads fills the
    /// socket buffers and would block us forever).
    pub(crate) async fn write(&mut self, bytes: &[u8], deadline: Instant) -> Result<(), String> {
        let done = match &mut self.stream {
            Stream::Plain(s) => timeout_at(deadline, s.write_all(bytes)).await,
            Stream::Tls(s) => {
                timeout_at(deadline, async {
                    s.write_all(bytes).await?;
                    s.flush().await
                })
                .await
            }
        };
        match done {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(describe_error(&e)),
            Err(_) => Err("write timed out (the server is not reading)".into()),
        }
    }

    /// Sends what TLS still buffers (nothing to do on plain TCP).
    pub(crate) async fn flush(&mut self, deadline: Instant) -> Result<(), String> {
        match &mut self.stream {
            Stream::Plain(_) => Ok(()),
            Stream::Tls(s) => match timeout_at(deadline, s.flush()).await {
                Ok(r) => r.map_err(|e| describe_error(&e)),
                Err(_) => Err("write timed out (the server is not reading)".into()),
            },
        }
    }

    /// Half-closes: a TCP FIN (on TLS, after a `close_notify` alert, RFC 8446 §6.1).
    pub(crate) async fn shutdown_write(&mut self) -> Result<(), String> {
        match &mut self.stream {
            Stream::Plain(s) => s.shutdown().await,
            Stream::Tls(s) => s.shutdown().await,
        }
        .map_err(|e| describe_error(&e))
    }

    /// Reads once into `self.buf` (replacing its contents). `read_buf` fills spare capacity
    /// without zeroing it first, which matters at thousands of connections per second.
    pub(crate) async fn read(&mut self, deadline: Instant) -> ReadOutcome {
        self.buf.clear();
        let read = match &mut self.stream {
            Stream::Plain(s) => timeout_at(deadline, s.read_buf(&mut self.buf)).await,
            Stream::Tls(s) => timeout_at(deadline, s.read_buf(&mut self.buf)).await,
        };
        match read {
            Ok(Ok(0)) => ReadOutcome::Eof { unclean: false },
            Ok(Ok(n)) => ReadOutcome::Data(n),
            Ok(Err(e)) => read_error(&e),
            Err(_) => ReadOutcome::Timeout,
        }
    }
}

/// What one step of a write-while-reading transfer did.
pub(crate) enum Transferred {
    Wrote(usize),
    Data(usize),
    Eof { unclean: bool },
    Reset(String),
    WriteFailed(String),
}

impl Connection {
    /// Writes some of `bytes` or reads some input, whichever is ready first (reading when
    /// both are); with `read` false, only writes. With `write_first`, a write the socket can
    /// take at once is made before anything is read, so a peer that never stops sending
    /// cannot starve our writes. Gives up writing at `deadline`.
    pub(crate) async fn transfer_step(
        &mut self,
        bytes: &[u8],
        read: bool,
        deadline: Instant,
        write_first: bool,
    ) -> Transferred {
        if write_first {
            let tried = match &mut self.stream {
                Stream::Plain(s) => s.try_write(bytes),
                // A TLS stream has no `try_write`; a write polled once is the same thing
                // (`timeout` polls the write before its zero-length timer).
                Stream::Tls(s) => timeout(Duration::ZERO, s.write(bytes))
                    .await
                    .unwrap_or_else(|_| Err(ErrorKind::WouldBlock.into())),
            };
            match tried {
                Ok(0) => {
                    return Transferred::WriteFailed("the connection accepts no more bytes".into())
                }
                Ok(n) => return Transferred::Wrote(n),
                Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                Err(e) => return Transferred::WriteFailed(describe_error(&e)),
            }
        }
        self.buf.clear();
        let buf = &mut self.buf;
        match &mut self.stream {
            Stream::Plain(s) => {
                let (mut rd, mut wr) = s.split();
                transfer_select(&mut rd, &mut wr, buf, bytes, read, deadline).await
            }
            Stream::Tls(s) => {
                let (mut rd, mut wr) = tokio::io::split(&mut **s);
                transfer_select(&mut rd, &mut wr, buf, bytes, read, deadline).await
            }
        }
    }
}

/// Reads (when `read`) or writes, whichever is ready first.
async fn transfer_select<R, W>(
    rd: &mut R,
    wr: &mut W,
    buf: &mut Vec<u8>,
    bytes: &[u8],
    read: bool,
    deadline: Instant,
) -> Transferred
where
    R: tokio::io::AsyncRead + Unpin,
    W: tokio::io::AsyncWrite + Unpin,
{
    tokio::select! {
        biased;
        r = rd.read_buf(buf), if read => match r {
            Ok(0) => Transferred::Eof { unclean: false },
            Ok(n) => Transferred::Data(n),
            Err(e) => match read_error(&e) {
                ReadOutcome::Eof { unclean } => Transferred::Eof { unclean },
                ReadOutcome::Reset(why) => Transferred::Reset(why),
                _ => Transferred::Reset(e.to_string()),
            },
        },
        w = timeout_at(deadline, wr.write(bytes)) => match w {
            Ok(Ok(0)) => Transferred::WriteFailed("the connection accepts no more bytes".into()),
            Ok(Ok(n)) => Transferred::Wrote(n),
            Ok(Err(e)) => Transferred::WriteFailed(describe_error(&e)),
            Err(_) => Transferred::WriteFailed("write timed out (the server is not reading)".into()),
        },
    }
}

/// `start + d`, saturating far in the future.
pub(crate) fn at(start: Instant, d: Duration) -> Instant {
    start
        .checked_add(d)
        .unwrap_or_else(|| start + Duration::from_secs(86_400))
}
