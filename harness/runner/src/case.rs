//! Drives one case: perform the engine's action, report the event, repeat.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::watch;
use tokio::time::{sleep_until, Instant};
use wirecheck_core::engine::{Action, CaseRun, EngineConfig, Event};
use wirecheck_core::model::Case;
use wirecheck_core::result::CaseResult;
use wirecheck_core::select::fnv1a64;
use wirecheck_core::text::Vars;

use crate::connection::{at, Connection, ReadOutcome, Transferred};
use crate::dial::{Dialed, Dialer};

/// Slack beyond the case timeout before the runner abandons a case as a harness fault; the
/// engine caps every wait at the case timeout, so this only fires on a bug.
const SAFETY_SLACK: Duration = Duration::from_secs(5);

/// Why a case abandoned at its hard stop is an `error`.
const HARD_STOP: &str = "harness fault: the case outlived its timeout";

/// Runs `case` against the target `dialer` reaches. `cancel` turning true aborts the case
/// (interrupt).
pub async fn run_case(
    case: &Case,
    vars: &Vars,
    dialer: &Dialer,
    mut cfg: EngineConfig,
    mut cancel: watch::Receiver<bool>,
) -> CaseResult {
    let wall = SystemTime::now().duration_since(UNIX_EPOCH).ok();
    cfg.start_unix = wall.map(|d| d.as_secs());
    // A fresh seed per case for masking keys and nonces, unless the run fixed one.
    if cfg.seed == 0 {
        cfg.seed = seed_for(&case.id, wall.map_or(0, |d| d.as_nanos() as u64));
    }
    let start = Instant::now();
    let case_timeout = case.timeout.unwrap_or(cfg.case_timeout);
    let hard_stop = at(start, case_timeout + SAFETY_SLACK);
    // Writes and connects are bounded by the case's own step timeout (not only the run's
    // default) and never outlive the case: a server that never reads once held a case with
    // `timeout: 5s, step_timeout: 2s` for the run's 5 s write limit, past its timeout.
    let limits = Limits {
        write: case.step_timeout.unwrap_or(cfg.step_timeout),
        connect: dialer.connect_timeout(),
        case_end: at(start, case_timeout),
    };
    let mut run = CaseRun::new(case, vars, cfg);
    let mut conn: Option<Connection> = None;
    loop {
        let action = run.next_action();
        if action == Action::Finish {
            break;
        }
        // Interrupted (or past the hard stop): abandon the case, except to close its
        // connection. Once every step is over, the engine's last action before `Finish` is that
        // `Close`: aborting there would turn a decided verdict into `error: interrupted`. (A
        // `Close` in the middle of a case, before a `connect` step, is followed by a `Connect`,
        // which is aborted.)
        if action != Action::Close {
            if *cancel.borrow() {
                run.abort(start.elapsed(), "interrupted");
                continue;
            }
            if Instant::now() >= hard_stop {
                run.abort(start.elapsed(), HARD_STOP);
                continue;
            }
        }
        let step = perform(&mut run, &mut conn, action, start, dialer, &limits);
        // Biased towards the step: one that is already complete (a `Close`, data already
        // buffered) is recorded rather than discarded; only a step still waiting is cut short.
        // The cancel branch must not win a tie either: once the interrupt is sent its sender is
        // dropped, and `changed()` is ready at every later poll. (Steps that are always ready
        // cannot starve the other branches: both are checked above, before every action.)
        tokio::select! {
            biased;
            _ = step => {}
            _ = cancel.changed() => run.abort(start.elapsed(), "interrupted"),
            _ = sleep_until(hard_stop) => run.abort(start.elapsed(), HARD_STOP),
        }
    }
    run.into_result(start.elapsed())
}

/// Reads in a row during a `Transfer` after which the write is tried before reading again.
const READS_BEFORE_WRITE: u32 = 8;

/// How long connects and writes may take.
struct Limits {
    /// Longest write of one `Write` action.
    write: Duration,
    /// Longest connect.
    connect: Duration,
    /// When the case's own timeout runs out: no wait goes beyond it.
    case_end: Instant,
}

impl Limits {
    /// `Instant::now() + d`, but not beyond the end of the case.
    fn within(&self, d: Duration) -> Instant {
        at(Instant::now(), d).min(self.case_end)
    }
}

