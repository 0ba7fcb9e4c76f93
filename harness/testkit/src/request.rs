//! A strict parser for the HTTP/1.1 request head (RFC 9112 §2–§5).
//!
//! The parser works on the bytes buffered so far: it answers "need more",
//! a complete [`Head`] with the number of bytes it used, or a
//! [`Rejection`] carrying the status to answer with. Everything the RFC
//! lets a server reject is rejected; the only leniency is the one the RFC
//! asks for, ignoring empty lines before the request-line (§2.2).

use crate::switches::{Switch, Switches};

/// Longest request-target accepted; longer gets 414 (RFC 9112 §3).
pub(crate) const MAX_TARGET: usize = 8 * 1024;

/// Largest header section (field lines after the request-line); larger
/// gets 431 (RFC 6585 §5).
pub(crate) const MAX_FIELDS: usize = 16 * 1024;

/// Most bytes of empty lines ignored before a request-line (RFC 9112 §2.2).
const MAX_LEADING_EMPTY: usize = 64;

/// Longest method token accepted.
const MAX_METHOD: usize = 32;

/// A request the server will not process, and the status to say so with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rejection {
    /// The status code of the error response.
    pub(crate) status: u16,
    /// A one-line explanation for the response body.
    pub(crate) message: &'static str,
}

impl Rejection {
    /// A `400 Bad Request` saying `message`.
    pub(crate) fn bad(message: &'static str) -> Rejection {
        Rejection {
            status: 400,
            message,
        }
    }
}

/// The protocol version of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Version {
    /// `HTTP/1.0`.
    Http10,
    /// `HTTP/1.1`, or a later HTTP/1.x treated as HTTP/1.1 (RFC 9110 §6.2).
    Http11,
}

impl Version {
    /// The version as written on a start line.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Version::Http10 => "HTTP/1.0",
            Version::Http11 => "HTTP/1.1",
        }
    }
}

/// One field line: the name as received and the value with OWS removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Field {
    /// The field name, case preserved.
    pub(crate) name: String,
    /// The field value; may hold obs-text, so bytes rather than text.
    pub(crate) value: Vec<u8>,
}

/// A parsed request head.
#[derive(Debug, Clone)]
pub(crate) struct Head {
    /// The method token, case preserved.
    pub(crate) method: String,
    /// The request-target as received.
    pub(crate) target: String,
    /// The protocol version.
    pub(crate) version: Version,
    /// The field lines in received order.
    pub(crate) fields: Vec<Field>,
}

impl Head {
    /// The values of every field line called `name` (case-insensitive).
    pub(crate) fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.fields
            .iter()
            .filter(move |field| field.name.eq_ignore_ascii_case(name))
            .map(|field| field.value.as_slice())
    }

    /// The value of the first field line called `name`.
    pub(crate) fn first(&self, name: &str) -> Option<&[u8]> {
        self.fields
            .iter()
            .find(|field| field.name.eq_ignore_ascii_case(name))
            .map(|field| field.value.as_slice())
    }

    /// Whether a comma-separated list field `name` holds `token`
    /// (case-insensitive), e.g. `Connection: close`.
    pub(crate) fn has_token(&self, name: &str, token: &str) -> bool {
        self.values(name)
            .flat_map(|value| value.split(|&b| b == b','))
            .any(|element| trim_ows(element).eq_ignore_ascii_case(token.as_bytes()))
    }
}

/// Parses the request head at the start of `buf`.
///
/// `Ok(None)` means the head is not complete yet (and nothing seen so far
/// is wrong); `Ok(Some((head, used)))` gives the head and how many bytes of
/// `buf` it took, final CRLF included.
pub(crate) fn parse_head(
    buf: &[u8],
    switches: Switches,
) -> Result<Option<(Head, usize)>, Rejection> {
    let mut pos = 0;
    while buf[pos..].starts_with(b"\r\n") {
        pos += 2;
        if pos > MAX_LEADING_EMPTY {
            return Err(Rejection::bad(
                "too many empty lines before the request-line",
            ));
        }
    }
    let Some((line, next)) = next_line(buf, pos)? else {
        check_partial_request_line(&buf[pos..])?;
        return Ok(None);
    };
    let (mut method, target, version) = parse_request_line(line)?;
    if switches.on(Switch::CaseInsensitiveMethod) {
        method.make_ascii_uppercase();
    }
    let bare_cr_ok = switches.on(Switch::AcceptBareCr);

    let fields_start = next;
    let mut pos = next;
    let mut fields: Vec<Field> = Vec::new();
    loop {
        let Some((line, next)) = next_line_in(buf, pos, bare_cr_ok)? else {
            if buf.len() - fields_start > MAX_FIELDS {
                return Err(fields_too_large());
            }
            return Ok(None);
        };
        if next - fields_start > MAX_FIELDS {
            return Err(fields_too_large());
        }
        pos = next;
        if line.is_empty() {
            break;
        }
        let folded =
            switches.on(Switch::AcceptObsFold) && matches!(line.first(), Some(b' ' | b'\t'));
        if let (true, Some(previous)) = (folded, fields.last_mut()) {
            // The continuation joins the value with its line break kept.
            previous.value.extend_from_slice(b"\r\n");
            previous.value.extend_from_slice(line);
            continue;
        }
        fields.push(parse_field_line(line, switches)?);
    }
    let head = Head {
        method,
        target,
        version,
        fields,
    };
    Ok(Some((head, pos)))
}

