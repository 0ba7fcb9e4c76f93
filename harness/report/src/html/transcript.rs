//! A case's transcript as the HTML report shows it: one row per entry with its time offset,
//! direction and size; text in the escape language of scenario files (`\r\n` visible, so what
//! is shown can be pasted back into a case), a hex dump when the bytes are mostly binary, and
//! long payloads cut in the middle with an explicit marker giving sizes and a SHA-256 digest.
//!
//! Bounds keep an 800-case report small and quick to open whatever the servers sent: at most
//! [`ENTRY_HEAD`] + [`ENTRY_TAIL`] characters (or [`HEX_HEAD`] + [`HEX_TAIL`] bytes as hex) per
//! entry and [`CASE_BUDGET`] characters per case; whatever is left out is counted on the page.
//! The JSON report keeps everything the run kept.

use sha2::{Digest, Sha256};
use wirecheck_core::result::{Direction, Transcript, TranscriptEntry};
use wirecheck_core::text::{decode_escapes, display_bytes};

/// Characters of an entry's text shown before a cut.
pub(crate) const ENTRY_HEAD: usize = 1536;
/// Characters shown after a cut (the end of a body is often where a framing error is).
pub(crate) const ENTRY_TAIL: usize = 512;
/// Bytes of a binary entry shown as hex before a cut.
pub(crate) const HEX_HEAD: usize = 512;
/// Bytes shown as hex after a cut.
pub(crate) const HEX_TAIL: usize = 128;
/// Characters of transcript text per case; later entries are counted, not shown.
pub(crate) const CASE_BUDGET: usize = 24 * 1024;

/// One transcript row.
pub(crate) struct EntryView {
    /// `+0.407 ms`.
    pub(crate) at: String,
    /// `sent`, `received` or `event` (a CSS class too).
    pub(crate) dir: &'static str,
    /// `>>`, `<<` or `--`.
    pub(crate) arrow: &'static str,
    /// `100 B`, empty for events.
    pub(crate) size: String,
    /// Text shown before a hex dump (the head of an HTTP message whose body is binary).
    pub(crate) lead: String,
    /// True when `head`/`tail` are a hex dump.
    pub(crate) hex: bool,
    /// The text (or hex) shown first.
    pub(crate) head: String,
    /// The cut marker, when the middle was left out.
    pub(crate) gap: Option<String>,
    /// The text shown after the cut.
    pub(crate) tail: String,
    /// A note below the entry (bytes the run itself did not keep).
    pub(crate) note: Option<String>,
}

/// The transcript of one case in one run.
pub(crate) struct TranscriptView {
    /// `4 entries · 100 B sent · 255 B received`.
    pub(crate) summary: String,
    /// Rows shown.
    pub(crate) entries: Vec<EntryView>,
    /// Notes after the rows: entries left out, bytes the run did not keep.
    pub(crate) notes: Vec<String>,
    /// The last connection event (FIN, reset, closed by the harness, timeout…).
    pub(crate) closing: Option<String>,
}

