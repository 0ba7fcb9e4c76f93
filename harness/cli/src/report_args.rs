//! Arguments of the report-related flags and subcommands (clap derive): the HTML and Markdown
//! reports of `wirecheck run`, `wirecheck report` and `wirecheck expectations update`. Kept
//! apart from `args.rs` so that file stays a short index of the commands.

use std::path::PathBuf;

use clap::{Args, Subcommand};

/// `wirecheck run` flags for the human-facing reports.
#[derive(Debug, Args)]
pub(crate) struct RunReportArgs {
    /// Write the HTML report here [default: reports/out/report.html].
    #[arg(long, value_name = "FILE")]
    pub(crate) report_html: Option<PathBuf>,
    /// Write a Markdown summary here (also appended to $GITHUB_STEP_SUMMARY when that is set).
    #[arg(long, value_name = "FILE")]
    pub(crate) report_markdown: Option<PathBuf>,
}

/// `wirecheck report`: render or combine JSON reports.
#[derive(Debug, Args)]
pub(crate) struct ReportArgs {
    /// JSON reports written by `wirecheck run` (shards of one run are merged; other runs
    /// become columns of a matrix).
    #[arg(required = true, value_name = "RUN.json")]
    pub(crate) runs: Vec<PathBuf>,
    /// Write the HTML report here.
    #[arg(long, value_name = "OUT")]
    pub(crate) html: Option<PathBuf>,
    /// Write a Markdown summary here (also appended to $GITHUB_STEP_SUMMARY when that is set).
    #[arg(long, value_name = "OUT")]
    pub(crate) markdown: Option<PathBuf>,
    /// Write the merged run as JSON here (only when the inputs merge into one run, such as
    /// the shards of a partitioned run).
    #[arg(long, value_name = "OUT")]
    pub(crate) json: Option<PathBuf>,
    /// Write the merged run as JUnit XML here (same condition as --json).
    #[arg(long, value_name = "OUT")]
    pub(crate) junit: Option<PathBuf>,
    /// Page title of the HTML report.
    #[arg(long)]
    pub(crate) title: Option<String>,
}

/// `wirecheck expectations …`.
#[derive(Debug, Args)]
pub(crate) struct ExpectationsArgs {
    #[command(subcommand)]
    pub(crate) command: ExpectationsCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ExpectationsCommand {
    /// Write or update an expectations file from a run's JSON report: entries for cases that
    /// now pass are removed, new non-pass results are added with a `TODO: explain` reason,
    /// reasons already written are kept.
    Update(UpdateArgs),
}

#[derive(Debug, Args)]
pub(crate) struct UpdateArgs {
    /// The JSON report of the run (several: shards, merged).
    #[arg(required = true, value_name = "RUN.json")]
    pub(crate) runs: Vec<PathBuf>,
    /// The expectations file to update (created when missing); without it the result is
    /// printed on stdout.
    #[arg(long, value_name = "FILE")]
    pub(crate) file: Option<PathBuf>,
}