/// The 431 for an oversized header section.
fn fields_too_large() -> Rejection {
    Rejection {
        status: 431,
        message: "the header section is larger than 16 KiB",
    }
}

/// The line starting at `from`, without its CRLF, and the offset after it.
///
/// Lines must end in CRLF: a bare LF, or a CR not followed by LF, is
/// rejected (RFC 9112 §2.2 lets a server reject both; this one does).
pub(crate) fn next_line(buf: &[u8], from: usize) -> Result<Option<(&[u8], usize)>, Rejection> {
    next_line_in(buf, from, false)
}

/// [`next_line`], but with `bare_cr_ok` a CR not followed by LF is line
/// content (the `accept-bare-cr` switch).
fn next_line_in(
    buf: &[u8],
    from: usize,
    bare_cr_ok: bool,
) -> Result<Option<(&[u8], usize)>, Rejection> {
    let rest = &buf[from..];
    let Some(lf) = rest.iter().position(|&b| b == b'\n') else {
        let bare_cr = !bare_cr_ok
            && rest
                .windows(2)
                .any(|pair| pair[0] == b'\r' && pair[1] != b'\n');
        if bare_cr {
            return Err(Rejection::bad("bare CR in the request head"));
        }
        return Ok(None);
    };
    if lf == 0 || rest[lf - 1] != b'\r' {
        return Err(Rejection::bad("bare LF line ending in the request head"));
    }
    let line = &rest[..lf - 1];
    if !bare_cr_ok && line.contains(&b'\r') {
        return Err(Rejection::bad("bare CR in the request head"));
    }
    Ok(Some((line, from + lf + 1)))
}

/// Rejects a request-line that is already too long while incomplete.
fn check_partial_request_line(partial: &[u8]) -> Result<(), Rejection> {
    if partial.len() <= MAX_TARGET + MAX_METHOD + 16 {
        return Ok(());
    }
    match partial.iter().position(|&b| b == b' ') {
        Some(sp) if sp <= MAX_METHOD => Err(target_too_long()),
        _ => Err(Rejection::bad("the request-line is malformed")),
    }
}

/// The 414 for an oversized request-target.
fn target_too_long() -> Rejection {
    Rejection {
        status: 414,
        message: "the request-target is longer than 8 KiB",
    }
}

/// `request-line = method SP request-target SP HTTP-version` (RFC 9112 §3).
fn parse_request_line(line: &[u8]) -> Result<(String, String, Version), Rejection> {
    let parts: Vec<&[u8]> = line.split(|&b| b == b' ').collect();
    let [method, target, version] = parts[..] else {
        return Err(Rejection::bad(
            "the request-line is not method SP request-target SP HTTP-version",
        ));
    };
    if method.is_empty() || method.len() > MAX_METHOD || !method.iter().all(|&b| is_tchar(b)) {
        return Err(Rejection::bad("the method is not a token"));
    }
    if target.len() > MAX_TARGET {
        return Err(target_too_long());
    }
    if target.is_empty() || !target.iter().all(|&b| is_target_char(b)) {
        return Err(Rejection::bad(
            "the request-target has characters a URI cannot hold",
        ));
    }
    let version = match version {
        [b'H', b'T', b'T', b'P', b'/', major, b'.', minor]
            if major.is_ascii_digit() && minor.is_ascii_digit() =>
        {
            match (major, minor) {
                (b'1', b'0') => Version::Http10,
                (b'1', _) => Version::Http11,
                _ => {
                    return Err(Rejection {
                        status: 505,
                        message: "only HTTP/1.x is supported",
                    })
                }
            }
        }
        _ => return Err(Rejection::bad("the HTTP-version is not HTTP/DIGIT.DIGIT")),
    };
    // Both are ASCII, checked above.
    let method = String::from_utf8_lossy(method).into_owned();
    let target = String::from_utf8_lossy(target).into_owned();
    Ok((method, target, version))
}

