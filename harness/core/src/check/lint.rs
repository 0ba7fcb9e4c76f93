//! Field-syntax checks for the lint-level rules: each returns `None` for a well-formed value
//! and otherwise says, in a few words, what is wrong. None of them panics on any input.

/// `tchar` (RFC 9110 §5.6.2).
pub(crate) fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn is_token(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&b| is_tchar(b))
}

/// `quoted-string` (RFC 9110 §5.6.4), the whole of `s`.
fn is_quoted_string(s: &[u8]) -> bool {
    if s.len() < 2 || s[0] != b'"' || s[s.len() - 1] != b'"' {
        return false;
    }
    let inner = &s[1..s.len() - 1];
    let mut i = 0;
    while i < inner.len() {
        let b = inner[i];
        if b == b'\\' {
            // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
            match inner.get(i + 1) {
                Some(&n) if n == b'\t' || n >= 0x20 && n != 0x7f => i += 2,
                _ => return false,
            }
            continue;
        }
        // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
        if !(b == b'\t' || b == b' ' || b == 0x21 || (0x23..=0x7e).contains(&b) || b >= 0x80) {
            return false;
        }
        i += 1;
    }
    true
}

fn is_delta_seconds(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(u8::is_ascii_digit)
}

/// Splits a `#rule` list at commas outside quoted strings.
fn split_list(v: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, &b) in v.iter().enumerate() {
        if escaped {
            escaped = false;
        } else if quoted && b == b'\\' {
            escaped = true;
        } else if b == b'"' {
            quoted = !quoted;
        } else if b == b',' && !quoted {
            out.push(&v[start..i]);
            start = i + 1;
        }
    }
    out.push(&v[start..]);
    out
}

