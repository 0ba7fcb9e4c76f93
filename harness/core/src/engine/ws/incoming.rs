//! What the server sends on the open connection: its frames read by the strict reader,
//! listed in the transcript, and each event recorded and acted on (pings answered, a Close
//! answered, a protocol violation closed with 1002).

use super::events::Received;
use super::run::WsRun;
use crate::result::MAX_ENTRIES;
use crate::wire::ws::{opcode, opcode_name, WsEvent};

/// Most events (messages, pings, pongs, timer tags) kept for judging; beyond, they are counted.
/// No case expects anywhere near this many, and a server flooding pings or small messages
/// would otherwise grow the list without bound (each message keeps up to `keep` bytes).
pub(super) const MAX_RECEIVED: usize = 1000;

/// Transcript lines kept free of frame lines for the events that end a case.
const EVENT_LINES_KEPT: usize = 100;

impl WsRun<'_> {
    /// Records an event, or only counts it past [`MAX_RECEIVED`].
    pub(super) fn record(&mut self, r: Received) {
        if self.received.len() < MAX_RECEIVED {
            self.received.push(r);
        } else {
            self.received_dropped += 1;
        }
    }

    /// One event from the server: recorded, pings answered, a Close answered and timed.
    fn on_ws_event(&mut self, e: WsEvent) {
        if self.closing.received.is_some() {
            // Nothing may follow a Close (RFC 6455 §5.5.1); ignore it rather than record it.
            return;
        }
        match e {
            WsEvent::Message(m) => {
                let Some(m) = self.on_echo_message(m) else {
                    return;
                };
                self.record(Received::Message(m));
                self.early_close();
            }
            WsEvent::Ping(p) => {
                if self.closing.sent.is_none() {
                    self.send_control(opcode::PONG, p.clone());
                }
                self.record(Received::Ping(p));
                self.early_close();
            }
            WsEvent::Pong(p) => {
                self.record(Received::Pong(p));
                self.early_close();
            }
            WsEvent::Close { code, reason } => {
                self.note(format!(
                    "server close: code {} reason {:?}",
                    code.map_or("none".into(), |c| c.to_string()),
                    String::from_utf8_lossy(&reason)
                ));
                self.closing.server_first();
                if self.closing.sent.is_none() {
                    // Reply, echoing the code (RFC 6455 §5.5.1: "typically echos the status
                    // code it received").
                    self.start_close(code, b"", true);
                }
                self.stop_script();
                let drop = self.cfg.ws.scaled(self.cfg.ws.drop_timeout);
                self.closing.received_close(self.now, code, reason, drop);
            }
        }
    }

    /// Feeds bytes from the open connection to the strict reader: lists the frames, acts on
    /// each event, and on a violation closes with 1002.
    pub(super) fn feed(&mut self, data: &[u8]) {
        let Some(reader) = self.reader.as_mut() else {
            return;
        };
        if self.violation.is_some() {
            return;
        }
        let mut events = Vec::new();
        let mut frames = Vec::new();
        let result = reader.feed(data, &mut events, &mut frames);
        self.frames_received += frames.len() as u64;
        for f in &frames {
            // Frame lines stop short of the transcript's line limit, so that the events that
            // explain the end (timers, closes, drops) still fit after a flood of small frames.
            if self.transcript.entries.len() >= MAX_ENTRIES - EVENT_LINES_KEPT {
                self.transcript.dropped_entries += 1;
                continue;
            }
            let text = format!(
                "← frame {} fin={} rsv={}{} len={}",
                opcode_name(f.opcode),
                u8::from(f.fin),
                f.rsv,
                if f.masked { " MASKED" } else { "" },
                f.len
            );
            self.note(text);
        }
        for e in events {
            self.on_ws_event(e);
        }
        if let Err(v) = result {
            self.note(format!(
                "protocol violation by the server (RFC {} §{}): {}",
                v.rfc, v.section, v.message
            ));
            self.violation = Some(v);
            self.start_close(Some(1002), b"", true);
        }
    }
}