/// `field-line = field-name ":" OWS field-value OWS` (RFC 9112 §5).
pub(crate) fn parse_field_line(line: &[u8], switches: Switches) -> Result<Field, Rejection> {
    if matches!(line.first(), Some(b' ' | b'\t')) {
        return Err(Rejection::bad(
            "obs-fold (a line starting with whitespace) is not accepted",
        ));
    }
    let Some(colon) = line.iter().position(|&b| b == b':') else {
        return Err(Rejection::bad("a field line has no colon"));
    };
    let mut name = &line[..colon];
    if switches.on(Switch::AcceptSpaceBeforeColon) {
        while let [rest @ .., b' ' | b'\t'] = name {
            name = rest;
        }
    }
    if matches!(name.last(), Some(b' ' | b'\t')) {
        return Err(Rejection::bad(
            "whitespace between a field name and the colon",
        ));
    }
    if name.is_empty() || !name.iter().all(|&b| is_tchar(b)) {
        return Err(Rejection::bad("a field name is not a token"));
    }
    let value = trim_ows(&line[colon + 1..]);
    let tolerated = |b: u8| {
        (b == b'\r' && switches.on(Switch::AcceptBareCr))
            || (b == 0 && switches.on(Switch::AcceptNulInValue))
    };
    if value
        .iter()
        .any(|&b| ((b < 0x20 && b != b'\t') || b == 0x7f) && !tolerated(b))
    {
        return Err(Rejection::bad(
            "a field value holds a control character (NUL, CR, LF, ...)",
        ));
    }
    Ok(Field {
        name: String::from_utf8_lossy(name).into_owned(),
        value: value.to_vec(),
    })
}

/// `value` without leading and trailing SP / HTAB.
pub(crate) fn trim_ows(value: &[u8]) -> &[u8] {
    let is_ows = |b: &u8| *b == b' ' || *b == b'\t';
    let start = value.iter().position(|b| !is_ows(b)).unwrap_or(value.len());
    let end = value
        .iter()
        .rposition(|b| !is_ows(b))
        .map_or(start, |i| i + 1);
    &value[start..end]
}

/// `tchar` (RFC 9110 §5.6.2).
pub(crate) fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Characters a request-target may hold: RFC 3986 unreserved, reserved
/// (less `#`, since a target has no fragment) and `%`.
fn is_target_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~:/?[]@!$&'()*+,;=%".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(bytes: &[u8]) -> Result<Option<(Head, usize)>, Rejection> {
        parse_head(bytes, Switches::default())
    }

    fn status(bytes: &[u8]) -> u16 {
        parse(bytes).expect_err("must be rejected").status
    }

    #[test]
    fn parses_a_simple_head() {
        let bytes = b"\r\nGET /a?b HTTP/1.1\r\nHost: x\r\nX-A:  1 \t\r\n\r\nrest";
        let (head, used) = parse(bytes).unwrap().unwrap();
        assert_eq!(&bytes[used..], b"rest");
        assert_eq!(
            (head.method.as_str(), head.target.as_str()),
            ("GET", "/a?b")
        );
        assert_eq!(head.version, Version::Http11);
        assert_eq!(head.first("x-a"), Some(&b"1"[..]));
        assert_eq!(head.fields[0].name, "Host");
    }

    #[test]
    fn waits_for_more() {
        assert!(parse(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap().is_none());
        assert!(parse(b"GET / HTTP/1.1\r").unwrap().is_none());
    }

    #[test]
    fn rejects_malformed_heads() {
        for bad in [
            &b"GET  / HTTP/1.1\r\n\r\n"[..],
            b"GET / HTTP/1.1\n\n",
            b"GET / HTTP/1.1\r\nHost: x\n\r\n",
            b"GET / HTTP/1.1\rX",
            b"GET / HTTP/1.1\r\nHost : x\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: a\0b\r\n\r\n",
            b"GET / HTTP/1.1\r\n: x\r\n\r\n",
            b"GET / http/1.1\r\n\r\n",
            b"GET / HTTP/1.10\r\n\r\n",
            b"GET /a#b HTTP/1.1\r\n\r\n",
        ] {
            assert_eq!(status(bad), 400, "{:?}", String::from_utf8_lossy(bad));
        }
        assert_eq!(status(b"GET / HTTP/2.0\r\n\r\n"), 505);
        // Case is kept: `get` is an unrecognised method, not a syntax error.
        let (head, _) = parse(b"get / HTTP/1.1\r\n\r\n").unwrap().unwrap();
        assert_eq!(head.method, "get");
    }

    #[test]
    fn enforces_limits() {
        let long_target = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_TARGET));
        assert_eq!(status(long_target.as_bytes()), 414);
        let partial = format!("GET /{}", "a".repeat(MAX_TARGET + 100));
        assert_eq!(status(partial.as_bytes()), 414);
        let big = format!("GET / HTTP/1.1\r\nX: {}\r\n", "a".repeat(MAX_FIELDS));
        assert_eq!(status(big.as_bytes()), 431);
    }

    #[test]
    fn space_before_colon_switch() {
        let switches = Switches::new(&[Switch::AcceptSpaceBeforeColon]);
        let (head, _) = parse_head(b"GET / HTTP/1.1\r\nHost : x\r\n\r\n", switches)
            .unwrap()
            .unwrap();
        assert_eq!(head.fields[0].name, "Host");
    }
}
