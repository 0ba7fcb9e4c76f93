//! TCP observation and the TCP expectations (`expect_idle_close`, `either`), driven by a
//! scripted server without sockets: how each connection ended and when, relative to the last
//! response, is recorded in the result and the transcript.

use std::collections::VecDeque;
use std::time::Duration;

use wirecheck_core::engine::{Action, CaseRun, EngineConfig, Event};
use wirecheck_core::model::{load_cases, Level, LoadOptions};
use wirecheck_core::result::{CaseResult, ConnectionEnd, Direction, Verdict};
use wirecheck_core::text::Vars;

/// What the fake server does on each read.
enum Srv {
    Data(&'static [u8]),
    Eof,
    Reset,
    /// The server closes (FIN) at this time; reads before it time out at their deadline.
    EofAt(u64),
    /// Nothing arrives: the read times out at its deadline.
    Silence,
}

fn run(yaml: &str, script: Vec<Srv>) -> CaseResult {
    let cases = load_cases("t.yaml", yaml.as_bytes(), "t/case", &LoadOptions::default())
        .expect("test case loads");
    let vars = Vars::from([
        ("authority".into(), "h:1".into()),
        ("base".into(), String::new()),
    ]);
    let cfg = EngineConfig {
        start_unix: Some(784_111_777),
        ..EngineConfig::default()
    };
    let mut run = CaseRun::new(&cases[0], &vars, cfg);
    let mut script: VecDeque<Srv> = script.into();
    let mut now = Duration::ZERO;
    for _ in 0..1000 {
        match run.next_action() {
            Action::Finish => return run.into_result(now),
            Action::Connect | Action::ConnectWith(_) => run.handle(now, Event::Connected),
            Action::Write(b) => {
                run.record_sent(now, &b);
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
                Srv::EofAt(ms) => {
                    let at = Duration::from_millis(ms);
                    if at <= deadline {
                        now = now.max(at);
                        run.handle(now, Event::Eof);
                    } else {
                        now = now.max(deadline);
                        script.push_front(Srv::EofAt(ms));
                        run.handle(now, Event::Timeout);
                    }
                }
                Srv::Silence => {
                    now = now.max(deadline);
                    run.handle(now, Event::Timeout);
                }
            },
        }
    }
    panic!("engine did not finish within 1000 actions");
}

const OK: &[u8] =
    b"HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 5\r\n\r\nhello";
const HEAD: &str = "title: t\nspec: {rfc: 9112, section: \"9.5\"}\n";

fn events(r: &CaseResult) -> Vec<String> {
    r.transcript
        .entries
        .iter()
        .filter(|e| e.dir == Direction::Event)
        .map(|e| e.text.clone())
        .collect()
}

#[test]
fn the_close_is_timed_from_the_end_of_the_last_response_and_unanswered_requests_counted() {
    let yaml = format!(
        "{HEAD}level: must\nsteps:\n  - send: 'GET /a HTTP/1.1\\r\\n\\r\\nGET /b HTTP/1.1\\r\\n\\r\\nGET /c HTTP/1.1\\r\\n\\r\\n'\n  - expect_response: {{status: 200}}\n  - expect_close: {{}}\n"
    );
    let r = run(&yaml, vec![Srv::Data(OK), Srv::EofAt(4)]);
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", r.message);
    assert_eq!(r.connections.len(), 1);
    let c = &r.connections[0];
    assert_eq!(c.end, ConnectionEnd::Fin);
    assert_eq!(c.after_last_response_us, Some(3_000));
    assert_eq!((c.requests_sent, c.responses, c.unanswered), (3, 1, 2));
    assert!(
        events(&r).contains(
            &"closed by the server (FIN) 3.0 ms after the response ended; 2 pipelined requests unanswered (of 3 sent)".to_string()
        ),
        "{:?}",
        events(&r)
    );
}

#[test]
fn a_reset_right_after_the_response_is_recorded_as_such() {
    let yaml = format!(
        "{HEAD}level: should\nsteps:\n  - request: {{headers: ['Connection: close']}}\n  - expect_response: {{status: 200}}\n  - expect_close: {{how: fin}}\n"
    );
    let r = run(&yaml, vec![Srv::Data(OK), Srv::Reset]);
    assert_eq!(r.verdict, Verdict::NonStrict);
    let c = &r.connections[0];
    assert_eq!(c.end, ConnectionEnd::Reset);
    assert_eq!(c.reset.as_deref(), Some("connection reset by peer"));
    assert_eq!(
        c.summary,
        "reset (connection reset by peer) 0.0 ms after the response ended; the request was answered"
    );
}

#[test]
fn a_connection_the_harness_closes_says_it_was_still_open() {
    let yaml = format!(
        "{HEAD}level: must\nsteps:\n  - request: {{}}\n  - expect_response: {{status: 200}}\n  - sleep: 20ms\n"
    );
    let r = run(&yaml, vec![Srv::Data(OK)]);
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", r.message);
    let c = &r.connections[0];
    assert_eq!(c.end, ConnectionEnd::Harness);
    assert_eq!(
        events(&r).last().map(String::as_str),
        Some("still open 20 ms after the response ended, then closed by the harness; the request was answered")
    );
}

#[test]
fn each_connection_of_a_case_gets_its_own_record() {
    let yaml = format!(
        "{HEAD}level: must\nsteps:\n  - request: {{}}\n  - expect_response: {{status: 200}}\n  - connect\n  - request: {{}}\n  - expect_response: {{status: 200}}\n  - expect_close: {{}}\n"
    );
    let r = run(&yaml, vec![Srv::Data(OK), Srv::Data(OK), Srv::Eof]);
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", r.message);
    let ends: Vec<(u32, ConnectionEnd)> = r.connections.iter().map(|c| (c.index, c.end)).collect();
    assert_eq!(
        ends,
        vec![(1, ConnectionEnd::Harness), (2, ConnectionEnd::Fin)]
    );
}

#[test]
fn idle_close_within_the_bound_passes_and_reports_the_time() {
    let yaml = format!(
        "{HEAD}level: should\ntimeout: 30s\nsteps:\n  - request: {{}}\n  - expect_response: {{status: 200}}\n  - expect_idle_close: {{within: 8s}}\n"
    );
    let r = run(&yaml, vec![Srv::Data(OK), Srv::EofAt(5_001)]);
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", r.message);
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "idle-timeout")
        .expect("idle-timeout finding");
    assert_eq!(f.level, Level::May);
    assert_eq!(
        f.message,
        "the server closed the idle connection with FIN after 5.0 s, 5.0 s after the last response ended"
    );
}

