//! Status-code expectations: exact, class, range, or a set of those.

use std::fmt;

/// One accepted status or range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatusItem {
    /// Exactly this code.
    Code(u16),
    /// Any code in `lo..=hi`.
    Range(u16, u16),
}

/// A set of accepted statuses (RFCs often allow several: "400 or 505").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusSpec {
    /// Accepted items; the status matches if any item does.
    pub items: Vec<StatusItem>,
}

impl StatusSpec {
    /// True when `status` is accepted.
    pub fn matches(&self, status: u16) -> bool {
        self.items.iter().any(|i| match *i {
            StatusItem::Code(c) => c == status,
            StatusItem::Range(lo, hi) => (lo..=hi).contains(&status),
        })
    }
}

impl fmt::Display for StatusItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            StatusItem::Code(c) => write!(f, "{c}"),
            StatusItem::Range(lo, hi) if lo % 100 == 0 && hi == lo + 99 => {
                write!(f, "{}xx", lo / 100)
            }
            StatusItem::Range(lo, hi) => write!(f, "{lo}-{hi}"),
        }
    }
}

impl fmt::Display for StatusSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, item) in self.items.iter().enumerate() {
            if i > 0 {
                f.write_str(if i + 1 == self.items.len() {
                    " or "
                } else {
                    ", "
                })?;
            }
            write!(f, "{item}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_match_any_item_and_read_well() {
        let s = StatusSpec {
            items: vec![StatusItem::Code(400), StatusItem::Range(500, 599)],
        };
        assert!(s.matches(400) && s.matches(505) && !s.matches(404));
        assert_eq!(s.to_string(), "400 or 5xx");
    }
}
