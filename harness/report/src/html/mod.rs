//! The HTML report: one self-contained file (inline CSS and script, no external resource, a
//! Content-Security-Policy that lets only our own script run) rendered with askama, which
//! escapes every value it prints. Server bytes reach the page only as escaped text.
//!
//! It shows a summary (counts per verdict, per category and per requirement level, with bars),
//! the new failures and unexpected passes, a matrix of cases × runs when several runs are
//! combined, filters (verdict, level, tag, RFC section, id text, unexpected only), and one
//! section per case with the anchor `#case-<id>` (see [`crate::anchor`]).

mod case;
mod generic;
mod page;
mod summary;
mod transcript;

use std::io::{self, Write};

use crate::combine::Column;

/// Reads a scenario file by the path a result records (see [`HtmlOptions::sources`]).
pub type SourceReader<'a> = &'a dyn Fn(&str) -> Option<String>;

/// What the page needs besides the runs.
#[derive(Default)]
pub struct HtmlOptions<'a> {
    /// The page title; default `wirecheck: <target>` (or `wirecheck: N runs`).
    pub title: Option<String>,
    /// Reads a scenario file by the path a result records, so a failure can show the case's
    /// YAML with the failing step's line marked. `None`, or `None` from the function, leaves
    /// the snippet out: the writer itself never touches the file system.
    pub sources: Option<SourceReader<'a>>,
}

/// Writes the report of `columns` (one for a single run; see [`crate::combine()`]).
pub fn write_html(
    columns: &[Column],
    opts: &HtmlOptions<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    page::write(columns, opts, out)
}

/// The `sha256-…` source expression of the inline script, as the CSP names it (exposed so
/// tests can check the page's policy matches its script).
pub fn script_hash() -> String {
    page::script_hash()
}
