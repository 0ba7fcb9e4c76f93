//! One `any_of` alternative (or a plain expectation) being checked against arriving bytes.
//!
//! Every alternative of a group sees the same bytes and connection end, in its own buffer, so
//! they are judged side by side without replaying anything.

use std::time::Duration;

use crate::check::{CloseHow, Handshake, Mismatch, TlsState};
use crate::model::{Expect, ExpectKind};
use crate::text::{display_bytes, Vars};
use crate::wire::http1::{DecodeLimits, Progress, Response, ResponseDecoder};

/// Most interim (1xx) responses read before the final one of an expectation.
const MAX_INTERIM: usize = 100;

/// How the connection ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum End {
    Fin,
    Reset(String),
}

impl End {
    pub(crate) fn describe(&self) -> String {
        match self {
            End::Fin => "closed by the server (FIN)".into(),
            End::Reset(why) => format!("reset ({why})"),
        }
    }
}

/// Why an alternative failed.
#[derive(Clone, Debug)]
pub(crate) struct AltFailure {
    /// Index of the failing expectation within the alternative.
    pub(crate) index: usize,
    pub(crate) mismatch: Mismatch,
}

#[derive(Debug)]
pub(crate) enum AltState {
    Pending,
    Passed,
    Failed(AltFailure),
}

enum Waiter {
    Response {
        decoder: Box<ResponseDecoder>,
        interims: Vec<Response>,
    },
    Close,
    Open,
    Tls,
    IdleClose,
}

/// What an `expect_idle_close` saw: the close (and when), or a connection still open at the
/// bound. The engine turns it into an `idle-timeout` finding with the measured idle time.
#[derive(Clone, Debug)]
pub(crate) enum IdleOutcome {
    /// The server ended the idle connection, this long after the wait began.
    Closed(End, Duration),
    /// Still open when the bound (this long after the step started) ran out.
    StillOpen(Duration),
}

/// A response read by an alternative.
#[derive(Clone, Debug)]
pub(crate) struct Seen {
    pub(crate) response: Response,
    pub(crate) at: Duration,
    /// Which connection of the case it arrived on (set by the engine).
    pub(crate) conn: usize,
}

pub(crate) struct AltRun<'c> {
    steps: &'c [Expect],
    idx: usize,
    pub(crate) buf: Vec<u8>,
    pub(crate) ended: Option<End>,
    /// The connection's TLS state when the group started (it cannot change during a group:
    /// handshakes happen in connect steps).
    tls: TlsState,
    started: Duration,
    waiter: Option<Waiter>,
    pub(crate) state: AltState,
    /// Every response read, interim ones included, in order.
    pub(crate) seen: Vec<Seen>,
    /// What each `expect_idle_close` that passed saw.
    pub(crate) idle: Vec<IdleOutcome>,
    /// Variables captured from the responses (`capture:`), in order.
    pub(crate) captured: Vec<(String, String)>,
    limits: DecodeLimits,
    step_timeout: Duration,
}

impl<'c> AltRun<'c> {
    pub(crate) fn new(
        steps: &'c [Expect],
        buf: Vec<u8>,
        ended: Option<End>,
        tls: TlsState,
        now: Duration,
        limits: DecodeLimits,
        step_timeout: Duration,
    ) -> Self {
        AltRun {
            steps,
            idx: 0,
            buf,
            ended,
            tls,
            started: now,
            waiter: None,
            state: AltState::Pending,
            seen: Vec::new(),
            idle: Vec::new(),
            captured: Vec::new(),
            limits,
            step_timeout,
        }
    }

    /// When the current expectation gives up (or, for `expect_open`, succeeds).
    pub(crate) fn deadline(&self) -> Option<Duration> {
        if !matches!(self.state, AltState::Pending) {
            return None;
        }
        let step = self.steps.get(self.idx)?;
        Some(self.started + self.wait_for(step))
    }

    fn wait_for(&self, step: &Expect) -> Duration {
        match &step.kind {
            ExpectKind::Open(o) => o.duration,
            _ => step.timeout.unwrap_or(self.step_timeout),
        }
    }

    pub(crate) fn on_data(&mut self, data: &[u8]) {
        if matches!(self.state, AltState::Pending) {
            self.buf.extend_from_slice(data);
        }
    }

    pub(crate) fn on_end(&mut self, end: End) {
        if self.ended.is_none() {
            self.ended = Some(end);
        }
    }

    fn fail(&mut self, mismatch: Mismatch) {
        self.state = AltState::Failed(AltFailure {
            index: self.idx,
            mismatch,
        });
    }

