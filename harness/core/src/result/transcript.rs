//! The wire transcript of a case: timestamped bytes both ways and connection events, bounded
//! in size.

use serde::{Deserialize, Serialize};

use crate::text::display_bytes;

/// Who did what.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Bytes written by the harness.
    Sent,
    /// Bytes read from the server.
    Received,
    /// A connection event (connect, FIN, RST, timeout, half-close, write error).
    Event,
}

/// One transcript line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranscriptEntry {
    /// Microseconds since the case started.
    pub at_us: u64,
    /// Sent, received or event.
    pub dir: Direction,
    /// Bytes in the escape language of scenario files (`\r\n`, `\xNN`), or the event text.
    pub text: String,
    /// Length of the bytes on the wire (for events: 0).
    pub len: u64,
    /// True when only the first part of the bytes was kept.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cut: bool,
}

/// A bounded transcript. Equality compares what is serialized (entries and counts), not the
/// in-memory cap bookkeeping.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Transcript {
    /// Entries in time order.
    pub entries: Vec<TranscriptEntry>,
    /// Bytes seen on the wire in each direction, kept or not.
    pub sent_bytes: u64,
    /// Bytes received, kept or not.
    pub received_bytes: u64,
    /// Wire bytes not kept because the cap was reached.
    #[serde(default)]
    pub dropped_bytes: u64,
    /// Lines not kept because the transcript reached [`MAX_ENTRIES`] lines (a 1000-message
    /// echo loop of 512-frame messages would otherwise list half a million frames).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub dropped_entries: u64,
    /// Cap on wire bytes kept.
    #[serde(skip)]
    pub cap: usize,
    #[serde(skip)]
    kept: usize,
}

/// Most lines one transcript keeps.
pub const MAX_ENTRIES: usize = 1000;

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl PartialEq for Transcript {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
            && self.sent_bytes == other.sent_bytes
            && self.received_bytes == other.received_bytes
            && self.dropped_bytes == other.dropped_bytes
            && self.dropped_entries == other.dropped_entries
    }
}

impl Eq for Transcript {}

impl Transcript {
    /// An empty transcript keeping at most `cap` wire bytes.
    pub fn new(cap: usize) -> Self {
        Transcript {
            cap,
            ..Transcript::default()
        }
    }

    /// Records bytes.
    pub fn bytes(&mut self, at_us: u64, dir: Direction, data: &[u8]) {
        match dir {
            Direction::Sent => self.sent_bytes += data.len() as u64,
            _ => self.received_bytes += data.len() as u64,
        }
        let room = self.cap.saturating_sub(self.kept);
        let take = data.len().min(room);
        self.kept += take;
        self.dropped_bytes += (data.len() - take) as u64;
        if take == 0 {
            // Past the cap: count the bytes on the last entry of this direction instead of
            // adding an empty line per read (a 16 MiB transfer is thousands of reads).
            if let Some(last) = self.entries.iter_mut().rev().find(|e| e.dir == dir) {
                if last.cut {
                    last.len += data.len() as u64;
                    return;
                }
            }
        }
        if self.entries.len() >= MAX_ENTRIES {
            self.dropped_entries += 1;
            return;
        }
        let text = display_bytes(&data[..take]);
        // Adjacent reads of the same direction are merged so the transcript reads as a stream.
        if let Some(last) = self.entries.last_mut() {
            if last.dir == dir
                && dir == Direction::Received
                && !last.cut
                && at_us.saturating_sub(last.at_us) < 1_000
            {
                last.text.push_str(&text);
                last.len += data.len() as u64;
                last.cut = take < data.len();
                return;
            }
        }
        self.entries.push(TranscriptEntry {
            at_us,
            dir,
            text,
            len: data.len() as u64,
            cut: take < data.len(),
        });
    }

    /// Records an event.
    pub fn event(&mut self, at_us: u64, text: impl Into<String>) {
        if self.entries.len() >= MAX_ENTRIES {
            self.dropped_entries += 1;
            return;
        }
        self.entries.push(TranscriptEntry {
            at_us,
            dir: Direction::Event,
            text: text.into(),
            len: 0,
            cut: false,
        });
    }

    /// The last `n` characters of received text, for failure messages.
    pub fn tail(&self, n: usize) -> String {
        let mut all = String::new();
        for e in &self.entries {
            match e.dir {
                Direction::Sent => all.push_str(&format!("\n>> {}", e.text.replace('\n', "\n>> "))),
                Direction::Received => {
                    all.push_str(&format!("\n<< {}", e.text.replace('\n', "\n<< ")))
                }
                Direction::Event => all.push_str(&format!("\n-- {}", e.text)),
            }
        }
        let chars: Vec<char> = all.trim_start().chars().collect();
        let start = chars.len().saturating_sub(n);
        let prefix = if start > 0 { "…" } else { "" };
        format!("{prefix}{}", chars[start..].iter().collect::<String>())
    }
}