async fn perform(
    run: &mut CaseRun<'_>,
    conn: &mut Option<Connection>,
    action: Action,
    start: Instant,
    dialer: &Dialer,
    limits: &Limits,
) {
    match action {
        Action::Connect | Action::ConnectWith(_) => {
            let transport = match &action {
                Action::ConnectWith(t) => Some(t),
                _ => None,
            };
            match dialer.dial(transport, limits.within(limits.connect)).await {
                Dialed::Open(c, facts) => {
                    *conn = Some(c);
                    if let Some(f) = facts {
                        run.handle(start.elapsed(), Event::TlsEstablished(f));
                    }
                    run.handle(start.elapsed(), Event::Connected);
                }
                Dialed::Unreachable(e) => run.handle(start.elapsed(), Event::ConnectFailed(e)),
                Dialed::TlsRefused(e) => {
                    *conn = None;
                    run.handle(start.elapsed(), Event::TlsFailed(e));
                }
            }
        }
        Action::Write(bytes) => {
            let Some(c) = conn.as_mut() else {
                return run.handle(start.elapsed(), Event::WriteFailed("not connected".into()));
            };
            run.record_sent(start.elapsed(), &bytes);
            match c.write(&bytes, limits.within(limits.write)).await {
                Ok(()) => run.handle(start.elapsed(), Event::Wrote),
                Err(e) => run.handle(start.elapsed(), Event::WriteFailed(e)),
            }
        }
        Action::Transfer { bytes, deadline } => {
            let Some(c) = conn.as_mut() else {
                return run.handle(start.elapsed(), Event::WriteFailed("not connected".into()));
            };
            run.record_sent(start.elapsed(), &bytes);
            let mut pos = 0;
            let mut read_open = true;
            let limit = at(start, deadline).min(limits.case_end);
            let mut reads_in_a_row = 0;
            while pos < bytes.len() {
                // A peer that sends without pause (a ping flood, an endless frame) keeps the
                // read side ready forever: the write's own timeout is never polled, and this
                // loop never yields to the case's hard stop. So the deadline is checked here,
                // and after a run of reads the write is tried first.
                if Instant::now() >= limit {
                    return run.handle(
                        start.elapsed(),
                        Event::WriteFailed(
                            "write timed out (the server is not reading fast enough)".into(),
                        ),
                    );
                }
                let write_first = reads_in_a_row >= READS_BEFORE_WRITE;
                match c
                    .transfer_step(&bytes[pos..], read_open, limit, write_first)
                    .await
                {
                    Transferred::Wrote(n) => {
                        pos += n;
                        reads_in_a_row = 0;
                    }
                    Transferred::Data(n) => {
                        reads_in_a_row += 1;
                        run.handle(start.elapsed(), Event::Data(&c.buf[..n]));
                    }
                    Transferred::Eof { unclean } => {
                        read_open = false;
                        if unclean {
                            run.handle(start.elapsed(), Event::TlsCloseWithoutNotify);
                        }
                        run.handle(start.elapsed(), Event::Eof);
                    }
                    Transferred::Reset(why) => {
                        return run.handle(start.elapsed(), Event::Reset(why));
                    }
                    Transferred::WriteFailed(why) => {
                        return run.handle(start.elapsed(), Event::WriteFailed(why));
                    }
                }
            }
            match c.flush(limit).await {
                Ok(()) => run.handle(start.elapsed(), Event::Wrote),
                Err(why) => run.handle(start.elapsed(), Event::WriteFailed(why)),
            }
        }
        Action::ShutdownWrite => {
            let result = match conn.as_mut() {
                Some(c) => c.shutdown_write().await,
                None => Err("not connected".into()),
            };
            match result {
                Ok(()) => run.handle(start.elapsed(), Event::ShutdownDone),
                Err(e) => run.handle(start.elapsed(), Event::ShutdownFailed(e)),
            }
        }
        Action::Sleep(d) => {
            tokio::time::sleep(d).await;
            run.handle(start.elapsed(), Event::Slept);
        }
        Action::Read { deadline } => {
            let Some(c) = conn.as_mut() else {
                return run.handle(start.elapsed(), Event::Reset("not connected".into()));
            };
            match c.read(at(start, deadline)).await {
                ReadOutcome::Data(n) => {
                    let elapsed = start.elapsed();
                    run.handle(elapsed, Event::Data(&c.buf[..n]));
                }
                ReadOutcome::Eof { unclean } => {
                    if unclean {
                        run.handle(start.elapsed(), Event::TlsCloseWithoutNotify);
                    }
                    run.handle(start.elapsed(), Event::Eof)
                }
                ReadOutcome::Reset(why) => run.handle(start.elapsed(), Event::Reset(why)),
                ReadOutcome::Timeout => run.handle(start.elapsed().max(deadline), Event::Timeout),
            }
        }
        Action::Close => {
            *conn = None;
            run.handle(start.elapsed(), Event::Closed);
        }
        Action::Finish => {}
    }
}

/// A per-case seed from the case id and the clock (FNV-1a over the id, mixed with the time).
fn seed_for(id: &str, nanos: u64) -> u64 {
    (fnv1a64(id.as_bytes()) ^ nanos).max(1)
}
