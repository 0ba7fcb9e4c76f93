//! The WebSocket engine against simulated servers, without sockets and in virtual time: each
//! test states how the server misbehaves (or not) and asserts Autobahn's two verdicts and
//! wirecheck's verdict.

use std::collections::VecDeque;
use std::time::Duration;

use wirecheck_core::engine::{Action, CaseRun, EngineConfig, Event};
use wirecheck_core::model::{load_cases, LoadOptions};
use wirecheck_core::result::{Behavior, CaseResult, CloseBehavior, Verdict};
use wirecheck_core::text::Vars;
use wirecheck_core::wire::ws::{
    accept_for, encode_close_payload, encode_frame, opcode, FrameDecoder, FrameEvent, FrameHeader,
};

/// How the simulated server behaves.
#[derive(Clone, Copy, Default)]
struct Server {
    /// Answer the upgrade with this status instead of 101.
    refuse: Option<u16>,
    /// Never echo messages.
    no_echo: bool,
    /// After the closing handshake, keep TCP open.
    keep_tcp: bool,
    /// Mask the frames it sends.
    mask: bool,
    /// On a frame with RSV bits, fail the connection with 1002.
    strict_rsv: bool,
    /// Never answer a Close.
    no_close_reply: bool,
}

struct Sim {
    srv: Server,
    to_client: VecDeque<Vec<u8>>,
    hs: Vec<u8>,
    upgraded: bool,
    closed: bool,
    ws_closed: bool,
    decoder: FrameDecoder,
    frames: Vec<(FrameHeader, Vec<u8>)>,
    message: Vec<u8>,
    message_op: u8,
}

impl Sim {
    fn send_frame(&mut self, op: u8, payload: &[u8]) {
        let mut h = FrameHeader::new(op, None, payload.len() as u64);
        if self.srv.mask {
            h.mask = Some([1, 2, 3, 4]);
        }
        self.to_client.push_back(encode_frame(&h, payload));
    }

    fn client_bytes(&mut self, bytes: &[u8]) {
        if self.closed {
            return;
        }
        if !self.upgraded {
            self.hs.extend_from_slice(bytes);
            let text = String::from_utf8_lossy(&self.hs).to_string();
            if !text.contains("\r\n\r\n") {
                return;
            }
            if let Some(status) = self.srv.refuse {
                self.to_client.push_back(
                    format!("HTTP/1.1 {status} Nope\r\nContent-Length: 0\r\n\r\n").into_bytes(),
                );
                return;
            }
            let key = text
                .lines()
                .find_map(|l| l.strip_prefix("Sec-WebSocket-Key: "))
                .expect("key sent")
                .trim()
                .to_string();
            self.to_client.push_back(
                format!(
                    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {}\r\n\r\n",
                    accept_for(&key)
                )
                .into_bytes(),
            );
            self.upgraded = true;
            return;
        }
        let mut done = Vec::new();
        let mut current: Option<(FrameHeader, Vec<u8>)> = None;
        let mut pending = std::mem::take(&mut self.frames);
        self.decoder.decode(bytes, &mut |e| match e {
            FrameEvent::Header(h) => current = Some((h, Vec::new())),
            FrameEvent::Payload(p) => current
                .as_mut()
                .expect("header first")
                .1
                .extend_from_slice(p),
            FrameEvent::End => done.push(current.take().expect("frame")),
        });
        pending.extend(done);
        for (h, payload) in pending {
            self.on_frame(h, payload);
        }
    }

    fn on_frame(&mut self, h: FrameHeader, payload: Vec<u8>) {
        if self.closed || self.ws_closed {
            return;
        }
        if h.rsv != 0 && self.srv.strict_rsv {
            self.send_frame(opcode::CLOSE, &encode_close_payload(Some(1002), b""));
            self.ws_closed = true;
            self.closed = true;
            return;
        }
        match h.opcode {
            opcode::PING => self.send_frame(opcode::PONG, &payload),
            opcode::CLOSE => {
                if self.srv.no_close_reply {
                    return;
                }
                let code =
                    (payload.len() >= 2).then(|| u16::from_be_bytes([payload[0], payload[1]]));
                self.send_frame(opcode::CLOSE, &encode_close_payload(code, b""));
                self.ws_closed = true;
                self.closed = !self.srv.keep_tcp;
            }
            opcode::TEXT | opcode::BINARY | opcode::CONTINUATION => {
                if h.opcode != opcode::CONTINUATION {
                    self.message_op = h.opcode;
                    self.message.clear();
                }
                self.message.extend_from_slice(&payload);
                if h.fin && !self.srv.no_echo {
                    let m = std::mem::take(&mut self.message);
                    self.send_frame(self.message_op, &m);
                }
            }
            _ => {}
        }
    }
}

