//! Terminal text: case lines, explanations, and a summary whose last line CI can grep.

mod common;

use common::{by_id, sample};
use wirecheck_report::{case_line, explain_failure, summary, wants_explanation};

#[test]
fn case_lines_align_and_mark_expectations() {
    let r = sample();
    assert_eq!(
        case_line(by_id(&r, "http1/basic/get"), false),
        "pass          http1/basic/get (12 ms)"
    );
    assert_eq!(
        case_line(by_id(&r, "smoke"), false),
        "unimplemented smoke (0 ms)"
    );
    assert_eq!(
        case_line(by_id(&r, "http1/te/bare-lf"), false),
        "fail          http1/te/bare-lf (5 ms) (expected: nginx accepts bare LF)"
    );
    assert!(case_line(by_id(&r, "http1/range/suffix[path=/a/b]"), false)
        .ends_with("(unexpected: expectations file says fail or error)"));
}

#[test]
fn colour_only_when_asked() {
    let r = sample();
    let plain = case_line(by_id(&r, "http1/host/missing"), false);
    let coloured = case_line(by_id(&r, "http1/host/missing"), true);
    assert!(!plain.contains('\u{1b}'));
    assert!(
        coloured.starts_with("\u{1b}[1m\u{1b}[31mfail\u{1b}[0m          http1/host/missing"),
        "{coloured:?}"
    );
    // The server-chosen ESC in the sample's message and transcript is shown, not obeyed.
    let text = explain_failure(by_id(&r, "http1/host/missing"), true, false);
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{0}'),
        "{text:?}"
    );
    assert!(text.contains("</script>\\x00\\x07\\x1b[31m!"), "{text}");
    let coloured = explain_failure(by_id(&r, "http1/host/missing"), false, true);
    assert!(
        coloured.starts_with("\u{1b}[1m\u{1b}[31mFAIL\u{1b}[0m http1/host/missing"),
        "{coloured:?}"
    );
    assert_eq!(
        coloured.matches('\u{1b}').count(),
        3,
        "only the header is coloured"
    );
    assert!(!summary(&r, false).contains('\u{1b}'));
}

#[test]
fn explanation_shows_where_and_what() {
    let r = sample();
    let text = explain_failure(by_id(&r, "http1/host/missing"), false, false);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "FAIL http1/host/missing — HTTP/1.1 request without Host is rejected"
    );
    for needle in [
        "  requirement: RFC 9112 §3.2 (MUST) [H1]",
        "    \"A client MUST send a Host header field in all HTTP/1.1 request messages.\"",
        "  at: cases/http1/host.yaml:12:5 (step 2, expect_response)",
        "  expected: status 400",
        "  actual:   status 200",
        "  finding: date (RFC 9110 §6.6.1, must): Date header missing",
        "  transcript (last bytes):",
        "    << HTTP/1.1 200 OK\\r\\n",
    ] {
        assert!(
            lines.contains(&needle),
            "missing line {needle:?} in:\n{text}"
        );
    }
    assert!(!text.ends_with('\n'));
}

#[test]
fn explanation_of_cases_without_failure_uses_the_case_line() {
    let r = sample();
    let text = explain_failure(by_id(&r, "http1/conn/refused"), false, false);
    assert!(text.contains("  at: cases/conn.yaml:3\n"), "{text}");
    assert!(text.contains("  message: connection refused"), "{text}");
    assert!(!text.contains("transcript"), "{text}");

    let text = explain_failure(by_id(&r, "http1/range/suffix[path=/a/b]"), false, false);
    assert!(
        text.contains("  expectations: unexpected pass: expectations file says fail or error (suffix ranges unsupported)"),
        "{text}"
    );
}

#[test]
fn verbose_explanation_shows_every_entry_with_time() {
    let r = sample();
    let text = explain_failure(by_id(&r, "http1/basic/get"), true, false);
    for needle in [
        "    +0.000ms -- connected to 127.0.0.1:8080",
        "    +0.150ms >> GET / HTTP/1.1\\r\\n",
        "             >> Host: x\\r\\n",
        "    +2.345ms << HTTP/1.1 200 OK\\r\\n",
    ] {
        assert!(
            text.lines().any(|l| l == needle),
            "missing line {needle:?} in:\n{text}"
        );
    }
}

