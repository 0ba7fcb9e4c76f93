//! Entity-tag syntax and comparison (RFC 9110 §8.8.3).
//!
//! Field values are handled as bytes because `etagc` admits `obs-text`
//! (non-ASCII octets), which `HeaderValue::to_str` would reject.

/// One parsed entity tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EntityTag<'a> {
    /// Whether the tag carried the case-sensitive `W/` weakness indicator.
    pub(crate) weak: bool,
    /// The opaque-tag without its surrounding double quotes.
    pub(crate) opaque: &'a [u8],
}

impl<'a> EntityTag<'a> {
    /// Parses a field value that must hold exactly one entity tag (as in
    /// `If-Range`, or our own `ETag`), ignoring surrounding whitespace.
    pub(crate) fn parse(value: &'a [u8]) -> Option<Self> {
        let value = trim_ows(value);
        let (tag, rest) = parse_one(value)?;
        rest.is_empty().then_some(tag)
    }

    /// Strong comparison: both tags strong and opaque-tags identical
    /// (RFC 9110 §8.8.3.2).
    pub(crate) fn strong_eq(&self, other: &EntityTag<'_>) -> bool {
        !self.weak && !other.weak && self.opaque == other.opaque
    }

    /// Weak comparison: opaque-tags identical, weakness ignored
    /// (RFC 9110 §8.8.3.2).
    pub(crate) fn weak_eq(&self, other: &EntityTag<'_>) -> bool {
        self.opaque == other.opaque
    }
}

/// Which comparison function a condition uses (RFC 9110 §8.8.3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Comparison {
    /// Both tags strong and identical (`If-Match`, `If-Range`).
    Strong,
    /// Identical opaque-tags, weakness ignored (`If-None-Match`).
    Weak,
}

/// The value of an `If-Match` or `If-None-Match` field:
/// `"*" / #entity-tag` (RFC 9110 §13.1.1, §13.1.2).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TagCondition<'a> {
    /// `*`: matches any current representation.
    Any,
    /// A list of entity tags.
    List(Vec<EntityTag<'a>>),
}

impl TagCondition<'_> {
    /// Whether the condition matches `current` under `comparison`.
    pub(crate) fn matches(&self, current: &EntityTag<'_>, comparison: Comparison) -> bool {
        match self {
            TagCondition::Any => true,
            TagCondition::List(tags) => tags.iter().any(|tag| match comparison {
                Comparison::Strong => tag.strong_eq(current),
                Comparison::Weak => tag.weak_eq(current),
            }),
        }
    }
}

/// Parses all field lines of an `If-Match` / `If-None-Match` field as one
/// list (RFC 9110 §5.3: lines of a list field combine with commas).
///
/// Returns `None` when the value is not valid syntax, including `*` mixed
/// with entity tags; callers treat that as a list that matches nothing.
/// Empty list elements are skipped, as RFC 9110 §5.6.1.2 requires of
/// recipients.
pub(crate) fn parse_tag_list<'a>(
    lines: impl IntoIterator<Item = &'a [u8]>,
) -> Option<TagCondition<'a>> {
    let mut tags = Vec::new();
    let mut star = false;
    for line in lines {
        let mut rest = line;
        loop {
            rest = skip_separators(rest);
            if rest.is_empty() {
                break;
            }
            if let Some(after) = rest.strip_prefix(b"*") {
                star = true;
                rest = after;
            } else {
                let (tag, after) = parse_one(rest)?;
                tags.push(tag);
                rest = after;
            }
            rest = trim_ows_start(rest);
            match rest.first() {
                None | Some(b',') => {}
                Some(_) => return None,
            }
        }
    }
    match (star, tags.is_empty()) {
        (true, true) => Some(TagCondition::Any),
        (true, false) => None,
        (false, _) => Some(TagCondition::List(tags)),
    }
}

/// Parses one `entity-tag` at the start of `input`, returning it and the
/// unparsed rest.
fn parse_one(input: &[u8]) -> Option<(EntityTag<'_>, &[u8])> {
    let (weak, input) = match input.strip_prefix(b"W/") {
        Some(rest) => (true, rest),
        None => (false, input),
    };
    let input = input.strip_prefix(b"\"")?;
    let end = input.iter().position(|&b| b == b'"')?;
    let opaque = &input[..end];
    // etagc = %x21 / %x23-7E / obs-text
    if !opaque
        .iter()
        .all(|&b| b == 0x21 || (b >= 0x23 && b != 0x7f))
    {
        return None;
    }
    Some((EntityTag { weak, opaque }, &input[end + 1..]))
}

/// Skips optional whitespace and list commas.
fn skip_separators(input: &[u8]) -> &[u8] {
    let start = input
        .iter()
        .position(|&b| !matches!(b, b' ' | b'\t' | b','))
        .unwrap_or(input.len());
    &input[start..]
}

/// Drops leading optional whitespace (`OWS`, RFC 9110 §5.6.3).
fn trim_ows_start(input: &[u8]) -> &[u8] {
    let start = input
        .iter()
        .position(|&b| !matches!(b, b' ' | b'\t'))
        .unwrap_or(input.len());
    &input[start..]
}

/// Drops leading and trailing optional whitespace.
fn trim_ows(input: &[u8]) -> &[u8] {
    let input = trim_ows_start(input);
    let end = input
        .iter()
        .rposition(|&b| !matches!(b, b' ' | b'\t'))
        .map_or(0, |i| i + 1);
    &input[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(weak: bool, opaque: &str) -> EntityTag<'_> {
        EntityTag {
            weak,
            opaque: opaque.as_bytes(),
        }
    }

    #[test]
    fn parses_single_tags() {
        assert_eq!(EntityTag::parse(b" \"abc\" "), Some(tag(false, "abc")));
        assert_eq!(EntityTag::parse(b"W/\"abc\""), Some(tag(true, "abc")));
        assert_eq!(EntityTag::parse(b"\"\""), Some(tag(false, "")));
        assert_eq!(EntityTag::parse(b"w/\"abc\""), None);
        assert_eq!(EntityTag::parse(b"abc"), None);
        assert_eq!(EntityTag::parse(b"\"a\" x"), None);
        assert_eq!(EntityTag::parse(b"\"a b\""), None);
    }

    #[test]
    fn parses_lists_across_lines() {
        let parsed = parse_tag_list([&b"\"a\", W/\"b\""[..], &b" ,\"c,d\""[..]]);
        assert_eq!(
            parsed,
            Some(TagCondition::List(vec![
                tag(false, "a"),
                tag(true, "b"),
                tag(false, "c,d"),
            ]))
        );
        assert_eq!(parse_tag_list([&b" * "[..]]), Some(TagCondition::Any));
        assert_eq!(parse_tag_list([&b"*, \"a\""[..]]), None);
        assert_eq!(parse_tag_list([&b"\"a\" \"b\""[..]]), None);
    }

    #[test]
    fn comparison_functions_follow_the_rfc_table() {
        // RFC 9110 §8.8.3.2, the example table.
        let (w1, w2, s1, s2) = (
            tag(true, "1"),
            tag(true, "2"),
            tag(false, "1"),
            tag(false, "2"),
        );
        assert!(!w1.strong_eq(&w1) && w1.weak_eq(&w1));
        assert!(!w1.strong_eq(&w2) && !w1.weak_eq(&w2));
        assert!(!w1.strong_eq(&s1) && w1.weak_eq(&s1));
        assert!(s1.strong_eq(&s1) && s1.weak_eq(&s1));
        assert!(!s1.strong_eq(&s2));
    }
}
