//! The JUnit XML report, for CI test tabs (GitLab, Jenkins, GitHub reporter actions).
//!
//! Mapping, chosen so that a red CI test means "look at this" and nothing else:
//!
//! * one `<testsuite>` per top-level id segment (`http1`, `h2`, …) in order of first
//!   appearance, so CI shows a count per protocol area; an id without `/` goes to a suite named
//!   `wirecheck`;
//! * one `<testcase>` per case: `name` = the case id, `classname` = the id's parent path with
//!   `/` turned into `.` (`http1/host/missing` → `http1.host`; matrix brackets are not split),
//!   `time` = the case duration, extra attributes `file` and `line` (the failing step's line
//!   when there is one) because GitLab and the GitHub reporter actions read those to link and
//!   annotate, and properties `verdict`, `requirement` and `level`;
//! * `fail` → `<failure>`, `error` → `<error>`, `skip` and `unimplemented` → `<skipped>` with
//!   the message, `pass`, `non-strict` and `info` → success (the verdict word, message and
//!   details go to `<system-out>` for `non-strict` and `info`);
//! * the expectations file wins: a `fail`/`error` that an entry predicted is `<skipped>` with
//!   message `expected fail: <reason>` (or `expected error: …`), so known gaps do not fail CI
//!   but stay visible; a case whose entry did not match its verdict (an unexpected pass, say)
//!   is a `<failure>` with message `unexpected <verdict>: expectations file says <verdicts>
//!   (<reason>)` (an `<error>` when the verdict itself is `error`, to keep harness trouble
//!   apart from server behaviour).
//!
//! The failure text holds the requirement, `file:line`, the failing step, the findings and the
//! last 2000 characters of the transcript. quick-junit escapes markup and strips characters
//! XML 1.0 forbids (NUL, other C0 controls, ANSI escapes); this module additionally drops
//! U+FFFE/U+FFFF, which quick-junit lets through, and turns tabs into spaces (quick-junit
//! would silently delete them).

use std::io::{self, Write};
use std::time::Duration;

use quick_junit::{
    NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite, XmlString,
};
use wirecheck_core::result::{CaseResult, RunReport, Verdict};

use crate::detail;

/// Characters of transcript kept in a failure body: enough to see the response head and the
/// start of the body, small enough that a run with many failures stays a reasonable file.
const TRANSCRIPT_CHARS: usize = 2000;

/// Suite for ids that have no `/`.
const DEFAULT_SUITE: &str = "wirecheck";

/// Writes `report` as JUnit XML (see the module docs for the mapping).
pub fn write_junit(report: &RunReport, out: &mut dyn Write) -> io::Result<()> {
    let junit = build(report);
    // Serialize to memory first: quick-junit's error type would hide the `io::ErrorKind` of a
    // failed write, and the caller deserves the real one.
    let mut buf = Vec::new();
    junit.serialize(&mut buf).map_err(io::Error::other)?;
    out.write_all(&buf)
}

/// Builds the quick-junit model of `report`.
fn build(report: &RunReport) -> Report {
    let mut suites: Vec<(String, Vec<&CaseResult>)> = Vec::new();
    for case in &report.cases {
        let name = suite_name(&case.id);
        match suites.iter_mut().find(|(n, _)| *n == name) {
            Some((_, cases)) => cases.push(case),
            None => suites.push((name.to_string(), vec![case])),
        }
    }

    let mut junit = Report::new("wirecheck");
    junit.set_time(Duration::from_millis(report.duration_ms));
    for (name, cases) in suites {
        let mut suite = TestSuite::new(name);
        let ms: u64 = cases.iter().map(|c| c.duration_ms).sum();
        suite.set_time(Duration::from_millis(ms));
        suite.add_property(Property::new("target", xml(&report.target)));
        suite.add_property(Property::new("tool_version", xml(&report.tool_version)));
        suite.add_property(Property::new("started_at", xml(&report.started_at)));
        if report.interrupted {
            suite.add_property(Property::new("interrupted", "true"));
        }
        suite.add_test_cases(cases.into_iter().map(test_case));
        junit.add_test_suite(suite);
    }
    junit
}

