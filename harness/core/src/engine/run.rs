//! [`HttpRun`]: one HTTP/TCP case, from its first action to its verdict.

use std::collections::VecDeque;
use std::time::Duration;

use super::action::{Action, Event};
use super::alternative::{preview, secs, AltRun, AltState, End, IdleOutcome, Seen};
use super::config::EngineConfig;
use super::tcp::ConnWatch;
use crate::check::{
    certificate_findings, rule, validate_exchange, validate_exchanges, Exchange, ResponseContext,
    TlsState,
};
use crate::model::{Case, ExpectGroup, Level, Send, SendWhat, Split, StepKind};
use crate::result::{
    human_us, CaseResult, ConnectionEnd, ConnectionRecord, Direction, Failure, Finding, Transcript,
    Verdict,
};
use crate::text::Vars;
use crate::wire::http1::{encode_request, Framing, RequestScanner};

/// Where the engine is in the case.
enum Phase<'c> {
    /// Running step `usize`; actions queued for it are in `queue`.
    Steps,
    /// Waiting on an expectation group.
    Expecting(Vec<AltRun<'c>>),
    /// After the steps: waiting for the close a `Connection: close` announced.
    AwaitClose { deadline: Duration },
    /// After the steps: looking for content after a response that must have none.
    Drain { deadline: Duration },
    /// Done.
    Done,
}

#[derive(Default)]
struct Conn {
    open: bool,
    ended: Option<End>,
    /// The TLS state of this connection.
    tls: TlsState,
}

/// One HTTP/TCP case being run.
pub struct HttpRun<'c> {
    case: &'c Case,
    /// Target and matrix variables, plus those captured from responses so far.
    vars: Vars,
    cfg: EngineConfig,
    step: usize,
    queue: VecDeque<Action>,
    phase: Phase<'c>,
    conn: Conn,
    leftover: Vec<u8>,
    now: Duration,
    transcript: Transcript,
    responses: Vec<Seen>,
    failure: Option<Failure>,
    error: Option<String>,
    non_strict: Option<String>,
    findings: Vec<Finding>,
    awaiting_read: bool,
    /// The first write that failed, if any: a later failure names it, since a server that
    /// stopped reading explains a missing response better than the wait for it does.
    write_failed: Option<String>,
    /// Bytes after the steps not kept in `leftover` (past [`LEFTOVER_KEPT`]).
    leftover_dropped: u64,
    /// The last TLS session established, for the result.
    last_tls: Option<Box<crate::result::TlsFacts>>,
    /// The open connection, watched for how and when it ends.
    watch: Option<ConnWatch>,
    /// Every connection that ended, in order.
    connections: Vec<ConnectionRecord>,
    /// Connections opened so far.
    opened: u32,
    /// The requests written on each connection, read back for the validators.
    scanners: Vec<RequestScanner>,
}

/// Most bytes kept from what arrives after the steps (for findings about stray bytes).
const LEFTOVER_KEPT: usize = 64 * 1024;

impl<'c> HttpRun<'c> {
    /// Prepares a run of `case` with target variables `vars`.
    pub fn new(case: &'c Case, vars: &'c Vars, mut cfg: EngineConfig) -> Self {
        if let Some(t) = case.timeout {
            cfg.case_timeout = t;
        }
        if let Some(t) = case.step_timeout {
            cfg.step_timeout = t;
        }
        let transcript = Transcript::new(cfg.transcript_cap);
        HttpRun {
            case,
            vars: vars.clone(),
            cfg,
            step: 0,
            queue: VecDeque::new(),
            phase: Phase::Steps,
            conn: Conn::default(),
            leftover: Vec::new(),
            now: Duration::ZERO,
            transcript,
            responses: Vec::new(),
            failure: None,
            error: None,
            non_strict: None,
            findings: Vec::new(),
            awaiting_read: false,
            write_failed: None,
            leftover_dropped: 0,
            last_tls: None,
            watch: None,
            connections: Vec::new(),
            opened: 0,
            scanners: vec![RequestScanner::new()],
        }
    }

