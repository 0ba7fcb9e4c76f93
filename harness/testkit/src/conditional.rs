//! Conditional requests (RFC 9110 §13) and byte ranges (§14) for the
//! static resources.

use std::time::SystemTime;

use crate::request::{trim_ows, Head};
use crate::resources::{Resource, LAST_MODIFIED};
use crate::switches::{Switch, Switches};

/// What the preconditions say (RFC 9110 §13.2.2, steps 1–4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Precondition {
    /// Go on to serve the request.
    Proceed,
    /// Answer 304.
    NotModified,
    /// Answer 412.
    Failed,
}

/// How a GET is answered with respect to `Range` (§14.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RangeOutcome {
    /// 200 with the whole representation.
    Full,
    /// 206 with the inclusive byte range `first..=last`.
    Partial(usize, usize),
    /// 416.
    Unsatisfiable,
}

/// Evaluates If-Match, If-Unmodified-Since, If-None-Match and
/// If-Modified-Since, in that order, for a GET or HEAD of `resource`.
/// (`ignore-if-match` and `ignore-if-none-match-star` act here.)
pub(crate) fn preconditions(head: &Head, resource: &Resource, switches: Switches) -> Precondition {
    let last_modified = last_modified();
    let if_match = list(head, "If-Match").filter(|_| !switches.on(Switch::IgnoreIfMatch));
    if let Some(value) = if_match {
        if !tag_matches(&value, resource.etag, true) {
            return Precondition::Failed;
        }
    } else if let Some(since) = single_date(head, "If-Unmodified-Since") {
        if last_modified > since {
            return Precondition::Failed;
        }
    }
    if let Some(value) = list(head, "If-None-Match") {
        let star = trim_ows(&value) == b"*";
        let ignored = star && switches.on(Switch::IgnoreIfNoneMatchStar);
        if !ignored && tag_matches(&value, resource.etag, false) {
            return Precondition::NotModified;
        }
    } else if let Some(since) = single_date(head, "If-Modified-Since") {
        if last_modified <= since {
            return Precondition::NotModified;
        }
    }
    Precondition::Proceed
}

/// Whether `head` carries `If-None-Match: *`.
pub(crate) fn none_match_star(head: &Head) -> bool {
    list(head, "If-None-Match").is_some_and(|value| trim_ows(&value) == b"*")
}

/// Decides between 200, 206 and 416 for a GET of `resource`.
/// (`range-any-unit` acts here.)
pub(crate) fn range(head: &Head, resource: &Resource, switches: Switches) -> RangeOutcome {
    let mut ranges = head.values("Range");
    let (Some(value), None) = (ranges.next(), ranges.next()) else {
        return RangeOutcome::Full;
    };
    if head.first("If-Range").is_some() && !if_range_holds(head, resource) {
        return RangeOutcome::Full;
    }
    let len = resource.body.len();
    let Some(specs) = parse_byte_ranges(value, switches.on(Switch::RangeAnyUnit)) else {
        return RangeOutcome::Full;
    };
    let mut satisfiable = specs.into_iter().filter_map(|spec| resolve(spec, len));
    match (satisfiable.next(), satisfiable.next()) {
        (None, _) => RangeOutcome::Unsatisfiable,
        (Some((first, last)), None) => RangeOutcome::Partial(first, last),
        // Several ranges: RFC 9110 §14.2 lets a server ignore Range.
        (Some(_), Some(_)) => RangeOutcome::Full,
    }
}

/// The lines of the list field `name` joined into one value, if any.
fn list(head: &Head, name: &str) -> Option<Vec<u8>> {
    let mut values = head.values(name);
    let mut joined = values.next()?.to_vec();
    for value in values {
        joined.extend_from_slice(b", ");
        joined.extend_from_slice(value);
    }
    Some(joined)
}

/// The `Last-Modified` instant of the static resources.
fn last_modified() -> SystemTime {
    httpdate::parse_http_date(LAST_MODIFIED).unwrap_or(SystemTime::UNIX_EPOCH)
}