impl TranscriptView {
    /// True when nothing was recorded.
    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Builds the view of `t`.
pub(crate) fn view(t: &Transcript) -> TranscriptView {
    let mut entries = Vec::new();
    let mut used = 0usize;
    let mut left_out = 0usize;
    for e in &t.entries {
        if used >= CASE_BUDGET {
            left_out += 1;
            continue;
        }
        let v = entry(e);
        used += v.head.len() + v.tail.len();
        entries.push(v);
    }
    let mut notes = Vec::new();
    if left_out > 0 {
        notes.push(format!(
            "[{left_out} more entries not shown: this report shows about {} KiB of transcript \
             per case; the JSON report has all that the run kept]",
            CASE_BUDGET / 1024
        ));
    }
    if t.dropped_bytes > 0 {
        notes.push(format!(
            "[{} not recorded by the run: transcript size cap (--max-transcript) reached]",
            size(t.dropped_bytes)
        ));
    }
    let closing = t
        .entries
        .iter()
        .rev()
        .find(|e| e.dir == Direction::Event && e.text != "connected")
        .map(|e| format!("{} at {}", e.text, at(e.at_us)));
    TranscriptView {
        summary: format!(
            "{} entries · {} sent · {} received",
            t.entries.len(),
            size(t.sent_bytes),
            size(t.received_bytes)
        ),
        entries,
        notes,
        closing,
    }
}

/// `+12.345 ms`.
fn at(us: u64) -> String {
    format!("+{}.{:03} ms", us / 1000, us % 1000)
}

/// `512 B`, `4,096 B (4.0 KiB)`.
pub(crate) fn size(n: u64) -> String {
    let digits = n.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if n < 1024 {
        format!("{grouped} B")
    } else if n < 1024 * 1024 {
        format!("{grouped} B ({:.1} KiB)", n as f64 / 1024.0)
    } else {
        format!("{grouped} B ({:.1} MiB)", n as f64 / (1024.0 * 1024.0))
    }
}

fn entry(e: &TranscriptEntry) -> EntryView {
    let (dir, arrow) = match e.dir {
        Direction::Sent => ("sent", ">>"),
        Direction::Received => ("received", "<<"),
        Direction::Event => ("event", "--"),
    };
    let mut v = EntryView {
        at: at(e.at_us),
        dir,
        arrow,
        size: String::new(),
        lead: String::new(),
        hex: false,
        head: String::new(),
        gap: None,
        tail: String::new(),
        note: None,
    };
    if e.dir == Direction::Event {
        v.head = e.text.clone();
        return v;
    }
    v.size = size(e.len);
    // The text is the escape language plus a real line break after every `\n`: without the
    // breaks it decodes back to the bytes that were kept.
    let bytes = decode_escapes(&e.text.replace('\n', "")).ok();
    let kept = bytes
        .as_ref()
        .map_or(e.text.len() as u64, |b| b.len() as u64);
    if e.cut || kept < e.len {
        v.note = Some(format!(
            "[the run kept the first {} of {}]",
            size(kept),
            size(e.len)
        ));
    }
    match bytes {
        Some(b) if is_binary(&b) => {
            v.hex = true;
            // A message head in text before a binary body stays text.
            let start = b
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .map(|i| i + 4)
                .filter(|&i| i <= 8192 && !is_binary(&b[..i]))
                .unwrap_or(0);
            v.lead = display_bytes(&b[..start]);
            let body = &b[start..];
            if body.len() > HEX_HEAD + HEX_TAIL {
                let tail_start = body.len() - HEX_TAIL;
                v.head = hex_dump(&body[..HEX_HEAD], start);
                v.tail = hex_dump(&body[tail_start..], start + tail_start);
                v.gap = Some(gap(body.len() - HEX_HEAD - HEX_TAIL, &b));
            } else {
                v.head = hex_dump(body, start);
            }
        }
        bytes => {
            let text = e.text.as_str();
            if text.len() > ENTRY_HEAD + ENTRY_TAIL {
                let cut_at = snap(text, ENTRY_HEAD);
                let tail_at = snap(text, text.len() - ENTRY_TAIL).max(cut_at);
                v.head = text[..cut_at].to_string();
                v.tail = text[tail_at..].to_string();
                let all = bytes.unwrap_or_else(|| text.as_bytes().to_vec());
                let shown = decoded_len(&v.head) + decoded_len(&v.tail);
                v.gap = Some(gap(all.len().saturating_sub(shown), &all));
            } else {
                v.head = text.to_string();
            }
        }
    }
    v
}

/// Bytes `text` (escape language) stands for.
fn decoded_len(text: &str) -> usize {
    decode_escapes(&text.replace('\n', "")).map_or(text.len(), |b| b.len())
}

/// The cut marker: how much is hidden, and a digest of every byte kept so two payloads can be
/// compared without being shown.
fn gap(hidden: usize, kept: &[u8]) -> String {
    let digest = Sha256::digest(kept);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "\n[… {} not shown here; sha256 of the {} kept: {hex} …]\n",
        size(hidden as u64),
        size(kept.len() as u64)
    )
}

/// A cut point at or before byte `at` of `text` that splits neither a character nor an
/// escape such as `\x0d` or `\r`.
fn snap(text: &str, at: usize) -> usize {
    let mut i = at.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    let b = text.as_bytes();
    // A `\` starts an escape when an even number of `\` precede it; escapes are at most four
    // bytes long, so only the last three bytes before the cut can start one that it splits.
    for j in (i.saturating_sub(3)..i).rev() {
        if b[j] == b'\\' {
            let run = b[..j].iter().rev().take_while(|c| **c == b'\\').count();
            if run % 2 == 0 {
                let len = if b.get(j + 1) == Some(&b'x') { 4 } else { 2 };
                return if j + len > i { j } else { i };
            }
        }
    }
    i
}

/// Mostly not text: more than one byte in eight outside printable ASCII, CR, LF and TAB.
fn is_binary(b: &[u8]) -> bool {
    if b.len() < 8 {
        return false;
    }
    let odd = b
        .iter()
        .filter(|&&c| !matches!(c, 0x20..=0x7e | b'\r' | b'\n' | b'\t'))
        .count();
    odd * 8 > b.len()
}

