//! Plain text for a person at a terminal: one line per case while the run goes, an
//! explanation block per problem, and a summary at the end.
//!
//! Colour is optional (`color: bool`; the caller decides from the TTY, `NO_COLOR`, flags) and
//! limited to bold, red, green and yellow, so the text reads the same without it. Nothing here
//! prints: every function returns a `String`, which keeps the writers testable and lets the
//! CLI choose stdout or stderr.
//!
//! Text from the model goes through `printable` first: messages and ids can carry characters
//! a server chose, and those must not reach the terminal as control sequences.

use wirecheck_core::model::Level;
use wirecheck_core::result::{
    CaseResult, Direction, ExpectedOutcome, RunReport, TranscriptEntry, Verdict,
};

use crate::detail;

/// Width the verdict word is padded to: the longest word, `unimplemented`.
const VERDICT_WIDTH: usize = 13;

/// New failures listed by id in the summary; the explanations above show every one.
const LISTED: usize = 50;

/// Characters of transcript shown under an explanation when not verbose: about one response
/// head and the start of a body, enough to see what the server said without flooding.
const TAIL_CHARS: usize = 1200;

const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const RESET: &str = "\x1b[0m";

fn paint(text: &str, codes: &str, color: bool) -> String {
    if color && !codes.is_empty() {
        format!("{codes}{text}{RESET}")
    } else {
        text.to_string()
    }
}

/// Colour of a case's verdict: red for anything that fails CI, yellow for known or soft
/// problems, green for a plain pass.
fn case_codes(case: &CaseResult) -> String {
    if case.is_unexpected() {
        return format!("{BOLD}{RED}");
    }
    match case.verdict {
        Verdict::Pass => GREEN.into(),
        Verdict::Fail | Verdict::Error | Verdict::NonStrict => YELLOW.into(),
        Verdict::Info | Verdict::Skip | Verdict::Unimplemented => String::new(),
    }
}

/// True for the cases worth an [`explain_failure`] block by default: problems (unexpected
/// `fail`/`error`, verdicts the expectations file did not predict) and `non-strict` results.
pub fn wants_explanation(case: &CaseResult) -> bool {
    case.is_unexpected() || case.verdict == Verdict::NonStrict
}

/// One line per case: `pass          http1/host/missing (12 ms)`.
///
/// The verdict word is padded to 13 characters so ids line up in a column. A `fail`/`error`
/// that the expectations file predicted gets `(expected: <reason>)`, and a verdict that it did
/// not predict gets `(unexpected: expectations file says …)`, so a reader never mistakes a
/// known gap for news or the other way round.
pub fn case_line(case: &CaseResult, color: bool) -> String {
    let word = case.verdict.as_str();
    let pad = " ".repeat(VERDICT_WIDTH.saturating_sub(word.len()));
    let mut rest = format!("{} ({})", case.id, detail::fmt_ms(case.duration_ms));
    // Information the case measured (an idle timeout): shown on the line itself, since a
    // pass gets no explanation.
    for f in case.findings.iter().filter(|f| f.level == Level::May) {
        rest.push_str(&format!(" (info: {})", f.message));
    }
    if let Some(e) = detail::expected_problem(case) {
        rest.push_str(&format!(" (expected: {})", e.reason));
    } else if let Some(e) = case.expected.as_ref().filter(|e| !e.matched) {
        rest.push_str(&format!(
            " (unexpected: expectations file says {})",
            detail::verdict_list(&e.verdicts)
        ));
    }
    format!(
        "{}{pad} {}",
        paint(word, &case_codes(case), color),
        detail::printable(&rest)
    )
}

/// A multi-line explanation of one case, meant for problems and `non-strict` results (see
/// [`wants_explanation`]); it renders any case, though.
///
/// Layout: a header `FAIL <id> — <title>`, then the requirement (and its quoted text), where
/// (`at: file:line:col (step N, kind)`, steps counted from 1), the message when it adds
/// something, `expected:` / `actual:`, findings, what the expectations file said, and the
/// last 1200 characters of the transcript. With `verbose` the whole transcript is shown
/// instead, one entry per line with its time offset (`+12.345ms >> …`). No trailing newline.
pub fn explain_failure(case: &CaseResult, verbose: bool, color: bool) -> String {
    let mut lines = vec![format!("{} — {}", case.id, case.title)];
    lines.extend(
        detail::detail_lines(case)
            .into_iter()
            .map(|l| format!("  {l}")),
    );
    if verbose {
        lines.extend(full_transcript(case));
    } else if let Some(tail) = detail::transcript_tail(case, TAIL_CHARS) {
        lines.push("  transcript (last bytes):".into());
        lines.extend(tail.lines().map(|l| format!("    {l}")));
    }
    let header = case.verdict.as_str().to_uppercase();
    format!(
        "{} {}",
        paint(&header, &case_codes(case), color),
        detail::printable(&lines.join("\n"))
    )
}