/// The date in the only `name` line, if it parses (any of the three
/// formats of RFC 9110 §5.6.7); otherwise the field is ignored.
fn single_date(head: &Head, name: &str) -> Option<SystemTime> {
    let mut values = head.values(name);
    let (Some(value), None) = (values.next(), values.next()) else {
        return None;
    };
    let text = std::str::from_utf8(value).ok()?;
    httpdate::parse_http_date(text).ok()
}

/// `If-Range` (§13.1.5): a strong entity-tag match, or a date equal to
/// `Last-Modified`.
fn if_range_holds(head: &Head, resource: &Resource) -> bool {
    let Some(value) = head.first("If-Range") else {
        return false;
    };
    if value.starts_with(b"\"") || value.starts_with(b"W/") {
        return value == resource.etag.as_bytes();
    }
    single_date(head, "If-Range").is_some_and(|date| date == last_modified())
}

/// Whether the list `value` (`*` or entity-tags) matches `etag`, by strong
/// or weak comparison (§8.8.3.2). A malformed list matches nothing.
fn tag_matches(value: &[u8], etag: &str, strong: bool) -> bool {
    if trim_ows(value) == b"*" {
        return true;
    }
    let Some(tags) = entity_tags(value) else {
        return false;
    };
    let current = etag.as_bytes();
    tags.into_iter()
        .any(|(weak, opaque)| opaque == current && !(strong && weak))
}

/// Parses `#entity-tag` into (weak, opaque-tag with quotes) pairs.
fn entity_tags(mut rest: &[u8]) -> Option<Vec<(bool, &[u8])>> {
    let mut tags = Vec::new();
    loop {
        while let [b' ' | b'\t' | b',', tail @ ..] = rest {
            rest = tail;
        }
        if rest.is_empty() {
            return Some(tags);
        }
        let weak = rest.starts_with(b"W/");
        if weak {
            rest = &rest[2..];
        }
        let [b'"', inner @ ..] = rest else {
            return None;
        };
        let close = inner.iter().position(|&b| b == b'"')?;
        let opaque = &rest[..close + 2];
        if !opaque[1..=close]
            .iter()
            .all(|&b| b == 0x21 || (0x23..=0x7e).contains(&b) || b >= 0x80)
        {
            return None;
        }
        tags.push((weak, opaque));
        rest = &rest[close + 2..];
        match rest.first() {
            None | Some(b' ' | b'\t' | b',') => {}
            Some(_) => return None,
        }
    }
}

/// A `range-spec`: `first-last`, `first-` or `-suffix`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RangeSpec {
    /// `first-pos "-" [ last-pos ]`.
    Int(u64, Option<u64>),
    /// `"-" suffix-length`.
    Suffix(u64),
}

/// `ranges-specifier = range-unit "=" range-set` for the `bytes` unit;
/// `None` for another unit (unless `any_unit`) or bad syntax (then Range is ignored).
fn parse_byte_ranges(value: &[u8], any_unit: bool) -> Option<Vec<RangeSpec>> {
    let eq = value.iter().position(|&b| b == b'=')?;
    if !any_unit && !trim_ows(&value[..eq]).eq_ignore_ascii_case(b"bytes") {
        return None;
    }
    let mut specs = Vec::new();
    for element in value[eq + 1..].split(|&b| b == b',') {
        let element = trim_ows(element);
        if element.is_empty() {
            continue;
        }
        let dash = element.iter().position(|&b| b == b'-')?;
        let (first, last) = (&element[..dash], &element[dash + 1..]);
        let spec = match (number(first), number(last)) {
            (Some(first), Some(last)) if last >= first => RangeSpec::Int(first, Some(last)),
            (Some(first), None) if last.is_empty() => RangeSpec::Int(first, None),
            (None, Some(suffix)) if first.is_empty() => RangeSpec::Suffix(suffix),
            _ => return None,
        };
        specs.push(spec);
    }
    (!specs.is_empty()).then_some(specs)
}