    fn us(&self) -> u64 {
        self.now.as_micros() as u64
    }

    /// The next thing to do.
    pub fn next_action(&mut self) -> Action {
        loop {
            if let Some(a) = self.queue.pop_front() {
                return a;
            }
            match &mut self.phase {
                Phase::Done => {
                    if self.conn.open {
                        self.conn.open = false;
                        return Action::Close;
                    }
                    return Action::Finish;
                }
                Phase::Expecting(alts) => {
                    if self.conn.ended.is_some() || !self.conn.open {
                        // Nothing more can arrive; the alternatives resolve on what they have.
                        let now = self.now;
                        let ended = self.conn.ended.clone().unwrap_or(End::Fin);
                        for alt in alts.iter_mut() {
                            alt.on_end(ended.clone());
                            alt.advance(now, &self.vars);
                        }
                        self.try_resolve();
                        continue;
                    }
                    let deadline = alts
                        .iter()
                        .filter_map(AltRun::deadline)
                        .min()
                        .unwrap_or(self.now);
                    self.awaiting_read = true;
                    return Action::Read {
                        deadline: deadline.min(self.cfg.case_timeout),
                    };
                }
                Phase::AwaitClose { deadline } | Phase::Drain { deadline } => {
                    if self.conn.ended.is_some() || !self.conn.open {
                        self.after_steps();
                        continue;
                    }
                    self.awaiting_read = true;
                    return Action::Read {
                        deadline: (*deadline).min(self.cfg.case_timeout),
                    };
                }
                Phase::Steps => {
                    if self.error.is_some() || self.failure.is_some() {
                        self.phase = Phase::Done;
                        continue;
                    }
                    let Some(step) = self.case.steps.get(self.step) else {
                        self.start_after_steps();
                        continue;
                    };
                    self.step += 1;
                    self.plan_step(&step.kind);
                }
            }
        }
    }

    fn ensure_connected(&mut self) {
        if !self.conn.open && self.conn.ended.is_none() {
            self.queue.push_back(Action::Connect);
            self.conn.open = true;
        }
    }

    fn plan_step(&mut self, kind: &'c StepKind) {
        match kind {
            StepKind::Connect => {
                if self.conn.open {
                    self.queue.push_back(Action::Close);
                }
                self.conn = Conn::default();
                self.leftover.clear();
                self.scanners.push(RequestScanner::new());
                self.ensure_connected();
            }
            StepKind::ConnectWith(transport) => {
                if self.conn.open {
                    self.queue.push_back(Action::Close);
                }
                self.conn = Conn::default();
                self.leftover.clear();
                self.scanners.push(RequestScanner::new());
                self.queue.push_back(Action::ConnectWith(transport.clone()));
                self.conn.open = true;
            }
            StepKind::Send(send) => {
                self.ensure_connected();
                self.plan_send(send);
            }
            StepKind::HalfClose => {
                self.ensure_connected();
                self.queue.push_back(Action::ShutdownWrite);
            }
            StepKind::Sleep(d) => {
                let left = self.cfg.case_timeout.saturating_sub(self.now);
                self.queue.push_back(Action::Sleep((*d).min(left)));
            }
            StepKind::Expect(group) => {
                self.ensure_connected();
                self.start_group(group);
            }
        }
    }

    fn plan_send(&mut self, send: &Send) {
        let bytes = match &send.what {
            SendWhat::Raw(p) => crate::wire::http1::render_payload(p, &self.vars),
            SendWhat::Request(r) => encode_request(r, &self.vars),
        };
        if let Some(scanner) = self.scanners.last_mut() {
            scanner.feed(&bytes);
        }
        let mut chunks: Vec<Vec<u8>> = Vec::new();
        let pause = match &send.split {
            Split::Whole => {
                chunks.push(bytes);
                Duration::ZERO
            }
            Split::Every { size, pause } => {
                chunks.extend(bytes.chunks(*size).map(<[u8]>::to_vec));
                *pause
            }
            Split::At { sizes, pause } => {
                let mut rest = bytes.as_slice();
                for &s in sizes {
                    let (head, tail) = rest.split_at(s.min(rest.len()));
                    if !head.is_empty() {
                        chunks.push(head.to_vec());
                    }
                    rest = tail;
                }
                if !rest.is_empty() {
                    chunks.push(rest.to_vec());
                }
                *pause
            }
        };
        let n = chunks.len();
        for (i, chunk) in chunks.into_iter().enumerate() {
            self.queue.push_back(Action::Write(chunk));
            if i + 1 < n && !pause.is_zero() {
                self.queue.push_back(Action::Sleep(pause));
            }
        }
    }