/// Every transcript entry, with timestamps and sizes.
fn full_transcript(case: &CaseResult) -> Vec<String> {
    let t = &case.transcript;
    if t.entries.is_empty() {
        return vec!["  transcript: (empty)".into()];
    }
    let mut lines = vec![format!(
        "  transcript ({} bytes sent, {} received):",
        t.sent_bytes, t.received_bytes
    )];
    for e in &t.entries {
        lines.extend(entry_lines(e).into_iter().map(|l| format!("    {l}")));
    }
    if t.dropped_bytes > 0 {
        lines.push(format!(
            "    ({} bytes not kept: transcript size cap reached)",
            t.dropped_bytes
        ));
    }
    lines
}

/// `+12.345ms >> text`, continuation lines aligned under the first.
fn entry_lines(e: &TranscriptEntry) -> Vec<String> {
    let stamp = format!("+{}.{:03}ms", e.at_us / 1000, e.at_us % 1000);
    let pad = " ".repeat(stamp.len());
    let mark = match e.dir {
        Direction::Sent => ">>",
        Direction::Received => "<<",
        Direction::Event => "--",
    };
    // Received and sent text ends with a newline after `\n`; that leaves no line to show.
    let text = e.text.strip_suffix('\n').unwrap_or(&e.text);
    let mut lines: Vec<String> = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| format!("{} {mark} {l}", if i == 0 { &stamp } else { &pad }))
        .collect();
    if e.cut {
        lines.push(format!("{pad} {mark} … (cut; {} bytes on the wire)", e.len));
    }
    lines
}

/// The end-of-run summary: target, counts per verdict, expected failures, unexpected results
/// as two lists (new failures, the first 50 by id; unexpected passes, every one), duration,
/// and as the last line exactly
/// [`RunReport::count_line`]. CI greps that last line, so nothing follows it — not even a
/// newline — and it is never coloured.
pub fn summary(report: &RunReport, color: bool) -> String {
    let mut lines = vec![detail::printable(&format!(
        "{} {} against {}: {} cases in {}",
        report.tool,
        report.tool_version,
        report.target,
        report.cases.len(),
        detail::fmt_ms(report.duration_ms)
    ))];
    for v in Verdict::ALL {
        lines.push(format!(
            "  {:<VERDICT_WIDTH$} {:>6}",
            v.as_str(),
            report.count(v)
        ));
    }

    let expected = report
        .cases
        .iter()
        .filter(|c| detail::expected_problem(c).is_some())
        .count();
    if expected > 0 {
        lines.push(format!(
            "expected failures: {expected} (predicted by the expectations file)"
        ));
    }
    let unexpected = report.cases.iter().filter(|c| c.is_unexpected()).count();
    let text = format!("unexpected: {unexpected}");
    let codes = if unexpected > 0 {
        format!("{BOLD}{RED}")
    } else {
        GREEN.to_string()
    };
    lines.push(paint(&text, &codes, color));

    let failures = crate::outcome::new_failures(report);
    if !failures.is_empty() {
        lines.push(format!(
            "new failures: {} (fix the server, or record them in the expectations file)",
            failures.len()
        ));
        for c in failures.iter().take(LISTED) {
            let what = c
                .failure
                .as_ref()
                .map(|f| f.message.as_str())
                .or(c.message.as_deref())
                .unwrap_or("");
            let what: String = what.chars().take(120).collect();
            lines.push(detail::printable(&format!(
                "  {:<6} {} — {what}",
                c.verdict.as_str(),
                c.id
            )));
        }
        if failures.len() > LISTED {
            lines.push(format!("  … and {} more", failures.len() - LISTED));
        }
    }

    let passes: Vec<(&CaseResult, &ExpectedOutcome)> = report
        .cases
        .iter()
        .filter(|c| c.is_unexpected() && !c.verdict.is_problem())
        .filter_map(|c| c.expected.as_ref().map(|e| (c, e)))
        .collect();
    if !passes.is_empty() {
        lines.push(format!(
            "unexpected passes: {} (update the expectations file)",
            passes.len()
        ));
        for (c, e) in passes {
            lines.push(detail::printable(&format!(
                "  {} — {}",
                c.id,
                detail::unexpected_message(c, e)
            )));
        }
    }
    if report.interrupted {
        lines.push(paint(
            "run interrupted: cases that did not finish are marked",
            YELLOW,
            color,
        ));
    }
    lines.push(report.count_line());
    lines.join("\n")
}
