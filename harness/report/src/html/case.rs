//! The section of one case: the requirement once, then one block per run with the verdict,
//! expected against observed (the failing step's line marked in the case's YAML when the
//! source is available), findings, what the expectations file said, other result data and the
//! transcript. Text that can quote a server goes through `detail::printable` first, so control
//! characters and bidirectional overrides show as escapes instead of acting.

use std::collections::HashMap;

use wirecheck_core::result::{CaseResult, Verdict};

use super::generic::{extra, KvRow};
use super::transcript::{view as transcript_view, TranscriptView};
use super::SourceReader;
use crate::combine::Column;
use crate::{detail, outcome};

/// Lines of YAML shown above the failing step at most.
const SNIPPET_BEFORE: u32 = 14;
/// Lines shown below it.
const SNIPPET_AFTER: u32 = 5;

/// A case section.
pub(crate) struct CaseView {
    pub(crate) anchor: String,
    pub(crate) id: String,
    pub(crate) title: String,
    /// Verdict words of every run, space separated (for the filter).
    pub(crate) verdicts: String,
    /// Tags, space separated (for the filter).
    pub(crate) tags_attr: String,
    /// `9112 §3.2` (for the filter).
    pub(crate) section: String,
    /// `must`, `should`, `may`.
    pub(crate) level: &'static str,
    /// True when some run's result is unexpected.
    pub(crate) unexpected: bool,
    pub(crate) citation: String,
    pub(crate) level_upper: String,
    pub(crate) check: Option<String>,
    pub(crate) text: Option<String>,
    /// `file:line`.
    pub(crate) location: String,
    pub(crate) tags: Vec<String>,
    pub(crate) params: Vec<(String, String)>,
    pub(crate) runs: Vec<RunBlock>,
}

/// One run's result for a case.
pub(crate) struct RunBlock {
    /// Index of the column (run) this block belongs to.
    pub(crate) column: usize,
    pub(crate) label: String,
    pub(crate) verdict: &'static str,
    /// `unexpected`, `expected` or empty.
    pub(crate) mark: &'static str,
    pub(crate) duration: String,
    /// The block starts open: every verdict other than pass and skip.
    pub(crate) open: bool,
    /// The transcript starts open: unexpected results.
    pub(crate) tx_open: bool,
    pub(crate) message: Option<String>,
    pub(crate) failure: Option<FailureView>,
    pub(crate) snippet: Vec<SourceLine>,
    pub(crate) findings: Vec<String>,
    pub(crate) expectation: Option<String>,
    pub(crate) statuses: String,
    /// A second verdict axis (`close: UNCLEAN` for WebSocket results).
    pub(crate) axis: Option<String>,
    pub(crate) extra: Vec<KvRow>,
    pub(crate) transcript: TranscriptView,
}

/// The failing step.
pub(crate) struct FailureView {
    /// `step 2 (expect_response) at cases/x.yaml:12:5`.
    pub(crate) step: String,
    pub(crate) expected: String,
    pub(crate) actual: String,
    pub(crate) message: String,
}

/// A line of YAML around the failing step.
pub(crate) struct SourceLine {
    pub(crate) no: u32,
    pub(crate) text: String,
    pub(crate) hit: bool,
}

/// Scenario files read for snippets, each once.
pub(crate) struct Sources<'a> {
    read: Option<SourceReader<'a>>,
    cache: HashMap<String, Option<Vec<String>>>,
}

impl<'a> Sources<'a> {
    pub(crate) fn new(read: Option<SourceReader<'a>>) -> Self {
        Sources {
            read,
            cache: HashMap::new(),
        }
    }

