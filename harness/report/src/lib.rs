//! Report writers for wirecheck: JSON (for machines and for combining runs), JUnit XML (for CI
//! test tabs), HTML (one self-contained page for people), Markdown and GitHub annotations (for
//! CI summaries) and plain text (for a person at a terminal).
//!
//! Every writer only *reads* [`wirecheck_core::result::RunReport`] and friends: no sockets, no
//! runner, no files. Output goes to a `&mut dyn std::io::Write` (or a `String` for the
//! terminal pieces), so the caller decides where bytes land and how they get there atomically.
#![deny(missing_docs)]

pub mod autobahn;
pub mod combine;
mod detail;
pub mod github;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod outcome;
pub mod terminal;

pub use combine::{combine, Column};
pub use github::annotations;
pub use html::{write_html, HtmlOptions, SourceReader};
pub use json::{read_json, write_json};
pub use junit::write_junit;
pub use markdown::{markdown, MarkdownOptions};
pub use outcome::anchor;
pub use terminal::{case_line, explain_failure, summary, wants_explanation};
