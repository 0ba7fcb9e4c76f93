//! Byte range requests (RFC 9110 §14) and `If-Range` (§13.1.5).
//!
//! Only single ranges are served as `206`. A request for several ranges
//! gets the full `200` representation, which RFC 9110 §14.2 permits ("a
//! server MAY ignore the Range header field") and which avoids
//! `multipart/byteranges`.

use std::time::SystemTime;

use hyper::header::{HeaderMap, IF_RANGE, RANGE};

use crate::etag::EntityTag;

/// How a GET on a representation of known length should be answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RangeOutcome {
    /// `200` with the whole representation.
    Full,
    /// `206` with the inclusive byte range `first..=last`.
    Partial {
        /// First byte position, zero-based.
        first: u64,
        /// Last byte position, inclusive.
        last: u64,
    },
    /// `416`: a valid `bytes` range set with no satisfiable range.
    Unsatisfiable,
}

/// One `range-spec` as written by the client (RFC 9110 §14.1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RangeSpec {
    /// `first-pos "-" [ last-pos ]`.
    Int { first: u64, last: Option<u64> },
    /// `"-" suffix-length`.
    Suffix(u64),
}

/// Decides between 200, 206 and 416 for a GET request.
///
/// The caller must only call this for GET: RFC 9110 §14.2 says Range is
/// ignored for other methods (including HEAD).
pub(crate) fn evaluate(
    headers: &HeaderMap,
    len: u64,
    etag: &[u8],
    last_modified: SystemTime,
) -> RangeOutcome {
    let mut lines = headers.get_all(RANGE).iter();
    let Some(range) = lines.next() else {
        return RangeOutcome::Full;
    };
    // Range is a singleton field; a repeated line makes it invalid, and an
    // invalid Range may be ignored (§14.2).
    if lines.next().is_some() {
        return RangeOutcome::Full;
    }
    // §13.2.2 step 5: a false If-Range means ignore Range, send 200.
    if headers.contains_key(IF_RANGE) && !if_range_holds(headers, etag, last_modified) {
        return RangeOutcome::Full;
    }
    let Some(specs) = parse_byte_ranges(range.as_bytes()) else {
        return RangeOutcome::Full;
    };
    let mut satisfiable = specs.iter().filter_map(|spec| resolve(*spec, len));
    match (satisfiable.next(), satisfiable.next()) {
        (None, _) => RangeOutcome::Unsatisfiable,
        (Some((first, last)), None) => RangeOutcome::Partial { first, last },
        (Some(_), Some(_)) => RangeOutcome::Full,
    }
}

/// Evaluates `If-Range` (RFC 9110 §13.1.5): an entity tag must match the
/// current one by strong comparison; a date must equal `Last-Modified`
/// exactly. Anything else, including an unparseable value, is false.
fn if_range_holds(headers: &HeaderMap, etag: &[u8], last_modified: SystemTime) -> bool {
    let mut lines = headers.get_all(IF_RANGE).iter();
    let (Some(value), None) = (lines.next(), lines.next()) else {
        return false;
    };
    let bytes = value.as_bytes();
    if bytes.starts_with(b"\"") || bytes.starts_with(b"W/") {
        return match (EntityTag::parse(bytes), EntityTag::parse(etag)) {
            (Some(given), Some(current)) => given.strong_eq(&current),
            _ => false,
        };
    }
    value
        .to_str()
        .ok()
        .and_then(|text| httpdate::parse_http_date(text.trim()).ok())
        .is_some_and(|date| date == last_modified)
}

/// Parses `ranges-specifier = range-unit "=" range-set` for the `bytes`
/// unit (RFC 9110 §14.1.2). Returns `None` for another unit (which the
/// server does not support and therefore ignores, §14.2) or for invalid
/// syntax, including a `last-pos` below its `first-pos`.
fn parse_byte_ranges(value: &[u8]) -> Option<Vec<RangeSpec>> {
    let eq = value.iter().position(|&b| b == b'=')?;
    let (unit, set) = (&value[..eq], &value[eq + 1..]);
    // Range units are case-insensitive (§14.1).
    if !unit.eq_ignore_ascii_case(b"bytes") {
        return None;
    }
    let mut specs = Vec::new();
    // range-set = 1#range-spec; empty list elements are tolerated (§5.6.1.2).
    for element in set.split(|&b| b == b',') {
        let element = trim_ows(element);
        if element.is_empty() {
            continue;
        }
        specs.push(parse_spec(element)?);
    }
    (!specs.is_empty()).then_some(specs)
}

