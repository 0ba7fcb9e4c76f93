//! The status line and header section, read with httparse.
//!
//! httparse runs strict first. If that fails we retry with its response leniencies on; a head
//! that parses only then is read, but each leniency is recorded so the verdict can be
//! `non-strict` rather than `pass`. httparse accepts a bare LF as a line ending, so bare LFs
//! and the status-line shape (RFC 9112 §4) are checked on the raw bytes.

use serde::{Deserialize, Serialize};

use super::error::WireError;

/// A deviation from strict HTTP/1.1 syntax that was tolerated while reading a response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Leniency {
    /// A line ended with LF alone (RFC 9112 §2.2: lines end with CRLF).
    BareLf,
    /// The status line lacks the SP before the reason phrase (RFC 9112 §4).
    NoSpaceAfterStatus,
    /// A header line needed one of httparse's response leniencies (obs-fold, whitespace
    /// before the colon, extra spaces in the status line, invalid lines).
    LenientHeaders,
}

impl Leniency {
    /// Explains the leniency for a person, citing the rule.
    pub fn explain(self) -> &'static str {
        match self {
            Leniency::BareLf => "a line ends with a bare LF instead of CRLF (RFC 9112 §2.2)",
            Leniency::NoSpaceAfterStatus => {
                "the status line has no SP after the status code (RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ])"
            }
            Leniency::LenientHeaders => {
                "the head parses only with lenient rules (obs-fold, whitespace before colon, or invalid field lines; RFC 9112 §5)"
            }
        }
    }
}

/// A parsed head.
#[derive(Debug)]
pub(crate) struct Head {
    pub(crate) version: String,
    pub(crate) status: u16,
    pub(crate) reason: String,
    pub(crate) headers: Vec<(String, Vec<u8>)>,
    pub(crate) leniencies: Vec<Leniency>,
    pub(crate) len: usize,
}

/// Header slots tried first.
const COMMON_HEADERS: usize = 32;

/// Parses a head at the start of `buf`. `Ok(None)`: more bytes are needed.
pub(crate) fn parse_head(buf: &[u8], max_headers: usize) -> Result<Option<Head>, WireError> {
    let strict = httparse::ParserConfig::default();
    // Most heads have a handful of fields: try a small slot array first and pay for the full
    // one only when it is too small.
    let first = match parse_with(&strict, buf, max_headers.min(COMMON_HEADERS)) {
        Err(httparse::Error::TooManyHeaders) if max_headers > COMMON_HEADERS => {
            parse_with(&strict, buf, max_headers)
        }
        other => other,
    };
    let mut head = match first {
        Ok(Some(head)) => head,
        Ok(None) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => {
            return Err(WireError::TooManyHeaders { limit: max_headers })
        }
        Err(strict_err) => {
            let mut lenient = httparse::ParserConfig::default();
            lenient
                .allow_obsolete_multiline_headers_in_responses(true)
                .allow_spaces_after_header_name_in_responses(true)
                .allow_multiple_spaces_in_response_status_delimiters(true)
                .ignore_invalid_headers_in_responses(true);
            match parse_with(&lenient, buf, max_headers) {
                Ok(Some(mut head)) => {
                    head.leniencies.push(Leniency::LenientHeaders);
                    head
                }
                Ok(None) => return Ok(None),
                Err(_) => return Err(WireError::MalformedHead(describe(strict_err, buf))),
            }
        }
    };
    let raw = &buf[..head.len];
    if has_bare_lf(raw) {
        head.leniencies.push(Leniency::BareLf);
    }
    if !status_line_has_second_sp(raw) {
        head.leniencies.push(Leniency::NoSpaceAfterStatus);
    }
    Ok(Some(head))
}

/// One httparse attempt with `config`.
fn parse_with(
    config: &httparse::ParserConfig,
    buf: &[u8],
    max_headers: usize,
) -> Result<Option<Head>, httparse::Error> {
    let mut slots = vec![httparse::EMPTY_HEADER; max_headers];
    let mut response = httparse::Response::new(&mut slots);
    let len = match config.parse_response(&mut response, buf)? {
        httparse::Status::Complete(n) => n,
        httparse::Status::Partial => return Ok(None),
    };
    // httparse sets both on a complete parse; the error is unreachable in practice.
    let (Some(version), Some(status)) = (response.version, response.code) else {
        return Err(httparse::Error::Version);
    };
    Ok(Some(Head {
        version: format!("HTTP/1.{version}"),
        status,
        reason: response.reason.unwrap_or("").to_string(),
        headers: response
            .headers
            .iter()
            .map(|h| (h.name.to_string(), h.value.to_vec()))
            .collect(),
        leniencies: Vec::new(),
        len,
    }))
}

fn describe(err: httparse::Error, buf: &[u8]) -> String {
    let first_line = buf.split(|&b| b == b'\n').next().unwrap_or_default();
    let shown = crate::text::display_bytes(&first_line[..first_line.len().min(80)]);
    format!("{err} (first line: {shown:?})")
}

fn has_bare_lf(head: &[u8]) -> bool {
    head.iter()
        .enumerate()
        .any(|(i, &b)| b == b'\n' && (i == 0 || head[i - 1] != b'\r'))
}

/// `HTTP/1.1 200 OK` and `HTTP/1.1 200 ` are fine; `HTTP/1.1 200\r\n` is not.
fn status_line_has_second_sp(head: &[u8]) -> bool {
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    line.len() > 12 && line[12] == b' '
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_head_has_no_leniency() {
        let h = parse_head(b"HTTP/1.1 200 OK\r\nA: b\r\n\r\nbody", 16)
            .unwrap()
            .unwrap();
        assert_eq!((h.status, h.len, h.leniencies.len()), (200, 25, 0));
    }

    #[test]
    fn partial_head_needs_more() {
        assert!(parse_head(b"HTTP/1.1 200 OK\r\nA: b\r\n", 16)
            .unwrap()
            .is_none());
    }

    #[test]
    fn deviations_are_recorded() {
        let h = parse_head(b"HTTP/1.1 200\nA: b\n\n", 16).unwrap().unwrap();
        assert!(h.leniencies.contains(&Leniency::BareLf));
        assert!(h.leniencies.contains(&Leniency::NoSpaceAfterStatus));
        let h = parse_head(b"HTTP/1.1 200 OK\r\nA : b\r\n\r\n", 16)
            .unwrap()
            .unwrap();
        assert_eq!(h.leniencies, vec![Leniency::LenientHeaders]);
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(matches!(
            parse_head(b"hello world\r\n\r\n", 16),
            Err(WireError::MalformedHead(_))
        ));
        assert!(matches!(
            parse_head(b"HTTP/1.1 200 OK\r\nA: b\r\nC: d\r\n\r\n", 1),
            Err(WireError::TooManyHeaders { .. })
        ));
    }
}