    fn snippet(&mut self, file: &str, first: u32, hit: u32) -> Vec<SourceLine> {
        let Some(read) = self.read else {
            return Vec::new();
        };
        let lines = self
            .cache
            .entry(file.to_string())
            .or_insert_with(|| read(file).map(|t| t.lines().map(str::to_string).collect()));
        let Some(lines) = lines else {
            return Vec::new();
        };
        if hit == 0 || hit as usize > lines.len() {
            return Vec::new();
        }
        let start = first.max(hit.saturating_sub(SNIPPET_BEFORE)).max(1);
        let end = (hit + SNIPPET_AFTER).min(lines.len() as u32);
        (start..=end)
            .map(|no| SourceLine {
                no,
                text: lines[no as usize - 1].clone(),
                hit: no == hit,
            })
            .collect()
    }
}

/// Every case id of every column, in order of first appearance.
pub(crate) fn case_views(columns: &[Column], sources: &mut Sources<'_>) -> Vec<CaseView> {
    let mut order: Vec<&str> = Vec::new();
    let mut by_id: HashMap<&str, Vec<Option<&CaseResult>>> = HashMap::new();
    for (i, col) in columns.iter().enumerate() {
        for c in &col.run.cases {
            let slot = by_id.entry(&c.id).or_insert_with(|| {
                order.push(&c.id);
                vec![None; columns.len()]
            });
            slot[i] = Some(c);
        }
    }
    order
        .into_iter()
        .map(|id| {
            let results = &by_id[id];
            let first = results.iter().flatten().next().expect("seen in a column");
            let runs: Vec<RunBlock> = results
                .iter()
                .zip(columns)
                .enumerate()
                .filter_map(|(i, (r, col))| r.map(|c| run_block(i, c, &col.label, sources)))
                .collect();
            let mut verdicts: Vec<&str> = Vec::new();
            for r in &runs {
                if !verdicts.contains(&r.verdict) {
                    verdicts.push(r.verdict);
                }
            }
            CaseView {
                anchor: outcome::anchor(id),
                id: id.to_string(),
                title: first.title.clone(),
                verdicts: verdicts.join(" "),
                tags_attr: first.tags.join(" "),
                section: format!("{} §{}", first.spec.rfc, first.spec.section),
                level: first.level.as_str(),
                unexpected: results.iter().flatten().any(|c| c.is_unexpected()),
                citation: first.spec.citation(),
                level_upper: first.level.as_str().to_uppercase(),
                check: first.spec.check.clone(),
                text: detail::quoted_text(first),
                location: first.location(),
                tags: first.tags.clone(),
                params: first.params.clone(),
                runs,
            }
        })
        .collect()
}

fn run_block(column: usize, c: &CaseResult, label: &str, sources: &mut Sources<'_>) -> RunBlock {
    let mark = if c.is_unexpected() {
        "unexpected"
    } else if detail::expected_problem(c).is_some() {
        "expected"
    } else {
        ""
    };
    let failure = c.failure.as_ref().map(|f| FailureView {
        step: format!(
            "step {} ({}) at {}:{}:{}",
            f.step + 1,
            f.step_kind,
            c.file,
            f.line,
            f.col
        ),
        expected: detail::printable(&f.expected),
        actual: detail::printable(&f.actual),
        message: detail::printable(&super::page::clip(&f.message, 300)),
    });
    let snippet = c
        .failure
        .as_ref()
        .map(|f| sources.snippet(&c.file, c.line, f.line))
        .unwrap_or_default();
    let extra = extra(c);
    RunBlock {
        column,
        label: label.to_string(),
        verdict: c.verdict.as_str(),
        mark,
        duration: detail::fmt_ms(c.duration_ms),
        open: c.is_unexpected()
            || !matches!(
                c.verdict,
                Verdict::Pass | Verdict::Skip | Verdict::Unimplemented
            ),
        tx_open: c.is_unexpected(),
        message: detail::extra_message(c).map(detail::printable),
        failure,
        snippet,
        findings: c
            .findings
            .iter()
            .map(|f| detail::printable(&detail::finding(f)))
            .collect(),
        expectation: detail::expectation_note(c).map(|n| detail::printable(&n)),
        statuses: c
            .statuses
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        axis: extra.axis,
        extra: extra.rows,
        transcript: transcript_view(&c.transcript),
    }
}
