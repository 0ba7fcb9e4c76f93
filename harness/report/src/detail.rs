//! Wording shared by the JUnit and terminal writers, so a failure reads the same in a CI test
//! tab as on a terminal: requirement, location, expected/actual, findings, expectations.

use wirecheck_core::result::{CaseResult, ExpectedOutcome, Finding, Verdict};

/// `12 ms` below a second, `3.42 s` above: milliseconds stop being readable past four digits.
pub(crate) fn fmt_ms(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        format!("{:.2} s", ms as f64 / 1000.0)
    }
}

/// `RFC 9112 §3.2 (MUST) [H1]`.
pub(crate) fn requirement(case: &CaseResult) -> String {
    let mut s = format!(
        "{} ({})",
        case.spec.citation(),
        case.level.as_str().to_uppercase()
    );
    if let Some(check) = &case.spec.check {
        s.push_str(&format!(" [{check}]"));
    }
    s
}

/// The quoted requirement text on one line (YAML folding leaves stray newlines and runs of
/// spaces that only get in the way of reading).
pub(crate) fn quoted_text(case: &CaseResult) -> Option<String> {
    let text = case.spec.text.as_deref()?;
    let words: Vec<&str> = text.split_whitespace().collect();
    (!words.is_empty()).then(|| format!("\"{}\"", words.join(" ")))
}

/// `file:line:col (step 2, expect_response)` at the failing step, or `file:line` of the case.
/// Steps are counted from 1 here, as a person counts them in the YAML file (the model's
/// `Failure::step` is 0-based).
pub(crate) fn at(case: &CaseResult) -> String {
    match &case.failure {
        Some(f) => format!(
            "{}:{}:{} (step {}, {})",
            case.file,
            f.line,
            f.col,
            f.step + 1,
            f.step_kind
        ),
        None => case.location(),
    }
}

/// The line the failure is at, else the line of the case: what annotations should point to.
pub(crate) fn line(case: &CaseResult) -> u32 {
    case.failure.as_ref().map_or(case.line, |f| f.line)
}

/// `date (RFC 9110 §6.6.1, must): message`.
pub(crate) fn finding(f: &Finding) -> String {
    format!(
        "{} ({}, {}): {}",
        f.rule,
        f.citation,
        f.level.as_str(),
        f.message
    )
}

/// `fail or error`.
pub(crate) fn verdict_list(verdicts: &[Verdict]) -> String {
    let words: Vec<&str> = verdicts.iter().map(|v| v.as_str()).collect();
    if words.is_empty() {
        "nothing".into()
    } else {
        words.join(" or ")
    }
}

/// True when an expectations entry predicted this fail/error: known, not a CI failure.
pub(crate) fn expected_problem(case: &CaseResult) -> Option<&ExpectedOutcome> {
    case.expected
        .as_ref()
        .filter(|e| e.matched && case.verdict.is_problem())
}

/// `unexpected pass: expectations file says fail (reason)`.
pub(crate) fn unexpected_message(case: &CaseResult, e: &ExpectedOutcome) -> String {
    format!(
        "unexpected {}: expectations file says {} ({})",
        case.verdict,
        verdict_list(&e.verdicts),
        e.reason
    )
}

/// What the expectations file had to say about this case, if it had an entry.
pub(crate) fn expectation_note(case: &CaseResult) -> Option<String> {
    let e = case.expected.as_ref()?;
    let mut s = if e.matched {
        format!(
            "expected {} per `{}`: {}",
            case.verdict, e.pattern, e.reason
        )
    } else {
        format!("{} [pattern `{}`]", unexpected_message(case, e), e.pattern)
    };
    if let Some(link) = &e.link {
        s.push_str(&format!(" — {link}"));
    }
    Some(s)
}

/// The case's message unless the failure already says the same thing.
pub(crate) fn extra_message(case: &CaseResult) -> Option<&str> {
    let m = case.message.as_deref()?;
    match &case.failure {
        Some(f) if f.message == m => None,
        _ => Some(m),
    }
}

/// `label text`, with continuation lines aligned under the text.
pub(crate) fn labelled(label: &str, text: &str) -> Vec<String> {
    if text.is_empty() {
        return vec![format!("{label} (empty)")];
    }
    let pad = " ".repeat(label.chars().count() + 1);
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("{label} {l}")
            } else {
                format!("{pad}{l}")
            }
        })
        .collect()
}

/// `text` with control characters other than newline and tab shown as escapes (`\x1b`), so
/// text that came from a server (messages quote header values) cannot move the cursor, clear
/// the screen or forge output on a terminal; bidirectional overrides and isolates
/// (U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C) are shown as `\u{202e}` so they cannot
/// reorder what a reader sees.
pub(crate) fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\t' => out.push(c),
            // `char::is_control` is exactly U+0000–U+001F and U+007F–U+009F: two hex digits.
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{061c}' => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The body of an explanation, without header or transcript, one item per line; nested lines
/// are indented by two spaces.
pub(crate) fn detail_lines(case: &CaseResult) -> Vec<String> {
    let mut lines = vec![format!("requirement: {}", requirement(case))];
    if let Some(q) = quoted_text(case) {
        lines.push(format!("  {q}"));
    }
    lines.push(format!("at: {}", at(case)));
    if let Some(m) = extra_message(case) {
        lines.extend(labelled("message:", m));
    }
    if let Some(f) = &case.failure {
        lines.extend(labelled("expected:", &f.expected));
        lines.extend(labelled("actual:  ", &f.actual));
    }
    for f in &case.findings {
        lines.extend(labelled("finding:", &finding(f)));
    }
    for c in &case.connections {
        let label = if case.connections.len() > 1 {
            format!("connection {}:", c.index)
        } else {
            "connection:".to_string()
        };
        lines.extend(labelled(&label, &c.summary));
    }
    if let Some(note) = expectation_note(case) {
        lines.extend(labelled("expectations:", &note));
    }
    lines
}

/// The last `n` characters of the transcript, without the empty `>> ` / `<< ` lines that a
/// trailing newline in an entry leaves behind; `None` when nothing was recorded.
pub(crate) fn transcript_tail(case: &CaseResult, n: usize) -> Option<String> {
    if case.transcript.entries.is_empty() {
        return None;
    }
    let tail = case.transcript.tail(n);
    let kept: Vec<&str> = tail
        .lines()
        .filter(|l| !matches!(l.trim_end(), ">>" | "<<" | "…>>" | "…<<"))
        .collect();
    Some(kept.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_switch_to_seconds() {
        assert_eq!(fmt_ms(12), "12 ms");
        assert_eq!(fmt_ms(3420), "3.42 s");
    }

    #[test]
    fn printable_escapes_controls() {
        assert_eq!(
            printable("a\u{1b}[2J\r\n\tb\u{7f}\u{9b}"),
            "a\\x1b[2J\\x0d\n\tb\\x7f\\x9b"
        );
        assert_eq!(printable("a\u{202e}b\u{2066}"), "a\\u{202e}b\\u{2066}");
    }

    #[test]
    fn labelled_aligns_continuations() {
        assert_eq!(
            labelled("actual:", "a\nb"),
            vec!["actual: a".to_string(), "        b".to_string()]
        );
        assert_eq!(labelled("actual:", ""), vec!["actual: (empty)".to_string()]);
    }
}
