//! Conditional request evaluation (RFC 9110 §13).
//!
//! Only the static resources carry validators, so only they evaluate
//! preconditions; everything else ignores these fields, which RFC 9110
//! §13.2.1 allows for resources without validators.

use std::time::SystemTime;

use hyper::header::{
    HeaderMap, HeaderName, IF_MATCH, IF_MODIFIED_SINCE, IF_NONE_MATCH, IF_UNMODIFIED_SINCE,
};
use hyper::Method;

use crate::etag::{parse_tag_list, Comparison, EntityTag, TagCondition};

/// What the preconditions say should happen to the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Precondition {
    /// All conditions passed (or none were present): perform the method.
    Proceed,
    /// `304 Not Modified` (only for GET and HEAD).
    NotModified,
    /// `412 Precondition Failed`.
    Failed,
}

/// The validators of the selected representation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Validators<'a> {
    /// The strong entity tag, quotes included.
    pub(crate) etag: &'a [u8],
    /// The last modification instant, whole seconds.
    pub(crate) last_modified: SystemTime,
}

/// Evaluates `If-Match`, `If-Unmodified-Since`, `If-None-Match` and
/// `If-Modified-Since` in the order of RFC 9110 §13.2.2 (steps 1–4;
/// step 5, `If-Range`, belongs to range handling).
pub(crate) fn evaluate(
    method: &Method,
    headers: &HeaderMap,
    validators: Validators<'_>,
) -> Precondition {
    let current = EntityTag::parse(validators.etag);
    let is_get_or_head = method == Method::GET || method == Method::HEAD;

    // Step 1: If-Match, strong comparison (§13.1.1). Step 2: otherwise
    // If-Unmodified-Since (§13.1.4), which must be ignored when If-Match
    // is present.
    if headers.contains_key(IF_MATCH) {
        if !tag_condition_holds(headers, &IF_MATCH, current, Comparison::Strong) {
            return Precondition::Failed;
        }
    } else if let Some(date) = single_http_date(headers, &IF_UNMODIFIED_SINCE) {
        if validators.last_modified > date {
            return Precondition::Failed;
        }
    }

    // Step 3: If-None-Match, weak comparison (§13.1.2): a match means
    // 304 for GET/HEAD and 412 for anything else. Step 4: otherwise
    // If-Modified-Since (§13.1.3), for GET and HEAD only.
    if headers.contains_key(IF_NONE_MATCH) {
        if tag_condition_holds(headers, &IF_NONE_MATCH, current, Comparison::Weak) {
            return if is_get_or_head {
                Precondition::NotModified
            } else {
                Precondition::Failed
            };
        }
    } else if is_get_or_head {
        if let Some(date) = single_http_date(headers, &IF_MODIFIED_SINCE) {
            if validators.last_modified <= date {
                return Precondition::NotModified;
            }
        }
    }

    Precondition::Proceed
}

/// Whether the list in field `name` matches the current tag under `eq`.
///
/// A malformed field value matches nothing: for `If-Match` that fails the
/// request (the safe outcome for a state-changing client), for
/// `If-None-Match` it lets the request proceed normally.
fn tag_condition_holds(
    headers: &HeaderMap,
    name: &HeaderName,
    current: Option<EntityTag<'_>>,
    comparison: Comparison,
) -> bool {
    let lines = headers.get_all(name).iter().map(|value| value.as_bytes());
    match (parse_tag_list(lines), current) {
        (Some(TagCondition::Any), _) => true,
        (Some(condition), Some(current)) => condition.matches(&current, comparison),
        _ => false,
    }
}

