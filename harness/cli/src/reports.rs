//! Writing the reports meant for people and CI pages, shared by `wirecheck run` and
//! `wirecheck report`: the HTML report, the Markdown summary (a file, and
//! `$GITHUB_STEP_SUMMARY` when set) and GitHub annotations (when `GITHUB_ACTIONS=true`).

use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::time::Instant;

use wirecheck_core::model::Case;
use wirecheck_core::result::RunReport;
use wirecheck_core::select::Partition;
use wirecheck_report::{
    annotations, markdown, write_html, Column, HtmlOptions, MarkdownOptions, SourceReader,
};

use crate::common::write_atomic;
use crate::report_args::RunReportArgs;

/// GitHub shows at most 10 error annotations per step.
const MAX_ANNOTATIONS: usize = 10;

/// Renders into memory, writes atomically, says so on stderr; false on failure.
pub(crate) fn write_file(
    path: &Path,
    render: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>,
) -> bool {
    let mut bytes = Vec::new();
    match render(&mut bytes).and_then(|()| write_atomic(path, &bytes)) {
        Ok(()) => {
            eprintln!("wrote {}", path.display());
            true
        }
        Err(e) => {
            eprintln!("error: cannot write report {}: {e}", path.display());
            false
        }
    }
}

/// Scenario files as recorded in a report (relative to the directory wirecheck ran in), for
/// the YAML snippets of the HTML report; files that cannot be read are left out.
fn read_source(file: &str) -> Option<String> {
    let meta = std::fs::metadata(file).ok()?;
    if meta.len() > 1024 * 1024 {
        return None;
    }
    std::fs::read_to_string(file).ok()
}

/// Writes the HTML report of `columns` to `path`, with its size and the time it took.
pub(crate) fn write_html_file(path: &Path, columns: &[Column], title: Option<String>) -> bool {
    let read: SourceReader<'_> = &read_source;
    let opts = HtmlOptions {
        title,
        sources: Some(read),
    };
    let started = Instant::now();
    let mut bytes = Vec::new();
    let result = write_html(columns, &opts, &mut bytes).and_then(|()| write_atomic(path, &bytes));
    match result {
        Ok(()) => {
            eprintln!(
                "wrote {} ({} KiB in {} ms)",
                path.display(),
                bytes.len().div_ceil(1024),
                started.elapsed().as_millis()
            );
            true
        }
        Err(e) => {
            eprintln!("error: cannot write report {}: {e}", path.display());
            false
        }
    }
}

/// The Markdown summary of `columns`, one section per column, sharing the size budget.
fn markdown_text(columns: &[Column], html_link: Option<String>) -> String {
    let defaults = MarkdownOptions::default();
    let per = defaults.max_bytes / columns.len().max(1);
    columns
        .iter()
        .map(|c| {
            let opts = MarkdownOptions {
                max_bytes: per,
                html_link: html_link.clone(),
                heading: (columns.len() > 1).then(|| format!("wirecheck · {}", c.label)),
                ..MarkdownOptions::default()
            };
            markdown(&c.run, &opts)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Writes the Markdown summary to `path` (linking to the HTML report when there is one) and
/// appends it to `$GITHUB_STEP_SUMMARY` when that is set (without the link: an artifact has no
/// address a summary could point to). False when a write failed.
pub(crate) fn write_markdown(path: Option<&Path>, columns: &[Column], html: Option<&Path>) -> bool {
    let mut ok = true;
    if let Some(path) = path {
        let link = html.map(|h| relative_link(path, h));
        let text = markdown_text(columns, link);
        ok &= write_file(path, |b| {
            b.extend_from_slice(text.as_bytes());
            Ok(())
        });
    }
    if let Some(summary) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|s| !s.is_empty()) {
        let text = markdown_text(columns, None);
        let appended = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&summary)
            .and_then(|mut f| f.write_all(format!("{text}\n").as_bytes()));
        match appended {
            Ok(()) => eprintln!("appended the summary to $GITHUB_STEP_SUMMARY"),
            Err(e) => {
                eprintln!(
                    "error: cannot append to $GITHUB_STEP_SUMMARY ({}): {e}",
                    PathBuf::from(summary).display()
                );
                ok = false;
            }
        }
    }
    ok
}

/// Prints `::error` annotations on stdout when running in GitHub Actions.
pub(crate) fn github_annotations(report: &RunReport) {
    if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
        let mut out = std::io::stdout().lock();
        for line in annotations(report, MAX_ANNOTATIONS) {
            let _ = writeln!(out, "{line}");
        }
    }
}

/// The reports `wirecheck run` writes besides JSON and JUnit: HTML (by default
/// `reports/out/report.html`), Markdown when asked, the step summary and annotations in GitHub
/// Actions. False when a file could not be written.
pub(crate) fn write_run_reports(
    args: &RunReportArgs,
    no_default: bool,
    report: &RunReport,
) -> bool {
    let html = args
        .report_html
        .clone()
        .or_else(|| (!no_default).then(|| PathBuf::from("reports/out/report.html")));
    let columns = [Column::single(report.clone())];
    let mut ok = true;
    if let Some(path) = &html {
        ok &= write_html_file(path, &columns, None);
    }
    ok &= write_markdown(args.report_markdown.as_deref(), &columns, html.as_deref());
    github_annotations(report);
    ok
}

/// The cases of shard `partition` (all of them without one), with a line on stderr saying
/// how many the shard holds.
pub(crate) fn keep_shard(cases: Vec<Case>, partition: Option<Partition>) -> Vec<Case> {
    let Some(p) = partition else {
        return cases;
    };
    let selected = cases.len();
    let kept: Vec<Case> = cases.into_iter().filter(|c| p.includes(&c.id)).collect();
    eprintln!(
        "partition {p}: {} of the {selected} selected cases are in this shard",
        kept.len()
    );
    kept
}

/// The path of `target` as a link from the file `from` (both as given on the command line).
fn relative_link(from: &Path, target: &Path) -> String {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let from_dir = abs(from)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let target = abs(target);
    let a: Vec<Component> = from_dir.components().collect();
    let b: Vec<Component> = target.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".into(); a.len() - common];
    parts.extend(
        b[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_relative_to_the_markdown_file() {
        assert_eq!(
            relative_link(
                Path::new("/r/out/summary.md"),
                Path::new("/r/out/report.html")
            ),
            "report.html"
        );
        assert_eq!(
            relative_link(Path::new("/r/md/s.md"), Path::new("/r/html/x.html")),
            "../html/x.html"
        );
    }
}
