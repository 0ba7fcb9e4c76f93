//! The engine driven by scripted server behaviour, without sockets: each test states what the
//! server does and asserts the verdict and its explanation.

use std::collections::VecDeque;
use std::time::Duration;

use wirecheck_core::engine::{Action, CaseRun, EngineConfig, Event};
use wirecheck_core::model::{load_cases, LoadOptions};
use wirecheck_core::result::{CaseResult, Verdict};
use wirecheck_core::text::Vars;

/// What the fake server does on each read.
enum Srv {
    Data(&'static [u8]),
    Eof,
    Reset,
    /// Nothing arrives: the read times out at its deadline.
    Silence,
}

fn run(yaml: &str, script: Vec<Srv>, strict: bool) -> (CaseResult, Vec<Vec<u8>>) {
    let cases = load_cases("t.yaml", yaml.as_bytes(), "t/case", &LoadOptions::default())
        .expect("test case loads");
    let vars = Vars::from([
        ("authority".into(), "h:1".into()),
        ("base".into(), String::new()),
    ]);
    let cfg = EngineConfig {
        strict,
        start_unix: Some(784_111_777),
        ..EngineConfig::default()
    };
    let mut run = CaseRun::new(&cases[0], &vars, cfg);
    let mut script: VecDeque<Srv> = script.into();
    let mut now = Duration::ZERO;
    let mut written = Vec::new();
    for _ in 0..1000 {
        match run.next_action() {
            Action::Finish => return (run.into_result(now), written),
            Action::Connect | Action::ConnectWith(_) => run.handle(now, Event::Connected),
            Action::Write(b) => {
                run.record_sent(now, &b);
                written.push(b);
                run.handle(now, Event::Wrote);
            }
            Action::ShutdownWrite => run.handle(now, Event::ShutdownDone),
            Action::Sleep(d) => {
                now += d;
                run.handle(now, Event::Slept);
            }
            Action::Close => run.handle(now, Event::Closed),
            Action::Transfer { .. } => unreachable!("HTTP cases write with Write"),
            Action::Read { deadline } => match script.pop_front().unwrap_or(Srv::Silence) {
                Srv::Data(d) => {
                    now += Duration::from_millis(1);
                    run.handle(now, Event::Data(d));
                }
                Srv::Eof => run.handle(now, Event::Eof),
                Srv::Reset => run.handle(now, Event::Reset("connection reset by peer".into())),
                Srv::Silence => {
                    now = now.max(deadline);
                    run.handle(now, Event::Timeout);
                }
            },
        }
    }
    panic!("engine did not finish within 1000 actions");
}

const DATE: &str = "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n";

fn ok_response() -> &'static [u8] {
    b"HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 5\r\n\r\nhello"
}

const HEAD: &str = "title: t\nspec: {rfc: 9112, section: \"3\"}\n";

#[test]
fn a_matching_response_passes_and_the_request_is_encoded() {
    let yaml = format!("{HEAD}level: must\nsteps:\n  - request: {{target: /x}}\n  - expect_response: {{status: 200, body: {{equals: hello}}}}\n");
    let (r, written) = run(&yaml, vec![Srv::Data(ok_response())], false);
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", r.message);
    assert_eq!(written.concat(), b"GET /x HTTP/1.1\r\nHost: h:1\r\n\r\n");
}

#[test]
fn a_split_response_is_reassembled() {
    let yaml = format!("{HEAD}level: must\nsteps:\n  - send: 'GET / HTTP/1.1\\r\\n\\r\\n'\n  - expect_response: {{status: 200, body: {{length: 5}}}}\n");
    let (r, _) = run(
        &yaml,
        vec![
            Srv::Data(b"HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nConte"),
            Srv::Data(b"nt-Length: 5\r\n\r\nhel"),
            Srv::Data(b"lo"),
        ],
        false,
    );
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", r.message);
}

#[test]
fn wrong_status_fails_with_the_step_location() {
    let yaml =
        format!("{HEAD}level: must\nsteps:\n  - send: 'x'\n  - expect_response: {{status: 404}}\n");
    let (r, _) = run(&yaml, vec![Srv::Data(ok_response())], false);
    assert_eq!(r.verdict, Verdict::Fail);
    let f = r.failure.expect("failure recorded");
    assert_eq!(
        (f.line, f.expected.as_str(), f.actual.as_str()),
        (6, "404", "200 OK")
    );
}