    fn start_group(&mut self, group: &'c ExpectGroup) {
        let alts = group
            .alternatives
            .iter()
            .map(|a| {
                AltRun::new(
                    &a.steps,
                    self.leftover.clone(),
                    self.conn.ended.clone(),
                    self.conn.tls.clone(),
                    self.now,
                    self.cfg.limits,
                    self.cfg.step_timeout,
                )
            })
            .collect();
        self.phase = Phase::Expecting(alts);
        self.advance_alts();
    }

    fn advance_alts(&mut self) {
        if let Phase::Expecting(alts) = &mut self.phase {
            for alt in alts.iter_mut() {
                alt.advance(self.now, &self.vars);
            }
        }
        self.try_resolve();
    }

    /// Decides the group once the preferred passing alternative is known.
    fn try_resolve(&mut self) {
        let Phase::Expecting(alts) = &mut self.phase else {
            return;
        };
        let equal = {
            let StepKind::Expect(group) = &self.case.steps[self.step - 1].kind else {
                unreachable!("expecting runs an expectation step")
            };
            group.equal
        };
        let mut chosen = None;
        for (i, alt) in alts.iter().enumerate() {
            match alt.state {
                AltState::Passed => {
                    chosen = Some(i);
                    break;
                }
                AltState::Failed(_) => continue,
                // `any_of` waits for an earlier alternative to settle; `either` does not.
                AltState::Pending if equal => continue,
                AltState::Pending => break,
            }
        }
        let all_failed = alts.iter().all(|a| matches!(a.state, AltState::Failed(_)));
        let past_deadline = self.now >= self.cfg.case_timeout;
        if chosen.is_none() && !all_failed && !past_deadline {
            return;
        }
        let Phase::Expecting(mut alts) = std::mem::replace(&mut self.phase, Phase::Steps) else {
            unreachable!()
        };
        let step_index = self.step - 1;
        let step = &self.case.steps[step_index];
        let StepKind::Expect(group) = &step.kind else {
            unreachable!()
        };
        match chosen {
            Some(i) => {
                let alt = alts.swap_remove(i);
                if i > 0 && !group.equal && self.non_strict.is_none() {
                    let why = describe_failures(&alts[..i], group);
                    self.non_strict = Some(format!(
                        "passed through alternative {} of {} (line {}), not the preferred one: {}",
                        i + 1,
                        group.alternatives.len(),
                        group.alternatives[i].loc.line,
                        why
                    ));
                }
                self.leftover = alt.buf;
                self.vars.extend(alt.captured);
                let conn = self.scanners.len() - 1;
                self.responses
                    .extend(alt.seen.into_iter().map(|s| Seen { conn, ..s }));
                for outcome in alt.idle {
                    self.idle_finding(outcome);
                }
            }
            None => {
                let (expected, actual, message) = if all_failed {
                    let first = alts.iter().find_map(|a| match &a.state {
                        AltState::Failed(f) => Some(f.clone()),
                        _ => None,
                    });
                    let f = first.expect("all failed");
                    let msg = if alts.len() > 1 {
                        format!("no alternative held: {}", describe_failures(&alts, group))
                    } else {
                        format!(
                            "{}: expected {}, got {}",
                            f.mismatch.what, f.mismatch.expected, f.mismatch.actual
                        )
                    };
                    (f.mismatch.expected, f.mismatch.actual, msg)
                } else {
                    let waiting = format!(
                        "the case timeout ({}) ran out while waiting",
                        secs(self.cfg.case_timeout)
                    );
                    (
                        "to finish within the case timeout".to_string(),
                        waiting.clone(),
                        waiting,
                    )
                };
                let conn = self.scanners.len() - 1;
                for alt in &alts {
                    self.responses
                        .extend(alt.seen.iter().cloned().map(|s| Seen { conn, ..s }));
                }
                let message = self.note_write_failure(message);
                let loc = match alts.first().map(|a| &a.state) {
                    Some(AltState::Failed(f)) if group.alternatives.len() == 1 => {
                        group.alternatives[0].steps[f.index].loc
                    }
                    _ => step.loc,
                };
                self.failure = Some(Failure {
                    step: step_index,
                    step_kind: step.kind.name().to_string(),
                    line: loc.line,
                    col: loc.col,
                    expected,
                    actual,
                    message,
                });
            }
        }
    }

