//! Autobahn's two verdict axes, computed as its `case.py` does, and wirecheck's verdict
//! combining them.

use std::time::Duration;

use super::events::{list_matches, Received, Want};
use super::incoming::MAX_RECEIVED;
use super::run::WsRun;
use crate::model::{CloseSpec, Closer};
use crate::result::{Behavior, CaseResult, CloseBehavior, Failure, Verdict, WsOutcome};

impl WsRun<'_> {
    fn behavior(&self) -> (Behavior, String) {
        let exp = &self.ws.expect;
        if let Some(h) = &self.handshake_failure {
            return (Behavior::Failed, format!("opening handshake failed: {h}"));
        }
        if self.unimplemented {
            return (
                Behavior::Unimplemented,
                "permessage-deflate was offered but not accepted by the server".into(),
            );
        }
        if exp.informational {
            return (
                Behavior::Informational,
                "informational case: the events are recorded, not judged".into(),
            );
        }
        if let Some(v) = &self.violation {
            return (
                Behavior::Failed,
                format!(
                    "the server broke RFC {} §{}: {}",
                    v.rfc, v.section, v.message
                ),
            );
        }
        if let Some(f) = &self.echo_failure {
            return (Behavior::Failed, f.clone());
        }
        if self.timed_out {
            return (
                Behavior::Failed,
                format!("the case timeout ({:?}) ran out", self.cfg.case_timeout),
            );
        }
        // Only the first events were kept: no expected list can be judged against them (and
        // none is anywhere near that long).
        if self.received_dropped > 0 {
            return (
                Behavior::Failed,
                format!(
                    "the server sent {} messages, pings and pongs, more than the {MAX_RECEIVED} kept for judging",
                    self.received.len() as u64 + self.received_dropped
                ),
            );
        }
        let matched = self
            .wants
            .iter()
            .position(|w| list_matches(w, &self.received));
        let (b, mut text) = match matched {
            Some(0) => (
                Behavior::Ok,
                self.echo_note
                    .clone()
                    .unwrap_or_else(|| "Actual events match at least one expected.".into()),
            ),
            Some(i) => (
                Behavior::NonStrict,
                format!(
                    "Actual events match the tolerated alternative {} of {}.",
                    i + 1,
                    self.wants.len()
                ),
            ),
            None => (
                Behavior::Failed,
                "Actual events differ from any expected.".into(),
            ),
        };
        let want_me = exp.close.by == Closer::Harness;
        if exp.close.endpoint_fatal
            && self.closing.closed_by_me() != want_me
            && b != Behavior::Failed
        {
            text = "The connection was failed by the wrong endpoint".into();
            return (Behavior::Failed, text);
        }
        if exp.close.wrong_code_fails && b != Behavior::Failed {
            if let Some(code) = self.closing.remote_code() {
                if !exp.close.codes.contains(&code) {
                    return (
                        Behavior::Failed,
                        format!(
                            "the server closed with code {code}, accepted are {:?}",
                            exp.close.codes
                        ),
                    );
                }
            }
        }
        (b, text)
    }

    fn close_behavior(&self) -> (CloseBehavior, String) {
        let exp = &self.ws.expect;
        if self.handshake_failure.is_some() || self.opened_at.is_none() {
            return (
                CloseBehavior::Failed,
                "The WebSocket opening handshake never completed.".into(),
            );
        }
        if self.unimplemented {
            return (CloseBehavior::Unimplemented, "Not applicable.".into());
        }
        if exp.informational {
            return (CloseBehavior::Informational, "Informational.".into());
        }
        let want_me = exp.close.by == Closer::Harness;
        if self.closing.closed_by_me() != want_me {
            return (
                CloseBehavior::Failed,
                format!(
                    "The connection was failed by the wrong endpoint: expected the {} to close",
                    if want_me { "harness" } else { "server" }
                ),
            );
        }
        if exp.close.clean && !self.closing.was_clean {
            return (
                CloseBehavior::Unclean,
                format!(
                    "The spec requires the connection to be failed cleanly here: {}",
                    self.closing
                        .not_clean_reason
                        .as_deref()
                        .unwrap_or("not clean")
                ),
            );
        }
        if let Some(code) = self.closing.remote_code() {
            if !exp.close.codes.contains(&code) {
                return (
                    CloseBehavior::WrongCode,
                    format!(
                        "The close code should have been {:?}, got {code}",
                        exp.close.codes
                    ),
                );
            }
        }
        if self.closing.dropped_by_me {
            return (
                CloseBehavior::FailedByClient,
                "It is preferred that the server close the TCP connection (RFC 6455 §7.1.1: the server SHOULD close it first); the harness had to drop it".into(),
            );
        }
        (CloseBehavior::Ok, "Connection was properly closed".into())
    }

    /// The verdict and everything observed.
    pub fn into_result(self, duration: Duration) -> CaseResult {
        let (behavior, result) = self.behavior();
        let (behavior_close, result_close) = self.close_behavior();
        let soft = |level| self.cfg.miss(level);
        let (verdict, message) = if let Some(e) = &self.error {
            (Verdict::Error, Some(e.clone()))
        } else if behavior == Behavior::Unimplemented {
            (Verdict::Unimplemented, Some(result.clone()))
        } else if behavior == Behavior::Informational {
            (Verdict::Info, Some(self.received_summary()))
        } else if behavior == Behavior::Failed {
            (soft(self.case.level), Some(self.explain_failed(&result)))
        } else if behavior_close == CloseBehavior::Failed {
            (soft(self.case.level), Some(result_close.clone()))
        } else if behavior == Behavior::NonStrict {
            (Verdict::NonStrict, Some(result.clone()))
        } else if behavior_close != CloseBehavior::Ok {
            (
                Verdict::NonStrict,
                Some(format!("{}: {result_close}", behavior_close.as_str())),
            )
        } else {
            (Verdict::Pass, None)
        };
        let received: Vec<String> = self.received.iter().map(Received::describe).collect();
        let expected: Vec<Vec<String>> = self
            .wants
            .iter()
            .map(|w| w.iter().map(Want::describe).collect())
            .collect();
        let failure =
            matches!(verdict, Verdict::Fail | Verdict::NonStrict | Verdict::Info).then(|| {
                Failure {
                    step: self.step.saturating_sub(1),
                    step_kind: "websocket".into(),
                    line: self.case.loc.line,
                    col: self.case.loc.col,
                    expected: format!(
                        "events {} and close {}",
                        expected
                            .iter()
                            .map(|l| format!("[{}]", l.join(", ")))
                            .collect::<Vec<_>>()
                            .join(" or "),
                        describe_close(&self.ws.expect.close)
                    ),
                    actual: format!(
                        "events [{}]; {}: {}",
                        received.join(", "),
                        behavior_close.as_str(),
                        result_close
                    ),
                    message: message.clone().unwrap_or_default(),
                }
            });
        let open_ms = match (self.opened_at, self.lost_at) {
            (Some(o), Some(l)) => l.saturating_sub(o).as_millis() as u64,
            (Some(o), None) => self.now.saturating_sub(o).as_millis() as u64,
            _ => 0,
        };
        let outcome = WsOutcome {
            behavior,
            behavior_close,
            result,
            result_close,
            received,
            expected,
            closed_by_me: self.opened_at.map(|_| self.closing.closed_by_me()),
            was_clean: self.closing.was_clean,
            was_not_clean_reason: self.closing.not_clean_reason.clone(),
            dropped_by_me: self.closing.dropped_by_me,
            close_handshake_timeout: self.closing.close_handshake_timeout,
            server_drop_timeout: self.closing.server_drop_timeout,
            local_close_code: self.closing.sent.and_then(|(_, c)| c),
            remote_close_code: self.closing.remote_code(),
            remote_close_reason: self
                .closing
                .received
                .as_ref()
                .filter(|(_, r)| !r.is_empty())
                .map(|(_, r)| String::from_utf8_lossy(r).into_owned()),
            open_ms,
            protocol: self.negotiated.protocol.clone(),
            extensions: self.negotiated.extensions.clone(),
            frames_sent: self.frames_sent,
            frames_received: self.frames_received,
        };
        CaseResult {
            duration_ms: duration.as_millis() as u64,
            failure,
            websocket: Some(Box::new(outcome)),
            tls: self.tls,
            transcript: self.transcript,
            ..CaseResult::of(self.case, verdict, message)
        }
    }

    /// wirecheck's message for a FAILED events axis: Autobahn's one-line `result`, which says
    /// nothing of what arrived ("Actual events differ from any expected."), followed by what
    /// did arrive and what was still arriving: a frame that announced 2^63-1 bytes or that
    /// came a byte at a time is otherwise invisible in the message.
    fn explain_failed(&self, result: &str) -> String {
        if self.handshake_failure.is_some() || self.violation.is_some() {
            return result.to_string();
        }
        let mut text = result.trim_end_matches('.').to_string();
        if self.echo_failure.is_none() && !self.timed_out {
            const SHOWN: usize = 5;
            let mut shown: Vec<String> = self
                .received
                .iter()
                .take(SHOWN)
                .map(Received::describe)
                .collect();
            let all = self.received.len() as u64 + self.received_dropped;
            if all > SHOWN as u64 {
                shown.push(format!("… {all} in all"));
            }
            text.push_str(&format!(": received [{}]", shown.join(", ")));
        }
        if let Some(partial) = self.reader.as_ref().and_then(|r| r.in_progress()) {
            let when = if self.closing.dropped_by_me {
                "when the harness dropped the connection"
            } else {
                "when the connection ended"
            };
            text.push_str(&format!("; unfinished {when}: {partial}"));
        }
        text
    }

    fn received_summary(&self) -> String {
        let r: Vec<String> = self.received.iter().map(Received::describe).collect();
        format!(
            "informational: received [{}], close code {}",
            r.join(", "),
            self.closing
                .remote_code()
                .map_or("none".into(), |c| c.to_string())
        )
    }
}

fn describe_close(c: &CloseSpec) -> String {
    let who = match c.by {
        Closer::Harness => "started by the harness",
        Closer::Server => "started by the server",
    };
    format!(
        "{who}, server code in {:?}{}",
        c.codes,
        if c.clean { ", clean" } else { "" }
    )
}
