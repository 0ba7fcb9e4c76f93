//! The page: everything the template shows, computed up front so the template only loops and
//! prints (askama escapes every value it prints; only our own CSS and script go in raw).

use std::collections::BTreeMap;
use std::io::{self, Write};

use askama::Template;
use sha2::{Digest, Sha256};
use wirecheck_core::result::{CaseResult, Verdict};

use super::case::{case_views, CaseView, Sources};
use super::summary::{category_rows, level_rows, run_bar, verdict_rows, Bar, GroupRow, VerdictRow};
use super::HtmlOptions;
use crate::combine::{version_notice, Column};
use crate::{detail, outcome};

const CSS: &str = include_str!("../../assets/report.css");
const JS: &str = include_str!("../../assets/report.js");

#[derive(Template)]
#[template(path = "report.html")]
struct Page {
    title: String,
    csp: String,
    css: &'static str,
    js: &'static str,
    generator: String,
    notices: Vec<String>,
    multi: bool,
    columns: Vec<ColumnView>,
    verdict_rows: Vec<VerdictRow>,
    categories: Vec<GroupRow>,
    levels: Vec<GroupRow>,
    new_failures: Vec<OutcomeItem>,
    unexpected_passes: Vec<OutcomeItem>,
    expected_failures: usize,
    filter_verdicts: Vec<(&'static str, usize)>,
    filter_levels: Vec<(&'static str, usize)>,
    filter_tags: Vec<(String, usize)>,
    filter_sections: Vec<SectionGroup>,
    matrix: Vec<MatrixRow>,
    cases: Vec<CaseView>,
    total: usize,
}

/// The header of one run.
struct ColumnView {
    label: String,
    target: String,
    tool_version: String,
    started_at: String,
    duration: String,
    sources: String,
    count_line: String,
    interrupted: bool,
    bar: Bar,
}

/// A case in the new-failures or unexpected-passes list.
struct OutcomeItem {
    anchor: String,
    id: String,
    column: String,
    verdict: &'static str,
    note: String,
}

/// The RFC-section options of one RFC.
struct SectionGroup {
    rfc: String,
    count: usize,
    /// `(value, label, count)`.
    sections: Vec<(String, String, usize)>,
}

/// A matrix row: one cell per column.
struct MatrixRow {
    anchor: String,
    id: String,
    cells: Vec<Option<MatrixCell>>,
}

struct MatrixCell {
    verdict: &'static str,
    /// `!` unexpected, `*` expected by the expectations file, else empty.
    mark: &'static str,
    /// A second verdict axis when it is not `OK` (WebSocket closing behaviour).
    axis: Option<String>,
    title: String,
}

/// The Content-Security-Policy of the page: nothing may load, only our own script may run
/// (pinned by its hash, so an injected `<script>` or `onerror=` would be refused even if
/// escaping ever failed), inline styles are allowed for the bars.
pub(crate) fn csp() -> String {
    format!(
        "default-src 'none'; script-src '{}'; style-src 'unsafe-inline'; img-src data:; \
         base-uri 'none'; form-action 'none'",
        script_hash()
    )
}

/// `sha256-…` of the inline script, exactly as it appears between the tags.
pub(crate) fn script_hash() -> String {
    format!("sha256-{}", base64(&Sha256::digest(JS.as_bytes())))
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Renders the page for `columns` into `out`.
pub(crate) fn write(
    columns: &[Column],
    opts: &HtmlOptions<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut sources = Sources::new(opts.sources);
    let cases = case_views(columns, &mut sources);
    let multi = columns.len() > 1;
    let mut notices: Vec<String> = version_notice(columns).into_iter().collect();
    for c in columns.iter().filter(|c| c.run.interrupted) {
        notices.push(format!(
            "The run {} was interrupted: cases that did not finish are marked.",
            c.label
        ));
    }
    let title = opts.title.clone().unwrap_or_else(|| match columns {
        [one] => format!("wirecheck: {}", one.run.target),
        _ => format!("wirecheck: {} runs", columns.len()),
    });
    let all = || columns.iter().flat_map(|c| c.run.cases.iter());
    let page = Page {
        title,
        csp: csp(),
        css: CSS,
        js: JS,
        generator: format!("wirecheck {}", env!("CARGO_PKG_VERSION")),
        notices,
        multi,
        columns: columns.iter().map(column_view).collect(),
        verdict_rows: verdict_rows(columns),
        categories: category_rows(columns),
        levels: level_rows(columns),
        new_failures: outcome_items(columns, outcome::new_failures),
        unexpected_passes: outcome_items(columns, outcome::unexpected_passes),
        expected_failures: columns
            .iter()
            .map(|c| outcome::expected_failures(&c.run).len())
            .sum(),
        filter_verdicts: Verdict::ALL
            .iter()
            .map(|v| {
                (
                    v.as_str(),
                    cases
                        .iter()
                        .filter(|c| c.verdicts.split(' ').any(|w| w == v.as_str()))
                        .count(),
                )
            })
            .filter(|(_, n)| *n > 0)
            .collect(),
        filter_levels: ["must", "should", "may"]
            .into_iter()
            .map(|l| (l, cases.iter().filter(|c| c.level == l).count()))
            .filter(|(_, n)| *n > 0)
            .collect(),
        filter_tags: tag_options(&cases),
        filter_sections: section_options(all()),
        matrix: if multi {
            matrix(columns, &cases)
        } else {
            Vec::new()
        },
        total: cases.len(),
        cases,
    };
    let text = page.render().map_err(io::Error::other)?;
    out.write_all(text.as_bytes())
}

fn column_view(c: &Column) -> ColumnView {
    ColumnView {
        label: c.label.clone(),
        target: c.run.target.clone(),
        tool_version: c.run.tool_version.clone(),
        started_at: c.run.started_at.clone(),
        duration: detail::fmt_ms(c.run.duration_ms),
        sources: c.sources.join(", "),
        count_line: c.run.count_line(),
        interrupted: c.run.interrupted,
        bar: run_bar(c),
    }
}

fn outcome_items(
    columns: &[Column],
    pick: fn(&wirecheck_core::result::RunReport) -> Vec<&CaseResult>,
) -> Vec<OutcomeItem> {
    let mut items = Vec::new();
    for col in columns {
        for c in pick(&col.run) {
            let note = match &c.expected {
                Some(e) if !e.matched => detail::unexpected_message(c, e),
                _ => c
                    .failure
                    .as_ref()
                    .map(|f| f.message.clone())
                    .or_else(|| c.message.clone())
                    .unwrap_or_default(),
            };
            items.push(OutcomeItem {
                anchor: outcome::anchor(&c.id),
                id: c.id.clone(),
                column: col.label.clone(),
                verdict: c.verdict.as_str(),
                note: detail::printable(&clip(&note, NOTE_CHARS)),
            });
        }
    }
    items
}

/// Characters of a message shown in the lists of unexpected results.
const NOTE_CHARS: usize = 240;

/// `s` cut to `n` characters, with `…` when cut.
pub(crate) fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    }
}

fn tag_options(cases: &[CaseView]) -> Vec<(String, usize)> {
    let mut tags: BTreeMap<&str, usize> = BTreeMap::new();
    for c in cases {
        for t in &c.tags {
            *tags.entry(t).or_default() += 1;
        }
    }
    tags.into_iter().map(|(t, n)| (t.to_string(), n)).collect()
}

/// Sections grouped per RFC, in numeric order (`§2 < §10`, `§6.1 < §6.10`).
fn section_options<'a>(cases: impl Iterator<Item = &'a CaseResult>) -> Vec<SectionGroup> {
    let mut seen: BTreeMap<u32, BTreeMap<Vec<u64>, (String, usize)>> = BTreeMap::new();
    let mut ids = std::collections::HashSet::new();
    for c in cases {
        if !ids.insert(&c.id) {
            continue;
        }
        let key: Vec<u64> = c
            .spec
            .section
            .split('.')
            .map(|p| p.parse().unwrap_or(u64::MAX))
            .collect();
        let e = seen
            .entry(c.spec.rfc)
            .or_default()
            .entry(key)
            .or_insert_with(|| (c.spec.section.clone(), 0));
        e.1 += 1;
    }
    seen.into_iter()
        .map(|(rfc, sections)| SectionGroup {
            rfc: rfc.to_string(),
            count: sections.values().map(|(_, n)| n).sum(),
            sections: sections
                .into_values()
                .map(|(s, n)| (format!("{rfc} §{s}"), format!("RFC {rfc} §{s}"), n))
                .collect(),
        })
        .collect()
}

fn matrix(columns: &[Column], cases: &[CaseView]) -> Vec<MatrixRow> {
    cases
        .iter()
        .map(|cv| MatrixRow {
            anchor: cv.anchor.clone(),
            id: cv.id.clone(),
            cells: (0..columns.len())
                .map(|i| {
                    cv.runs.iter().find(|r| r.column == i).map(|r| {
                        let (mark, how) = match r.mark {
                            "unexpected" => ("!", " (unexpected)"),
                            "expected" => ("*", " (in the expectations file)"),
                            _ => ("", ""),
                        };
                        let axis = r
                            .axis
                            .as_ref()
                            .map(|a| format!("; {a}"))
                            .unwrap_or_default();
                        MatrixCell {
                            verdict: r.verdict,
                            mark,
                            axis: r.axis.clone().filter(|a| !a.ends_with(": OK")),
                            title: format!("{}: {}{how}{axis}", r.label, r.verdict),
                        }
                    })
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foob"), "Zm9vYg==");
    }
}