    fn start_after_steps(&mut self) {
        // Only the current connection's responses: a `Connection: close` on an earlier
        // connection (closed before a `connect` step) says nothing about this one.
        let current = self.scanners.len() - 1;
        let announced_close = self
            .responses
            .iter()
            .filter(|s| s.conn == current)
            .any(|s| s.response.list_contains("connection", "close"));
        if announced_close && self.conn.open && self.conn.ended.is_none() {
            self.phase = Phase::AwaitClose {
                deadline: self.now + self.cfg.close_grace,
            };
            return;
        }
        self.after_close_wait();
    }

    /// True when the last final response read must end at its header section (HEAD, 204,
    /// 304), so any byte after it is stray content.
    fn last_response_bodiless(&self) -> bool {
        self.responses
            .last()
            .is_some_and(|s| s.response.framing == Framing::NoBody && !s.response.is_interim())
    }

    fn after_close_wait(&mut self) {
        let last_bodiless = self.last_response_bodiless();
        if last_bodiless
            && self.leftover.is_empty()
            && self.conn.open
            && self.conn.ended.is_none()
            && !self.cfg.drain.is_zero()
        {
            self.phase = Phase::Drain {
                deadline: self.now + self.cfg.drain,
            };
            return;
        }
        self.check_leftover();
        self.phase = Phase::Done;
    }

    /// Called when an after-steps phase can learn nothing more.
    fn after_steps(&mut self) {
        match self.phase {
            Phase::AwaitClose { .. } => {
                if self.conn.ended.is_none() && self.conn.open {
                    self.finding("connection-close", format!(
                        "the response said `Connection: close` but the connection was still open {} later",
                        secs(self.cfg.close_grace)
                    ));
                }
                self.after_close_wait();
            }
            Phase::Drain { .. } => {
                self.check_leftover();
                self.phase = Phase::Done;
            }
            _ => {}
        }
    }

    fn check_leftover(&mut self) {
        let last_bodiless = self.last_response_bodiless();
        if last_bodiless && !self.leftover.is_empty() && !self.leftover.starts_with(b"HTTP/") {
            let status = self
                .responses
                .last()
                .map(|s| s.response.status)
                .unwrap_or(0);
            self.finding(
                "no-content",
                format!(
                    "{} bytes followed a {status} response that has no content: {:?}",
                    self.leftover.len() as u64 + self.leftover_dropped,
                    preview(&self.leftover)
                ),
            );
        }
    }

    /// `message`, followed by the failed write if there was one.
    fn note_write_failure(&self, message: String) -> String {
        match &self.write_failed {
            Some(why) => format!("{message} (a write had failed before: {why})"),
            None => message,
        }
    }

    /// The connection is over: nothing more arrives, and waiting alternatives learn how.
    fn mark_ended(&mut self, end: End) {
        if let Phase::Expecting(alts) = &mut self.phase {
            alts.iter_mut().for_each(|a| a.on_end(end.clone()));
        }
        self.conn.ended = Some(end);
    }

