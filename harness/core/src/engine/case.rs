//! [`CaseRun`]: the engine for one case, HTTP/TCP steps or a WebSocket scenario.

use std::time::Duration;

use super::{Action, EngineConfig, Event, HttpRun, WsRun};
use crate::model::Case;
use crate::result::CaseResult;
use crate::text::Vars;

/// One case being run; the runner drives both kinds the same way.
pub enum CaseRun<'c> {
    /// Steps on a TCP connection (HTTP/1.1 and TCP behaviour).
    Http(Box<HttpRun<'c>>),
    /// A WebSocket scenario.
    Ws(Box<WsRun<'c>>),
}

impl<'c> CaseRun<'c> {
    /// Prepares a run of `case` with target variables `vars`.
    pub fn new(case: &'c Case, vars: &'c Vars, cfg: EngineConfig) -> Self {
        match &case.websocket {
            Some(ws) => CaseRun::Ws(Box::new(WsRun::new(case, ws, vars, cfg))),
            None => CaseRun::Http(Box::new(HttpRun::new(case, vars, cfg))),
        }
    }

    /// The next thing to do.
    pub fn next_action(&mut self) -> Action {
        match self {
            CaseRun::Http(r) => r.next_action(),
            CaseRun::Ws(r) => r.next_action(),
        }
    }

    /// Reports the outcome of the last action, `at` after the case started.
    pub fn handle(&mut self, at: Duration, event: Event<'_>) {
        match self {
            CaseRun::Http(r) => r.handle(at, event),
            CaseRun::Ws(r) => r.handle(at, event),
        }
    }

    /// Records bytes the runner wrote.
    pub fn record_sent(&mut self, at: Duration, bytes: &[u8]) {
        match self {
            CaseRun::Http(r) => r.record_sent(at, bytes),
            CaseRun::Ws(r) => r.record_sent(at, bytes),
        }
    }

    /// Marks the run as abandoned by the harness (interrupt, outer timeout).
    pub fn abort(&mut self, at: Duration, why: &str) {
        match self {
            CaseRun::Http(r) => r.abort(at, why),
            CaseRun::Ws(r) => r.abort(at, why),
        }
    }

    /// The verdict and everything observed.
    pub fn into_result(self, duration: Duration) -> CaseResult {
        match self {
            CaseRun::Http(r) => r.into_result(duration),
            CaseRun::Ws(r) => r.into_result(duration),
        }
    }
}
