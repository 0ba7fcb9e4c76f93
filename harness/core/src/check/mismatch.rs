//! The shape of a failed check.

use serde::{Deserialize, Serialize};

/// What a check expected and what it saw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mismatch {
    /// What was checked, e.g. "status" or "header content-length".
    pub what: String,
    /// The expectation, in words.
    pub expected: String,
    /// The observation, in words.
    pub actual: String,
}

impl Mismatch {
    /// Builds a mismatch.
    pub fn new(
        what: impl Into<String>,
        expected: impl Into<String>,
        actual: impl Into<String>,
    ) -> Self {
        Mismatch {
            what: what.into(),
            expected: expected.into(),
            actual: actual.into(),
        }
    }
}