    /// Makes all the progress the buffered bytes, the end and the clock allow.
    pub(crate) fn advance(&mut self, now: Duration, vars: &Vars) {
        while matches!(self.state, AltState::Pending) {
            let Some(step) = self.steps.get(self.idx) else {
                self.state = AltState::Passed;
                return;
            };
            let waiter = self.waiter.get_or_insert_with(|| match &step.kind {
                ExpectKind::Response(r) => Waiter::Response {
                    decoder: Box::new(
                        ResponseDecoder::new(self.limits, r.to_head).for_connect(r.to_connect),
                    ),
                    interims: Vec::new(),
                },
                ExpectKind::Close(_) => Waiter::Close,
                ExpectKind::Open(_) => Waiter::Open,
                ExpectKind::Tls(_) => Waiter::Tls,
                ExpectKind::IdleClose(_) => Waiter::IdleClose,
            });
            let deadline = self.started
                + match &step.kind {
                    ExpectKind::Open(o) => o.duration,
                    _ => step.timeout.unwrap_or(self.step_timeout),
                };
            let timed_out = now >= deadline;
            let waited = deadline.saturating_sub(self.started);
            let outcome: Option<Result<(), Mismatch>> = match (waiter, &step.kind) {
                (Waiter::Response { decoder, interims }, ExpectKind::Response(exp)) => {
                    match decoder.feed(&self.buf, self.ended.is_some()) {
                        Ok(Progress::Done { consumed, response }) => {
                            self.buf.drain(..consumed);
                            self.seen.push(Seen {
                                response: (*response).clone(),
                                at: now,
                                conn: 0,
                            });
                            if response.is_interim() && response.status != 101 {
                                // A server may send any number of 1xx responses; one that
                                // sends them without end would grow these lists forever.
                                if interims.len() >= MAX_INTERIM {
                                    self.fail(Mismatch::new(
                                        "response",
                                        "a final response",
                                        format!(
                                            "more than {MAX_INTERIM} interim (1xx) responses and no final one"
                                        ),
                                    ));
                                    continue;
                                }
                                interims.push(*response);
                                **decoder = ResponseDecoder::new(self.limits, exp.to_head)
                                    .for_connect(exp.to_connect);
                                continue;
                            }
                            let checked = exp.check(interims, &response, vars);
                            Some(checked.and_then(|()| {
                                for (name, var) in &exp.capture {
                                    let Some(value) = response.header(name) else {
                                        return Err(Mismatch::new(
                                            format!("header {name} (captured as {{{{{var}}}}})"),
                                            "present",
                                            "absent",
                                        ));
                                    };
                                    self.captured.push((var.clone(), value));
                                }
                                Ok(())
                            }))
                        }
                        Ok(Progress::NeedMore { consumed }) => {
                            self.buf.drain(..consumed);
                            if let Some(end) = &self.ended {
                                let what = if decoder.has_head() {
                                    "the end of the response body"
                                } else {
                                    "a response"
                                };
                                Some(Err(Mismatch::new(
                                    "response",
                                    what.to_string(),
                                    format!("connection {} first", end.describe()),
                                )))
                            } else if timed_out {
                                // Say how far the body got: "incomplete" alone does not tell a
                                // server that stalls from one that streams without end.
                                let got = if let Some(progress) = decoder.body_progress() {
                                    format!("an incomplete body: {progress}")
                                } else if self.buf.is_empty() {
                                    "nothing".to_string()
                                } else {
                                    format!(
                                        "{} bytes without a complete head: {:?}",
                                        self.buf.len(),
                                        preview(&self.buf)
                                    )
                                };
                                Some(Err(Mismatch::new(
                                    "response",
                                    format!("a complete response within {}", secs(waited)),
                                    got,
                                )))
                            } else {
                                None
                            }
                        }
                        // A response cut short by the end of the connection says how it
                        // ended: a reset and a FIN are different failures.
                        Err(e) => Some(Err(match (&self.ended, e.is_cut_short()) {
                            (Some(end), true) => Mismatch::new(
                                "response",
                                "a complete response",
                                format!("{e}: the connection was {}", end.describe()),
                            ),
                            _ => Mismatch::new(
                                "response",
                                "a well-formed HTTP/1.1 response",
                                e.to_string(),
                            ),
                        })),
                    }
                }
                (Waiter::Close, ExpectKind::Close(exp)) => {
                    if !self.buf.is_empty() && exp.allow_data {
                        self.buf.clear();
                    }
                    if !self.buf.is_empty() {
                        Some(Err(Mismatch::new(
                            "connection",
                            "closed with nothing more sent",
                            format!(
                                "{} more bytes arrived: {:?}",
                                self.buf.len(),
                                preview(&self.buf)
                            ),
                        )))
                    } else if let Some(end) = &self.ended {
                        let ok = match exp.how {
                            CloseHow::Any => true,
                            CloseHow::Fin => *end == End::Fin,
                            CloseHow::Reset => matches!(end, End::Reset(_)),
                        };
                        let want = match exp.how {
                            CloseHow::Any => "closed (FIN or reset)",
                            CloseHow::Fin => "closed with FIN",
                            CloseHow::Reset => "reset",
                        };
                        Some(if ok {
                            Ok(())
                        } else {
                            Err(Mismatch::new("connection", want, end.describe()))
                        })
                    } else if timed_out {
                        Some(Err(Mismatch::new(
                            "connection",
                            format!("closed within {}", secs(waited)),
                            "still open",
                        )))
                    } else {
                        None
                    }
                }
                (Waiter::IdleClose, ExpectKind::IdleClose(exp)) => {
                    if !self.buf.is_empty() && exp.allow_data {
                        self.buf.clear();
                    }
                    if !self.buf.is_empty() {
                        Some(Err(Mismatch::new(
                            "connection",
                            "idle and silent until the server closes it",
                            format!(
                                "{} bytes arrived on the idle connection: {:?}",
                                self.buf.len(),
                                preview(&self.buf)
                            ),
                        )))
                    } else if let Some(end) = &self.ended {
                        let ok = match exp.how {
                            CloseHow::Fin => *end == End::Fin,
                            _ => true,
                        };
                        if ok {
                            self.idle.push(IdleOutcome::Closed(
                                end.clone(),
                                now.saturating_sub(self.started),
                            ));
                            Some(Ok(()))
                        } else {
                            Some(Err(Mismatch::new(
                                "connection",
                                "an idle connection closed gracefully (FIN)",
                                end.describe(),
                            )))
                        }
                    } else if timed_out {
                        self.idle.push(IdleOutcome::StillOpen(waited));
                        Some(Ok(()))
                    } else {
                        None
                    }
                }
                (Waiter::Open, ExpectKind::Open(exp)) => {
                    if !self.buf.is_empty() && exp.allow_data {
                        self.buf.clear();
                    }
                    if !self.buf.is_empty() {
                        Some(Err(Mismatch::new(
                            "connection",
                            format!("open and silent for {}", secs(exp.duration)),
                            format!("{} bytes arrived: {:?}", self.buf.len(), preview(&self.buf)),
                        )))
                    } else if let Some(end) = &self.ended {
                        Some(Err(Mismatch::new(
                            "connection",
                            format!("open for {}", secs(exp.duration)),
                            end.describe(),
                        )))
                    } else if timed_out {
                        Some(Ok(()))
                    } else {
                        None
                    }
                }
                (Waiter::Tls, ExpectKind::Tls(exp)) => match (&self.tls, exp.handshake) {
                    (TlsState::Plain, _) => Some(Err(Mismatch::new(
                        "TLS",
                        "a TLS connection",
                        "plain TCP (use `tls_connect`, or an https:// or wss:// target)",
                    ))),
                    (TlsState::Failed(why), Handshake::Ok) => Some(Err(Mismatch::new(
                        "TLS handshake",
                        "an established session",
                        format!("it failed: {why}"),
                    ))),
                    (TlsState::Failed(_), Handshake::Rejected) => Some(Ok(())),
                    (TlsState::Established(facts), Handshake::Ok) => Some(exp.check_session(facts)),
                    // TLS 1.3: the client's handshake completes before the server has judged
                    // the client's certificate; the refusal arrives as an alert or a close.
                    (TlsState::Established(_), Handshake::Rejected) => {
                        if !self.buf.is_empty() {
                            Some(Err(Mismatch::new(
                                "TLS",
                                "the session refused (alert, close or reset)",
                                format!(
                                    "{} bytes of application data: {:?}",
                                    self.buf.len(),
                                    preview(&self.buf)
                                ),
                            )))
                        } else if self.ended.is_some() {
                            Some(Ok(()))
                        } else if timed_out {
                            Some(Err(Mismatch::new(
                                "TLS",
                                "the session refused (alert, close or reset)",
                                format!(
                                    "the handshake completed and the connection stayed open for {}",
                                    secs(waited)
                                ),
                            )))
                        } else {
                            None
                        }
                    }
                },
                _ => unreachable!("waiter is built from the step kind"),
            };
            match outcome {
                None => return,
                Some(Err(m)) => self.fail(m),
                Some(Ok(())) => {
                    self.idx += 1;
                    self.waiter = None;
                    self.started = now;
                }
            }
        }
    }
}

/// The first bytes of `buf`, escaped.
pub(crate) fn preview(buf: &[u8]) -> String {
    let cut = &buf[..buf.len().min(60)];
    let more = if buf.len() > cut.len() { "…" } else { "" };
    format!("{}{more}", display_bytes(cut).replace('\n', ""))
}

pub(crate) fn secs(d: Duration) -> String {
    if d.as_millis().is_multiple_of(1000) {
        format!("{}s", d.as_secs())
    } else {
        format!("{}ms", d.as_millis())
    }
}