    fn finding(&mut self, rule_id: &str, message: String) {
        if self.case.skip_validators.iter().any(|s| s == rule_id) {
            return;
        }
        let rule = rule(rule_id);
        if !self.findings.iter().any(|f| f.rule == rule_id) {
            self.findings.push(Finding::from_rule(rule, message));
        }
    }

    /// Reports what an `expect_idle_close` measured, as information.
    fn idle_finding(&mut self, outcome: IdleOutcome) {
        let message = match outcome {
            IdleOutcome::Closed(end, after) => {
                let how = match end {
                    End::Fin => "with FIN".to_string(),
                    End::Reset(why) => format!("with a reset ({why})"),
                };
                let since_response = self
                    .connections
                    .last()
                    .and_then(|rec| rec.after_last_response_us)
                    .map(|us| format!(", {} after the last response ended", human_us(us)))
                    .unwrap_or_default();
                format!(
                    "the server closed the idle connection {how} after {}{since_response}",
                    human_us(after.as_micros() as u64)
                )
            }
            IdleOutcome::StillOpen(bound) => {
                let idle = self.watch.as_ref().map_or(bound, |w| w.idle(self.now));
                format!(
                    "the connection was still open after {} idle: no idle timeout within the {} bound (keeping it is allowed)",
                    human_us(idle.as_micros() as u64),
                    secs(bound)
                )
            }
        };
        self.finding("idle-timeout", message);
    }

    /// Ends the watch of the current connection, recording how it ended; returns the summary.
    fn end_watch(&mut self, how: ConnectionEnd, reset: Option<String>) -> Option<String> {
        let watch = self.watch.take()?;
        let rec = watch.finish(how, self.now, reset);
        let summary = rec.summary.clone();
        self.connections.push(rec);
        Some(summary)
    }