/// `00000010  48 54 54 50 2f 31 2e 31  20 32 30 30 20 4f 4b 0d  |HTTP/1.1 200 OK.|`
fn hex_dump(b: &[u8], offset: usize) -> String {
    let mut out = String::with_capacity(b.len() * 4 + 32);
    for (n, row) in b.chunks(16).enumerate() {
        if n > 0 {
            out.push('\n');
        }
        out.push_str(&format!("{:08x} ", offset + n * 16));
        for i in 0..16 {
            if i == 8 {
                out.push(' ');
            }
            match row.get(i) {
                Some(x) => out.push_str(&format!(" {x:02x}")),
                None => out.push_str("   "),
            }
        }
        out.push_str("  |");
        for &c in row {
            out.push(if (0x20..=0x7e).contains(&c) {
                c as char
            } else {
                '.'
            });
        }
        out.push('|');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(entries: Vec<TranscriptEntry>) -> Transcript {
        let mut t = Transcript::default();
        t.entries = entries;
        t
    }

    fn e(dir: Direction, text: &str, len: u64) -> TranscriptEntry {
        TranscriptEntry {
            at_us: 1_234,
            dir,
            text: text.into(),
            len,
            cut: false,
        }
    }

    #[test]
    fn sizes_group_digits() {
        assert_eq!(size(512), "512 B");
        assert_eq!(size(1_048_576), "1,048,576 B (1.0 MiB)");
        assert_eq!(size(4096), "4,096 B (4.0 KiB)");
    }

    #[test]
    fn text_keeps_visible_line_ends_and_binary_turns_to_hex() {
        let v = view(&t(vec![
            e(Direction::Received, "HTTP/1.1 200 OK\\r\\n\n", 17),
            e(
                Direction::Received,
                "\\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07ABCD",
                12,
            ),
        ]));
        assert_eq!(v.entries[0].head, "HTTP/1.1 200 OK\\r\\n\n");
        assert!(!v.entries[0].hex);
        assert!(v.entries[1].hex);
        assert!(v.entries[1]
            .head
            .starts_with("00000000  00 01 02 03 04 05 06 07  41 42 43 44"));
        assert!(v.entries[1].head.ends_with("|........ABCD|"));
        assert_eq!(v.entries[1].at, "+1.234 ms");
    }

    #[test]
    fn a_text_head_stays_text_before_a_binary_body() {
        let mut text = "HTTP/1.1 200 OK\\r\\n\nContent-Length: 32\\r\\n\n\\r\\n\n".to_string();
        for b in 0u8..32 {
            text.push_str(&format!("\\x{b:02x}"));
        }
        let v = view(&t(vec![e(Direction::Received, &text, 70)]));
        let entry = &v.entries[0];
        assert!(entry.hex);
        assert_eq!(
            entry.lead,
            "HTTP/1.1 200 OK\\r\\n\nContent-Length: 32\\r\\n\n\\r\\n\n"
        );
        assert!(
            entry.head.starts_with("00000027  00 01 02"),
            "{}",
            entry.head
        );
    }

    #[test]
    fn long_payloads_are_cut_with_sizes_and_a_digest() {
        let body = "0123456789abcdef".repeat(1000);
        let v = view(&t(vec![e(Direction::Received, &body, 16_000)]));
        let entry = &v.entries[0];
        let gap = entry.gap.as_deref().expect("cut");
        assert!(
            gap.contains("13,952 B (13.6 KiB) not shown") && gap.contains("sha256 of the 16,000 B"),
            "{gap}"
        );
        assert_eq!(entry.head.len(), ENTRY_HEAD);
        assert_eq!(entry.tail.len(), ENTRY_TAIL);
    }

    #[test]
    fn cuts_never_split_an_escape() {
        let body = "\\r\\n\n".repeat(2000);
        let v = view(&t(vec![e(Direction::Received, &body, 4000)]));
        let entry = &v.entries[0];
        assert!(entry.head.ends_with('\n') || entry.head.ends_with("\\n"));
        assert!(entry.tail.starts_with('\\'), "{:?}", &entry.tail[..8]);
    }

    #[test]
    fn snapping_moves_back_only_over_a_split_escape() {
        assert_eq!(snap("ab\\x0dcd", 4), 2);
        assert_eq!(snap("ab\\x0dcd", 6), 6);
        assert_eq!(snap("ab\\\\cd", 3), 2, "`\\\\` is one escape");
        assert_eq!(snap("ab\\\\cd", 4), 4);
        assert_eq!(snap("aé", 2), 1, "never inside a character");
    }

    #[test]
    fn the_case_budget_counts_what_it_leaves_out() {
        let body = "x".repeat(2000);
        let many: Vec<_> = (0..40).map(|_| e(Direction::Sent, &body, 2000)).collect();
        let v = view(&t(many));
        assert!(v.entries.len() < 40);
        assert!(
            v.notes[0].contains("more entries not shown"),
            "{:?}",
            v.notes
        );
    }

    #[test]
    fn closing_is_the_last_event() {
        let v = view(&t(vec![
            e(Direction::Event, "connected", 0),
            e(Direction::Event, "closed by the server (FIN)", 0),
        ]));
        assert_eq!(
            v.closing.as_deref(),
            Some("closed by the server (FIN) at +1.234 ms")
        );
    }
}
