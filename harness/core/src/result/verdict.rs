//! Verdicts. A failing server (`fail`) is never confused with a harness that could not run
//! (`error`).

use std::fmt;

use serde::{Deserialize, Serialize};

/// The outcome of one case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Every expectation held through its preferred alternative.
    Pass,
    /// Held only through a non-preferred alternative, or a SHOULD-level rule was missed.
    NonStrict,
    /// A MAY-level or informational observation; never a failure.
    Info,
    /// The server did not do what the requirement demands.
    Fail,
    /// The case could not be run (target unreachable, harness fault).
    Error,
    /// Not run, with a reason (a required feature is missing, or not selected for this shard).
    Skip,
    /// The server does not offer an optional feature the case needs.
    Unimplemented,
}

impl Verdict {
    /// Every verdict, in summary order.
    pub const ALL: [Verdict; 7] = [
        Verdict::Pass,
        Verdict::Fail,
        Verdict::NonStrict,
        Verdict::Info,
        Verdict::Error,
        Verdict::Skip,
        Verdict::Unimplemented,
    ];

    /// The lowercase word used in reports and expectation files.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::NonStrict => "non-strict",
            Verdict::Info => "info",
            Verdict::Fail => "fail",
            Verdict::Error => "error",
            Verdict::Skip => "skip",
            Verdict::Unimplemented => "unimplemented",
        }
    }

    /// Parses the lowercase word.
    pub fn parse(s: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// True for verdicts that are a problem when nobody expected them.
    pub fn is_problem(self) -> bool {
        matches!(self, Verdict::Fail | Verdict::Error)
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