    /// Reports the outcome of the last action, `at` after the case started.
    pub fn handle(&mut self, at: Duration, event: Event<'_>) {
        self.now = self.now.max(at);
        let us = self.us();
        let was_read = std::mem::take(&mut self.awaiting_read);
        match event {
            Event::Connected => {
                self.opened += 1;
                self.watch = Some(ConnWatch::new(self.opened, self.now, self.cfg.limits));
                self.transcript.event(us, "connected");
            }
            Event::TlsEstablished(facts) => {
                self.transcript.event(us, facts.describe());
                let host = self.vars.get("host").map_or("", String::as_str);
                for (rule_id, message) in certificate_findings(&facts, host, self.cfg.start_unix) {
                    self.finding(rule_id, message);
                }
                self.conn.tls = TlsState::Established(facts.clone());
                self.last_tls = Some(facts);
            }
            Event::TlsFailed(why) => {
                // An observation, not a harness error: `expect_tls` judges it. Nothing more can
                // be sent or received on this connection.
                self.transcript
                    .event(us, format!("TLS handshake failed: {why}"));
                self.conn.tls = TlsState::Failed(why.clone());
                self.mark_ended(End::Reset(format!("TLS handshake failed: {why}")));
            }
            Event::TlsCloseWithoutNotify => {
                self.transcript
                    .event(us, "TLS: the server closed without a close_notify alert");
                self.finding(
                    "tls-close-notify",
                    "the server closed its side of the TLS connection (TCP FIN) without sending close_notify".into(),
                );
            }
            Event::ConnectFailed(why) => {
                self.transcript.event(us, format!("connect failed: {why}"));
                self.error = Some(format!("could not connect to the target: {why}"));
                self.conn.open = false;
                self.queue.clear();
                self.phase = Phase::Done;
            }
            Event::Wrote => {}
            Event::WriteFailed(why) => {
                self.transcript.event(us, format!("write failed: {why}"));
                if let Some(w) = self.watch.as_mut() {
                    w.write_failed(self.now, &why);
                }
                self.write_failed.get_or_insert(why);
                // Later writes of this step cannot succeed; the expectations decide the verdict.
                self.queue
                    .retain(|a| !matches!(a, Action::Write(_) | Action::Sleep(_)));
            }
            Event::ShutdownDone => {
                if let Some(w) = self.watch.as_mut() {
                    w.half_closed(self.now);
                }
                self.transcript.event(us, "half-close (client FIN sent)");
            }
            Event::ShutdownFailed(why) => self
                .transcript
                .event(us, format!("half-close failed: {why}")),
            Event::Slept => {}
            Event::Closed => {
                let text = self
                    .end_watch(ConnectionEnd::Harness, None)
                    .unwrap_or_else(|| "connection closed by the harness".to_string());
                self.transcript.event(us, text);
            }
            Event::Data(data) => {
                self.transcript.bytes(us, Direction::Received, data);
                if let Some(w) = self.watch.as_mut() {
                    w.received(self.now, data);
                }
                match &mut self.phase {
                    Phase::Expecting(alts) => alts.iter_mut().for_each(|a| a.on_data(data)),
                    Phase::AwaitClose { .. } | Phase::Drain { .. } => {
                        // Only a preview is ever shown: keep at most 64 KiB in all, not per
                        // read (a server that floods after `Connection: close` would
                        // otherwise fill memory for the whole close grace).
                        let room = LEFTOVER_KEPT.saturating_sub(self.leftover.len());
                        self.leftover
                            .extend_from_slice(&data[..data.len().min(room)]);
                        self.leftover_dropped += (data.len() - data.len().min(room)) as u64;
                        if matches!(self.phase, Phase::AwaitClose { .. }) {
                            self.finding("connection-close", format!(
                                "{} more bytes arrived after a response with `Connection: close`: {:?}",
                                data.len(),
                                preview(data)
                            ));
                        }
                    }
                    _ => self.leftover.extend_from_slice(data),
                }
            }
            Event::Eof | Event::Reset(_) => {
                let end = match event {
                    Event::Reset(why) => End::Reset(why),
                    _ => End::Fin,
                };
                let (how, reset) = match &end {
                    End::Fin => (ConnectionEnd::Fin, None),
                    End::Reset(why) => (ConnectionEnd::Reset, Some(why.clone())),
                };
                let text = self.end_watch(how, reset).unwrap_or_else(|| end.describe());
                self.transcript.event(us, text);
                self.mark_ended(end);
            }
            Event::Timeout => {}
        }
        if was_read || matches!(self.phase, Phase::Expecting(_)) {
            match self.phase {
                Phase::Expecting(_) => self.advance_alts(),
                Phase::AwaitClose { deadline } | Phase::Drain { deadline }
                    if self.conn.ended.is_some()
                        || self.now >= deadline
                        || self.now >= self.cfg.case_timeout =>
                {
                    self.after_steps();
                }
                _ => {}
            }
        }
        if matches!(self.phase, Phase::Steps)
            && self.now >= self.cfg.case_timeout
            && self.failure.is_none()
            && self.error.is_none()
        {
            self.failure = Some(Failure {
                step: self.step.saturating_sub(1),
                step_kind: "case".into(),
                line: self.case.loc.line,
                col: self.case.loc.col,
                expected: format!("the case to finish within {}", secs(self.cfg.case_timeout)),
                actual: "it did not".into(),
                message: self.note_write_failure(format!(
                    "case timeout ({}) reached",
                    secs(self.cfg.case_timeout)
                )),
            });
        }
    }

    /// Marks the run as abandoned by the harness (interrupt, outer timeout).
    pub fn abort(&mut self, at: Duration, why: &str) {
        self.now = self.now.max(at);
        self.transcript.event(self.us(), format!("aborted: {why}"));
        if self.error.is_none() {
            self.error = Some(why.to_string());
        }
        self.queue.clear();
        self.phase = Phase::Done;
    }

