//! One module per subcommand.

mod check;
mod list;
mod run;
mod serve;

pub(crate) use check::check;
pub(crate) use list::list;
pub(crate) use run::run;
pub(crate) use serve::serve;
