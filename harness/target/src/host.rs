//! The `Host` requirement of RFC 9112 §3.2, which hyper leaves to the
//! application.
//!
//! "A server MUST respond with a 400 (Bad Request) status code to any
//! HTTP/1.1 request message that lacks a Host header field and to any
//! request message that contains more than one Host header field line or a
//! Host header field with an invalid field value."

use hyper::header::{HeaderMap, HOST};
use hyper::Version;

/// Checks the `Host` field lines of a request; the error explains the
/// problem for the `400` body. `absolute_form` says whether the
/// request-target carries its own authority.
pub(crate) fn validate(
    version: Version,
    headers: &HeaderMap,
    absolute_form: bool,
) -> Result<(), &'static str> {
    let mut lines = headers.get_all(HOST).iter();
    match (lines.next(), lines.next()) {
        (None, _) if version == Version::HTTP_10 => Ok(()),
        (None, _) => Err("an HTTP/1.1 request must carry a Host header field (RFC 9112 §3.2)"),
        (Some(_), Some(_)) => {
            Err("a request must not carry more than one Host field line (RFC 9112 §3.2)")
        }
        // Without an authority in the request-target, an empty Host makes
        // the target URI `http:///...`, which has an empty host: "A
        // recipient that processes such a URI reference MUST reject it as
        // invalid" (RFC 9110 §4.2.1; RFC 9112 §3.3 allows rejecting it).
        (Some(value), None) if value.is_empty() && !absolute_form => {
            Err("an empty Host leaves the http target URI without a host (RFC 9110 §4.2.1)")
        }
        (Some(value), None) if is_valid_host(value.as_bytes()) => Ok(()),
        (Some(_), None) => {
            Err("the Host field value is not a valid uri-host [ \":\" port ] (RFC 9110 §7.2)")
        }
    }
}

/// Whether `value` matches `Host = uri-host [ ":" port ]` (RFC 9110 §7.2,
/// with `uri-host` and `port` from RFC 3986 §3.2.2–3.2.3). An empty value
/// is valid: it is what a client sends for a target without authority.
fn is_valid_host(value: &[u8]) -> bool {
    let (host, port) = if let Some(literal) = value.strip_prefix(b"[") {
        // IP-literal = "[" ( IPv6address / IPvFuture ) "]"
        let Some(close) = literal.iter().position(|&b| b == b']') else {
            return false;
        };
        let inside = &literal[..close];
        if inside.is_empty()
            || !inside
                .iter()
                .all(|&b| is_unreserved_or_sub_delim(b) || b == b':')
        {
            return false;
        }
        match &literal[close + 1..] {
            [] => (&[][..], None),
            [b':', port @ ..] => (&[][..], Some(port)),
            _ => return false,
        }
    } else {
        match value.iter().position(|&b| b == b':') {
            Some(colon) => (&value[..colon], Some(&value[colon + 1..])),
            None => (value, None),
        }
    };
    // port = *DIGIT
    port.is_none_or(|port| port.iter().all(u8::is_ascii_digit)) && is_reg_name(host)
}

/// `reg-name = *( unreserved / pct-encoded / sub-delims )`; IPv4
/// addresses are a subset of it.
fn is_reg_name(name: &[u8]) -> bool {
    let mut rest = name;
    while let Some((&first, tail)) = rest.split_first() {
        if first == b'%' {
            match tail {
                [a, b, after @ ..] if a.is_ascii_hexdigit() && b.is_ascii_hexdigit() => {
                    rest = after
                }
                _ => return false,
            }
        } else if is_unreserved_or_sub_delim(first) {
            rest = tail;
        } else {
            return false;
        }
    }
    true
}

/// RFC 3986 §2.3 unreserved characters and §2.2 sub-delims.
fn is_unreserved_or_sub_delim(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderValue;

    fn check(version: Version, hosts: &[&'static str]) -> bool {
        check_form(version, hosts, false)
    }

    fn check_form(version: Version, hosts: &[&'static str], absolute_form: bool) -> bool {
        let mut headers = HeaderMap::new();
        for host in hosts {
            headers.append(HOST, HeaderValue::from_static(host));
        }
        validate(version, &headers, absolute_form).is_ok()
    }

    #[test]
    fn valid_hosts() {
        for host in [
            "example.com",
            "127.0.0.1:8080",
            "[::1]",
            "[::1]:80",
            "a%20b",
            "x:",
        ] {
            assert!(check(Version::HTTP_11, &[host]), "{host:?}");
        }
        assert!(check(Version::HTTP_10, &[]));
        // An empty Host is only acceptable when the target has an authority.
        assert!(check_form(Version::HTTP_11, &[""], true));
        assert!(!check(Version::HTTP_11, &[""]));
    }

    #[test]
    fn invalid_hosts() {
        assert!(!check(Version::HTTP_11, &[]));
        assert!(!check(Version::HTTP_11, &["a", "a"]));
        assert!(!check(Version::HTTP_10, &["a", "b"]));
        for host in ["a b", "a:b", "[::1", "[::1]x", "a/b", "a%2", "[]", "a@b"] {
            assert!(!check(Version::HTTP_11, &[host]), "{host:?}");
        }
    }
}
