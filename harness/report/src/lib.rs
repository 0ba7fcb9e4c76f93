//! Report writers for wirecheck: JSON (for machines and for combining runs), JUnit XML (for CI
//! test tabs and annotations) and plain text (for a person at a terminal).
//!
//! Every writer only *reads* [`wirecheck_core::result::RunReport`] and friends: no sockets, no
//! runner, no files. Output goes to a `&mut dyn std::io::Write` (or a `String` for the
//! terminal pieces), so the caller decides where bytes land and how they get there atomically.
#![deny(missing_docs)]

mod detail;
pub mod json;
pub mod junit;
pub mod terminal;

pub use json::{read_json, write_json};
pub use junit::write_junit;
pub use terminal::{case_line, explain_failure, summary, wants_explanation};