#[test]
fn should_level_miss_is_non_strict_unless_strict() {
    let yaml = format!(
        "{HEAD}level: should\nsteps:\n  - send: 'x'\n  - expect_response: {{status: 404}}\n"
    );
    assert_eq!(
        run(&yaml, vec![Srv::Data(ok_response())], false).0.verdict,
        Verdict::NonStrict
    );
    assert_eq!(
        run(&yaml, vec![Srv::Data(ok_response())], true).0.verdict,
        Verdict::Fail
    );
    let yaml = yaml.replace("level: should", "level: may");
    assert_eq!(
        run(&yaml, vec![Srv::Data(ok_response())], false).0.verdict,
        Verdict::Info
    );
}

#[test]
fn any_of_prefers_the_first_alternative() {
    let yaml = format!(
        "{HEAD}level: must\nsteps:\n  - send: 'x'\n  - any_of:\n    - - expect_response: {{status: 400}}\n      - expect_close: {{}}\n    - - expect_close: {{}}\n"
    );
    let bad = b"HTTP/1.1 400 Bad Request\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 0\r\n\r\n";
    assert_eq!(
        run(&yaml, vec![Srv::Data(bad), Srv::Eof], false).0.verdict,
        Verdict::Pass
    );
    let (r, _) = run(&yaml, vec![Srv::Eof], false);
    assert_eq!(r.verdict, Verdict::NonStrict, "{:?}", r.message);
    assert!(r.message.unwrap().contains("alternative 2 of 2"));
    let (r, _) = run(&yaml, vec![Srv::Data(ok_response()), Srv::Eof], false);
    assert_eq!(r.verdict, Verdict::Fail);
    assert!(r.message.unwrap().contains("no alternative held"));
}

#[test]
fn close_expectations_tell_fin_from_reset_and_data() {
    let yaml = |how: &str| {
        format!("{HEAD}level: must\nsteps:\n  - send: 'x'\n  - expect_close: {{how: {how}}}\n")
    };
    assert_eq!(
        run(&yaml("fin"), vec![Srv::Eof], false).0.verdict,
        Verdict::Pass
    );
    assert_eq!(
        run(&yaml("fin"), vec![Srv::Reset], false).0.verdict,
        Verdict::Fail
    );
    assert_eq!(
        run(&yaml("reset"), vec![Srv::Reset], false).0.verdict,
        Verdict::Pass
    );
    assert_eq!(
        run(&yaml("any"), vec![Srv::Data(b"junk"), Srv::Eof], false)
            .0
            .verdict,
        Verdict::Fail
    );
    let (r, _) = run(&yaml("any"), vec![Srv::Silence], false);
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(r.failure.unwrap().actual, "still open");
}

#[test]
fn expect_open_passes_on_silence_and_fails_on_close() {
    let yaml =
        format!("{HEAD}level: must\nsteps:\n  - send: 'GET'\n  - expect_open: {{for: 200ms}}\n");
    assert_eq!(
        run(&yaml, vec![Srv::Silence], false).0.verdict,
        Verdict::Pass
    );
    assert_eq!(run(&yaml, vec![Srv::Eof], false).0.verdict, Verdict::Fail);
    assert_eq!(
        run(&yaml, vec![Srv::Data(b"HTTP/1.1 400")], false)
            .0
            .verdict,
        Verdict::Fail
    );
}

#[test]
fn silence_fails_the_response_step_after_its_timeout() {
    let yaml = format!("{HEAD}level: must\nsteps:\n  - send: 'x'\n  - expect_response: {{status: 200, timeout: 300ms}}\n");
    let (r, _) = run(&yaml, vec![Srv::Silence], false);
    assert_eq!(r.verdict, Verdict::Fail);
    assert!(r.failure.unwrap().expected.contains("within 300ms"));
}

