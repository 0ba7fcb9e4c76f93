//! One module per subcommand.

mod check;
mod coverage;
mod expectations;
mod list;
mod report;
mod run;
mod serve;

pub(crate) use check::check;
pub(crate) use coverage::coverage;
pub(crate) use expectations::expectations;
pub(crate) use list::list;
pub(crate) use report::report;
pub(crate) use run::run;
pub(crate) use serve::serve;
