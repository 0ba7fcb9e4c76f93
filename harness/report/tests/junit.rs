//! The JUnit mapping, checked structurally by parsing the XML back with quick-junit.
//!
//! Structural asserts rather than a golden file: what CI consumers read is the element kind,
//! counts, messages and attributes, and those are asserted directly. A golden file would also
//! pin quick-junit's indentation and attribute order, break on harmless upgrades, and get
//! re-blessed without anyone reading the diff.

mod common;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus};
use wirecheck_report::write_junit;

fn xml() -> String {
    let mut out = Vec::new();
    write_junit(&common::sample(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn parsed() -> Report {
    Report::deserialize_from_str(&xml()).expect("JUnit output parses")
}

fn case<'a>(report: &'a Report, id: &str) -> &'a TestCase {
    report
        .test_suites
        .iter()
        .flat_map(|s| &s.test_cases)
        .find(|c| c.name.as_str() == id)
        .expect(id)
}

/// (kind, message, type, description) of a non-success or skipped status.
fn status(tc: &TestCase) -> (&'static str, String, String, String) {
    let s =
        |o: &Option<quick_junit::XmlString>| o.as_ref().map(|x| x.to_string()).unwrap_or_default();
    match &tc.status {
        TestCaseStatus::Success { .. } => ("success", String::new(), String::new(), String::new()),
        TestCaseStatus::NonSuccess {
            kind: NonSuccessKind::Failure,
            message,
            ty,
            description,
            ..
        } => ("failure", s(message), s(ty), s(description)),
        TestCaseStatus::NonSuccess {
            kind: NonSuccessKind::Error,
            message,
            ty,
            description,
            ..
        } => ("error", s(message), s(ty), s(description)),
        TestCaseStatus::Skipped {
            message,
            ty,
            description,
        } => ("skipped", s(message), s(ty), s(description)),
    }
}

#[test]
fn counts_match_the_mapping() {
    let xml = xml();
    assert_eq!(xml.matches("<testcase ").count(), 8);
    let r = parsed();
    assert_eq!(r.tests, 8);
    // fail + unexpected pass
    assert_eq!(r.failures, 2);
    // error
    assert_eq!(r.errors, 1);
    // skip + unimplemented + expected fail
    assert_eq!(r.skipped, 3);
}

#[test]
fn one_suite_per_top_level_segment_in_order() {
    let r = parsed();
    let names: Vec<&str> = r.test_suites.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["http1", "http2", "wirecheck"]);
    assert_eq!(r.test_suites[0].tests, 6);
    let props: Vec<(&str, &str)> = r.test_suites[0]
        .properties
        .iter()
        .map(|p| (p.name.as_str(), p.value.as_str()))
        .collect();
    assert!(
        props.contains(&("target", "http://127.0.0.1:8080")),
        "{props:?}"
    );
}

#[test]
fn testcases_carry_classname_time_file_and_line() {
    let r = parsed();
    let tc = case(&r, "http1/host/missing");
    assert_eq!(tc.classname.as_deref(), Some("http1.host"));
    assert_eq!(tc.time, Some(std::time::Duration::from_millis(34)));
    assert_eq!(
        tc.extra.get("file").map(|v| v.as_str()),
        Some("cases/http1/host.yaml")
    );
    // The failing step's line, not the case's (7): annotations should point at the step.
    assert_eq!(tc.extra.get("line").map(|v| v.as_str()), Some("12"));
    assert!(tc
        .properties
        .iter()
        .any(|p| p.name.as_str() == "verdict" && p.value.as_str() == "fail"));

    let pass = case(&r, "http1/basic/get");
    assert_eq!(pass.extra.get("line").map(|v| v.as_str()), Some("3"));
    assert_eq!(
        case(&r, "http1/range/suffix[path=/a/b]")
            .classname
            .as_deref(),
        Some("http1.range")
    );
    assert_eq!(case(&r, "smoke").classname.as_deref(), Some("wirecheck"));
}

