//! Reading the client's request head: just enough to know where it ends and, for the
//! WebSocket modes, its `Sec-WebSocket-Key`.

use std::io;
use std::time::Duration;

use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;
use tokio::time::timeout;

/// Longest request head read; a longer one is cut off there (the hostile modes do not care).
const MAX_HEAD: usize = 64 * 1024;

/// How long the client has to send its request head.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);

/// Reads until the end of the request head (an empty line), `MAX_HEAD` bytes, or the client
/// stops; returns what was read. Bytes after the head (a body) are left to whoever reads next
/// or discarded with the buffer.
pub(super) async fn read_head(stream: &mut TcpStream) -> io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        let n = match timeout(HEAD_TIMEOUT, stream.read(&mut chunk)).await {
            Ok(read) => read?,
            Err(_) => return Err(io::ErrorKind::TimedOut.into()),
        };
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
        if head_end(&buf).is_some() || buf.len() >= MAX_HEAD {
            return Ok(buf);
        }
    }
}

/// Where the head ends (after CRLF CRLF, or LF LF).
fn head_end(buf: &[u8]) -> Option<usize> {
    let crlf = buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4);
    let lf = buf.windows(2).position(|w| w == b"\n\n").map(|i| i + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The value of the first field line called `name` (case-insensitive), trimmed.
pub(super) fn header_value<'a>(head: &'a [u8], name: &str) -> Option<&'a [u8]> {
    let end = head_end(head).unwrap_or(head.len());
    head[..end].split(|&b| b == b'\n').skip(1).find_map(|line| {
        let colon = line.iter().position(|&b| b == b':')?;
        let (field, value) = (&line[..colon], &line[colon + 1..]);
        field
            .eq_ignore_ascii_case(name.as_bytes())
            .then(|| value.trim_ascii())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_fields_case_insensitively() {
        let head = b"GET / HTTP/1.1\r\nHost: h\r\nsec-websocket-key:  abc== \r\n\r\nbody: no";
        assert_eq!(header_value(head, "Sec-WebSocket-Key"), Some(&b"abc=="[..]));
        assert_eq!(header_value(head, "body"), None);
        assert_eq!(head_end(head), Some(head.len() - 8));
    }
}
