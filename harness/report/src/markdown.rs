//! The Markdown summary, for `$GITHUB_STEP_SUMMARY` and pull-request comments: counts, the
//! new failures and the unexpected passes as two tables, then details of the first few
//! failures (requirement, YAML location, expected/observed, the end of the transcript).
//!
//! GitHub rejects a step summary over 1 MiB as a whole, so the text is built against a byte
//! budget ([`MarkdownOptions::max_bytes`], 900 KB by default) and says how much it left out.
//! Text that came from a server is never trusted as Markdown: table cells escape every
//! character Markdown or HTML would act on (a header value cannot add a link, an image, a
//! mention or a column), and longer text goes into fenced blocks whose fence is longer than
//! any backtick run inside.

use wirecheck_core::result::{CaseResult, RunReport, Verdict};

use crate::{detail, outcome};

/// What to include.
#[derive(Clone, Debug)]
pub struct MarkdownOptions {
    /// Rows of each table at most.
    pub max_listed: usize,
    /// Failures given a details block at most.
    pub max_detailed: usize,
    /// Bytes of Markdown at most (the text stays below, markers included).
    pub max_bytes: usize,
    /// Link to the HTML report (relative to where the Markdown is read); cases then link to
    /// their anchor in it.
    pub html_link: Option<String>,
    /// A heading for the run (default `wirecheck`); several runs in one file use the label.
    pub heading: Option<String>,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions {
            max_listed: 50,
            max_detailed: 10,
            max_bytes: 900_000,
            html_link: None,
            heading: None,
        }
    }
}

/// Characters of transcript tail in a details block.
const TAIL_CHARS: usize = 1200;

/// The summary of `report`.
pub fn markdown(report: &RunReport, opts: &MarkdownOptions) -> String {
    let mut out = Budget::new(opts.max_bytes);
    let heading = opts.heading.as_deref().unwrap_or("wirecheck");
    out.push(&format!(
        "### {}: {}\n\n",
        cell(heading),
        cell(&report.count_line())
    ));
    out.push(&format!(
        "Target {} · wirecheck {} · {} cases in {} · started {}{}\n\n",
        code(&report.target),
        cell(&report.tool_version),
        report.cases.len(),
        detail::fmt_ms(report.duration_ms),
        cell(&report.started_at),
        if report.interrupted {
            " · **interrupted**"
        } else {
            ""
        }
    ));
    let mut head = String::from("|");
    let mut rule = String::from("|");
    let mut counts = String::from("|");
    for v in Verdict::ALL {
        head.push_str(&format!(" {v} |"));
        rule.push_str("---:|");
        counts.push_str(&format!(" {} |", report.count(v)));
    }
    out.push(&format!("{head}\n{rule}\n{counts}\n\n"));

    let failures = outcome::new_failures(report);
    let passes = outcome::unexpected_passes(report);
    let expected = outcome::expected_failures(report).len();
    if failures.is_empty() && passes.is_empty() {
        out.push("**No unexpected result.**");
    } else {
        out.push(&format!(
            "**Unexpected: {}** ({} new {}, {} unexpected {}).",
            failures.len() + passes.len(),
            failures.len(),
            plural(failures.len(), "failure", "failures"),
            passes.len(),
            plural(passes.len(), "pass", "passes"),
        ));
    }
    if expected > 0 {
        out.push(&format!(
            " {expected} expected {} (listed in the expectations file).",
            plural(expected, "failure", "failures")
        ));
    }
    out.push("\n\n");

    let detailed: Vec<&CaseResult> = failures
        .iter()
        .chain(passes.iter())
        .take(opts.max_detailed)
        .copied()
        .collect();
    let link = |c: &CaseResult| -> String {
        let a = outcome::anchor(&c.id);
        if detailed.iter().any(|d| d.id == c.id) {
            format!("[{}](#{a})", code_in_table(&c.id))
        } else if let Some(html) = &opts.html_link {
            format!("[{}]({}#{a})", code_in_table(&c.id), url(html))
        } else {
            code_in_table(&c.id)
        }
    };

    if !failures.is_empty() {
        out.push(&format!("#### New failures ({})\n\n", failures.len()));
        out.push("| case | verdict | requirement | at | what happened |\n|---|---|---|---|---|\n");
        for (i, c) in failures.iter().enumerate() {
            let row = format!(
                "| {} | {} | {} | {} | {} |\n",
                link(c),
                c.verdict,
                cell(&detail::requirement(c)),
                code_in_table(&format!("{}:{}", c.file, detail::line(c))),
                cell(&short(c))
            );
            if i >= opts.max_listed || !out.fits(&row, 200) {
                out.push(&format!(
                    "\n… and {} more (see the HTML or JUnit report).\n",
                    failures.len() - i
                ));
                break;
            }
            out.push(&row);
        }
        out.push("\n");
    }
    if !passes.is_empty() {
        out.push(&format!("#### Unexpected passes ({})\n\n", passes.len()));
        out.push("| case | verdict | the expectations file says |\n|---|---|---|\n");
        for (i, c) in passes.iter().enumerate() {
            let says = c.expected.as_ref().map_or(String::new(), |e| {
                format!(
                    "{} ({}): {}",
                    detail::verdict_list(&e.verdicts),
                    e.pattern,
                    e.reason
                )
            });
            let row = format!("| {} | {} | {} |\n", link(c), c.verdict, cell(&says));
            if i >= opts.max_listed || !out.fits(&row, 200) {
                out.push(&format!(
                    "\n… and {} more (see the HTML or JUnit report).\n",
                    passes.len() - i
                ));
                break;
            }
            out.push(&row);
        }
        out.push(
            "\nUpdate the expectations file with `wirecheck expectations update RUN.json --file FILE`.\n\n",
        );
    }
    if !detailed.is_empty() {
        out.push("#### Details\n\n");
        for (i, c) in detailed.iter().enumerate() {
            let block = details(c, opts);
            if !out.fits(&block, 200) {
                out.push(&format!(
                    "… {} more not detailed: the summary stays under its size limit.\n",
                    detailed.len() - i
                ));
                break;
            }
            out.push(&block);
        }
    }
    if let Some(html) = &opts.html_link {
        out.push(&format!(
            "\nEvery case, with its transcript: [HTML report]({}).\n",
            url(html)
        ));
    }
    out.finish()
}

