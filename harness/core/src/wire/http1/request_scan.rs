//! Reads back the requests a case wrote, so that the response validators know which request
//! each response answers (its method, target, version and header fields).
//!
//! The scanner is deliberately strict: at the first byte whose meaning a server could
//! reasonably dispute (odd whitespace, bare CR or LF, an invalid or repeated Content-Length,
//! a Transfer-Encoding other than `chunked`, a malformed chunk), it stops, and every later
//! request on that connection is unknown. Rules that need the request then say nothing, so a
//! case about smuggling or broken framing can never be mis-paired into a false finding.

/// What the validators know of one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestInfo {
    /// The method, as sent.
    pub method: String,
    /// The request-target, as sent.
    pub target: String,
    /// The version, e.g. `HTTP/1.1`.
    pub version: String,
    /// Header fields, names as sent.
    pub headers: Vec<(String, String)>,
}

impl RequestInfo {
    /// All lines of `name` joined with ", ", or `None` when absent.
    pub fn header(&self, name: &str) -> Option<String> {
        let v: Vec<&str> = self
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect();
        (!v.is_empty()).then(|| v.join(", "))
    }

    /// True for `HTTP/1.0` (and `HTTP/0.x`): a request that does not indicate HTTP/1.1.
    pub fn is_before_1_1(&self) -> bool {
        matches!(self.version.as_bytes(), [b'H', b'T', b'T', b'P', b'/', maj, b'.', _] if *maj < b'1')
            || matches!(self.version.as_bytes(), b"HTTP/1.0")
    }
}

/// Where the scanner is in the byte stream.
#[derive(Clone, Debug)]
enum State {
    /// Before (or inside) a request head.
    Head,
    /// Skipping `n` more content bytes.
    Content(u64),
    /// Inside chunked content.
    Chunked(ChunkState),
    /// Something could be read two ways: nothing after this is known.
    Lost,
}

#[derive(Clone, Debug)]
enum ChunkState {
    /// Reading a chunk-size line.
    Size,
    /// Skipping `n` data bytes, then CRLF.
    Data(u64),
    /// Expecting the CRLF after chunk data.
    DataEnd,
    /// Reading trailer lines until the empty one.
    Trailers,
}

/// Turns the bytes written on one connection into the requests they hold.
#[derive(Clone, Debug)]
pub struct RequestScanner {
    buf: Vec<u8>,
    state: State,
    requests: Vec<RequestInfo>,
}

/// Longest head the scanner keeps; longer ones are not followed.
const MAX_HEAD: usize = 256 * 1024;

impl Default for RequestScanner {
    fn default() -> Self {
        RequestScanner {
            buf: Vec::new(),
            state: State::Head,
            requests: Vec::new(),
        }
    }
}

impl RequestScanner {
    /// A scanner at the start of a connection.
    pub fn new() -> Self {
        Self::default()
    }

    /// The complete requests read so far, in order.
    pub fn requests(&self) -> &[RequestInfo] {
        &self.requests
    }

    /// True once the scanner stopped following the stream.
    pub fn is_lost(&self) -> bool {
        matches!(self.state, State::Lost)
    }

