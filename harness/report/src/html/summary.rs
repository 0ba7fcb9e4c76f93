//! The summary tables: counts per verdict, per category (first and second id segment) and per
//! requirement level, one stacked bar per run.

use std::collections::BTreeMap;

use wirecheck_core::result::{CaseResult, Verdict};

use crate::combine::Column;

/// One coloured part of a stacked bar.
pub(crate) struct Segment {
    /// The verdict word (also the CSS class suffix).
    pub(crate) verdict: &'static str,
    /// Cases with that verdict.
    pub(crate) count: usize,
    /// Width in percent, `12.5`.
    pub(crate) pct: String,
}

/// A stacked bar with its counts.
pub(crate) struct Bar {
    /// Cases counted.
    pub(crate) total: usize,
    /// Cases that passed.
    pub(crate) passed: usize,
    /// Non-empty segments in [`Verdict::ALL`] order.
    pub(crate) segments: Vec<Segment>,
}

impl Bar {
    fn of<'a>(cases: impl Iterator<Item = &'a CaseResult>) -> Bar {
        let mut counts = [0usize; Verdict::ALL.len()];
        let mut total = 0;
        for c in cases {
            total += 1;
            if let Some(i) = Verdict::ALL.iter().position(|v| *v == c.verdict) {
                counts[i] += 1;
            }
        }
        let segments = Verdict::ALL
            .iter()
            .zip(counts)
            .filter(|(_, n)| *n > 0)
            .map(|(v, n)| Segment {
                verdict: v.as_str(),
                count: n,
                pct: pct(n, total),
            })
            .collect();
        Bar {
            total,
            passed: counts[0],
            segments,
        }
    }
}

/// `n / total` in percent with one decimal.
pub(crate) fn pct(n: usize, total: usize) -> String {
    if total == 0 {
        "0".into()
    } else {
        format!("{:.1}", n as f64 * 100.0 / total as f64)
    }
}

/// A verdict with its count in each run.
pub(crate) struct VerdictRow {
    /// The verdict word.
    pub(crate) verdict: &'static str,
    /// `(count, percent of the run)` per column.
    pub(crate) cells: Vec<(usize, String)>,
}

/// The verdict table.
pub(crate) fn verdict_rows(columns: &[Column]) -> Vec<VerdictRow> {
    Verdict::ALL
        .iter()
        .map(|v| VerdictRow {
            verdict: v.as_str(),
            cells: columns
                .iter()
                .map(|c| {
                    let n = c.run.count(*v);
                    (n, pct(n, c.run.cases.len()))
                })
                .collect(),
        })
        .collect()
}

/// A category (`http1`, `http1/host`) or level with one bar per run.
pub(crate) struct GroupRow {
    /// The name shown.
    pub(crate) name: String,
    /// 0 for a first id segment, 1 for a second.
    pub(crate) depth: usize,
    /// What the id search box gets when the row is clicked (`http1/host/`); empty for levels.
    pub(crate) prefix: String,
    /// One bar per column; `None` when the run has no case in the group.
    pub(crate) bars: Vec<Option<Bar>>,
}

/// The part of an id before matrix parameters.
fn id_path(id: &str) -> &str {
    id.find('[').map_or(id, |i| &id[..i])
}

/// `http1/host/missing` → (`http1`, `Some("http1/host")`); an id with one segment has no
/// second level.
fn categories(id: &str) -> (String, Option<String>) {
    let parts: Vec<&str> = id_path(id).split('/').collect();
    let first = parts[0].to_string();
    let second = (parts.len() > 2).then(|| format!("{}/{}", parts[0], parts[1]));
    (first, second)
}

/// Rows per first and second id segment, sorted by name, second-level rows under their parent.
pub(crate) fn category_rows(columns: &[Column]) -> Vec<GroupRow> {
    let mut names: BTreeMap<String, Option<String>> = BTreeMap::new();
    for col in columns {
        for c in &col.run.cases {
            let (first, second) = categories(&c.id);
            names.entry(first.clone()).or_insert(None);
            if let Some(s) = second {
                names.entry(s).or_insert(Some(first));
            }
        }
    }
    names
        .into_iter()
        .map(|(name, parent)| {
            let folder = format!("{name}/");
            let member = |id: &str| {
                let path = id_path(id);
                path == name || path.starts_with(&folder)
            };
            let bars = columns
                .iter()
                .map(|col| {
                    let mut it = col.run.cases.iter().filter(|c| member(&c.id)).peekable();
                    it.peek().is_some().then(|| Bar::of(it))
                })
                .collect();
            // A category that is itself a case id (`smoke`) is searched for by its name.
            let is_case = columns
                .iter()
                .any(|col| col.run.cases.iter().any(|c| id_path(&c.id) == name));
            GroupRow {
                depth: usize::from(parent.is_some()),
                prefix: if is_case { name.clone() } else { folder },
                name,
                bars,
            }
        })
        .collect()
}

/// One row per requirement level present.
pub(crate) fn level_rows(columns: &[Column]) -> Vec<GroupRow> {
    use wirecheck_core::model::Level;
    [Level::Must, Level::Should, Level::May]
        .into_iter()
        .filter(|l| {
            columns
                .iter()
                .any(|c| c.run.cases.iter().any(|x| x.level == *l))
        })
        .map(|l| GroupRow {
            name: l.as_str().to_uppercase(),
            depth: 0,
            prefix: String::new(),
            bars: columns
                .iter()
                .map(|col| {
                    let mut it = col.run.cases.iter().filter(|c| c.level == l).peekable();
                    it.peek().is_some().then(|| Bar::of(it))
                })
                .collect(),
        })
        .collect()
}

/// A bar for every case of a run (the header of each column).
pub(crate) fn run_bar(col: &Column) -> Bar {
    Bar::of(col.run.cases.iter())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_give_one_or_two_category_levels() {
        assert_eq!(
            categories("http1/host/missing"),
            ("http1".into(), Some("http1/host".into()))
        );
        assert_eq!(categories("http1/x"), ("http1".into(), None));
        assert_eq!(
            categories("ws/a[p=/x/y/z]"),
            ("ws".into(), None),
            "slashes in matrix values are not levels"
        );
    }
}