/// `1*DIGIT` as a number (saturating).
fn number(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(digits.iter().fold(0u64, |acc, &d| {
        acc.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    }))
}

/// The inclusive byte positions `spec` selects from `len` bytes, if any.
fn resolve(spec: RangeSpec, len: usize) -> Option<(usize, usize)> {
    let len64 = len as u64;
    let (first, last) = match spec {
        RangeSpec::Int(first, _) if first >= len64 => return None,
        RangeSpec::Int(first, last) => (first, last.map_or(len64 - 1, |l| l.min(len64 - 1))),
        RangeSpec::Suffix(0) => return None,
        RangeSpec::Suffix(_) if len == 0 => return None,
        RangeSpec::Suffix(n) => (len64.saturating_sub(n), len64 - 1),
    };
    Some((usize::try_from(first).ok()?, usize::try_from(last).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::{Field, Version};
    use crate::resources::lookup;

    fn head(fields: &[(&str, &str)]) -> Head {
        Head {
            method: "GET".into(),
            target: "/hello.txt".into(),
            version: Version::Http11,
            fields: fields
                .iter()
                .map(|(name, value)| Field {
                    name: (*name).into(),
                    value: value.as_bytes().to_vec(),
                })
                .collect(),
        }
    }

    fn pre(fields: &[(&str, &str)]) -> Precondition {
        preconditions(
            &head(fields),
            &lookup("/hello.txt").unwrap(),
            Switches::default(),
        )
    }

    fn rng(fields: &[(&str, &str)]) -> RangeOutcome {
        range(
            &head(fields),
            &lookup("/hello.txt").unwrap(),
            Switches::default(),
        )
    }

    #[test]
    fn if_none_match() {
        use Precondition::*;
        assert_eq!(pre(&[]), Proceed);
        assert_eq!(pre(&[("If-None-Match", "\"hello-v1\"")]), NotModified);
        assert_eq!(pre(&[("If-None-Match", "W/\"hello-v1\"")]), NotModified);
        assert_eq!(
            pre(&[("If-None-Match", "\"x\", W/\"hello-v1\"")]),
            NotModified
        );
        assert_eq!(pre(&[("If-None-Match", "*")]), NotModified);
        assert_eq!(pre(&[("If-None-Match", "\"x\"")]), Proceed);
        assert_eq!(pre(&[("If-Match", "W/\"hello-v1\"")]), Failed);
        assert_eq!(pre(&[("If-Match", "\"hello-v1\"")]), Proceed);
        assert_eq!(pre(&[("If-Modified-Since", LAST_MODIFIED)]), NotModified);
        let earlier = "Fri, 31 Oct 2025 00:00:00 GMT";
        assert_eq!(pre(&[("If-Modified-Since", earlier)]), Proceed);
        assert_eq!(pre(&[("If-Unmodified-Since", earlier)]), Failed);
    }

    #[test]
    fn ranges() {
        use RangeOutcome::*;
        assert_eq!(rng(&[("Range", "bytes=0-4")]), Partial(0, 4));
        assert_eq!(rng(&[("Range", "bytes=10-")]), Partial(10, 17));
        assert_eq!(rng(&[("Range", "bytes=-3")]), Partial(15, 17));
        assert_eq!(rng(&[("Range", "bytes=5-100")]), Partial(5, 17));
        assert_eq!(rng(&[("Range", "bytes=18-")]), Unsatisfiable);
        assert_eq!(rng(&[("Range", "bytes=-0")]), Unsatisfiable);
        assert_eq!(rng(&[("Range", "items=0-4")]), Full);
        assert_eq!(rng(&[("Range", "bytes=4-1")]), Full);
        assert_eq!(rng(&[("Range", "bytes=0-1,3-4")]), Full);
        let if_range = [("Range", "bytes=0-4"), ("If-Range", "\"other\"")];
        assert_eq!(rng(&if_range), Full);
        let if_range = [("Range", "bytes=0-4"), ("If-Range", "\"hello-v1\"")];
        assert_eq!(rng(&if_range), Partial(0, 4));
    }
}
