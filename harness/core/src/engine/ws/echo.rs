//! Echo loops (Autobahn 9.7/9.8, 12.x, 13.x): send one message, wait for its echo, compare
//! type, length and content, repeat, all within one time limit.

use std::collections::VecDeque;
use std::time::Duration;

use super::events::Received;
use super::outgoing::{shape_units, WriteUnit};
use super::run::{Op, WsRun};
use crate::engine::Action;
use crate::model::{EchoLoop, Shape};
use crate::wire::ws::{corpus, next_slice, sha1, Message};

/// The state of one echo loop.
pub(super) struct Echo<'c> {
    spec: &'c EchoLoop,
    count: u32,
    i: u32,
    offset: usize,
    deadline: Option<Duration>,
    writes: VecDeque<WriteUnit<'c>>,
    pending: Option<Vec<u8>>,
    started: Duration,
}

impl<'c> Echo<'c> {
    pub(super) fn new(spec: &'c EchoLoop, count: u32, now: Duration) -> Self {
        Echo {
            spec,
            count,
            i: 0,
            offset: 0,
            deadline: None,
            writes: VecDeque::new(),
            pending: None,
            started: now,
        }
    }
}

impl<'c> WsRun<'c> {
    /// Drives the current echo loop; `None` when it is over (or the script stopped).
    pub(super) fn echo_action(&mut self) -> Option<Action> {
        let now = self.now;
        let scale = &self.cfg.ws;
        let Some(Op::Echo(echo)) = self.current.as_mut() else {
            return None;
        };
        let within = scale.scaled(echo.spec.within);
        let deadline = *echo.deadline.get_or_insert(now + within);
        if let Some(unit) = echo.writes.front_mut() {
            let bytes = unit.next_write();
            if unit.is_done() {
                echo.writes.pop_front();
            }
            return Some(Action::Transfer {
                bytes,
                deadline: deadline.min(self.cfg.case_timeout),
            });
        }
        if echo.pending.is_some() {
            if now >= deadline {
                let msg = format!(
                    "Did not receive message within {:?} ({} of {} echoed)",
                    within, echo.i, echo.count
                );
                self.current = None;
                self.echo_failure = Some(msg);
                self.start_close(Some(1001), b"Going Away", true);
                return None;
            }
            return Some(self.read_until(deadline));
        }
        if echo.i >= echo.count {
            let ms = (now - echo.started).as_millis();
            self.echo_note = Some(format!(
                "Ok, received all {} echoes of {} B in {ms} ms",
                echo.count, echo.spec.size
            ));
            self.current = None;
            return None;
        }
        // The next message: a slice of the data set, or a repeated pattern.
        let spec = echo.spec;
        let data = match spec.data {
            Some(kind) => next_slice(corpus(kind), &mut echo.offset, spec.size, !spec.binary),
            None => vec![b'*'; spec.size],
        };
        let frames = self.message_frames(&data, spec.binary, spec.fragment);
        let Some(Op::Echo(echo)) = self.current.as_mut() else {
            unreachable!()
        };
        self.frames_sent += frames.len() as u64;
        let (units, _) = shape_units(frames, Shape::default());
        echo.writes.extend(units);
        echo.pending = Some(data);
        self.echo_action()
    }

    /// Takes `m` as the echo the current loop waits for; gives it back when no loop waits.
    pub(super) fn on_echo_message(&mut self, m: Message) -> Option<Message> {
        if let Some(Op::Echo(echo)) = self.current.as_mut() {
            if let Some(want) = echo.pending.take() {
                // Long messages are kept only in part: compare their digests.
                let same = if m.truncated {
                    sha1(&want) == m.sha1
                } else {
                    m.data == want
                };
                let ok = m.binary == echo.spec.binary && m.len == want.len() as u64 && same;
                if ok {
                    echo.i += 1;
                    return None;
                }
                let msg = format!(
                    "echo {} of {} differs: sent {} {} B, got {} {} B",
                    echo.i + 1,
                    echo.count,
                    if echo.spec.binary { "binary" } else { "text" },
                    want.len(),
                    if m.binary { "binary" } else { "text" },
                    m.len
                );
                self.current = None;
                self.echo_failure = Some(msg);
                self.record(Received::Message(m));
                self.start_close(Some(1000), b"", true);
                return None;
            }
        }
        Some(m)
    }
}
