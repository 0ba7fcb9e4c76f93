//! Progress notifications, so a terminal can show what is running without the runner
//! formatting anything.

use wirecheck_core::model::Case;
use wirecheck_core::result::CaseResult;

/// Receives progress events. Called from runner tasks; implementations must be cheap.
pub trait Observer: Send + Sync {
    /// A case started.
    fn started(&self, _index: usize, _case: &Case) {}
    /// A case finished (results arrive in completion order).
    fn finished(&self, _index: usize, _result: &CaseResult) {}
}

/// An observer that ignores everything.
pub struct Silent;

impl Observer for Silent {}