/// A `<details>` block for one case.
fn details(c: &CaseResult, opts: &MarkdownOptions) -> String {
    let mut s = format!(
        "<a id=\"{}\"></a>\n<details><summary><code>{}</code> — {} — {}</summary>\n\n",
        outcome::anchor(&c.id),
        html(&c.id),
        c.verdict,
        html(&c.title)
    );
    s.push_str(&format!(
        "- requirement: {}\n",
        cell(&detail::requirement(c))
    ));
    s.push_str(&format!("- at: {}\n", code(&detail::at(c))));
    if let Some(h) = &opts.html_link {
        s.push_str(&format!(
            "- [in the HTML report]({}#{})\n",
            url(h),
            outcome::anchor(&c.id)
        ));
    }
    let mut text = detail::detail_lines(c)
        .into_iter()
        .filter(|l| !l.starts_with("requirement:") && !l.starts_with("at:"))
        .collect::<Vec<_>>()
        .join("\n");
    if let Some(tail) = detail::transcript_tail(c, TAIL_CHARS) {
        text.push_str("\ntranscript (last bytes):\n");
        text.push_str(&tail);
    }
    s.push('\n');
    s.push_str(&fenced(&detail::printable(&text)));
    s.push_str("\n</details>\n\n");
    s
}

/// One line about what went wrong.
fn short(c: &CaseResult) -> String {
    let m = c
        .failure
        .as_ref()
        .map(|f| f.message.clone())
        .or_else(|| c.message.clone())
        .unwrap_or_default();
    let m: String = m.chars().take(200).collect();
    m
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// Text for a table cell or a line: every character Markdown, GitHub's extensions or HTML
/// could act on becomes a numeric entity (`.` and `:` too, which ends GitHub's autolinks of
/// `www.x` and `https://x`), controls become `\xNN`, line breaks spaces.
pub(crate) fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in detail::printable(s).chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '<' | '>' | '(' | ')' | '#' | '+'
            | '!' | '|' | '~' | '$' | '@' | '&' | ':' | '.' => {
                out.push_str(&format!("&#{};", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

/// An inline code span holding `s` literally (outside tables).
fn code(s: &str) -> String {
    let s = detail::printable(s).replace(['\n', '\r'], " ");
    let run = longest_run(&s, '`');
    let fence = "`".repeat(run + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// A code span inside a table row: GitHub splits cells at `|` even in code, unless escaped.
fn code_in_table(s: &str) -> String {
    code(s).replace('|', "\\|")
}

/// A fenced block holding `s` literally.
fn fenced(s: &str) -> String {
    let fence = "`".repeat(longest_run(s, '`').max(2) + 1);
    format!("{fence}text\n{s}\n{fence}\n")
}

fn longest_run(s: &str, ch: char) -> usize {
    let (mut best, mut cur) = (0, 0);
    for c in s.chars() {
        if c == ch {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

/// HTML text (inside `<summary>`).
fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in detail::printable(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A link target: characters that would end or break a Markdown link are percent-encoded.
fn url(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Text with a byte cap: pushes that would pass it are refused by [`Budget::fits`].
struct Budget {
    text: String,
    max: usize,
}

impl Budget {
    fn new(max: usize) -> Self {
        Budget {
            text: String::new(),
            max,
        }
    }

    /// True when `s` still fits with `reserve` bytes left for closing words.
    fn fits(&self, s: &str, reserve: usize) -> bool {
        self.text.len() + s.len() + reserve <= self.max
    }

    fn push(&mut self, s: &str) {
        if self.text.len() + s.len() <= self.max {
            self.text.push_str(s);
        }
    }

    fn finish(self) -> String {
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_neutralize_markdown_and_html() {
        assert_eq!(
            cell("<img src=x> [a](javascript:x) @all |"),
            "&#60;img src=x&#62; &#91;a&#93;&#40;javascript&#58;x&#41; &#64;all &#124;"
        );
        assert_eq!(cell("a\nb\u{1b}"), "a b&#92;x1b");
    }

    #[test]
    fn code_spans_outrun_backticks() {
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code_in_table("a|b"), "`a\\|b`");
        assert_eq!(fenced("```"), "````text\n```\n````\n");
    }
}
