//! Drives one case: perform the engine's action, report the event, repeat.

use std::net::SocketAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::watch;
use tokio::time::{sleep_until, Instant};
use wirecheck_core::engine::{Action, CaseRun, EngineConfig, Event};
use wirecheck_core::model::Case;
use wirecheck_core::result::CaseResult;
use wirecheck_core::select::fnv1a64;
use wirecheck_core::text::Vars;

use crate::connection::{at, Connection, ReadOutcome, Transferred};

/// Slack beyond the case timeout before the runner abandons a case as a harness fault; the
/// engine caps every wait at the case timeout, so this only fires on a bug.
const SAFETY_SLACK: Duration = Duration::from_secs(5);

/// Runs `case` against `addrs`. `cancel` turning true aborts the case (interrupt).
pub async fn run_case(
    case: &Case,
    vars: &Vars,
    addrs: &[SocketAddr],
    mut cfg: EngineConfig,
    connect_timeout: Duration,
    mut cancel: watch::Receiver<bool>,
) -> CaseResult {
    let wall = SystemTime::now().duration_since(UNIX_EPOCH).ok();
    cfg.start_unix = wall.map(|d| d.as_secs());
    // A fresh seed per case for masking keys and nonces, unless the run fixed one.
    if cfg.seed == 0 {
        cfg.seed = seed_for(&case.id, wall.map_or(0, |d| d.as_nanos() as u64));
    }
    let start = Instant::now();
    let hard_stop = at(
        start,
        case.timeout.unwrap_or(cfg.case_timeout) + SAFETY_SLACK,
    );
    let write_limit = cfg.step_timeout;
    let mut run = CaseRun::new(case, vars, cfg);
    let mut conn: Option<Connection> = None;
    loop {
        if *cancel.borrow() {
            run.abort(start.elapsed(), "interrupted");
        }
        let action = run.next_action();
        if action == Action::Finish {
            break;
        }
        let step = perform(
            &mut run,
            &mut conn,
            action,
            start,
            addrs,
            connect_timeout,
            write_limit,
        );
        tokio::select! {
            _ = step => {}
            _ = cancel.changed() => run.abort(start.elapsed(), "interrupted"),
            _ = sleep_until(hard_stop) => run.abort(start.elapsed(), "harness fault: the case outlived its timeout"),
        }
    }
    run.into_result(start.elapsed())
}

async fn perform(
    run: &mut CaseRun<'_>,
    conn: &mut Option<Connection>,
    action: Action,
    start: Instant,
    addrs: &[SocketAddr],
    connect_timeout: Duration,
    write_limit: Duration,
) {
    match action {
        Action::Connect => match Connection::open(addrs, Instant::now() + connect_timeout).await {
            Ok(c) => {
                *conn = Some(c);
                run.handle(start.elapsed(), Event::Connected);
            }
            Err(e) => run.handle(start.elapsed(), Event::ConnectFailed(e)),
        },
        Action::Write(bytes) => {
            let Some(c) = conn.as_mut() else {
                return run.handle(start.elapsed(), Event::WriteFailed("not connected".into()));
            };
            run.record_sent(start.elapsed(), &bytes);
            match c.write(&bytes, Instant::now() + write_limit).await {
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
            let limit = at(start, deadline);
            while pos < bytes.len() {
                match c.transfer_step(&bytes[pos..], read_open, limit).await {
                    Transferred::Wrote(n) => pos += n,
                    Transferred::Data(n) => run.handle(start.elapsed(), Event::Data(&c.buf[..n])),
                    Transferred::Eof => {
                        read_open = false;
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
            run.handle(start.elapsed(), Event::Wrote)
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
                ReadOutcome::Eof => run.handle(start.elapsed(), Event::Eof),
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
