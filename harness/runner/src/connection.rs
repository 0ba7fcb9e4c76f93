//! One TCP connection, performing engine actions with every wait bounded.

use std::io::ErrorKind;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{timeout_at, Instant};

/// Bytes asked of the kernel per read.
const READ_CHUNK: usize = 64 * 1024;

/// What a read produced.
pub(crate) enum ReadOutcome {
    Data(usize),
    Eof,
    Reset(String),
    Timeout,
}

pub(crate) struct Connection {
    stream: TcpStream,
    pub(crate) buf: Vec<u8>,
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
                        stream,
                        buf: Vec::with_capacity(READ_CHUNK),
                    });
                }
                Ok(Err(e)) => last = format!("{addr}: {e}"),
                Err(_) => last = format!("{addr}: connect timed out"),
            }
        }
        Err(last)
    }

    /// Writes all of `bytes`, giving up at `deadline` (a server that never reads fills the
    /// socket buffers and would block us forever).
    pub(crate) async fn write(&mut self, bytes: &[u8], deadline: Instant) -> Result<(), String> {
        match timeout_at(deadline, self.stream.write_all(bytes)).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err("write timed out (the server is not reading)".into()),
        }
    }

    pub(crate) async fn shutdown_write(&mut self) -> Result<(), String> {
        self.stream.shutdown().await.map_err(|e| e.to_string())
    }

    /// Reads once into `self.buf` (replacing its contents). `read_buf` fills spare capacity
    /// without zeroing it first, which matters at thousands of connections per second.
    pub(crate) async fn read(&mut self, deadline: Instant) -> ReadOutcome {
        self.buf.clear();
        match timeout_at(deadline, self.stream.read_buf(&mut self.buf)).await {
            Ok(Ok(0)) => ReadOutcome::Eof,
            Ok(Ok(n)) => ReadOutcome::Data(n),
            Ok(Err(e)) => ReadOutcome::Reset(match e.kind() {
                ErrorKind::ConnectionReset => "connection reset by peer".into(),
                ErrorKind::ConnectionAborted => "connection aborted".into(),
                _ => e.to_string(),
            }),
            Err(_) => ReadOutcome::Timeout,
        }
    }
}

/// What one step of a write-while-reading transfer did.
pub(crate) enum Transferred {
    Wrote(usize),
    Data(usize),
    Eof,
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
            match self.stream.try_write(bytes) {
                Ok(0) => {
                    return Transferred::WriteFailed("the connection accepts no more bytes".into())
                }
                Ok(n) => return Transferred::Wrote(n),
                Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                Err(e) => return Transferred::WriteFailed(e.to_string()),
            }
        }
        self.buf.clear();
        let (mut rd, mut wr) = self.stream.split();
        tokio::select! {
            biased;
            r = rd.read_buf(&mut self.buf), if read => match r {
                Ok(0) => Transferred::Eof,
                Ok(n) => Transferred::Data(n),
                Err(e) => Transferred::Reset(match e.kind() {
                    ErrorKind::ConnectionReset => "connection reset by peer".into(),
                    _ => e.to_string(),
                }),
            },
            w = timeout_at(deadline, wr.write(bytes)) => match w {
                Ok(Ok(0)) => Transferred::WriteFailed("the connection accepts no more bytes".into()),
                Ok(Ok(n)) => Transferred::Wrote(n),
                Ok(Err(e)) => Transferred::WriteFailed(e.to_string()),
                Err(_) => Transferred::WriteFailed("write timed out (the server is not reading)".into()),
            },
        }
    }
}

/// `start + d`, saturating far in the future.
pub(crate) fn at(start: Instant, d: Duration) -> Instant {
    start
        .checked_add(d)
        .unwrap_or_else(|| start + Duration::from_secs(86_400))
}
