//! What a parsed head means for the message: Host (RFC 9112 §3.2), the
//! request-target form (§3.2), body framing (§6) and persistence (§9.3).

use crate::request::{trim_ows, Head, Rejection, Version};
use crate::switches::{Switch, Switches};

/// Largest request body accepted; larger gets 413 (RFC 9110 §15.5.14).
pub(crate) const MAX_BODY: u64 = 16 * 1024 * 1024;

/// How the request body is delimited (RFC 9112 §6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framing {
    /// No body.
    Empty,
    /// `Content-Length` bytes.
    Length(u64),
    /// The chunked transfer coding.
    Chunked,
}

/// A request head checked and interpreted, ready for its body to be read.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    /// The head as parsed.
    pub(crate) head: Head,
    /// The path to route on: the request-target's path, without query;
    /// `*` for the asterisk-form.
    pub(crate) path: String,
    /// How the body is delimited.
    pub(crate) framing: Framing,
    /// Whether the client asked for the connection to be closed.
    pub(crate) close_requested: bool,
    /// Whether the connection persists after the response (RFC 9112 §9.3).
    pub(crate) keep_alive: bool,
    /// Whether the client sent `Expect: 100-continue` in HTTP/1.1.
    pub(crate) expect_continue: bool,
}

/// Checks `head` and works out framing and persistence.
///
/// Every rejection is answered and followed by closing the connection,
/// since the framing of what follows cannot be trusted.
pub(crate) fn interpret(head: Head, switches: Switches) -> Result<Request, Rejection> {
    check_host(&head, switches)?;
    let path = route_path(&head)?;
    let framing = framing(&head, switches)?;
    let close_requested = if switches.on(Switch::CloseOnlyExact) {
        head.values("Connection")
            .any(|value| value.eq_ignore_ascii_case(b"close"))
    } else {
        head.has_token("Connection", "close")
    };
    let keep_alive = !close_requested
        && match head.version {
            Version::Http11 => true,
            Version::Http10 => head.has_token("Connection", "keep-alive"),
        };
    let expect_continue = (head.version == Version::Http11
        || switches.on(Switch::ContinueToHttp10))
        && head
            .values("Expect")
            .any(|value| value.eq_ignore_ascii_case(b"100-continue"));
    Ok(Request {
        head,
        path,
        framing,
        close_requested,
        keep_alive,
        expect_continue,
    })
}

/// RFC 9112 §3.2: 400 for an HTTP/1.1 request without Host, for more
/// than one Host line and for an invalid Host value.
fn check_host(head: &Head, switches: Switches) -> Result<(), Rejection> {
    let mut hosts = head.values("Host");
    match (hosts.next(), hosts.next()) {
        (None, _) if head.version == Version::Http11 && !switches.on(Switch::AcceptMissingHost) => {
            Err(Rejection::bad("an HTTP/1.1 request must carry Host"))
        }
        (None, _) => Ok(()),
        (Some(_), Some(_)) if !switches.on(Switch::AcceptDuplicateHost) => Err(Rejection::bad(
            "a request must not carry more than one Host line",
        )),
        (Some(value), _) if is_valid_host(value) => Ok(()),
        (Some(_), _) => Err(Rejection::bad(
            "the Host value is not uri-host [ \":\" port ]",
        )),
    }
}

