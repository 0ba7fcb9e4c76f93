//! A case's result as a trial's outcome: the same judgement as the CLI's exit code, and the
//! same explanation as its terminal output.

use libtest_mimic::{Completion, Failed};
use wirecheck_core::expectations::Expectations;
use wirecheck_core::result::{CaseResult, Verdict};
use wirecheck_report::terminal;

/// Annotates `result` with its expectations entry and judges it:
/// - an unexpected result (a `fail`/`error` nobody predicted, or a verdict the entry does not
///   list, an unexpected pass included) fails the trial with the CLI's explanation;
/// - `skip` and `unimplemented` are shown as ignored, with the reason, so a green run does not
///   hide that a case never ran;
/// - everything else (pass, non-strict, info, and predicted failures) passes.
pub(crate) fn judge(
    mut result: CaseResult,
    expectations: Option<&Expectations>,
) -> Result<Completion, Failed> {
    if let Some(e) = expectations {
        e.annotate(&mut result);
    }
    if result.is_unexpected() {
        return Err(terminal::explain_failure(&result, false, false).into());
    }
    match result.verdict {
        Verdict::Skip | Verdict::Unimplemented => {
            let why = result.message.as_deref().unwrap_or("no reason given");
            Ok(Completion::ignored_with(format!(
                "{}: {why}",
                result.verdict
            )))
        }
        _ => Ok(Completion::Completed),
    }
}