/// Parses one non-empty `range-spec`.
fn parse_spec(spec: &[u8]) -> Option<RangeSpec> {
    let dash = spec.iter().position(|&b| b == b'-')?;
    let (first, last) = (&spec[..dash], &spec[dash + 1..]);
    if first.is_empty() {
        return Some(RangeSpec::Suffix(parse_digits(last)?));
    }
    let first = parse_digits(first)?;
    let last = if last.is_empty() {
        None
    } else {
        Some(parse_digits(last)?)
    };
    if last.is_some_and(|last| last < first) {
        return None;
    }
    Some(RangeSpec::Int { first, last })
}

/// Parses `1*DIGIT`; values beyond `u64` saturate, which keeps them
/// correctly "too large" for any representation.
fn parse_digits(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(digits.iter().fold(0u64, |acc, &d| {
        acc.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    }))
}

/// Resolves a spec against a representation of `len` bytes, giving the
/// inclusive byte positions if it is satisfiable (§14.1.2: an int-range
/// is satisfiable when its first-pos is below the length, a suffix-range
/// when its length is non-zero; both are clipped to the representation).
fn resolve(spec: RangeSpec, len: u64) -> Option<(u64, u64)> {
    let end = len.checked_sub(1)?;
    match spec {
        RangeSpec::Int { first, last } if first < len => {
            Some((first, last.map_or(end, |last| last.min(end))))
        }
        RangeSpec::Int { .. } => None,
        RangeSpec::Suffix(0) => None,
        RangeSpec::Suffix(n) => Some((len - n.min(len), end)),
    }
}

/// Drops leading and trailing optional whitespace.
fn trim_ows(input: &[u8]) -> &[u8] {
    let start = input
        .iter()
        .position(|&b| !matches!(b, b' ' | b'\t'))
        .unwrap_or(input.len());
    let end = input
        .iter()
        .rposition(|&b| !matches!(b, b' ' | b'\t'))
        .map_or(start, |i| i + 1);
    &input[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::static_files::last_modified;
    use hyper::header::HeaderValue;
    use RangeOutcome::*;

    const ETAG: &str = "\"0123456789abcdef\"";

    fn eval(range: &'static str, if_range: Option<&'static str>) -> RangeOutcome {
        let mut headers = HeaderMap::new();
        headers.insert(RANGE, HeaderValue::from_static(range));
        if let Some(value) = if_range {
            headers.insert(IF_RANGE, HeaderValue::from_static(value));
        }
        evaluate(&headers, 18, ETAG.as_bytes(), last_modified())
    }

    #[test]
    fn single_ranges() {
        assert_eq!(eval("bytes=0-4", None), Partial { first: 0, last: 4 });
        assert_eq!(eval("bytes=7-", None), Partial { first: 7, last: 17 });
        assert_eq!(
            eval("bytes=-5", None),
            Partial {
                first: 13,
                last: 17
            }
        );
        assert_eq!(eval("bytes=-100", None), Partial { first: 0, last: 17 });
        assert_eq!(
            eval("bytes=10-1000", None),
            Partial {
                first: 10,
                last: 17
            }
        );
        assert_eq!(eval("BYTES=0-0", None), Partial { first: 0, last: 0 });
        assert_eq!(eval("bytes= 1-2 ,", None), Partial { first: 1, last: 2 });
    }

    #[test]
    fn unsatisfiable_ranges() {
        assert_eq!(eval("bytes=18-", None), Unsatisfiable);
        assert_eq!(eval("bytes=100-200", None), Unsatisfiable);
        assert_eq!(eval("bytes=-0", None), Unsatisfiable);
        assert_eq!(eval("bytes=99999999999999999999999-", None), Unsatisfiable);
    }

    #[test]
    fn ignored_ranges() {
        assert_eq!(eval("items=0-4", None), Full);
        assert_eq!(eval("bytes=4-1", None), Full);
        assert_eq!(eval("bytes=a-b", None), Full);
        assert_eq!(eval("bytes=", None), Full);
        assert_eq!(eval("bytes 0-4", None), Full);
        assert_eq!(eval("bytes=0-1,3-4", None), Full);
        // One satisfiable range among unsatisfiable ones is served alone.
        assert_eq!(eval("bytes=0-1,50-60", None), Partial { first: 0, last: 1 });
    }

    #[test]
    fn if_range() {
        assert_eq!(eval("bytes=0-1", Some(ETAG)), Partial { first: 0, last: 1 });
        assert_eq!(eval("bytes=0-1", Some("\"other\"")), Full);
        assert_eq!(eval("bytes=0-1", Some("W/\"0123456789abcdef\"")), Full);
        let date = "Sat, 01 Nov 2025 00:00:00 GMT";
        assert_eq!(eval("bytes=0-1", Some(date)), Partial { first: 0, last: 1 });
        assert_eq!(
            eval("bytes=0-1", Some("Fri, 31 Oct 2025 00:00:00 GMT")),
            Full
        );
        assert_eq!(eval("bytes=0-1", Some("nonsense")), Full);
    }
}
