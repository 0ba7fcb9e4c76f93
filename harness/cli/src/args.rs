//! Command-line arguments (clap derive). Parsing only; `commands/` does the work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Protocol conformance test harness.
#[derive(Debug, Parser)]
#[command(name = "wirecheck", version, about, propagate_version = true)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Run cases against a target (the embedded target when no --target is given).
    Run(Box<RunArgs>),
    /// Validate scenario files without any network access.
    Check(PathArgs),
    /// Print the ids of the selected cases.
    List(ListArgs),
    /// Run the embedded target server.
    Serve(ServeArgs),
    /// Render JSON reports as HTML/Markdown, combining shards and runs against several targets.
    Report(crate::report_args::ReportArgs),
    /// Maintain expectations files.
    Expectations(crate::report_args::ExpectationsArgs),
    /// Show which checklist ids the cases' `spec.check` cover; exit 1 if any is uncovered.
    Coverage(CoverageArgs),
}

#[derive(Debug, Args)]
pub(crate) struct PathArgs {
    /// Scenario files or directories (default: ./cases).
    pub(crate) paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct CoverageArgs {
    /// Scenario files or directories (default: ./cases/http1).
    pub(crate) paths: Vec<PathBuf>,
    /// Markdown checklist: table rows whose first cell is a check id (P1, T12...).
    #[arg(long, default_value = "cases/http1/CHECKLIST.md", value_name = "FILE")]
    pub(crate) checklist: PathBuf,
    /// Write the coverage table here instead of printing it.
    #[arg(long, value_name = "FILE")]
    pub(crate) write: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct SelectArgs {
    /// Select cases whose id matches this glob (or starts with this id); repeatable.
    #[arg(long = "filter", value_name = "GLOB")]
    pub(crate) filters: Vec<String>,
    /// Select cases with this tag; repeatable.
    #[arg(long = "tag", value_name = "TAG")]
    pub(crate) tags: Vec<String>,
    /// Keep only shard M of N of the selected cases, by a stable hash of the case id; the
    /// other cases are neither run nor reported.
    #[arg(long, value_name = "hash:M/N", value_parser = partition)]
    pub(crate) partition: Option<wirecheck_core::select::Partition>,
}

#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    #[command(flatten)]
    pub(crate) paths: PathArgs,
    #[command(flatten)]
    pub(crate) select: SelectArgs,
}

#[derive(Debug, Args)]
pub(crate) struct RunArgs {
    #[command(flatten)]
    pub(crate) paths: PathArgs,
    #[command(flatten)]
    pub(crate) select: SelectArgs,
    /// Target URL: http://, https://, ws:// or wss://, e.g. http://127.0.0.1:8080 (default:
    /// start the embedded target).
    #[arg(long, env = "WIRECHECK_TARGET")]
    pub(crate) target: Option<String>,
    /// Feature the target offers (echo, range, etag, last-modified, put, status); repeatable. The
    /// embedded target offers all of them.
    #[arg(long = "feature", value_name = "NAME")]
    pub(crate) features: Vec<String>,
    /// Target profile: what the target serves (resource paths and bodies, the 404 and 405
    /// paths, the echo path) and its features; see cases/README.md, "Target profiles".
    #[arg(long, env = "WIRECHECK_PROFILE", value_name = "FILE")]
    pub(crate) profile: Option<PathBuf>,
    /// Cases run at once [default: 8 × CPUs, between 8 and 64].
    #[arg(long, short = 'j')]
    pub(crate) jobs: Option<usize>,
    /// Default time an expectation waits (a case or step may set its own).
    #[arg(long, default_value = "5s", value_parser = duration)]
    pub(crate) step_timeout: std::time::Duration,
    /// Longest one case may take (a case may set its own).
    #[arg(long, default_value = "30s", value_parser = duration)]
    pub(crate) case_timeout: std::time::Duration,
    /// Connect timeout.
    #[arg(long, default_value = "5s", value_parser = duration)]
    pub(crate) connect_timeout: std::time::Duration,
    /// Body bytes kept per response (the rest is counted, not stored).
    #[arg(long, default_value_t = 4 * 1024 * 1024)]
    pub(crate) max_body: usize,
    /// Wire bytes kept per case transcript.
    #[arg(long, default_value_t = 1024 * 1024)]
    pub(crate) max_transcript: usize,
    /// Treat SHOULD-level misses as failures.
    #[arg(long)]
    pub(crate) strict: bool,
    /// Expectations file: known results of this target, with reasons. Repeatable: a later
    /// file's entries take precedence (e.g. a server's file, then its TLS deltas).
    #[arg(long, env = "WIRECHECK_EXPECTATIONS", value_name = "FILE")]
    pub(crate) expectations: Vec<PathBuf>,
    /// Write the JSON report here [default: reports/out/wirecheck.json].
    #[arg(long, value_name = "FILE")]
    pub(crate) report_json: Option<PathBuf>,
    /// Write the JUnit XML report here [default: reports/out/junit.xml].
    #[arg(long, value_name = "FILE")]
    pub(crate) report_junit: Option<PathBuf>,
    /// Write no report files unless asked for one by path.
    #[arg(long)]
    pub(crate) no_default_reports: bool,
    #[command(flatten)]
    pub(crate) human_reports: crate::report_args::RunReportArgs,
    /// Print every case and whole transcripts of failures.
    #[arg(long, short = 'v')]
    pub(crate) verbose: bool,
    #[command(flatten)]
    pub(crate) ws: WsArgs,
    #[command(flatten)]
    pub(crate) tls: crate::tls_args::TlsArgs,
}

/// WebSocket options.
#[derive(Debug, Args)]
pub(crate) struct WsArgs {
    /// Multiply every WebSocket timer (waits, kill/close timers, echo limits, the 1 s close
    /// and TCP-drop timeouts) by this factor.
    #[arg(long, default_value_t = 1.0, value_name = "FACTOR")]
    pub(crate) ws_timer_scale: f64,
    /// Cap every echo loop at N messages (Autobahn sends 1000 per 9.7/9.8/12.x/13.x case;
    /// 100 is the quick profile CI uses).
    #[arg(long, value_name = "N")]
    pub(crate) ws_echo_count: Option<u32>,
    /// Also write Autobahn|Testsuite-compatible results: DIR/index.json and one JSON file per
    /// WebSocket case, so scripts that read Autobahn reports keep working.
    #[arg(long, value_name = "DIR")]
    pub(crate) report_autobahn: Option<PathBuf>,
    /// The agent name in the Autobahn report [default: the target URL].
    #[arg(long, value_name = "NAME")]
    pub(crate) agent: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub(crate) listen: std::net::SocketAddr,
}

fn duration(s: &str) -> Result<std::time::Duration, String> {
    wirecheck_core::model::parse_duration(s)
}

fn partition(s: &str) -> Result<wirecheck_core::select::Partition, String> {
    wirecheck_core::select::Partition::parse(s)
}