#[test]
fn verdicts_map_to_junit_statuses() {
    let r = parsed();
    assert_eq!(status(case(&r, "http1/basic/get")).0, "success");
    assert_eq!(status(case(&r, "http1/host/missing")).0, "failure");

    let (kind, message, ty, _) = status(case(&r, "http1/conn/refused"));
    assert_eq!(
        (kind, message.as_str(), ty.as_str()),
        ("error", "connection refused", "error")
    );

    let (kind, message, ty, _) = status(case(&r, "http2/preface/basic"));
    assert_eq!(
        (kind, message.as_str(), ty.as_str()),
        ("skipped", "requires feature h2", "skip")
    );

    let (kind, message, ty, _) = status(case(&r, "smoke"));
    assert_eq!(
        (kind, message.as_str(), ty.as_str()),
        ("skipped", "target does not offer trailers", "unimplemented")
    );

    let ns = case(&r, "http1/date/format");
    assert_eq!(status(ns).0, "success");
    let out = ns.system_out.as_deref().unwrap();
    assert!(
        out.starts_with("non-strict: took alternative 2: no Date\n"),
        "{out}"
    );
    assert!(out.contains("expected: a Date header"), "{out}");
}

#[test]
fn expectations_file_decides_what_fails_ci() {
    let r = parsed();
    let (kind, message, ty, body) = status(case(&r, "http1/te/bare-lf"));
    assert_eq!(kind, "skipped");
    assert_eq!(message, "expected fail: nginx accepts bare LF");
    assert_eq!(ty, "expected-fail");
    assert!(body.contains("actual:   status 200"), "{body}");

    let (kind, message, ty, body) = status(case(&r, "http1/range/suffix[path=/a/b]"));
    assert_eq!(kind, "failure");
    assert_eq!(
        message,
        "unexpected pass: expectations file says fail or error (suffix ranges unsupported)"
    );
    assert_eq!(ty, "unexpected-pass");
    assert!(body.contains("pattern `http1/range/*`"), "{body}");
}

#[test]
fn failure_body_explains_the_failure() {
    let r = parsed();
    let (_, _, ty, body) = status(case(&r, "http1/host/missing"));
    assert_eq!(ty, "fail");
    for needle in [
        "http1/host/missing — HTTP/1.1 request without Host is rejected",
        "requirement: RFC 9112 §3.2 (MUST) [H1]",
        "\"A client MUST send a Host header field in all HTTP/1.1 request messages.\"",
        "at: cases/http1/host.yaml:12:5 (step 2, expect_response)",
        "expected: status 400",
        "actual:   status 200",
        "finding: date (RFC 9110 §6.6.1, must): Date header missing",
        "transcript (last 2000 characters):",
        "<< HTTP/1.1 200 OK\\r\\n",
        "-- FIN from server",
    ] {
        assert!(body.contains(needle), "missing {needle:?} in:\n{body}");
    }
}

#[test]
fn hostile_text_stays_well_formed_xml() {
    let xml = xml();
    // Escaped, not raw markup.
    assert!(!xml.contains("<script>"));
    assert!(xml.contains("&lt;script&gt;"));
    // No character that XML 1.0 forbids, and no ANSI escape.
    let bad = xml.chars().find(|&c| {
        matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
    });
    assert_eq!(bad, None);

    // It parses back, and the text survives minus the forbidden characters.
    let r = parsed();
    let (_, message, _, body) = status(case(&r, "http1/host/missing"));
    assert_eq!(message, common::HOSTILE_CLEAN);
    assert!(
        body.contains(&format!("X-Evil: {}", common::HOSTILE_CLEAN)),
        "{body}"
    );
}

#[test]
fn an_unpredicted_error_stays_an_error() {
    let mut report = common::sample();
    let error = report
        .cases
        .iter_mut()
        .find(|c| c.id == "http1/conn/refused")
        .unwrap();
    error.expected = Some(wirecheck_core::result::ExpectedOutcome {
        verdicts: vec![wirecheck_core::result::Verdict::Fail],
        reason: "known".into(),
        link: None,
        pattern: "http1/conn/*".into(),
        matched: false,
    });
    let mut out = Vec::new();
    write_junit(&report, &mut out).unwrap();
    let r = Report::deserialize_from_str(std::str::from_utf8(&out).unwrap()).unwrap();
    let (kind, message, ty, _) = status(case(&r, "http1/conn/refused"));
    assert_eq!(kind, "error");
    assert_eq!(
        message,
        "unexpected error: expectations file says fail (known)"
    );
    assert_eq!(ty, "unexpected-error");
}
