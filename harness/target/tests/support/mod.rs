//! Raw-socket helpers for the integration tests: start a target on
//! loopback, write request bytes, read responses with a minimal HTTP/1.1
//! response parser. Every read is bounded by [`READ_TIMEOUT`].

#![allow(dead_code)] // each test binary uses a different subset

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;
use wirecheck_target::Target;

/// Upper bound for any single network operation in the tests.
pub(crate) const READ_TIMEOUT: Duration = Duration::from_secs(5);

/// Starts a target on an ephemeral loopback port.
pub(crate) async fn start() -> Target {
    let addr: SocketAddr = ([127, 0, 0, 1], 0).into();
    Target::start(addr).await.expect("bind 127.0.0.1:0")
}

/// A parsed response.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    /// The HTTP-version of the status line.
    pub(crate) version: String,
    /// The status code.
    pub(crate) status: u16,
    /// Field lines in wire order, names lowercased.
    pub(crate) headers: Vec<(String, String)>,
    /// The content (empty when the response has none).
    pub(crate) body: Vec<u8>,
}

impl Response {
    /// The value of the only (or first) field line named `name`.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as UTF-8 text.
    pub(crate) fn text(&self) -> &str {
        std::str::from_utf8(&self.body).expect("UTF-8 body")
    }
}

/// One client connection.
pub(crate) struct Client {
    stream: TcpStream,
    /// Bytes read but not yet consumed by a parsed response.
    buf: Vec<u8>,
}

impl Client {
    /// Connects to `target`.
    pub(crate) async fn connect(target: &Target) -> Client {
        let stream = timeout(READ_TIMEOUT, TcpStream::connect(target.local_addr()))
            .await
            .expect("connect timed out")
            .expect("connect");
        Client {
            stream,
            buf: Vec::new(),
        }
    }

    /// Writes raw bytes.
    pub(crate) async fn send(&mut self, bytes: &[u8]) {
        timeout(READ_TIMEOUT, self.stream.write_all(bytes))
            .await
            .expect("write timed out")
            .expect("write");
    }

    /// Reads more bytes into the buffer; returns false at EOF.
    async fn fill(&mut self) -> bool {
        let mut chunk = [0u8; 16 * 1024];
        let n = timeout(READ_TIMEOUT, self.stream.read(&mut chunk))
            .await
            .expect("read timed out")
            .expect("read");
        self.buf.extend_from_slice(&chunk[..n]);
        n > 0
    }

    /// Reads one response. `to_head` says the request was HEAD, so the
    /// response has no content whatever its fields say.
    pub(crate) async fn read_response(&mut self, to_head: bool) -> Response {
        let head_end = loop {
            if let Some(pos) = find(&self.buf, b"\r\n\r\n") {
                break pos;
            }
            assert!(self.fill().await, "EOF before a complete response head");
        };
        let head = String::from_utf8(self.buf[..head_end].to_vec()).expect("ASCII head");
        self.buf.drain(..head_end + 4);

        let mut lines = head.split("\r\n");
        let status_line = lines.next().expect("status line");
        let mut parts = status_line.splitn(3, ' ');
        let version = parts.next().expect("HTTP-version").to_owned();
        assert!(
            version == "HTTP/1.1" || version == "HTTP/1.0",
            "status line {status_line:?}"
        );
        let status: u16 = parts
            .next()
            .and_then(|code| code.parse().ok())
            .expect("status code");
        let headers: Vec<(String, String)> = lines
            .map(|line| {
                let (name, value) = line.split_once(':').expect("field line has a colon");
                (name.to_ascii_lowercase(), value.trim().to_owned())
            })
            .collect();
        assert!(
            !headers.iter().any(|(n, _)| n == "transfer-encoding"),
            "the target never needs chunked responses"
        );

        let no_content = to_head || status == 204 || status == 304 || status < 200;
        let len = if no_content {
            0
        } else {
            headers
                .iter()
                .find(|(n, _)| n == "content-length")
                .map(|(_, v)| v.parse::<usize>().expect("numeric Content-Length"))
                .expect("every response with content has Content-Length")
        };
        while self.buf.len() < len {
            assert!(self.fill().await, "EOF inside the response content");
        }
        let body = self.buf.drain(..len).collect();
        Response {
            version,
            status,
            headers,
            body,
        }
    }

    /// Sends `request` and reads its response.
    pub(crate) async fn exchange(&mut self, request: &str) -> Response {
        self.send(request.as_bytes()).await;
        self.read_response(request.starts_with("HEAD ")).await
    }

    /// Asserts that the server closes the connection without sending more.
    pub(crate) async fn expect_closed(&mut self) {
        let mut rest = [0u8; 1024];
        let read = timeout(READ_TIMEOUT, self.stream.read(&mut rest))
            .await
            .expect("server did not close the connection");
        match read {
            Ok(n) => assert_eq!(
                (n, self.buf.len()),
                (0, 0),
                "unexpected bytes after the last response: {:?}",
                String::from_utf8_lossy(&rest[..n])
            ),
            // A reset also means closed.
            Err(error) => assert_eq!(error.kind(), std::io::ErrorKind::ConnectionReset),
        }
    }

    /// Asserts that nothing more arrives within a short wait (used after a
    /// HEAD or 304 to prove no stray content was sent).
    pub(crate) async fn expect_silence(&mut self) {
        let mut rest = [0u8; 1024];
        let waited = timeout(Duration::from_millis(200), self.stream.read(&mut rest)).await;
        assert!(waited.is_err(), "unexpected data or close: {waited:?}");
        assert!(self.buf.is_empty(), "unexpected buffered bytes");
    }
}

/// Position of `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A simple GET request for `path` on a persistent connection.
pub(crate) fn get(path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
}
