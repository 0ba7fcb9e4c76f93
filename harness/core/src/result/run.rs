//! A whole run.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::case::CaseResult;
use super::verdict::Verdict;

/// Version of the JSON report schema; bumped on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

/// Counts per verdict, plus the unexpected ones.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Cases in the run.
    pub total: usize,
    /// Count per verdict word.
    pub verdicts: BTreeMap<String, usize>,
    /// Results that are problems (unexpected fail/error, or not as the expectations file says).
    pub unexpected: usize,
    /// Expectations-file entries that predicted a failure and got a pass-like verdict.
    pub unexpected_passes: usize,
}

/// Everything a run produced.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunReport {
    /// JSON schema version.
    pub schema_version: u32,
    /// `wirecheck`.
    pub tool: String,
    /// Tool version.
    pub tool_version: String,
    /// Target URL.
    pub target: String,
    /// Start time, RFC 3339 UTC.
    pub started_at: String,
    /// Wall time in milliseconds.
    pub duration_ms: u64,
    /// True when the run was interrupted; cases not finished are marked.
    #[serde(default)]
    pub interrupted: bool,
    /// Counts.
    pub summary: Summary,
    /// Results in input order.
    pub cases: Vec<CaseResult>,
}

impl RunReport {
    /// Recomputes the summary from the cases.
    pub fn summarize(&mut self) {
        let mut s = Summary {
            total: self.cases.len(),
            ..Summary::default()
        };
        for v in Verdict::ALL {
            s.verdicts.insert(v.as_str().to_string(), 0);
        }
        for c in &self.cases {
            *s.verdicts
                .entry(c.verdict.as_str().to_string())
                .or_default() += 1;
            if c.is_unexpected() {
                s.unexpected += 1;
                if c.expected.is_some() && !c.verdict.is_problem() {
                    s.unexpected_passes += 1;
                }
            }
        }
        self.summary = s;
    }

    /// Count of one verdict.
    pub fn count(&self, v: Verdict) -> usize {
        self.cases.iter().filter(|c| c.verdict == v).count()
    }

    /// `212 passed, 3 failed, 4 non-strict, 1 skipped` (zero counts left out, except passed
    /// and failed which are always shown).
    pub fn count_line(&self) -> String {
        let mut parts = vec![
            format!("{} passed", self.count(Verdict::Pass)),
            format!("{} failed", self.count(Verdict::Fail)),
        ];
        for (v, word) in [
            (Verdict::NonStrict, "non-strict"),
            (Verdict::Info, "info"),
            (Verdict::Error, "errors"),
            (Verdict::Skip, "skipped"),
            (Verdict::Unimplemented, "unimplemented"),
        ] {
            let n = self.count(v);
            if n > 0 {
                parts.push(format!("{n} {word}"));
            }
        }
        parts.join(", ")
    }
}