    /// Feeds the bytes of the next write.
    pub fn feed(&mut self, data: &[u8]) {
        if self.is_lost() {
            return;
        }
        self.buf.extend_from_slice(data);
        let mut pos = 0;
        loop {
            let rest = &self.buf[pos..];
            match &mut self.state {
                State::Lost => break,
                State::Content(n) => {
                    let take = (*n).min(rest.len() as u64);
                    *n -= take;
                    pos += take as usize;
                    if *n > 0 {
                        break;
                    }
                    self.state = State::Head;
                }
                State::Head => {
                    // RFC 9112 §2.2: empty lines before the request-line are ignored.
                    if rest.starts_with(b"\r\n") {
                        pos += 2;
                        continue;
                    }
                    if rest == b"\r" {
                        break;
                    }
                    if rest.first().is_some_and(|&b| b == b'\r' || b == b'\n') {
                        self.state = State::Lost;
                        break;
                    }
                    let Some(end) = find(rest, b"\r\n\r\n") else {
                        if rest.len() > MAX_HEAD {
                            self.state = State::Lost;
                        }
                        break;
                    };
                    let head = &rest[..end];
                    pos += end + 4;
                    match parse_head(head) {
                        Some((req, next)) => {
                            self.requests.push(req);
                            self.state = next;
                        }
                        None => self.state = State::Lost,
                    }
                }
                State::Chunked(c) => match c {
                    ChunkState::Size | ChunkState::Trailers => {
                        let Some(end) = find(rest, b"\r\n") else {
                            if rest.len() > MAX_HEAD {
                                self.state = State::Lost;
                            }
                            break;
                        };
                        let line = &rest[..end];
                        pos += end + 2;
                        if matches!(c, ChunkState::Trailers) {
                            if line.is_empty() {
                                self.state = State::Head;
                            } else if !is_field_line(line) {
                                self.state = State::Lost;
                            }
                            continue;
                        }
                        match chunk_size(line) {
                            Some(0) => *c = ChunkState::Trailers,
                            Some(n) => *c = ChunkState::Data(n),
                            None => self.state = State::Lost,
                        }
                    }
                    ChunkState::Data(n) => {
                        let take = (*n).min(rest.len() as u64);
                        *n -= take;
                        pos += take as usize;
                        if *n > 0 {
                            break;
                        }
                        *c = ChunkState::DataEnd;
                    }
                    ChunkState::DataEnd => {
                        if rest.len() < 2 {
                            break;
                        }
                        if &rest[..2] != b"\r\n" {
                            self.state = State::Lost;
                            break;
                        }
                        pos += 2;
                        *c = ChunkState::Size;
                    }
                },
            }
        }
        if self.is_lost() {
            self.buf = Vec::new();
        } else {
            self.buf.drain(..pos.min(self.buf.len()));
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn is_field_line(line: &[u8]) -> bool {
    let Some(colon) = line.iter().position(|&b| b == b':') else {
        return false;
    };
    colon > 0
        && line[..colon].iter().all(|&b| is_tchar(b))
        && line[colon + 1..]
            .iter()
            .all(|&b| b == b'\t' || (b >= 0x20 && b != 0x7f))
}

fn chunk_size(line: &[u8]) -> Option<u64> {
    let digits = line.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    if digits == 0 || digits > 15 {
        return None;
    }
    let ext = &line[digits..];
    if !ext.is_empty() && !ext.starts_with(b";") {
        return None;
    }
    if ext.iter().any(|&b| b < 0x20 && b != b'\t') {
        return None;
    }
    u64::from_str_radix(std::str::from_utf8(&line[..digits]).ok()?, 16).ok()
}

/// Parses a strict request head (without its final CRLF CRLF); `None` when any part of it
/// is open to two readings.
fn parse_head(head: &[u8]) -> Option<(RequestInfo, State)> {
    let text = std::str::from_utf8(head).ok()?;
    let mut lines = text.split("\r\n");
    let line = lines.next()?;
    let mut parts = line.split(' ');
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || method.is_empty()
        || !method.bytes().all(is_tchar)
        || target.is_empty()
        || !target.bytes().all(|b| b.is_ascii_graphic())
    {
        return None;
    }
    let v = version.as_bytes();
    if !(v.len() == 8
        && v.starts_with(b"HTTP/")
        && v[5].is_ascii_digit()
        && v[6] == b'.'
        && v[7].is_ascii_digit())
    {
        return None;
    }
    let mut headers = Vec::new();
    for l in lines {
        if l.contains('\r') || l.contains('\n') || !is_field_line(l.as_bytes()) {
            return None;
        }
        let (n, v) = l.split_once(':')?;
        headers.push((n.to_string(), v.trim_matches([' ', '\t']).to_string()));
    }
    let req = RequestInfo {
        method: method.into(),
        target: target.into(),
        version: version.into(),
        headers,
    };
    let te: Vec<&str> = req
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("transfer-encoding"))
        .map(|(_, v)| v.as_str())
        .collect();
    let cl: Vec<&str> = req
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .map(|(_, v)| v.as_str())
        .collect();
    let next = match (te.as_slice(), cl.as_slice()) {
        ([], []) => State::Head,
        ([], [one]) => {
            if one.is_empty() || one.len() > 15 || !one.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            match one.parse::<u64>().ok()? {
                0 => State::Head,
                n => State::Content(n),
            }
        }
        ([one], []) if one.eq_ignore_ascii_case("chunked") && !req.is_before_1_1() => {
            State::Chunked(ChunkState::Size)
        }
        _ => return None,
    };
    Some((req, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(pieces: &[&[u8]]) -> (Vec<String>, bool) {
        let mut s = RequestScanner::new();
        for p in pieces {
            s.feed(p);
        }
        (
            s.requests()
                .iter()
                .map(|r| format!("{} {} {}", r.method, r.target, r.version))
                .collect(),
            s.is_lost(),
        )
    }

    #[test]
    fn plain_pipelined_and_split() {
        let raw: &[u8] = b"GET /a HTTP/1.1\r\nHost: h\r\n\r\nHEAD /b HTTP/1.0\r\n\r\n";
        assert_eq!(scan(&[raw]).0, ["GET /a HTTP/1.1", "HEAD /b HTTP/1.0"]);
        let pieces: Vec<&[u8]> = raw.chunks(1).collect();
        assert_eq!(scan(&pieces).0, ["GET /a HTTP/1.1", "HEAD /b HTTP/1.0"]);
    }

    #[test]
    fn bodies_are_skipped() {
        let raw: &[u8] = b"\r\nPOST /e HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\n\r\nPOST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;x=1\r\nhello\r\n0\r\nT: 1\r\n\r\nGET /z HTTP/1.1\r\n\r\n";
        for size in [1, 3, raw.len()] {
            let pieces: Vec<&[u8]> = raw.chunks(size).collect();
            assert_eq!(
                scan(&pieces),
                (
                    vec![
                        "POST /e HTTP/1.1".to_string(),
                        "GET / HTTP/1.1".into(),
                        "POST /c HTTP/1.1".into(),
                        "GET /z HTTP/1.1".into()
                    ],
                    false
                )
            );
        }
    }

    #[test]
    fn ambiguity_stops_the_scan() {
        for raw in [
            &b"GET / HTTP/1.1\r\nHost : h\r\n\r\nGET /x HTTP/1.1\r\n\r\n"[..],
            b"POST / HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n",
            b"POST / HTTP/1.1\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\n",
            b"POST / HTTP/1.1\r\nContent-Length: +4\r\n\r\n",
            b"GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n",
            b"GET / HTTP/1.1\nHost: h\n\n",
            b"GET  / HTTP/1.1\r\n\r\n",
            b"GET / http/1.1\r\n\r\n",
            b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
            b"\x16\x03\x01",
        ] {
            // Either lost, or still waiting for a strict end of the head: nothing is known.
            let (reqs, _) = scan(&[raw]);
            assert!(reqs.is_empty(), "{raw:?}: {reqs:?}");
            let mut more = raw.to_vec();
            more.extend_from_slice(b"\r\n\r\nGET /next HTTP/1.1\r\n\r\n");
            let (reqs, lost) = scan(&[&more]);
            assert!(reqs.is_empty() && lost, "{more:?}: {reqs:?}");
        }
        // A malformed chunk: the request is known, nothing after it.
        let (reqs, lost) = scan(&[b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXXGET / HTTP/1.1\r\n\r\n"]);
        assert_eq!((reqs.len(), lost), (1, true));
        assert!(
            scan(&[b"GET / HTTP/1.1\r\n\r\nGET  / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n"])
                == (vec!["GET / HTTP/1.1".to_string()], true)
        );
    }

    #[test]
    fn version_before_1_1() {
        let r = |v: &str| RequestInfo {
            method: "GET".into(),
            target: "/".into(),
            version: v.into(),
            headers: vec![],
        };
        assert!(r("HTTP/1.0").is_before_1_1());
        assert!(r("HTTP/0.9").is_before_1_1());
        assert!(!r("HTTP/1.1").is_before_1_1());
        assert!(!r("HTTP/1.2").is_before_1_1());
    }
}