#[test]
fn explanations_are_wanted_for_problems_and_non_strict() {
    let r = sample();
    let wanted: Vec<&str> = r
        .cases
        .iter()
        .filter(|c| wants_explanation(c))
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(
        wanted,
        [
            "http1/host/missing",
            "http1/conn/refused",
            "http1/date/format",
            "http1/range/suffix[path=/a/b]"
        ]
    );
}

#[test]
fn summary_ends_with_the_count_line() {
    let r = sample();
    assert_eq!(
        r.count_line(),
        "2 passed, 2 failed, 1 non-strict, 1 errors, 1 skipped, 1 unimplemented"
    );
    for color in [false, true] {
        let text = summary(&r, color);
        assert_eq!(text.lines().last(), Some(r.count_line().as_str()));
        assert!(
            text.ends_with(&r.count_line()),
            "nothing may follow the count line"
        );
    }
}

#[test]
fn summary_counts_and_lists_unexpected_passes() {
    let r = sample();
    let text = summary(&r, false);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "wirecheck 0.1.0 against http://127.0.0.1:8080: 8 cases in 1.23 s"
    );
    assert!(lines.contains(&"  pass               2"), "{text}");
    assert!(lines.contains(&"  unimplemented      1"), "{text}");
    assert!(
        lines.contains(&"expected failures: 1 (predicted by the expectations file)"),
        "{text}"
    );
    // fail, error, unexpected pass
    assert!(lines.contains(&"unexpected: 3"), "{text}");
    assert!(
        lines.contains(&"unexpected passes: 1 (update the expectations file)"),
        "{text}"
    );
    assert!(text.contains(
        "  http1/range/suffix[path=/a/b] — unexpected pass: expectations file says fail or error"
    ));
    // New failures are a list of their own, before the unexpected passes.
    let failures = lines
        .iter()
        .position(|l| l.starts_with("new failures: 2"))
        .expect("new failures line");
    assert_eq!(
        lines[failures + 1],
        "  fail   http1/host/missing — status: expected 400, got 200"
    );
    assert_eq!(
        lines[failures + 2],
        "  error  http1/conn/refused — connection refused"
    );
    assert!(
        failures
            < lines
                .iter()
                .position(|l| l.starts_with("unexpected passes"))
                .unwrap()
    );
}

#[test]
fn connections_and_measured_information_are_shown() {
    use wirecheck_core::check::RULES;
    use wirecheck_core::result::{ConnectionEnd, ConnectionRecord, Finding};
    let r = sample();
    let mut case = by_id(&r, "http1/host/missing").clone();
    case.connections.push(ConnectionRecord {
        index: 1,
        opened_at_us: 0,
        end: ConnectionEnd::Reset,
        ended_at_us: 3_000,
        reset: Some("connection reset by peer".into()),
        after_last_response_us: Some(200),
        idle_us: 200,
        half_closed_at_us: None,
        write_failed_at_us: None,
        write_error: None,
        requests_sent: 3,
        responses: 1,
        unanswered: 2,
        incomplete_request_bytes: 0,
        requests_uncounted: false,
        requests_approximate: false,
        responses_unparsed: false,
        cut_short: None,
        summary: "reset (connection reset by peer) 0.2 ms after the response ended; 2 pipelined requests unanswered (of 3 sent)".into(),
    });
    let text = explain_failure(&case, false, false);
    assert!(
        text.lines().any(|l| l
            == "  connection: reset (connection reset by peer) 0.2 ms after the response ended; 2 pipelined requests unanswered (of 3 sent)"),
        "{text}"
    );
    let mut pass = by_id(&r, "http1/basic/get").clone();
    let rule = RULES.iter().find(|r| r.id == "idle-timeout").expect("rule");
    pass.findings.push(Finding::from_rule(
        rule,
        "the server closed the idle connection with FIN after 5.0 s".into(),
    ));
    assert_eq!(
        case_line(&pass, false),
        "pass          http1/basic/get (12 ms) (info: the server closed the idle connection with FIN after 5.0 s)"
    );
}