/// One case as a testcase.
fn test_case(case: &CaseResult) -> TestCase {
    let mut system_out = None;
    let status = match (&case.expected, case.verdict) {
        (Some(e), v) if !e.matched => {
            let kind = if v == Verdict::Error {
                NonSuccessKind::Error
            } else {
                NonSuccessKind::Failure
            };
            non_success(
                kind,
                detail::unexpected_message(case, e),
                format!("unexpected-{v}"),
                Some(body(case)),
            )
        }
        (Some(e), v) if v.is_problem() => {
            let mut s = TestCaseStatus::skipped();
            s.set_message(xml(&format!("expected {v}: {}", e.reason)));
            s.set_type(format!("expected-{v}"));
            s.set_description(xml(&body(case)));
            s
        }
        (_, v @ (Verdict::Fail | Verdict::Error)) => {
            let kind = if v == Verdict::Fail {
                NonSuccessKind::Failure
            } else {
                NonSuccessKind::Error
            };
            non_success(kind, message(case), v.to_string(), Some(body(case)))
        }
        (_, v @ (Verdict::Skip | Verdict::Unimplemented)) => {
            let mut s = TestCaseStatus::skipped();
            s.set_message(xml(&message(case)));
            s.set_type(v.as_str());
            s
        }
        (_, v @ (Verdict::NonStrict | Verdict::Info)) => {
            system_out = Some(format!("{v}: {}\n{}\n", message(case), body(case)));
            TestCaseStatus::success()
        }
        (_, Verdict::Pass) => TestCaseStatus::success(),
    };

    let mut tc = TestCase::new(xml(&case.id), status);
    tc.set_classname(xml(&classname(&case.id)));
    tc.set_time(Duration::from_millis(case.duration_ms));
    tc.extra.insert("file".into(), xml(&case.file));
    tc.extra
        .insert("line".into(), detail::line(case).to_string().into());
    tc.add_property(Property::new("verdict", case.verdict.as_str()));
    tc.add_property(Property::new("requirement", xml(&case.spec.citation())));
    tc.add_property(Property::new("level", case.level.as_str()));
    if let Some(out) = system_out {
        tc.set_system_out(xml(&out));
    }
    tc
}

fn non_success(
    kind: NonSuccessKind,
    message: String,
    ty: String,
    description: Option<String>,
) -> TestCaseStatus {
    let mut s = TestCaseStatus::non_success(kind);
    s.set_message(xml(&message));
    s.set_type(ty);
    if let Some(d) = description {
        s.set_description(xml(&d));
    }
    s
}

/// The one-line message: the case's, else the failure's, else the verdict word.
fn message(case: &CaseResult) -> String {
    case.message
        .clone()
        .or_else(|| case.failure.as_ref().map(|f| f.message.clone()))
        .unwrap_or_else(|| case.verdict.to_string())
}

/// The failure text: title, details, transcript tail.
fn body(case: &CaseResult) -> String {
    let mut lines = vec![format!("{} — {}", case.id, case.title)];
    lines.extend(detail::detail_lines(case));
    if let Some(tail) = detail::transcript_tail(case, TRANSCRIPT_CHARS) {
        lines.push(format!("transcript (last {TRANSCRIPT_CHARS} characters):"));
        lines.extend(tail.lines().map(|l| format!("  {l}")));
    }
    lines.join("\n")
}

/// The part of an id before matrix parameters: `/` inside `[...]` is a value, not a level.
fn id_path(id: &str) -> &str {
    id.find('[').map_or(id, |i| &id[..i])
}

/// `http1/host/missing` → `http1`.
fn suite_name(id: &str) -> &str {
    match id_path(id).find('/') {
        Some(i) => &id[..i],
        None => DEFAULT_SUITE,
    }
}

/// `http1/host/missing` → `http1.host`; an id without a parent gets the default suite name.
fn classname(id: &str) -> String {
    match id_path(id).rfind('/') {
        Some(i) => id[..i].replace('/', "."),
        None => DEFAULT_SUITE.into(),
    }
}

/// Text safe for XML 1.0 after quick-junit's own filtering (see the module docs).
fn xml(s: &str) -> XmlString {
    let cleaned: String = s
        .chars()
        .filter(|c| !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    XmlString::new(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_split_into_suite_and_classname() {
        assert_eq!(suite_name("http1/host/missing"), "http1");
        assert_eq!(classname("http1/host/missing"), "http1.host");
        assert_eq!(classname("http1/range/suffix[path=/a/b]"), "http1.range");
        assert_eq!(suite_name("smoke"), "wirecheck");
        assert_eq!(classname("smoke[p=/x]"), "wirecheck");
    }

    #[test]
    fn xml_strings_lose_what_xml_forbids() {
        assert_eq!(xml("a\u{0}b\u{1b}[31mc\u{FFFE}d\te").as_str(), "abcd e");
    }
}