    /// The verdict and everything observed.
    pub fn into_result(mut self, duration: Duration) -> CaseResult {
        // A connection the runner never reported closed (it always does; this is a guard).
        self.now = self.now.max(duration);
        self.end_watch(ConnectionEnd::Harness, None);
        let ctx_for = |s: &Seen| ResponseContext {
            received_unix: self.cfg.start_unix.map(|u| u + s.at.as_secs()),
        };
        // Pair each final response with the request it answers: the n-th final response on a
        // connection answers the n-th request written on it (RFC 9112 §9.3.2), as far as the
        // scanner could follow the requests.
        let mut finals_seen = vec![0usize; self.scanners.len()];
        let mut continued = vec![false; self.scanners.len()];
        let paired: Vec<_> = self
            .responses
            .iter()
            .map(|seen| {
                let interim = seen.response.is_interim() && seen.response.status != 101;
                let after_100 = continued.get(seen.conn).copied().unwrap_or(false);
                if let Some(c) = continued.get_mut(seen.conn) {
                    *c = interim && (seen.response.status == 100 || *c);
                }
                let request = if interim {
                    None
                } else {
                    let n = finals_seen.get_mut(seen.conn);
                    n.and_then(|n| {
                        *n += 1;
                        self.scanners[seen.conn].requests().get(*n - 1)
                    })
                };
                (seen, request, interim, after_100)
            })
            .collect();
        let mut validator_findings = Vec::new();
        let skip = &self.case.skip_validators;
        let exchanges: Vec<Exchange<'_>> = paired
            .iter()
            .filter(|(_, _, interim, _)| !interim)
            .map(|(seen, request, _, after_100)| Exchange {
                request: *request,
                response: &seen.response,
                continued: *after_100,
            })
            .collect();
        let per_response = paired.iter().flat_map(|(seen, request, _, _)| {
            validate_exchange(&seen.response, *request, ctx_for(seen), skip)
        });
        for f in per_response.chain(validate_exchanges(&exchanges, skip)) {
            if !validator_findings
                .iter()
                .any(|g: &Finding| g.rule == f.rule)
            {
                validator_findings.push(f);
            }
        }
        for f in std::mem::take(&mut self.findings) {
            if !validator_findings.iter().any(|g| g.rule == f.rule) {
                validator_findings.push(f);
            }
        }
        let findings = validator_findings;
        let soft = |level: Level| self.cfg.miss(level);
        let worst_finding = findings.iter().map(|f| f.level).min();
        let (verdict, message) = if let Some(e) = &self.error {
            (Verdict::Error, Some(e.clone()))
        } else if let Some(f) = &self.failure {
            (soft(self.case.level), Some(f.message.clone()))
        } else if let Some(level) = worst_finding.filter(|l| *l != Level::May) {
            let f = findings
                .iter()
                .find(|f| f.level == level)
                .expect("worst exists");
            (
                soft(level),
                Some(format!("{} ({}): {}", f.rule, f.citation, f.message)),
            )
        } else if let Some(n) = &self.non_strict {
            (Verdict::NonStrict, Some(n.clone()))
        } else {
            (Verdict::Pass, None)
        };
        CaseResult {
            duration_ms: duration.as_millis() as u64,
            failure: self.failure,
            findings,
            statuses: self.responses.iter().map(|s| s.response.status).collect(),
            tls: self.last_tls,
            connections: self.connections,
            transcript: self.transcript,
            ..CaseResult::of(self.case, verdict, message)
        }
    }

    /// Records bytes the runner wrote (the runner calls this right after a `Write`).
    pub fn record_sent(&mut self, at: Duration, bytes: &[u8]) {
        self.now = self.now.max(at);
        if let Some(w) = self.watch.as_mut() {
            w.sent(self.now, bytes);
        }
        let us = self.us();
        self.transcript.bytes(us, Direction::Sent, bytes);
    }
}

fn describe_failures(alts: &[AltRun<'_>], group: &ExpectGroup) -> String {
    let mut parts = Vec::new();
    for (i, alt) in alts.iter().enumerate() {
        if let AltState::Failed(f) = &alt.state {
            let line = group.alternatives.get(i).map_or(0, |a| a.loc.line);
            parts.push(format!(
                "[{} line {line}] {}: expected {}, got {}",
                i + 1,
                f.mismatch.what,
                f.mismatch.expected,
                f.mismatch.actual
            ));
        }
    }
    parts.join("; ")
}