#[test]
fn idle_connection_still_open_at_the_bound_passes_with_information() {
    let yaml = format!(
        "{HEAD}level: should\nsteps:\n  - request: {{}}\n  - expect_response: {{status: 200}}\n  - expect_idle_close: {{within: 2s}}\n"
    );
    let r = run(&yaml, vec![Srv::Data(OK)]);
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", r.message);
    let f = &r.findings[0];
    assert_eq!(f.rule, "idle-timeout");
    assert!(
        f.message.starts_with(
            "the connection was still open after 2.0 s idle: no idle timeout within the 2s bound"
        ),
        "{}",
        f.message
    );
}

#[test]
fn idle_close_by_reset_misses_the_graceful_close() {
    let yaml = format!(
        "{HEAD}level: should\nsteps:\n  - request: {{}}\n  - expect_response: {{status: 200}}\n  - expect_idle_close: {{within: 8s}}\n"
    );
    let r = run(&yaml, vec![Srv::Data(OK), Srv::Reset]);
    assert_eq!(r.verdict, Verdict::NonStrict);
    let f = r.failure.expect("failure");
    assert_eq!(f.step_kind, "expect_idle_close");
    assert_eq!(f.expected, "an idle connection closed gracefully (FIN)");
    // `how: any` accepts it.
    let yaml = yaml.replace("{within: 8s}", "{within: 8s, how: any}");
    let r = run(&yaml, vec![Srv::Data(OK), Srv::Reset]);
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", r.message);
}

#[test]
fn bytes_on_an_idle_connection_fail_unless_allowed() {
    let yaml = format!(
        "{HEAD}level: should\nsteps:\n  - request: {{}}\n  - expect_response: {{status: 200}}\n  - expect_idle_close: {{within: 8s}}\n"
    );
    let r = run(&yaml, vec![Srv::Data(OK), Srv::Data(b"junk"), Srv::Eof]);
    assert_eq!(r.verdict, Verdict::NonStrict);
    let yaml = yaml.replace("{within: 8s}", "{within: 8s, allow_data: true}");
    let r = run(&yaml, vec![Srv::Data(OK), Srv::Data(b"junk"), Srv::Eof]);
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", r.message);
}

#[test]
fn idle_close_rejects_how_reset_at_load() {
    let yaml = format!(
        "{HEAD}level: should\nsteps:\n  - request: {{}}\n  - expect_idle_close: {{within: 8s, how: reset}}\n"
    );
    let err = load_cases("t.yaml", yaml.as_bytes(), "t/case", &LoadOptions::default())
        .expect_err("how: reset is refused");
    assert!(format!("{err:?}").contains("graceful"), "{err:?}");
}

/// `either`: equal alternatives. The incomplete-request case: an error then close, or a
/// silent wait; neither is preferred, and a 2xx fails both.
fn either_case() -> String {
    format!(
        "{HEAD}level: must\nsteps:\n  - send: 'GET / HTTP/1.1\\r\\nX-Slow: wa'\n  - either:\n      - - expect_response: {{status: ['4xx', '5xx'], timeout: 3s}}\n        - expect_close: {{}}\n      - - expect_idle_close: {{within: 3s, how: any}}\n"
    )
}

#[test]
fn either_passes_through_a_later_alternative_without_non_strict() {
    let r = run(&either_case(), vec![]);
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", r.message);
    assert!(r.findings.iter().any(|f| f.rule == "idle-timeout"));
    let c = &r.connections[0];
    assert_eq!((c.requests_sent, c.incomplete_request_bytes), (0, 26));
}

#[test]
fn either_takes_the_first_alternative_to_hold() {
    const TIMEOUT: &[u8] = b"HTTP/1.1 408 Request Timeout\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
    let r = run(&either_case(), vec![Srv::Data(TIMEOUT), Srv::Eof]);
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", r.message);
    assert_eq!(r.statuses, vec![408]);
}

#[test]
fn either_fails_when_no_alternative_holds() {
    let r = run(&either_case(), vec![Srv::Data(OK), Srv::Eof]);
    assert_eq!(r.verdict, Verdict::Fail);
    let f = r.failure.expect("failure");
    assert_eq!(f.step_kind, "either");
    assert!(
        f.message.starts_with("no alternative held"),
        "{}",
        f.message
    );
}