#[test]
fn connection_close_must_be_followed_by_close() {
    let yaml =
        format!("{HEAD}level: must\nsteps:\n  - send: 'x'\n  - expect_response: {{status: 200}}\n");
    let resp: &[u8] = b"HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
    assert_eq!(
        run(&yaml, vec![Srv::Data(resp), Srv::Eof], false).0.verdict,
        Verdict::Pass
    );
    let (r, _) = run(&yaml, vec![Srv::Data(resp), Srv::Silence], false);
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(r.findings[0].rule, "connection-close");
}

/// A `Connection: close` on an earlier connection says nothing about the next one: after a
/// `connect` step the engine does not wait for (or demand) a close of the new connection.
#[test]
fn connection_close_of_an_earlier_connection_does_not_carry_over() {
    let yaml = format!("{HEAD}level: must\nsteps:\n  - send: 'x'\n  - expect_response: {{status: 200}}\n  - expect_close: {{}}\n  - connect\n  - send: 'y'\n  - expect_response: {{status: 200}}\n");
    let close: &[u8] = b"HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
    let (r, _) = run(
        &yaml,
        vec![
            Srv::Data(close),
            Srv::Eof,
            Srv::Data(ok_response()),
            Srv::Silence,
        ],
        false,
    );
    assert_eq!(r.verdict, Verdict::Pass, "{:?} {:?}", r.message, r.findings);
}

#[test]
fn content_after_a_head_response_is_found() {
    let yaml = format!("{HEAD}level: must\nsteps:\n  - request: {{method: HEAD}}\n  - expect_response: {{status: 200}}\n");
    let (r, _) = run(&yaml, vec![Srv::Data(ok_response())], false);
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(r.findings[0].rule, "no-content");
    let clean: &[u8] =
        b"HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 5\r\n\r\n";
    assert_eq!(
        run(&yaml, vec![Srv::Data(clean), Srv::Silence], false)
            .0
            .verdict,
        Verdict::Pass
    );
}

#[test]
fn validators_fail_a_response_without_date_unless_skipped() {
    let yaml =
        format!("{HEAD}level: must\nsteps:\n  - send: 'x'\n  - expect_response: {{status: 200}}\n");
    let no_date: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    let (r, _) = run(&yaml, vec![Srv::Data(no_date)], false);
    assert_eq!(
        (r.verdict, r.findings[0].rule.as_str()),
        (Verdict::Fail, "date")
    );
    let skipping = yaml.replace("level: must", "level: must\nvalidators: {skip: [date]}");
    assert_eq!(
        run(&skipping, vec![Srv::Data(no_date)], false).0.verdict,
        Verdict::Pass
    );
}

#[test]
fn pipelined_responses_are_read_in_order_and_interim_ones_tracked() {
    let yaml = format!(
        "{HEAD}level: must\nsteps:\n  - send: 'x'\n  - expect_responses: [{{status: 200, interim: 100}}, {{status: 404}}]\n"
    );
    let stream = format!(
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n{DATE}Content-Length: 1\r\n\r\naHTTP/1.1 404 Not Found\r\n{DATE}Transfer-Encoding: chunked\r\n\r\n1\r\nb\r\n0\r\n\r\n"
    );
    let leaked: &'static [u8] = Box::leak(stream.into_bytes().into_boxed_slice());
    let (r, _) = run(&yaml, vec![Srv::Data(leaked)], false);
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", r.message);
    assert_eq!(r.statuses, vec![100, 200, 404]);
}

#[test]
fn connect_failure_is_an_error_not_a_failure() {
    let yaml = format!("{HEAD}level: must\nsteps:\n  - send: 'x'\n");
    let cases = load_cases("t.yaml", yaml.as_bytes(), "t/case", &LoadOptions::default()).unwrap();
    let vars = Vars::new();
    let mut run = CaseRun::new(&cases[0], &vars, EngineConfig::default());
    assert_eq!(run.next_action(), Action::Connect);
    run.handle(
        Duration::ZERO,
        Event::ConnectFailed("connection refused".into()),
    );
    assert_eq!(run.next_action(), Action::Finish);
    assert_eq!(run.into_result(Duration::ZERO).verdict, Verdict::Error);
}

