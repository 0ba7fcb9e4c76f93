//! `wirecheck report`: read JSON reports, combine them (shards merge, other runs become
//! matrix columns; see `wirecheck_report::combine`) and write HTML, Markdown, JSON or JUnit.
//!
//! Exit codes: 0 when everything asked for was written (the verdicts inside do not change
//! it: `wirecheck run` is the gate), 2 when nothing was asked for or `--json`/`--junit` got
//! runs that do not merge into one, 3 when a report cannot be read or has another schema
//! version, 4 when a file cannot be written.

use std::path::Path;

use wirecheck::exit;
use wirecheck_core::result::RunReport;
use wirecheck_report::{combine, read_json, write_json, write_junit, Column};

use crate::report_args::ReportArgs;
use crate::reports::{write_file, write_html_file, write_markdown};

pub(crate) fn report(args: ReportArgs) -> u8 {
    if args.html.is_none() && args.markdown.is_none() && args.json.is_none() && args.junit.is_none()
    {
        eprintln!("error: nothing to write: give --html, --markdown, --json or --junit");
        return exit::USAGE;
    }
    let columns = match read_runs(&args.runs) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if (args.json.is_some() || args.junit.is_some()) && columns.len() != 1 {
        eprintln!(
            "error: --json and --junit need runs that merge into one (the shards of a run \
             against one target); these make {} columns: {}",
            columns.len(),
            labels(&columns)
        );
        return exit::USAGE;
    }
    let mut ok = true;
    if let Some(path) = &args.html {
        ok &= write_html_file(path, &columns, args.title.clone());
    }
    ok &= write_markdown(args.markdown.as_deref(), &columns, args.html.as_deref());
    if let Some(path) = &args.json {
        ok &= write_file(path, |b| write_json(&columns[0].run, b));
    }
    if let Some(path) = &args.junit {
        ok &= write_file(path, |b| write_junit(&columns[0].run, b));
    }
    for c in &columns {
        eprintln!(
            "{} ({} file{}): {}",
            c.label,
            c.sources.len(),
            if c.sources.len() == 1 { "" } else { "s" },
            c.run.count_line()
        );
    }
    if ok {
        exit::OK
    } else {
        exit::INFRA
    }
}

/// Reads and combines JSON reports; every unreadable file is reported before giving up.
pub(crate) fn read_runs(paths: &[std::path::PathBuf]) -> Result<Vec<Column>, u8> {
    let mut inputs: Vec<(String, RunReport)> = Vec::new();
    let mut failed = false;
    for path in paths {
        match read_one(path) {
            Ok(run) => inputs.push((path.display().to_string(), run)),
            Err(e) => {
                eprintln!("error: {}: {e}", path.display());
                failed = true;
            }
        }
    }
    if failed {
        return Err(exit::LOAD);
    }
    Ok(combine(inputs))
}

fn read_one(path: &Path) -> Result<RunReport, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    read_json(&text)
}

pub(crate) fn labels(columns: &[Column]) -> String {
    columns
        .iter()
        .map(|c| c.label.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
