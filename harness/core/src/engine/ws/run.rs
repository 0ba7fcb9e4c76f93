//! [`WsRun`]: one WebSocket case, from the opening handshake to Autobahn's two verdicts.
//!
//! Reading never stops: data that arrives while we write (`Transfer`) or wait (`Read` with a
//! deadline) is fed to the strict frame reader at once, so pings are answered and closes seen
//! in the middle of a script, as Autobahn's event loop does.

use std::collections::VecDeque;
use std::time::Duration;

use super::closing::Closing;
use super::echo::Echo;
use super::events::{list_matches, Received, Want};
use super::handshake::{self, Negotiated};
use super::outgoing::{
    owned_frame, owned_message, plan_frame, plan_message, shape_units, PlannedFrame, Seg, WriteUnit,
};
use super::rng::Rng;
use crate::engine::{Action, EngineConfig, Event};
use crate::model::{Case, Closer, Shape, WsScenario, WsStepKind};
use crate::result::{Direction, Transcript};
use crate::text::Vars;
use crate::wire::http1::{DecodeLimits, Progress, ResponseDecoder};
use crate::wire::ws::{
    encode_close_payload, key_from_bytes, opcode, Compressor, MessageReader, ReaderLimits,
    Violation,
};

/// Wire bytes a WebSocket transcript keeps (each line of frames is listed anyway).
const WIRE_BYTES_KEPT: usize = 8 * 1024;

pub(super) enum Stage {
    Connect,
    Handshake,
    Open,
    Done,
}

pub(super) enum WaitKind {
    Tag(Option<String>),
    Kill,
    CloseAfter,
}

pub(super) struct Wait {
    dur: Duration,
    until: Option<Duration>,
    kind: WaitKind,
}