#[test]
fn a_captured_header_is_sent_by_a_later_step() {
    let yaml = format!(
        "{HEAD}level: must\nsteps:\n  - request: {{target: /x}}\n  - expect_response: {{status: 200, capture: {{etag: tag}}}}\n  - request: {{target: /x, headers: ['If-None-Match: {{{{tag}}}}']}}\n  - expect_response: {{status: 304}}\n"
    );
    let first: &[u8] =
        b"HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nETag: \"v1\"\r\nContent-Length: 5\r\n\r\nhello";
    let second: &[u8] =
        b"HTTP/1.1 304 Not Modified\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nETag: \"v1\"\r\n\r\n";
    let (r, written) = run(&yaml, vec![Srv::Data(first), Srv::Data(second)], false);
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", r.message);
    let sent = String::from_utf8_lossy(&written[1]).into_owned();
    assert!(sent.contains("If-None-Match: \"v1\"\r\n"), "{sent}");
    // A missing field fails the capturing step.
    let bare: &[u8] =
        b"HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 0\r\n\r\n";
    let (r, _) = run(&yaml, vec![Srv::Data(bare)], false);
    assert_eq!(r.verdict, Verdict::Fail);
    assert!(r.message.unwrap().contains("captured as {{tag}}"));
}

#[test]
fn a_capture_used_before_it_is_defined_does_not_load() {
    let yaml = format!(
        "{HEAD}level: must\nsteps:\n  - request: {{target: /x, headers: ['If-None-Match: {{{{tag}}}}']}}\n  - expect_response: {{status: 200, capture: {{etag: tag}}}}\n"
    );
    assert!(load_cases("t.yaml", yaml.as_bytes(), "t/case", &LoadOptions::default()).is_err());
    let hide =
        format!("{HEAD}level: must\nsteps:\n  - expect_response: {{capture: {{etag: base}}}}\n");
    assert!(load_cases("t.yaml", hide.as_bytes(), "t/case", &LoadOptions::default()).is_err());
}

#[test]
fn validators_pair_responses_with_the_requests_written() {
    // The 304 lacks the ETag the 200 for the same target carried (RFC 9110 §15.4.5).
    let yaml = format!(
        "{HEAD}level: must\nsteps:\n  - send: 'GET /x HTTP/1.1\\r\\nHost: h\\r\\n\\r\\nGET /x HTTP/1.1\\r\\nHost: h\\r\\nIf-None-Match: *\\r\\n\\r\\n'\n  - expect_responses: [{{status: 200}}, {{status: 304}}]\n"
    );
    let both: &[u8] = b"HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nETag: \"v1\"\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 304 Not Modified\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n";
    let (r, _) = run(&yaml, vec![Srv::Data(both)], false);
    assert_eq!(r.verdict, Verdict::Fail, "{:?}", r.message);
    assert_eq!(r.findings[0].rule, "not-modified-validators");
    // A chunked response to an HTTP/1.0 request (RFC 9112 §6.1).
    let yaml = format!(
        "{HEAD}level: must\nsteps:\n  - request: {{version: HTTP/1.0}}\n  - expect_response: {{status: 200}}\n"
    );
    let chunked: &[u8] = b"HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    let (r, _) = run(&yaml, vec![Srv::Data(chunked)], false);
    assert_eq!(r.findings[0].rule, "te-to-http10");
}

#[test]
fn a_101_to_an_expect_100_continue_upgrade_needs_the_100_first() {
    let yaml = format!(
        "{HEAD}level: must\nsteps:\n  - send: 'GET / HTTP/1.1\\r\\nHost: h\\r\\nConnection: Upgrade\\r\\nUpgrade: websocket\\r\\nExpect: 100-continue\\r\\n\\r\\n'\n  - expect_response: {{status: 101}}\n"
    );
    let bare: &[u8] =
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
    let (r, _) = run(&yaml, vec![Srv::Data(bare)], false);
    assert_eq!(r.verdict, Verdict::Fail, "{:?}", r.message);
    assert_eq!(r.findings[0].rule, "continue-before-101");
    let with_100: &[u8] = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
    let (r, _) = run(&yaml, vec![Srv::Data(with_100)], false);
    assert_eq!(r.verdict, Verdict::Pass, "{:?} {:?}", r.message, r.findings);
}
