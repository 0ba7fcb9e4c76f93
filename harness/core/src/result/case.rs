//! One case's result.

use serde::{Deserialize, Serialize};

use super::transcript::Transcript;
use super::verdict::Verdict;
use crate::check::Rule;
use crate::model::{Level, Spec};

/// Why a case failed: the step, and what was expected versus seen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// Index of the failing step (0-based).
    pub step: usize,
    /// Its YAML key (`expect_response`, `any_of`, …).
    pub step_kind: String,
    /// Where the step is written.
    pub line: u32,
    /// Column of the step.
    pub col: u32,
    /// What was expected, in words.
    pub expected: String,
    /// What was seen, in words.
    pub actual: String,
    /// One sentence for a person.
    pub message: String,
}

/// A rule broken by a response, found by the per-response validators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Rule id (see `check::RULES`).
    pub rule: String,
    /// Rule level.
    pub level: Level,
    /// Where the rule is written.
    pub citation: String,
    /// What was wrong.
    pub message: String,
}

impl Finding {
    /// A finding of `rule`.
    pub fn from_rule(rule: &Rule, message: String) -> Self {
        Finding {
            rule: rule.id.into(),
            level: rule.level,
            citation: rule.citation.into(),
            message,
        }
    }
}

/// An expectations-file entry that matched this case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpectedOutcome {
    /// Verdicts the entry accepts.
    pub verdicts: Vec<Verdict>,
    /// Why.
    pub reason: String,
    /// An issue or discussion link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// The pattern that matched.
    pub pattern: String,
    /// True when the verdict is one of `verdicts`.
    pub matched: bool,
}

/// One case's result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseResult {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Requirement.
    pub spec: Spec,
    /// Requirement level.
    pub level: Level,
    /// Tags.
    pub tags: Vec<String>,
    /// Scenario file.
    pub file: String,
    /// Line of the case in its file.
    pub line: u32,
    /// Verdict.
    pub verdict: Verdict,
    /// Wall time of the case in milliseconds.
    pub duration_ms: u64,
    /// One sentence: why this verdict (failure, alternative taken, skip reason, error).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The failing step, for `fail`, `non-strict` and `info` verdicts that come from a step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
    /// Rules broken by responses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
    /// Statuses of the responses read, in order (interim ones included).
    #[serde(default)]
    pub statuses: Vec<u16>,
    /// Matrix parameters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<(String, String)>,
    /// The expectations-file entry for this case, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<ExpectedOutcome>,
    /// WebSocket cases: Autobahn's two verdict axes and the closing details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub websocket: Option<Box<super::websocket::WsOutcome>>,
    /// The TLS session of the case's last TLS connection, if it made one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<Box<super::tls::TlsFacts>>,
    /// HTTP/TCP cases: each connection, how and when it ended, what was left unanswered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub connections: Vec<super::connection::ConnectionRecord>,
    /// Wire transcript.
    pub transcript: Transcript,
}

impl CaseResult {
    /// A result for a case that did not run, with no transcript.
    pub fn not_run(case: &crate::model::Case, verdict: Verdict, message: String) -> Self {
        Self::of(case, verdict, Some(message))
    }

    /// A result carrying the case's identity and `verdict`, with nothing observed yet; the
    /// engines fill in what they saw with struct-update syntax.
    pub fn of(case: &crate::model::Case, verdict: Verdict, message: Option<String>) -> Self {
        CaseResult {
            id: case.id.clone(),
            title: case.title.clone(),
            spec: case.spec.clone(),
            level: case.level,
            tags: case.tags.clone(),
            file: case.file.clone(),
            line: case.loc.line,
            verdict,
            duration_ms: 0,
            message,
            failure: None,
            findings: Vec::new(),
            statuses: Vec::new(),
            params: case.params.clone(),
            expected: None,
            tls: None,
            websocket: None,
            connections: Vec::new(),
            transcript: Transcript::default(),
        }
    }

    /// True when this result is a problem: an unexpected `fail`/`error`, or a verdict that an
    /// expectations entry did not predict (an unexpected pass included).
    pub fn is_unexpected(&self) -> bool {
        match &self.expected {
            Some(e) => !e.matched,
            None => self.verdict.is_problem(),
        }
    }

    /// Where the case is written, `file:line`.
    pub fn location(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }
}