fn run(yaml: &str, srv: Server) -> CaseResult {
    let cases = load_cases("t.yaml", yaml.as_bytes(), "t/case", &LoadOptions::default())
        .unwrap_or_else(|e| panic!("test case loads: {e:?}"));
    let vars = Vars::from([
        ("authority".into(), "h:1".into()),
        ("path".into(), "/".into()),
    ]);
    let cfg = EngineConfig {
        seed: 42,
        ..EngineConfig::default()
    };
    let mut run = CaseRun::new(&cases[0], &vars, cfg);
    let mut sim = Sim {
        srv,
        to_client: VecDeque::new(),
        hs: Vec::new(),
        upgraded: false,
        closed: false,
        ws_closed: false,
        decoder: FrameDecoder::new(),
        frames: Vec::new(),
        message: Vec::new(),
        message_op: 0,
    };
    let mut now = Duration::ZERO;
    let mut eof_sent = false;
    for _ in 0..100_000 {
        match run.next_action() {
            Action::Finish => return run.into_result(now),
            Action::Connect | Action::ConnectWith(_) => run.handle(now, Event::Connected),
            Action::Transfer { bytes, .. } | Action::Write(bytes) => {
                run.record_sent(now, &bytes);
                sim.client_bytes(&bytes);
                run.handle(now, Event::Wrote);
            }
            Action::Read { deadline } => {
                now += Duration::from_micros(100);
                if let Some(d) = sim.to_client.pop_front() {
                    run.handle(now, Event::Data(&d));
                } else if sim.closed && !eof_sent {
                    eof_sent = true;
                    run.handle(now, Event::Eof);
                } else {
                    now = now.max(deadline);
                    run.handle(now, Event::Timeout);
                }
            }
            Action::Close => run.handle(now, Event::Closed),
            other => panic!("unexpected action {other:?}"),
        }
    }
    panic!("the engine did not finish")
}

const ECHO: &str = r#"
title: echo
spec: {rfc: 6455, section: "5.6"}
level: must
websocket:
  steps:
    - send_message: {type: text, payload: 'Hello', fragment: 2}
    - kill_after: 1s
  expect:
    events: [{text: 'Hello'}]
    close: {by: harness, clean: true}
"#;

fn ws(r: &CaseResult) -> (Behavior, CloseBehavior) {
    let w = r.websocket.as_ref().expect("websocket outcome");
    (w.behavior, w.behavior_close)
}

#[test]
fn a_correct_echo_server_passes_on_both_axes() {
    let r = run(ECHO, Server::default());
    assert_eq!(
        ws(&r),
        (Behavior::Ok, CloseBehavior::Ok),
        "{:?}",
        r.websocket
    );
    assert_eq!(r.verdict, Verdict::Pass);
    let w = r.websocket.unwrap();
    assert_eq!(
        (w.closed_by_me, w.remote_close_code),
        (Some(true), Some(1000))
    );
    assert!(w.was_clean);
    // Fragmented into 2-byte frames: Hel|lo → 3 frames, plus our close.
    assert_eq!(w.frames_sent, 4);
}

#[test]
fn a_server_that_keeps_tcp_open_after_the_close_is_unclean_or_failed_by_client() {
    // As Autobahn: the drop timeout makes the close unclean, which a `clean` case reports
    // first; otherwise the harness's drop shows as FAILED BY CLIENT.
    let r = run(
        ECHO,
        Server {
            keep_tcp: true,
            ..Server::default()
        },
    );
    assert_eq!(
        ws(&r),
        (Behavior::Ok, CloseBehavior::Unclean),
        "{:?}",
        r.websocket
    );
    assert!(r.websocket.as_ref().unwrap().server_drop_timeout);
    assert_eq!(r.verdict, Verdict::NonStrict);
    let lax = ECHO.replace("clean: true", "clean: false");
    let r = run(
        &lax,
        Server {
            keep_tcp: true,
            ..Server::default()
        },
    );
    assert_eq!(
        ws(&r),
        (Behavior::Ok, CloseBehavior::FailedByClient),
        "{:?}",
        r.websocket
    );
    assert_eq!(r.verdict, Verdict::NonStrict);
}

