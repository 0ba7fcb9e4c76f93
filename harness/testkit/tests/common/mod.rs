//! A tiny, tolerant HTTP/1.1 test client for the integration tests.
//!
//! Every read is bounded by a timeout and every socket is on loopback.

#![allow(dead_code, unreachable_pub)]

use std::io::ErrorKind;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;
use wirecheck_testkit::{BrokenServer, Switch};

pub mod ws;

/// The longest any single step may take before the test fails.
pub const STEP: Duration = Duration::from_secs(5);

/// How long silence must last to count as "nothing more is coming".
pub const QUIET: Duration = Duration::from_millis(400);

/// Starts a server on an ephemeral loopback port.
pub async fn start(switches: &[Switch]) -> BrokenServer {
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    BrokenServer::start(addr, switches)
        .await
        .expect("server starts")
}

/// How a connection looked at the end of a wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The server sent FIN.
    Fin,
    /// The server reset the connection.
    Reset,
    /// Still open after the wait.
    Open,
}

/// A parsed response.
#[derive(Debug, Clone)]
pub struct Response {
    /// The version on the status line.
    pub version: String,
    /// The status code.
    pub status: u16,
    /// The header fields, in order.
    pub headers: Vec<(String, String)>,
    /// The content (as delimited by Content-Length).
    pub body: Vec<u8>,
    /// The head bytes exactly as received, blank line included.
    pub raw_head: Vec<u8>,
}

impl Response {
    /// The first value of `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// How many lines called `name` there are.
    pub fn count(&self, name: &str) -> usize {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .count()
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("the body is JSON")
    }
}

/// A client connection with its receive buffer.
pub struct Client {
    /// The socket.
    pub stream: TcpStream,
    /// Received bytes not consumed yet.
    pub buf: Vec<u8>,
}

impl Client {
    /// Connects to `server`.
    pub async fn connect(server: &BrokenServer) -> Client {
        let stream = timeout(STEP, TcpStream::connect(server.local_addr()))
            .await
            .expect("connect in time")
            .expect("connect");
        Client {
            stream,
            buf: Vec::new(),
        }
    }

    /// Sends `bytes` in one write.
    pub async fn send(&mut self, bytes: impl AsRef<[u8]>) {
        timeout(STEP, self.stream.write_all(bytes.as_ref()))
            .await
            .expect("write in time")
            .expect("write");
    }

    /// Reads once into the buffer; `Ok(false)` at end of stream.
    async fn read_more(&mut self, wait: Duration) -> Result<bool, Ending> {
        let mut chunk = vec![0; 64 * 1024];
        match timeout(wait, self.stream.read(&mut chunk)).await {
            Err(_) => Err(Ending::Open),
            Ok(Ok(0)) => Ok(false),
            Ok(Ok(n)) => {
                self.buf.extend_from_slice(&chunk[..n]);
                Ok(true)
            }
            Ok(Err(e)) if e.kind() == ErrorKind::ConnectionReset => Err(Ending::Reset),
            Ok(Err(e)) => panic!("read failed: {e}"),
        }
    }

    /// Reads the next response; `head_request` says it has no content.
    pub async fn response_to(&mut self, head_request: bool) -> Response {
        let (head_len, body_start) = loop {
            if let Some(found) = find_head_end(&self.buf) {
                break found;
            }
            let more = self.read_more(STEP).await;
            assert_eq!(
                more,
                Ok(true),
                "connection ended before a full response head"
            );
        };
        let raw_head = self.buf[..body_start].to_vec();
        let head = String::from_utf8_lossy(&self.buf[..head_len]).into_owned();
        let mut lines = head.split('\n').map(|line| line.trim_end_matches('\r'));
        let status_line = lines.next().unwrap_or_default().to_owned();
        let mut parts = status_line.splitn(3, ' ');
        let version = parts.next().unwrap_or_default().to_owned();
        let status: u16 = parts
            .next()
            .and_then(|s| s.parse().ok())
            .expect("status code");
        let headers: Vec<(String, String)> = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(n, v)| (n.to_owned(), v.trim().to_owned()))
            .collect();
        self.buf.drain(..body_start);
        let mut response = Response {
            version,
            status,
            headers,
            body: Vec::new(),
            raw_head,
        };
        let no_body = head_request || status < 200 || status == 204 || status == 304;
        if let (false, Some(length)) = (no_body, response.header("Content-Length")) {
            let length: usize = length.parse().expect("numeric Content-Length");
            while self.buf.len() < length {
                let more = self.read_more(STEP).await;
                assert_eq!(more, Ok(true), "connection ended inside the content");
            }
            response.body = self.buf.drain(..length).collect();
        }
        response
    }

    /// Reads the next response to a non-HEAD request.
    pub async fn response(&mut self) -> Response {
        self.response_to(false).await
    }

    /// Reads the final response, skipping `1xx` interim responses.
    pub async fn final_response(&mut self) -> Response {
        loop {
            let response = self.response().await;
            if response.status >= 200 {
                return response;
            }
        }
    }

    /// Sends `request` and reads its response.
    pub async fn exchange(&mut self, request: impl AsRef<[u8]>) -> Response {
        let head_request = request.as_ref().starts_with(b"HEAD ");
        self.send(request).await;
        self.response_to(head_request).await
    }

    /// Collects whatever arrives until the connection ends or stays
    /// silent for `quiet`; the bytes stay in `buf`.
    pub async fn ending(&mut self, quiet: Duration) -> Ending {
        let deadline = tokio::time::Instant::now() + STEP;
        loop {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the server kept talking"
            );
            match self.read_more(quiet).await {
                Ok(true) => {}
                Ok(false) => return Ending::Fin,
                Err(ending) => return ending,
            }
        }
    }

    /// Waits up to [`STEP`] for the server to end the connection.
    pub async fn closed(&mut self) -> Ending {
        self.ending(STEP).await
    }
}

/// The end of the head (without the blank line) and the start of the
/// content, accepting CRLF or bare LF line endings.
fn find_head_end(buf: &[u8]) -> Option<(usize, usize)> {
    let crlf = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, i + 4));
    let lf = buf
        .windows(2)
        .position(|w| w == b"\n\n")
        .map(|i| (i, i + 2));
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 < b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// A GET of `path` with Host.
pub fn get(path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n")
}

/// Whether `value` is an IMF-fixdate (RFC 9110 §5.6.7).
pub fn is_imf_fixdate(value: &str) -> bool {
    httpdate::parse_http_date(value)
        .map(|time| httpdate::fmt_http_date(time) == value)
        .unwrap_or(false)
}

/// Whether every LF in `bytes` is preceded by CR and no CR stands alone.
pub fn crlf_only(bytes: &[u8]) -> bool {
    bytes.iter().enumerate().all(|(i, &b)| match b {
        b'\n' => i > 0 && bytes[i - 1] == b'\r',
        b'\r' => bytes.get(i + 1) == Some(&b'\n'),
        _ => true,
    })
}