/// `Host = uri-host [ ":" port ]` (RFC 9110 §7.2). Commas are refused
/// too: they can only come from combining several Host values.
fn is_valid_host(value: &[u8]) -> bool {
    let (host, port) = if let Some(literal) = value.strip_prefix(b"[") {
        let Some(close) = literal.iter().position(|&b| b == b']') else {
            return false;
        };
        let inside = &literal[..close];
        let ok = !inside.is_empty()
            && inside
                .iter()
                .all(|&b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
        if !ok {
            return false;
        }
        match &literal[close + 1..] {
            [] => (&b""[..], None),
            [b':', port @ ..] => (&b""[..], Some(port)),
            _ => return false,
        }
    } else {
        match value.iter().position(|&b| b == b':') {
            Some(colon) => (&value[..colon], Some(&value[colon + 1..])),
            None => (value, None),
        }
    };
    let host_ok = host
        .iter()
        .all(|&b| b.is_ascii_alphanumeric() || b"-._~!$&'()*+;=%".contains(&b));
    // reg-name allows `%` only as pct-encoded = "%" HEXDIG HEXDIG (RFC 3986 §2.1).
    let pct_ok = host.iter().enumerate().all(|(i, &b)| {
        b != b'%'
            || host
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    });
    host_ok && pct_ok && port.is_none_or(|port| port.iter().all(u8::is_ascii_digit))
}

/// The path to route on, checking the request-target form (RFC 9112 §3.2).
fn route_path(head: &Head) -> Result<String, Rejection> {
    let target = head.target.as_str();
    if target == "*" {
        return if head.method == "OPTIONS" {
            Ok("*".to_owned())
        } else {
            Err(Rejection::bad("the asterisk-form is only for OPTIONS"))
        };
    }
    if head.method == "CONNECT" {
        // authority-form; the route answers 501 (no tunnels here).
        return Ok(String::new());
    }
    let origin = if target.starts_with('/') {
        target
    } else {
        let lower = target.to_ascii_lowercase();
        let Some(scheme_len) = ["http://", "https://"]
            .iter()
            .find(|scheme| lower.starts_with(*scheme))
            .map(|scheme| scheme.len())
        else {
            return Err(Rejection::bad(
                "the request-target is not origin- or absolute-form",
            ));
        };
        let rest = &target[scheme_len..];
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        if authority_end == 0 {
            return Err(Rejection::bad("the absolute-form target has no authority"));
        }
        &rest[authority_end..]
    };
    let path = origin.split('?').next().unwrap_or_default();
    Ok(if path.is_empty() { "/" } else { path }.to_owned())
}

/// Works out the body framing (RFC 9112 §6.1–§6.3).
pub(crate) fn framing(head: &Head, switches: Switches) -> Result<Framing, Rejection> {
    let length = content_length(head, switches)?;
    let has_te = head.values("Transfer-Encoding").next().is_some();
    if !has_te
        && switches.on(Switch::GetBodyAsNextRequest)
        && matches!(head.method.as_str(), "GET" | "HEAD")
    {
        return Ok(Framing::Empty);
    }
    if !has_te {
        return match length {
            None | Some(0) => Ok(Framing::Empty),
            Some(n) if n > MAX_BODY => Err(too_large()),
            Some(n) => Ok(Framing::Length(n)),
        };
    }
    if let Some(n) = length {
        if switches.on(Switch::AcceptClWithTe) {
            return if n > MAX_BODY {
                Err(too_large())
            } else {
                Ok(Framing::Length(n))
            };
        }
        return Err(Rejection::bad(
            "Transfer-Encoding and Content-Length together (request smuggling)",
        ));
    }
    if head.version == Version::Http10 {
        return Err(Rejection::bad("Transfer-Encoding in an HTTP/1.0 request"));
    }
    let codings: Vec<Vec<u8>> = head
        .values("Transfer-Encoding")
        .flat_map(|value| value.split(|&b| b == b','))
        .map(|coding| trim_ows(coding).to_ascii_lowercase())
        .filter(|coding| !coding.is_empty())
        .collect();
    match codings.as_slice() {
        [only] if only == b"chunked" => Ok(Framing::Chunked),
        [] => Err(Rejection::bad("an empty Transfer-Encoding")),
        [.., last] if last != b"chunked" => Err(Rejection::bad(
            "the final transfer coding is not chunked, so the body length is unknown",
        )),
        _ if codings.iter().filter(|c| *c == b"chunked").count() > 1 => {
            Err(Rejection::bad("chunked applied more than once"))
        }
        _ => Err(Rejection {
            status: 501,
            message: "transfer codings other than chunked are not implemented",
        }),
    }
}

/// The 413 for a body over [`MAX_BODY`].
fn too_large() -> Rejection {
    Rejection {
        status: 413,
        message: "the request body is larger than 16 MiB",
    }
}

/// The `Content-Length`, if any: `1*DIGIT`, with a list of identical
/// values accepted as one (RFC 9112 §6.3 item 5).
fn content_length(head: &Head, switches: Switches) -> Result<Option<u64>, Rejection> {
    let mut found: Option<u64> = None;
    for element in head
        .values("Content-Length")
        .flat_map(|value| value.split(|&b| b == b','))
    {
        let digits = trim_ows(element);
        let value = if switches.on(Switch::LenientContentLength) {
            strtoll_base_0(digits)
        } else {
            strict_content_length(digits)?
        };
        match found {
            None => found = Some(value),
            Some(first) if first == value => {}
            Some(_) if switches.on(Switch::AcceptConflictingContentLength) => {}
            Some(_) => return Err(Rejection::bad("differing Content-Length values")),
        }
    }
    Ok(found)
}

/// `Content-Length = 1*DIGIT` as a number; a value no integer type holds is
/// invalid (400), not just large.
fn strict_content_length(digits: &[u8]) -> Result<u64, Rejection> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(Rejection::bad("Content-Length is not 1*DIGIT"));
    }
    digits
        .iter()
        .try_fold(0u64, |acc, &d| {
            acc.checked_mul(10)?.checked_add(u64::from(d - b'0'))
        })
        .ok_or_else(|| Rejection::bad("Content-Length does not fit in 64 bits"))
}

