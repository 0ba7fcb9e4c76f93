//! A small hand-built run covering every mapping the writers make.
#![allow(dead_code)] // each test binary uses a different part

use wirecheck_core::model::{Level, Spec};
use wirecheck_core::result::{
    CaseResult, Direction, ExpectedOutcome, Failure, Finding, RunReport, Transcript,
    TranscriptEntry, Verdict, SCHEMA_VERSION,
};

/// Markup, quotes, an ampersand, a NUL, a bell and an ANSI escape: everything XML must survive.
pub(crate) const HOSTILE: &str = "server said <script>alert(\"&\")</script>\u{0}\u{7}\u{1b}[31m!";
/// What is left of [`HOSTILE`] once the characters XML 1.0 forbids are gone.
pub(crate) const HOSTILE_CLEAN: &str = "server said <script>alert(\"&\")</script>!";

fn spec(rfc: u32, section: &str, check: Option<&str>, text: Option<&str>) -> Spec {
    Spec {
        rfc,
        section: section.into(),
        check: check.map(Into::into),
        text: text.map(Into::into),
    }
}

fn transcript(entries: &[(u64, Direction, &str)]) -> Transcript {
    let mut t = Transcript::default();
    for &(at_us, dir, text) in entries {
        let len = if dir == Direction::Event {
            0
        } else {
            text.len() as u64
        };
        t.entries.push(TranscriptEntry {
            at_us,
            dir,
            text: text.into(),
            len,
            cut: false,
        });
        match dir {
            Direction::Sent => t.sent_bytes += len,
            _ => t.received_bytes += len,
        }
    }
    t
}

fn case(id: &str, verdict: Verdict, ms: u64, message: Option<&str>) -> CaseResult {
    CaseResult {
        id: id.into(),
        title: format!("title of {id}"),
        spec: spec(9110, "1", None, None),
        level: Level::Must,
        tags: vec![],
        file: format!("cases/{}.yaml", id.split('/').nth(1).unwrap_or("misc")),
        line: 3,
        verdict,
        duration_ms: ms,
        message: message.map(Into::into),
        failure: None,
        findings: vec![],
        statuses: vec![],
        params: vec![],
        expected: None,
        websocket: None,
        tls: None,
        connections: vec![],
        transcript: Transcript::default(),
    }
}

fn failure(
    step: usize,
    kind: &str,
    line: u32,
    expected: &str,
    actual: &str,
    message: &str,
) -> Failure {
    Failure {
        step,
        step_kind: kind.into(),
        line,
        col: 5,
        expected: expected.into(),
        actual: actual.into(),
        message: message.into(),
    }
}

/// Eight cases: pass, fail (failure, findings, hostile transcript), error, skip, non-strict,
/// expected fail, unexpected pass, unimplemented (with an id that has no `/`).
pub(crate) fn sample() -> RunReport {
    let mut pass = case("http1/basic/get", Verdict::Pass, 12, None);
    pass.transcript = transcript(&[
        (0, Direction::Event, "connected to 127.0.0.1:8080"),
        (
            150,
            Direction::Sent,
            "GET / HTTP/1.1\\r\\n\nHost: x\\r\\n\n\\r\\n\n",
        ),
        (
            2_345,
            Direction::Received,
            "HTTP/1.1 200 OK\\r\\n\nContent-Length: 0\\r\\n\n\\r\\n\n",
        ),
    ]);

    let mut fail = case("http1/host/missing", Verdict::Fail, 34, Some(HOSTILE));
    fail.title = "HTTP/1.1 request without Host is rejected".into();
    fail.spec = spec(
        9112,
        "3.2",
        Some("H1"),
        Some("A client MUST send a Host header field\n   in all HTTP/1.1 request messages."),
    );
    fail.file = "cases/http1/host.yaml".into();
    fail.line = 7;
    fail.failure = Some(failure(
        1,
        "expect_response",
        12,
        "status 400",
        "status 200",
        "status: expected 400, got 200",
    ));
    fail.findings = vec![Finding {
        rule: "date".into(),
        level: Level::Must,
        citation: "RFC 9110 §6.6.1".into(),
        message: "Date header missing".into(),
    }];
    fail.statuses = vec![200];
    fail.transcript = transcript(&[
        (0, Direction::Event, "connected"),
        (150, Direction::Sent, "GET / HTTP/1.1\\r\\n\n\\r\\n\n"),
        (
            900,
            Direction::Received,
            &format!("HTTP/1.1 200 OK\\r\\n\nX-Evil: {HOSTILE}\\r\\n\n\\r\\n\n"),
        ),
        (1_000, Direction::Event, "FIN from server"),
    ]);

    let error = case(
        "http1/conn/refused",
        Verdict::Error,
        1,
        Some("connection refused"),
    );
    let skip = case(
        "http2/preface/basic",
        Verdict::Skip,
        0,
        Some("requires feature h2"),
    );

    let mut non_strict = case(
        "http1/date/format",
        Verdict::NonStrict,
        8,
        Some("took alternative 2: no Date"),
    );
    non_strict.level = Level::Should;
    non_strict.failure = Some(failure(
        2,
        "any_of",
        20,
        "a Date header",
        "none",
        "took alternative 2: no Date",
    ));

    let mut expected_fail = case(
        "http1/te/bare-lf",
        Verdict::Fail,
        5,
        Some("accepted a bare LF"),
    );
    expected_fail.failure = Some(failure(
        0,
        "expect_response",
        9,
        "status 400",
        "status 200",
        "accepted a bare LF",
    ));
    expected_fail.expected = Some(ExpectedOutcome {
        verdicts: vec![Verdict::Fail],
        reason: "nginx accepts bare LF".into(),
        link: Some("https://example.invalid/issues/12".into()),
        pattern: "http1/te/*".into(),
        matched: true,
    });

    let mut unexpected_pass = case("http1/range/suffix[path=/a/b]", Verdict::Pass, 3, None);
    unexpected_pass.expected = Some(ExpectedOutcome {
        verdicts: vec![Verdict::Fail, Verdict::Error],
        reason: "suffix ranges unsupported".into(),
        link: None,
        pattern: "http1/range/*".into(),
        matched: false,
    });

    let unimplemented = case(
        "smoke",
        Verdict::Unimplemented,
        0,
        Some("target does not offer trailers"),
    );

    let mut report = RunReport {
        schema_version: SCHEMA_VERSION,
        tool: "wirecheck".into(),
        tool_version: "0.1.0".into(),
        target: "http://127.0.0.1:8080".into(),
        started_at: "2025-01-02T03:04:05Z".into(),
        duration_ms: 1_234,
        interrupted: false,
        summary: Default::default(),
        cases: vec![
            pass,
            fail,
            error,
            skip,
            non_strict,
            expected_fail,
            unexpected_pass,
            unimplemented,
        ],
    };
    report.summarize();
    report
}

/// The case with this id.
pub(crate) fn by_id<'a>(report: &'a RunReport, id: &str) -> &'a CaseResult {
    report
        .cases
        .iter()
        .find(|c| c.id == id)
        .expect("case in sample")
}