/// The HTTP-date in field `name`, if the field occurs exactly once with a
/// valid date in any of the three formats of RFC 9110 §5.6.7.
///
/// RFC 9110 §13.1.3 and §13.1.4 require ignoring the field when its value
/// is not a valid HTTP-date or has more than one member; a repeated field
/// line counts as more than one member.
pub(crate) fn single_http_date(headers: &HeaderMap, name: &HeaderName) -> Option<SystemTime> {
    let mut values = headers.get_all(name).iter();
    let value = values.next()?;
    if values.next().is_some() {
        return None;
    }
    let text = value.to_str().ok()?;
    httpdate::parse_http_date(text.trim()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::static_files::last_modified;
    use hyper::header::HeaderValue;

    const ETAG: &str = "\"0123456789abcdef\"";

    fn eval(method: Method, fields: &[(HeaderName, &'static str)]) -> Precondition {
        let mut headers = HeaderMap::new();
        for (name, value) in fields {
            headers.append(name.clone(), HeaderValue::from_static(value));
        }
        let validators = Validators {
            etag: ETAG.as_bytes(),
            last_modified: last_modified(),
        };
        evaluate(&method, &headers, validators)
    }

    const BEFORE: &str = "Fri, 31 Oct 2025 23:59:59 GMT";
    const AT: &str = "Sat, 01 Nov 2025 00:00:00 GMT";
    const AT_RFC850: &str = "Saturday, 01-Nov-25 00:00:00 GMT";
    const AT_ASCTIME: &str = "Sat Nov  1 00:00:00 2025";

    #[test]
    fn no_conditions_proceed() {
        assert_eq!(eval(Method::GET, &[]), Precondition::Proceed);
    }

    #[test]
    fn if_none_match_uses_weak_comparison_and_lists() {
        use Precondition::*;
        assert_eq!(eval(Method::GET, &[(IF_NONE_MATCH, ETAG)]), NotModified);
        assert_eq!(
            eval(
                Method::HEAD,
                &[(IF_NONE_MATCH, "\"x\", W/\"0123456789abcdef\"")]
            ),
            NotModified
        );
        assert_eq!(eval(Method::GET, &[(IF_NONE_MATCH, "*")]), NotModified);
        assert_eq!(eval(Method::GET, &[(IF_NONE_MATCH, "\"other\"")]), Proceed);
        assert_eq!(eval(Method::POST, &[(IF_NONE_MATCH, "*")]), Failed);
        assert_eq!(eval(Method::GET, &[(IF_NONE_MATCH, "garbage")]), Proceed);
    }

    #[test]
    fn if_modified_since_accepts_all_date_formats() {
        use Precondition::*;
        for date in [AT, AT_RFC850, AT_ASCTIME] {
            assert_eq!(
                eval(Method::GET, &[(IF_MODIFIED_SINCE, date)]),
                NotModified,
                "{date}"
            );
        }
        assert_eq!(eval(Method::GET, &[(IF_MODIFIED_SINCE, BEFORE)]), Proceed);
        assert_eq!(
            eval(Method::GET, &[(IF_MODIFIED_SINCE, "not a date")]),
            Proceed
        );
        assert_eq!(eval(Method::POST, &[(IF_MODIFIED_SINCE, AT)]), Proceed);
    }

    #[test]
    fn if_none_match_takes_precedence_over_if_modified_since() {
        let fields = [(IF_NONE_MATCH, "\"other\""), (IF_MODIFIED_SINCE, AT)];
        assert_eq!(eval(Method::GET, &fields), Precondition::Proceed);
    }

    #[test]
    fn if_match_uses_strong_comparison() {
        use Precondition::*;
        assert_eq!(eval(Method::GET, &[(IF_MATCH, ETAG)]), Proceed);
        assert_eq!(eval(Method::GET, &[(IF_MATCH, "*")]), Proceed);
        assert_eq!(
            eval(Method::GET, &[(IF_MATCH, "W/\"0123456789abcdef\"")]),
            Failed
        );
        assert_eq!(eval(Method::GET, &[(IF_MATCH, "\"other\"")]), Failed);
    }

    #[test]
    fn if_unmodified_since_fails_when_modified_later() {
        use Precondition::*;
        assert_eq!(eval(Method::GET, &[(IF_UNMODIFIED_SINCE, BEFORE)]), Failed);
        assert_eq!(eval(Method::GET, &[(IF_UNMODIFIED_SINCE, AT)]), Proceed);
        // Ignored when If-Match is present (§13.1.4).
        let fields = [(IF_MATCH, ETAG), (IF_UNMODIFIED_SINCE, BEFORE)];
        assert_eq!(eval(Method::GET, &fields), Proceed);
    }
}