fn trim_ows(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

fn show(s: &[u8]) -> String {
    format!("{:?}", String::from_utf8_lossy(s))
}

/// `Cache-Control = #cache-directive`, `cache-directive = token [ "=" ( token /
/// quoted-string ) ]` (RFC 9111 §5.2), with delta-seconds (token form) where the directive
/// defines it: max-age, s-maxage, min-fresh, max-stale (optional), stale-while-revalidate
/// and stale-if-error (RFC 5861).
pub(crate) fn cache_control_problem(v: &[u8]) -> Option<String> {
    for member in split_list(v) {
        let m = trim_ows(member);
        if m.is_empty() {
            return Some(format!("empty list member in {}", show(v)));
        }
        let (name, arg) = match m.iter().position(|&b| b == b'=') {
            Some(eq) => (&m[..eq], Some(&m[eq + 1..])),
            None => (m, None),
        };
        if !is_token(name) {
            return Some(format!("directive name {} is not a token", show(name)));
        }
        if let Some(arg) = arg {
            if !is_token(arg) && !is_quoted_string(arg) {
                return Some(format!(
                    "argument of {} is neither a token nor a quoted-string: {}",
                    show(name),
                    show(arg)
                ));
            }
        }
        let lower = name.to_ascii_lowercase();
        let delta = matches!(
            lower.as_slice(),
            b"max-age" | b"s-maxage" | b"min-fresh" | b"stale-while-revalidate" | b"stale-if-error"
        );
        let optional_delta = lower == b"max-stale";
        if delta || optional_delta {
            match arg {
                None if delta => {
                    return Some(format!("{} needs a delta-seconds argument", show(name)))
                }
                Some(a) if !is_delta_seconds(a) => {
                    return Some(format!(
                        "{} takes delta-seconds in token form, got {}",
                        show(name),
                        show(a)
                    ))
                }
                _ => {}
            }
        }
    }
    None
}

/// True when `v` is an IMF-fixdate (RFC 9110 §5.6.7), the only form a sender may generate.
pub(crate) fn is_imf_fixdate(v: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(v) else {
        return false;
    };
    matches!(httpdate::parse_http_date(s), Ok(t) if httpdate::fmt_http_date(t) == s)
}

/// `entity-tag = [ weak ] opaque-tag`, `weak = %s"W/"`, `opaque-tag = DQUOTE *etagc DQUOTE`,
/// `etagc = %x21 / %x23-7E / obs-text` (RFC 9110 §8.8.3).
pub(crate) fn etag_problem(v: &[u8]) -> Option<String> {
    let tag = v.strip_prefix(b"W/").unwrap_or(v);
    let ok = tag.len() >= 2
        && tag[0] == b'"'
        && tag[tag.len() - 1] == b'"'
        && tag[1..tag.len() - 1]
            .iter()
            .all(|&b| b == 0x21 || (0x23..=0x7e).contains(&b) || b >= 0x80);
    (!ok).then(|| {
        format!(
            "{} is not an entity-tag (\"opaque\" or W/\"opaque\", no spaces or inner quotes)",
            show(v)
        )
    })
}

/// `Age = delta-seconds` (RFC 9111 §5.1).
pub(crate) fn age_problem(v: &[u8]) -> Option<String> {
    (!is_delta_seconds(v)).then(|| format!("{} is not a non-negative integer", show(v)))
}

/// `cookie-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E` (RFC 6265 §4.1.1).
fn is_cookie_octet(b: u8) -> bool {
    b == 0x21
        || (0x23..=0x2b).contains(&b)
        || (0x2d..=0x3a).contains(&b)
        || (0x3c..=0x5b).contains(&b)
        || (0x5d..=0x7e).contains(&b)
}

/// `rfc1123-date` of RFC 2616 §3.3.1, which `sane-cookie-date` is: the IMF-fixdate shape.
fn is_cookie_date(v: &[u8]) -> bool {
    is_imf_fixdate(v)
}

/// One Set-Cookie line against the grammar of RFC 6265 §4.1.1.
pub(crate) fn set_cookie_problem(v: &[u8]) -> Option<String> {
    let mut parts = v.split(|&b| b == b';');
    let pair = parts.next().unwrap_or_default();
    let Some(eq) = pair.iter().position(|&b| b == b'=') else {
        return Some(format!("cookie-pair {} has no \"=\"", show(pair)));
    };
    let (name, value) = (&pair[..eq], &pair[eq + 1..]);
    if !is_token(name) {
        return Some(format!("cookie-name {} is not a token", show(name)));
    }
    let inner = match value {
        [b'"', inner @ .., b'"'] => inner,
        _ => value,
    };
    if !inner.iter().all(|&b| is_cookie_octet(b)) {
        return Some(format!(
            "cookie-value {} has a byte outside cookie-octet (space, DQUOTE, comma, semicolon, backslash, control or non-ASCII)",
            show(value)
        ));
    }
    for av in parts {
        let Some(av) = av.strip_prefix(b" ") else {
            return Some(format!("attribute {} does not follow \"; \"", show(av)));
        };
        if av.iter().any(|&b| b < 0x20 || b == 0x7f) {
            return Some(format!("attribute {} contains a control byte", show(av)));
        }
        let (aname, aval) = match av.iter().position(|&b| b == b'=') {
            Some(eq) => (&av[..eq], Some(&av[eq + 1..])),
            None => (av, None),
        };
        let lower = aname.to_ascii_lowercase();
        match (lower.as_slice(), aval) {
            (b"expires", Some(d)) if !is_cookie_date(d) => {
                return Some(format!("Expires={} is not an rfc1123-date", show(d)))
            }
            (b"max-age", Some(n)) if !(is_delta_seconds(n) && n[0] != b'0') => {
                return Some(format!(
                    "Max-Age={} is not a non-zero-digit followed by digits",
                    show(n)
                ))
            }
            (b"expires" | b"max-age" | b"domain" | b"path", None) => {
                return Some(format!("attribute {} needs a value", show(aname)))
            }
            (b"secure" | b"httponly", Some(_)) => {
                return Some(format!("attribute {} takes no value", show(aname)))
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_control() {
        for good in [
            &b"no-cache"[..],
            b"max-age=0",
            b"public, max-age=3600, s-maxage=60",
            b"private=\"Set-Cookie, X-A\", no-transform",
            b"max-stale",
            b"max-stale=10",
            b"stale-while-revalidate=30",
            b"ext=\"a \\\" b\"",
            b"Max-Age=5",
        ] {
            assert_eq!(cache_control_problem(good), None, "{}", show(good));
        }
        for bad in [
            &b""[..],
            b"max-age",
            b"max-age=\"5\"",
            b"max-age=-1",
            b"max-age=1.5",
            b"no-cache,,public",
            b"a b",
            b"x=\"unterminated",
            b"x=a b",
            b"s-maxage=",
            b"=5",
        ] {
            assert!(cache_control_problem(bad).is_some(), "{}", show(bad));
        }
    }

    #[test]
    fn etags_and_age() {
        for good in [
            &b"\"abc\""[..],
            b"W/\"abc\"",
            b"\"\"",
            b"\"a-b.c/d\"",
            b"\"\xe9\"",
        ] {
            assert_eq!(etag_problem(good), None, "{}", show(good));
        }
        for bad in [
            &b"abc"[..],
            b"\"a b\"",
            b"w/\"a\"",
            b"W/abc",
            b"\"a\"b\"",
            b"\"",
            b"",
            b"\"a\" ",
        ] {
            assert!(etag_problem(bad).is_some(), "{}", show(bad));
        }
        assert_eq!(age_problem(b"0"), None);
        assert_eq!(age_problem(b"3600"), None);
        for bad in [&b""[..], b"-1", b"1.0", b" 1", b"abc"] {
            assert!(age_problem(bad).is_some(), "{}", show(bad));
        }
    }

    #[test]
    fn dates() {
        assert!(is_imf_fixdate(b"Sun, 06 Nov 1994 08:49:37 GMT"));
        assert!(!is_imf_fixdate(b"Sunday, 06-Nov-94 08:49:37 GMT"));
        assert!(!is_imf_fixdate(b"Sun Nov  6 08:49:37 1994"));
        assert!(!is_imf_fixdate(b"0"));
        assert!(!is_imf_fixdate(b"\xff"));
    }

    #[test]
    fn set_cookie() {
        for good in [
            &b"SID=31d4d96e407aad42"[..],
            b"SID=31d4d96e407aad42; Path=/; Domain=example.com",
            b"SID=31d4d96e407aad42; Path=/; Secure; HttpOnly",
            b"lang=en-US; Expires=Wed, 09 Jun 2021 10:18:14 GMT",
            b"a=\"quoted\"; Max-Age=60; SameSite=Lax",
            b"empty=",
        ] {
            assert_eq!(set_cookie_problem(good), None, "{}", show(good));
        }
        for bad in [
            &b"novalue"[..],
            b"=v",
            b"a b=c",
            b"a=b c",
            b"a=b,c",
            b"a=b;Path=/",
            b"a=b; Expires=Wed, 09-Jun-2021 10:18:14 GMT",
            b"a=b; Max-Age=0",
            b"a=b; Max-Age=-1",
            b"a=b; Secure=1",
            b"a=b; Path",
            b"a=b; x\x01",
        ] {
            assert!(set_cookie_problem(bad).is_some(), "{}", show(bad));
        }
    }
}
