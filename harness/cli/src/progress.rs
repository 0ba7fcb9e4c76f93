//! Progress on a terminal: one self-updating line on stderr, drawn only when stderr is a TTY
//! (and TERM is not `dumb`), so CI logs stay plain.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use wirecheck_core::model::Case;
use wirecheck_core::result::{CaseResult, Verdict};
use wirecheck_runner::Observer;

/// Draws `[done/total] N failed · last started id`.
pub(crate) struct Progress {
    total: usize,
    done: AtomicUsize,
    failed: AtomicUsize,
    last_draw: Mutex<Option<Instant>>,
    enabled: bool,
}

impl Progress {
    pub(crate) fn new(total: usize) -> Self {
        let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
        Progress {
            total,
            done: AtomicUsize::new(0),
            failed: AtomicUsize::new(0),
            last_draw: Mutex::new(None),
            enabled: std::io::stderr().is_terminal() && !dumb,
        }
    }

    fn draw(&self, current: &str, force: bool) {
        if !self.enabled {
            return;
        }
        let mut last = self.last_draw.lock().unwrap_or_else(|e| e.into_inner());
        if !force && last.is_some_and(|t| t.elapsed() < Duration::from_millis(100)) {
            return;
        }
        *last = Some(Instant::now());
        let done = self.done.load(Ordering::Relaxed);
        let failed = self.failed.load(Ordering::Relaxed);
        let width = self.total.to_string().len();
        let mut line = format!(
            "[{done:>width$}/{}] {failed} failed · {current}",
            self.total
        );
        line.truncate(100);
        let _ = write!(std::io::stderr(), "\r\x1b[2K{line}");
    }

    /// Erases the progress line.
    pub(crate) fn clear(&self) {
        if self.enabled {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}

impl Observer for Progress {
    fn started(&self, _index: usize, case: &Case) {
        self.draw(&case.id, false);
    }

    fn finished(&self, _index: usize, result: &CaseResult) {
        self.done.fetch_add(1, Ordering::Relaxed);
        if matches!(result.verdict, Verdict::Fail | Verdict::Error) {
            self.failed.fetch_add(1, Ordering::Relaxed);
        }
        self.draw(&result.id, self.done.load(Ordering::Relaxed) == self.total);
    }
}