#[test]
fn no_echo_fails_the_events_axis_after_the_kill_timer() {
    let r = run(
        ECHO,
        Server {
            no_echo: true,
            ..Server::default()
        },
    );
    assert_eq!(ws(&r).0, Behavior::Failed);
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(r.websocket.as_ref().unwrap().local_close_code, Some(1001));
    assert!(r.message.unwrap().contains("differ"));
}

#[test]
fn a_refused_upgrade_fails_both_axes() {
    let r = run(
        ECHO,
        Server {
            refuse: Some(404),
            ..Server::default()
        },
    );
    assert_eq!(ws(&r), (Behavior::Failed, CloseBehavior::Failed));
    assert!(r.message.unwrap().contains("404"));
}

#[test]
fn a_masked_server_frame_is_a_violation() {
    let r = run(
        ECHO,
        Server {
            mask: true,
            ..Server::default()
        },
    );
    assert_eq!(ws(&r).0, Behavior::Failed);
    assert!(
        r.message.as_deref().unwrap().contains("5.1"),
        "{:?}",
        r.message
    );
    assert_eq!(r.websocket.unwrap().local_close_code, Some(1002));
}

#[test]
fn no_close_reply_is_unclean_after_the_close_timeout() {
    let r = run(
        ECHO,
        Server {
            no_close_reply: true,
            ..Server::default()
        },
    );
    assert_eq!(
        ws(&r),
        (Behavior::Ok, CloseBehavior::Unclean),
        "{:?}",
        r.websocket
    );
    assert!(r.websocket.unwrap().close_handshake_timeout);
}

const RSV: &str = r#"
title: rsv
spec: {rfc: 6455, section: "5.2"}
level: must
websocket:
  steps:
    - send_frame: {opcode: text, payload: 'Hello', rsv: 1}
    - kill_after: 1s
  expect:
    events: []
    close: {by: server, codes: [1002]}
"#;

#[test]
fn the_server_must_fail_the_connection_on_rsv_bits() {
    let r = run(
        RSV,
        Server {
            strict_rsv: true,
            ..Server::default()
        },
    );
    assert_eq!(
        ws(&r),
        (Behavior::Ok, CloseBehavior::Ok),
        "{:?}",
        r.websocket
    );
    // A lenient server echoes the frame: events differ, and the harness had to close.
    let r = run(RSV, Server::default());
    assert_eq!(ws(&r), (Behavior::Failed, CloseBehavior::Failed));
    assert_eq!(r.verdict, Verdict::Fail);
}

#[test]
fn deflate_cases_are_unimplemented_without_the_extension() {
    let yaml = r#"
title: deflate
spec: {rfc: 7692, section: "7"}
level: must
websocket:
  handshake:
    deflate: [{client_no_context_takeover: true, client_max_window_bits: true}]
    require: deflate
  steps:
    - echo_loop: {count: 10, size: 64, type: text, data: json, within: 10s}
  expect:
    events: []
    close: {by: harness}
"#;
    let r = run(yaml, Server::default());
    assert_eq!(
        ws(&r),
        (Behavior::Unimplemented, CloseBehavior::Unimplemented)
    );
    assert_eq!(r.verdict, Verdict::Unimplemented);
}

#[test]
fn an_echo_loop_compares_every_echo_and_tagged_waits_are_events() {
    let yaml = r#"
title: loop
spec: {rfc: 6455, section: "5.6"}
level: must
websocket:
  steps:
    - echo_loop: {count: 50, size: 300, type: binary, data: bitmap, fragment: 64, within: 10s}
    - wait: {for: 100ms, tag: A}
    - close_after: 10ms
  expect:
    events: [{timeout: A}]
    close: {by: harness}
"#;
    let r = run(yaml, Server::default());
    assert_eq!(
        ws(&r),
        (Behavior::Ok, CloseBehavior::Ok),
        "{:?}",
        r.websocket
    );
    let r = run(
        yaml,
        Server {
            no_echo: true,
            ..Server::default()
        },
    );
    assert_eq!(ws(&r).0, Behavior::Failed);
    assert!(r.message.unwrap().contains("Did not receive"));
}
