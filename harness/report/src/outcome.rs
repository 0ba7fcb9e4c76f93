//! The results that need a person, in two lists that are never mixed: *new failures* (a `fail`
//! or `error` that no expectations entry predicted, or that an entry predicted as something
//! else) and *unexpected passes* (an entry predicted a failure and the case did better, or at
//! least differently). Every report shows both lists; fixing the first means fixing the server,
//! the second means updating the expectations file (`wirecheck expectations update`).

use wirecheck_core::result::{CaseResult, RunReport};

use crate::detail;

/// Unexpected `fail`/`error` results, in report order.
pub fn new_failures(report: &RunReport) -> Vec<&CaseResult> {
    report
        .cases
        .iter()
        .filter(|c| c.is_unexpected() && c.verdict.is_problem())
        .collect()
}

/// Results an expectations entry did not predict that are not `fail`/`error` (an unexpected
/// pass, or a `non-strict` where the entry said `fail`, …), in report order.
pub fn unexpected_passes(report: &RunReport) -> Vec<&CaseResult> {
    report
        .cases
        .iter()
        .filter(|c| c.is_unexpected() && !c.verdict.is_problem())
        .collect()
}

/// `fail`/`error` results the expectations file predicted: known, not a CI failure.
pub fn expected_failures(report: &RunReport) -> Vec<&CaseResult> {
    report
        .cases
        .iter()
        .filter(|c| detail::expected_problem(c).is_some())
        .collect()
}

/// The fragment of a case in the HTML report: `case-` and the id, with every character other
/// than `A-Z a-z 0-9 - _ . / =` percent-encoded (UTF-8, upper-case hex), so
/// `http1/range/suffix[path=/a b]` becomes `case-http1/range/suffix%5Bpath=/a%20b%5D`.
///
/// The mapping depends on the id alone, so links into a report (from Markdown summaries, from
/// a README, from a bug report) stay valid from run to run.
pub fn anchor(id: &str) -> String {
    let mut out = String::with_capacity(id.len() + 8);
    out.push_str("case-");
    for b in id.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' | b'=' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_keep_ids_readable_and_encode_the_rest() {
        assert_eq!(anchor("http1/host/missing"), "case-http1/host/missing");
        assert_eq!(
            anchor("http1/range/suffix[path=/a b]"),
            "case-http1/range/suffix%5Bpath=/a%20b%5D"
        );
        assert_eq!(anchor("x\"><é%"), "case-x%22%3E%3C%C3%A9%25");
    }
}