/// What C's `strtoll(value, NULL, 0)` makes of `value`, clamped to `0..`: a sign,
/// `0x` (hex) or `0` (octal) prefix, then the longest run of digits; no digits is 0.
/// The `lenient-content-length` switch.
fn strtoll_base_0(value: &[u8]) -> u64 {
    let mut rest = trim_ows(value);
    let negative = rest.first() == Some(&b'-');
    if let [b'+' | b'-', tail @ ..] = rest {
        rest = tail;
    }
    let radix = match rest {
        [b'0', b'x' | b'X', tail @ ..] if tail.first().is_some_and(u8::is_ascii_hexdigit) => {
            rest = tail;
            16
        }
        [b'0', ..] => 8,
        _ => 10,
    };
    let value = rest
        .iter()
        .map_while(|&b| char::from(b).to_digit(radix))
        .fold(0u64, |acc, digit| {
            acc.saturating_mul(u64::from(radix))
                .saturating_add(u64::from(digit))
        });
    if negative {
        0
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::parse_head;

    fn interpret_bytes(bytes: &[u8], switches: &[Switch]) -> Result<Request, Rejection> {
        let switches = Switches::new(switches);
        let (head, _) = parse_head(bytes, switches).unwrap().unwrap();
        interpret(head, switches)
    }

    fn framing_of(fields: &str) -> Result<Framing, u16> {
        let bytes = format!("POST /echo HTTP/1.1\r\nHost: x\r\n{fields}\r\n");
        interpret_bytes(bytes.as_bytes(), &[])
            .map(|request| request.framing)
            .map_err(|rejection| rejection.status)
    }

    #[test]
    fn content_length_rules() {
        assert_eq!(framing_of("Content-Length: 5\r\n"), Ok(Framing::Length(5)));
        assert_eq!(
            framing_of("Content-Length: 5, 5\r\n"),
            Ok(Framing::Length(5))
        );
        assert_eq!(framing_of("Content-Length: 0\r\n"), Ok(Framing::Empty));
        for bad in ["+5", "0x5", "5 5", "-1", "", "5, 6"] {
            assert_eq!(framing_of(&format!("Content-Length: {bad}\r\n")), Err(400));
        }
        assert_eq!(
            framing_of("Content-Length: 5\r\nContent-Length: 6\r\n"),
            Err(400)
        );
        assert_eq!(framing_of("Content-Length: 99999999999\r\n"), Err(413));
        assert_eq!(
            framing_of("Content-Length: 18446744073709551621\r\n"),
            Err(400)
        );
    }

    #[test]
    fn transfer_encoding_rules() {
        assert_eq!(
            framing_of("Transfer-Encoding: Chunked\r\n"),
            Ok(Framing::Chunked)
        );
        assert_eq!(
            framing_of("Transfer-Encoding: chunked\r\nContent-Length: 3\r\n"),
            Err(400)
        );
        assert_eq!(framing_of("Transfer-Encoding: gzip\r\n"), Err(400));
        assert_eq!(framing_of("Transfer-Encoding: gzip, chunked\r\n"), Err(501));
        assert_eq!(
            framing_of("Transfer-Encoding: chunked, chunked\r\n"),
            Err(400)
        );
    }

    #[test]
    fn host_rules() {
        let ok = |host: &str| {
            interpret_bytes(
                format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes(),
                &[],
            )
            .is_ok()
        };
        for good in ["example.com", "127.0.0.1:8080", "[::1]:80", "", "x:"] {
            assert!(ok(good), "{good}");
        }
        for bad in ["a b", "a/b", "a@b", "a,b", "a:b", "[::1"] {
            assert!(!ok(bad), "{bad}");
        }
        assert!(interpret_bytes(b"GET / HTTP/1.0\r\n\r\n", &[]).is_ok());
        assert!(interpret_bytes(b"GET / HTTP/1.1\r\n\r\n", &[]).is_err());
    }

    #[test]
    fn target_forms() {
        let path = |target: &str, method: &str| {
            let bytes = format!("{method} {target} HTTP/1.1\r\nHost: x\r\n\r\n");
            interpret_bytes(bytes.as_bytes(), &[]).map(|request| request.path)
        };
        assert_eq!(path("/a?b", "GET").unwrap(), "/a");
        assert_eq!(path("http://x:1/hello.txt?q", "GET").unwrap(), "/hello.txt");
        assert_eq!(path("HTTP://x", "GET").unwrap(), "/");
        assert_eq!(path("*", "OPTIONS").unwrap(), "*");
        assert!(path("*", "GET").is_err());
        assert!(path("x:80", "GET").is_err());
    }

    #[test]
    fn persistence() {
        let request = |bytes: &[u8]| interpret_bytes(bytes, &[]).unwrap();
        assert!(request(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").keep_alive);
        assert!(!request(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: Close\r\n\r\n").keep_alive);
        assert!(!request(b"GET / HTTP/1.0\r\n\r\n").keep_alive);
        assert!(request(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keep_alive);
    }
}