pub(super) enum Op<'c> {
    Write(WriteUnit<'c>),
    Wait(Wait),
    Echo(Box<Echo<'c>>),
}

/// One WebSocket case being run.
pub struct WsRun<'c> {
    pub(super) case: &'c Case,
    pub(super) ws: &'c WsScenario,
    pub(super) vars: &'c Vars,
    pub(super) cfg: EngineConfig,
    pub(super) rng: Rng,
    pub(super) now: Duration,
    pub(super) transcript: Transcript,
    pub(super) stage: Stage,
    pub(super) connected: bool,
    /// The TLS session, on a `wss://` target.
    pub(super) tls: Option<Box<crate::result::TlsFacts>>,
    pub(super) key: String,
    pub(super) wants: Vec<Vec<Want>>,
    pub(super) hs_sent: bool,
    pub(super) hs_buf: Vec<u8>,
    pub(super) hs_decoder: ResponseDecoder,
    pub(super) hs_deadline: Duration,
    pub(super) negotiated: Negotiated,
    pub(super) opened_at: Option<Duration>,
    pub(super) lost_at: Option<Duration>,
    pub(super) reader: Option<MessageReader>,
    pub(super) compressor: Option<Compressor>,
    /// Control frames to write before any script write; `true` marks a pong.
    pub(super) urgent: VecDeque<(WriteUnit<'c>, bool)>,
    /// Whether a queued pong was ever replaced by a newer one (noted once).
    pub(super) pongs_coalesced: bool,
    /// The last urgent write was a pong: the next pong yields a turn to the script.
    pub(super) pong_went_last: bool,
    pub(super) current: Option<Op<'c>>,
    pub(super) ops: VecDeque<Op<'c>>,
    pub(super) step: usize,
    pub(super) script_stopped: bool,
    pub(super) received: Vec<Received>,
    /// Events past [`MAX_RECEIVED`], counted and not kept.
    pub(super) received_dropped: u64,
    pub(super) violation: Option<Violation>,
    pub(super) echo_failure: Option<String>,
    pub(super) echo_note: Option<String>,
    pub(super) closing: Closing,
    pub(super) frames_sent: u64,
    pub(super) frames_received: u64,
    pub(super) error: Option<String>,
    pub(super) handshake_failure: Option<String>,
    pub(super) unimplemented: bool,
    pub(super) timed_out: bool,
}

impl<'c> WsRun<'c> {
    /// Prepares a run of the WebSocket case `case`.
    pub fn new(case: &'c Case, ws: &'c WsScenario, vars: &'c Vars, mut cfg: EngineConfig) -> Self {
        if let Some(t) = case.timeout {
            cfg.case_timeout = t;
        }
        if let Some(t) = case.step_timeout {
            cfg.step_timeout = t;
        }
        let mut rng = Rng::new(cfg.seed);
        let key = ws
            .handshake
            .key
            .clone()
            .unwrap_or_else(|| key_from_bytes(rng.nonce()));
        let keep = cfg.ws.keep;
        let wants = ws
            .expect
            .outcomes
            .iter()
            .map(|o| o.iter().map(|e| Want::of(e, keep)).collect())
            .collect();
        WsRun {
            case,
            ws,
            vars,
            // Frames are listed line by line; raw wire bytes (masked, mostly) are kept only
            // for the handshake and the first frames, so 500 cases stay within memory.
            transcript: Transcript::new(cfg.transcript_cap.min(WIRE_BYTES_KEPT)),
            hs_decoder: ResponseDecoder::new(DecodeLimits::default(), true),
            cfg,
            rng,
            now: Duration::ZERO,
            stage: Stage::Connect,
            connected: false,
            tls: None,
            key,
            wants,
            hs_sent: false,
            hs_buf: Vec::new(),
            hs_deadline: Duration::ZERO,
            negotiated: Negotiated::default(),
            opened_at: None,
            lost_at: None,
            reader: None,
            compressor: None,
            urgent: VecDeque::new(),
            pongs_coalesced: false,
            pong_went_last: false,
            current: None,
            ops: VecDeque::new(),
            step: 0,
            script_stopped: false,
            received: Vec::new(),
            received_dropped: 0,
            violation: None,
            echo_failure: None,
            echo_note: None,
            closing: Closing::default(),
            frames_sent: 0,
            frames_received: 0,
            error: None,
            handshake_failure: None,
            unimplemented: false,
            timed_out: false,
        }
    }

    fn us(&self) -> u64 {
        self.now.as_micros() as u64
    }

    pub(super) fn note(&mut self, text: String) {
        let us = self.us();
        self.transcript.event(us, text);
    }

    pub(super) fn scaled(&self, d: Duration) -> Duration {
        self.cfg.ws.scaled(d)
    }

    pub(super) fn cap(&self, d: Duration) -> Duration {
        d.min(self.cfg.case_timeout)
    }

    /// Ends the case: drop the connection if it is open.
    fn finish(&mut self) -> Action {
        self.stage = Stage::Done;
        if self.connected {
            self.connected = false;
            if self.lost_at.is_none() {
                self.lost_at = Some(self.now);
                self.closing.dropped_by_me = true;
            }
            return Action::Close;
        }
        Action::Finish
    }

    /// The next thing to do.
    pub fn next_action(&mut self) -> Action {
        loop {
            if self.now >= self.cfg.case_timeout
                && !matches!(self.stage, Stage::Done)
                && self.error.is_none()
            {
                self.timed_out = true;
                self.note(format!(
                    "case timeout ({:?}) reached: dropping the connection",
                    self.cfg.case_timeout
                ));
                self.stage = Stage::Done;
            }
            match self.stage {
                Stage::Done => return self.finish(),
                Stage::Connect => {
                    self.stage = Stage::Handshake;
                    return Action::Connect;
                }
                Stage::Handshake => {
                    if !self.hs_sent {
                        self.hs_sent = true;
                        self.hs_deadline = self.now + self.cfg.step_timeout;
                        let bytes = handshake::request(&self.ws.handshake, self.vars, &self.key);
                        return Action::Transfer {
                            bytes,
                            deadline: self.cap(self.hs_deadline),
                        };
                    }
                    if self.now >= self.hs_deadline {
                        self.handshake_failure = Some(format!(
                            "no complete answer to the upgrade request within {:?}",
                            self.cfg.step_timeout
                        ));
                        self.stage = Stage::Done;
                        continue;
                    }
                    return Action::Read {
                        deadline: self.cap(self.hs_deadline),
                    };
                }
                Stage::Open => {
                    if let Some(a) = self.open_action() {
                        return a;
                    }
                }
            }
        }
    }

    /// One action in the open stage, or `None` when the stage changed.
    fn open_action(&mut self) -> Option<Action> {
        if self.lost_at.is_some() {
            self.stage = Stage::Done;
            return None;
        }
        if let Some((unit, pong)) = self.urgent.front_mut() {
            // After one pong, a pong lets the script take a turn: a server that floods pings
            // keeps a pong queued at all times, and the script and its timers (kill_after,
            // close_after, the end wait) must still run. Closes always go first.
            let is_pong = *pong;
            let yield_turn = is_pong && self.pong_went_last && !self.script_stopped;
            if !yield_turn {
                let bytes = unit.next_write();
                if unit.is_done() {
                    self.urgent.pop_front();
                }
                self.pong_went_last = is_pong;
                let deadline = self.cap(self.now + self.cfg.step_timeout);
                return Some(Action::Transfer { bytes, deadline });
            }
            self.pong_went_last = false;
        }
        // The closing handshake is done: the server must now drop TCP.
        if let Some(deadline) = self.closing.drop_deadline {
            if self.now >= deadline {
                self.closing.server_drop_timeout = true;
                self.closing
                    .unclean("server did not drop TCP connection (in time)");
                self.note(
                    "the server did not close TCP after the closing handshake: dropping it".into(),
                );
                self.stage = Stage::Done;
                return None;
            }
            return Some(Action::Read {
                deadline: self.cap(deadline),
            });
        }
        if let Some(deadline) = self.closing.reply_deadline {
            if self.now >= deadline {
                self.closing.close_handshake_timeout = true;
                self.closing
                    .unclean("peer did not respond (in time) in closing handshake");
                self.note("no Close reply in time: dropping the connection".into());
                self.stage = Stage::Done;
                return None;
            }
            if self.script_stopped {
                return Some(Action::Read {
                    deadline: self.cap(deadline),
                });
            }
        }
        if self.script_stopped {
            // Nothing more to send and no close started (cannot happen: stopping the script
            // always starts or completes a close); wait for the end.
            return Some(Action::Read {
                deadline: self.cfg.case_timeout,
            });
        }
        self.script_action()
    }

    pub(super) fn read_until(&self, until: Duration) -> Action {
        let mut d = until;
        if let Some(r) = self.closing.reply_deadline {
            d = d.min(r);
        }
        Action::Read {
            deadline: self.cap(d),
        }
    }

    fn script_action(&mut self) -> Option<Action> {
        loop {
            if self.current.is_none() {
                self.current = self.ops.pop_front();
            }
            if self.current.is_none() {
                if !self.plan_next_step() {
                    return None;
                }
                continue;
            }
            let now = self.now;
            let step_timeout = self.cfg.step_timeout;
            match self.current.as_mut().expect("set above") {
                Op::Write(unit) => {
                    let bytes = unit.next_write();
                    if unit.is_done() {
                        self.current = None;
                    }
                    return Some(Action::Transfer {
                        bytes,
                        deadline: self.cap(now + step_timeout.max(Duration::from_secs(10))),
                    });
                }
                Op::Wait(w) => {
                    let until = *w.until.get_or_insert(now + w.dur);
                    if now < until {
                        return Some(self.read_until(until));
                    }
                    let Some(Op::Wait(w)) = self.current.take() else {
                        unreachable!()
                    };
                    match w.kind {
                        WaitKind::Tag(Some(tag)) => {
                            self.note(format!("wait {tag} over"));
                            self.record(Received::Timeout(tag));
                            self.early_close();
                        }
                        WaitKind::Tag(None) => {}
                        WaitKind::Kill => {
                            self.note(format!(
                                "kill timer ({:?}) fired: failing the connection with 1001",
                                w.dur
                            ));
                            self.start_close(Some(1001), b"Going Away", true);
                        }
                        WaitKind::CloseAfter => {
                            self.note(format!("close timer ({:?}) fired", w.dur));
                            self.start_close(None, b"", true);
                        }
                    }
                    return None;
                }
                Op::Echo(_) => {
                    if let Some(a) = self.echo_action() {
                        return Some(a);
                    }
                    if self.script_stopped {
                        return None;
                    }
                }
            }
        }
    }

    /// Turns the next script step into operations; false when the script is over.
    fn plan_next_step(&mut self) -> bool {
        let ws = self.ws;
        let Some(step) = ws.steps.get(self.step) else {
            // After the script: wait for the end, then fail the connection like Autobahn's
            // kill timer.
            if !self.closing.started() {
                let dur = self.scaled(self.cfg.ws.end_wait);
                self.push_wait(dur, WaitKind::Kill);
                self.step += 1;
                return true;
            }
            self.script_stopped = true;
            return false;
        };
        self.step += 1;
        match &step.kind {
            WsStepKind::Frames { frames, shape } => {
                let mut planned = Vec::new();
                for f in frames {
                    if f.opcode == opcode::CLOSE {
                        let p = f.payload.to_vec();
                        let code = (p.len() >= 2).then(|| u16::from_be_bytes([p[0], p[1]]));
                        self.closing.sent_close(
                            self.now,
                            code,
                            self.cfg.ws.scaled(self.cfg.ws.close_timeout),
                        );
                    }
                    planned.push(plan_frame(f, &mut self.rng));
                }
                self.push_frames(planned, *shape);
            }
            WsStepKind::StreamFrame { frame, pause, tags } => {
                let PlannedFrame { segs, note } = plan_frame(frame, &mut self.rng);
                self.frames_sent += 1;
                self.note(note);
                let mut segs = segs.into_iter();
                let (Some(header), Some(Seg::Borrowed { mask, .. })) = (segs.next(), segs.next())
                else {
                    unreachable!("plan_frame gives a header and a borrowed payload")
                };
                // The header goes with the first piece; each later piece after a pause.
                let pause = self.scaled(*pause);
                let mut unit = WriteUnit::new(None);
                unit.push(header);
                let mut pos = 0u64;
                for (i, piece) in frame.payload.pieces.iter().enumerate() {
                    if i > 0 {
                        let written = std::mem::replace(&mut unit, WriteUnit::new(None));
                        self.ops.push_back(Op::Write(written));
                        self.push_wait(pause, WaitKind::Tag(tags.get(i - 1).cloned()));
                    }
                    unit.push(Seg::Borrowed {
                        payload: &frame.payload,
                        pos,
                        end: pos + piece.len(),
                        mask,
                        base: 0,
                    });
                    pos += piece.len();
                }
                self.ops.push_back(Op::Write(unit));
            }
            WsStepKind::Message {
                binary,
                payload,
                fragment,
                compress,
                shape,
            } => {
                let frames = if *compress && self.compressor.is_some() {
                    self.message_frames(&payload.to_vec(), *binary, *fragment)
                } else {
                    plan_message(payload, *binary, *fragment, &mut self.rng)
                };
                self.push_frames(frames, *shape);
            }
            WsStepKind::Raw(p) => {
                self.note(format!("→ {} raw bytes", p.len()));
                let mut unit = WriteUnit::new(None);
                unit.push(Seg::Borrowed {
                    payload: p,
                    pos: 0,
                    end: p.len(),
                    mask: None,
                    base: 0,
                });
                self.ops.push_back(Op::Write(unit));
            }
            WsStepKind::Wait { duration, tag } => {
                let dur = self.scaled(*duration);
                self.push_wait(dur, WaitKind::Tag(tag.clone()));
            }
            WsStepKind::KillAfter(d) => {
                let dur = self.scaled(*d);
                self.push_wait(dur, WaitKind::Kill);
            }
            WsStepKind::CloseAfter(d) => {
                let dur = self.scaled(*d);
                self.push_wait(dur, WaitKind::CloseAfter);
            }
            WsStepKind::EchoLoop(spec) => {
                let count = match self.cfg.ws.echo_limit {
                    Some(limit) => spec.count.min(limit.max(1)),
                    None => spec.count,
                };
                self.ops
                    .push_back(Op::Echo(Box::new(Echo::new(spec, count, self.now))));
            }
        }
        true
    }

    fn push_frames(&mut self, frames: Vec<PlannedFrame<'c>>, shape: Shape) {
        self.frames_sent += frames.len() as u64;
        let (units, notes) = shape_units(frames, shape);
        for n in notes {
            self.note(n);
        }
        for u in units {
            self.ops.push_back(Op::Write(u));
        }
    }

    fn push_wait(&mut self, dur: Duration, kind: WaitKind) {
        self.ops.push_back(Op::Wait(Wait {
            dur,
            until: None,
            kind,
        }));
    }

    /// No more script steps: the connection is closing.
    pub(super) fn stop_script(&mut self) {
        self.script_stopped = true;
        self.current = None;
        self.ops.clear();
    }

    /// Queues a control frame (pong, close) ahead of any script write.
    pub(super) fn send_control(&mut self, op: u8, payload: Vec<u8>) {
        let pong = op == opcode::PONG;
        if pong {
            // RFC 6455 §5.5.3: an endpoint that has not yet answered earlier pings "MAY elect
            // to send a Pong frame for only the most recently processed Ping frame". Without
            // this a ping flood queues one pong per ping, faster than they can be written.
            let before = self.urgent.len();
            self.urgent.retain(|(_, is_pong)| !is_pong);
            let replaced = before - self.urgent.len();
            if replaced > 0 {
                self.frames_sent -= replaced as u64;
                if !self.pongs_coalesced {
                    self.pongs_coalesced = true;
                    self.note(
                        "pings arrive faster than pongs can be written: answering only the most recent (RFC 6455 §5.5.3)"
                            .into(),
                    );
                }
            }
        }
        let frame = owned_frame(true, 0, op, payload, &mut self.rng);
        self.frames_sent += 1;
        // Once pongs are being coalesced, most queued pongs are never written: one note
        // said so, and listing each would fill the transcript.
        if !(pong && self.pongs_coalesced) {
            self.note(frame.note.clone());
        }
        let mut unit = WriteUnit::new(None);
        for s in frame.segs {
            unit.push(s);
        }
        self.urgent.push_back((unit, pong));
    }

    /// The frames of a message with owned bytes, compressed when permessage-deflate was
    /// negotiated (RFC 7692 §6).
    pub(super) fn message_frames(
        &mut self,
        data: &[u8],
        binary: bool,
        fragment: Option<usize>,
    ) -> Vec<PlannedFrame<'c>> {
        match &mut self.compressor {
            Some(c) => {
                let z = c.compress_message(data);
                owned_message(&z, binary, true, fragment, &mut self.rng)
            }
            None => owned_message(data, binary, false, fragment, &mut self.rng),
        }
    }

    /// Sends a Close (once). `auto`: the script stops (timers, early close, violations).
    pub(super) fn start_close(&mut self, code: Option<u16>, reason: &[u8], auto: bool) {
        if auto {
            self.stop_script();
        }
        if self.closing.sent.is_some() {
            return;
        }
        let payload = match code {
            Some(c) => encode_close_payload(Some(c), reason),
            None => Vec::new(),
        };
        self.send_control(opcode::CLOSE, payload);
        let timeout = self.cfg.ws.scaled(self.cfg.ws.close_timeout);
        self.closing.sent_close(self.now, code, timeout);
    }

    /// Autobahn's `finishWhenDone`: once what arrived equals every expected list and we are
    /// the side that closes, close at once instead of waiting for a timer.
    pub(super) fn early_close(&mut self) {
        let spec = &self.ws.expect.close;
        if spec.by != Closer::Harness || !spec.early || self.closing.started() {
            return;
        }
        if self.echo_failure.is_some() || self.violation.is_some() {
            return;
        }
        if self.wants.iter().all(|w| list_matches(w, &self.received)) {
            let code = self.ws.expect.close.codes.first().copied().unwrap_or(1000);
            self.start_close(Some(code), b"", true);
        }
    }

    fn on_handshake_data(&mut self, data: &[u8]) {
        self.hs_buf.extend_from_slice(data);
        match self.hs_decoder.feed(&self.hs_buf, false) {
            Ok(Progress::Done { consumed, response }) => {
                let rest = self.hs_buf.split_off(consumed.min(self.hs_buf.len()));
                self.hs_buf.clear();
                match handshake::check(&self.ws.handshake, &self.key, &response) {
                    Ok(n) => {
                        self.note(format!(
                            "handshake done: protocol {}, extensions {}",
                            n.protocol.as_deref().unwrap_or("none"),
                            n.extensions.as_deref().unwrap_or("none")
                        ));
                        self.reader = Some(MessageReader::new(
                            ReaderLimits {
                                keep: self.cfg.ws.keep,
                            },
                            n.deflate,
                        ));
                        self.compressor = n.deflate.as_ref().map(Compressor::new);
                        let need_deflate = self.ws.handshake.require_deflate && n.deflate.is_none();
                        self.negotiated = n;
                        self.stage = Stage::Open;
                        self.opened_at = Some(self.now);
                        if need_deflate {
                            self.unimplemented = true;
                            self.note("permessage-deflate was not negotiated: the case is unimplemented for this server".into());
                            self.start_close(Some(1000), b"", true);
                        }
                        if !rest.is_empty() {
                            self.feed(&rest);
                        }
                    }
                    Err(why) => {
                        self.handshake_failure = Some(why);
                        self.stage = Stage::Done;
                    }
                }
            }
            Ok(Progress::NeedMore { .. }) => {}
            Err(e) => {
                self.handshake_failure =
                    Some(format!("the answer to the upgrade is not HTTP: {e}"));
                self.stage = Stage::Done;
            }
        }
    }

    /// Reports the outcome of the last action.
    pub fn handle(&mut self, at: Duration, event: Event<'_>) {
        self.now = self.now.max(at);
        let us = self.us();
        match event {
            Event::Connected => {
                self.connected = true;
                self.transcript.event(us, "connected");
            }
            Event::TlsEstablished(facts) => {
                self.transcript.event(us, facts.describe());
                self.tls = Some(facts);
            }
            Event::TlsCloseWithoutNotify => self
                .transcript
                .event(us, "TLS: the server closed without a close_notify alert"),
            Event::ConnectFailed(why) | Event::TlsFailed(why) => {
                self.transcript.event(us, format!("connect failed: {why}"));
                self.error = Some(format!("could not connect to the target: {why}"));
                self.stage = Stage::Done;
            }
            Event::Data(data) => {
                self.transcript.bytes(us, Direction::Received, data);
                match self.stage {
                    Stage::Handshake => self.on_handshake_data(data),
                    Stage::Open => self.feed(data),
                    _ => {}
                }
            }
            Event::Eof | Event::Reset(_) => {
                let what = match &event {
                    Event::Reset(why) => format!("connection reset ({why})"),
                    _ => "closed by the server (FIN)".to_string(),
                };
                self.transcript.event(us, what.clone());
                self.connected = false;
                if self.lost_at.is_none() {
                    self.lost_at = Some(self.now);
                }
                match self.stage {
                    Stage::Handshake => {
                        self.handshake_failure =
                            Some(format!("the connection ended before a 101: {what}"));
                    }
                    Stage::Open if !self.closing.complete() => {
                        self.closing.unclean(
                            "peer dropped the TCP connection without previous WebSocket closing handshake",
                        );
                    }
                    _ => {}
                }
                self.stage = Stage::Done;
            }
            Event::WriteFailed(why) => {
                self.transcript.event(us, format!("write failed: {why}"));
            }
            Event::Closed => {
                self.transcript
                    .event(us, "connection dropped by the harness");
            }
            Event::Wrote
            | Event::Timeout
            | Event::Slept
            | Event::ShutdownDone
            | Event::ShutdownFailed(_) => {}
        }
    }

    /// Records bytes the runner wrote.
    pub fn record_sent(&mut self, at: Duration, bytes: &[u8]) {
        self.now = self.now.max(at);
        let us = self.us();
        self.transcript.bytes(us, Direction::Sent, bytes);
    }

    /// Abandons the run (interrupt, harness fault).
    pub fn abort(&mut self, at: Duration, why: &str) {
        self.now = self.now.max(at);
        self.note(format!("aborted: {why}"));
        if self.error.is_none() {
            self.error = Some(why.to_string());
        }
        self.stage = Stage::Done;
    }
}
