//! Combining runs read back from JSON reports: shards of one run become one run again, runs
//! against different targets (or repeated runs of one target) become columns of a matrix.
//!
//! The rules, applied to the inputs in the order given:
//!
//! * a run joins an earlier column when both have the same `target` and no case id in common:
//!   that is what the shards of `--partition hash:M/N` look like, so `wirecheck report` over
//!   every shard's JSON gives one column holding the whole library;
//! * otherwise it starts a column of its own (another target, or the same target run twice);
//! * a merged column starts at the earliest `started_at`, lasts as long as its longest shard
//!   (shards run side by side), is interrupted when any shard was, and lists its cases by file,
//!   line and id so that the order does not depend on how the cases were sharded;
//! * labels: the file stem for a column read from one file (`nginx.json` → `nginx`), the
//!   target for a column merged from several, the path as given when two labels would clash.
//!
//! Reports of another JSON schema version are refused earlier, by [`crate::read_json`]. Reports
//! written by different wirecheck versions with the same schema combine; [`version_notice`]
//! says so, and the HTML report shows it.

use std::collections::HashSet;

use wirecheck_core::result::RunReport;

/// One column of a combined report: a run, or shards of one run merged.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// Short name shown in column headers and lists.
    pub label: String,
    /// Where the run came from (file names as given), in input order.
    pub sources: Vec<String>,
    /// The run; for a merged column, every shard's cases with the summary recomputed.
    pub run: RunReport,
}

impl Column {
    /// A column for a single run that was not read from a file (`wirecheck run`).
    pub fn single(run: RunReport) -> Self {
        Column {
            label: run.target.clone(),
            sources: Vec::new(),
            run,
        }
    }
}

/// Combines `(source name, run)` pairs into columns (see the module docs for the rules).
pub fn combine(inputs: Vec<(String, RunReport)>) -> Vec<Column> {
    let mut columns: Vec<(Column, HashSet<String>)> = Vec::new();
    for (source, run) in inputs {
        let ids: HashSet<String> = run.cases.iter().map(|c| c.id.clone()).collect();
        let join = columns
            .iter()
            .position(|(col, seen)| col.run.target == run.target && seen.is_disjoint(&ids));
        match join {
            Some(i) => {
                let (col, seen) = &mut columns[i];
                seen.extend(ids);
                col.sources.push(source);
                merge_into(&mut col.run, run);
            }
            None => columns.push((
                Column {
                    label: String::new(),
                    sources: vec![source],
                    run,
                },
                ids,
            )),
        }
    }
    let mut columns: Vec<Column> = columns.into_iter().map(|(c, _)| c).collect();
    for col in &mut columns {
        if col.sources.len() > 1 {
            col.run.cases.sort_by(|a, b| {
                (a.file.as_str(), a.line, a.id.as_str()).cmp(&(b.file.as_str(), b.line, &b.id))
            });
            col.run.summarize();
        }
        col.label = match col.sources.as_slice() {
            [one] => stem(one),
            _ => col.run.target.clone(),
        };
    }
    let labels: Vec<String> = columns.iter().map(|c| c.label.clone()).collect();
    for col in &mut columns {
        if labels.iter().filter(|l| **l == col.label).count() > 1 {
            col.label = col.sources.join(" + ");
        }
    }
    columns
}

/// Adds the cases of `shard` to `into`.
fn merge_into(into: &mut RunReport, shard: RunReport) {
    if shard.started_at < into.started_at {
        into.started_at = shard.started_at;
    }
    into.duration_ms = into.duration_ms.max(shard.duration_ms);
    into.interrupted |= shard.interrupted;
    if into.tool_version != shard.tool_version && !into.tool_version.contains(&shard.tool_version) {
        into.tool_version = format!("{}, {}", into.tool_version, shard.tool_version);
    }
    into.cases.extend(shard.cases);
}

/// `reports/nginx.json` → `nginx`.
fn stem(source: &str) -> String {
    let name = source.rsplit(['/', '\\']).next().unwrap_or(source);
    let stem = name.strip_suffix(".json").unwrap_or(name);
    if stem.is_empty() {
        source.to_string()
    } else {
        stem.to_string()
    }
}

/// A sentence when the columns were written by different wirecheck versions (the schema is the
/// same, or reading would have failed, but verdicts may differ for reasons of the tool).
pub fn version_notice(columns: &[Column]) -> Option<String> {
    let mut versions: Vec<&str> = Vec::new();
    for c in columns {
        for v in c.run.tool_version.split(", ") {
            if !versions.contains(&v) {
                versions.push(v);
            }
        }
    }
    (versions.len() > 1).then(|| {
        format!(
            "These runs were made by different wirecheck versions ({}); a difference between \
             columns may come from the tool rather than the target.",
            versions.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_drop_directories_and_the_extension() {
        assert_eq!(stem("reports/out/nginx.json"), "nginx");
        assert_eq!(stem("run"), "run");
        assert_eq!(stem(".json"), ".json");
    }
}
