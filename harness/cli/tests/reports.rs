//! The reports for people and CI end to end: `--report-html`, `--report-markdown`, the GitHub
//! step summary and annotations, `wirecheck report`, `wirecheck expectations update` and
//! `--partition`. Each test runs the built binary against the embedded target.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn library() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../cases/http1")
}

fn wirecheck(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wirecheck"));
    cmd.args(args)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wirecheck-reports-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn html_markdown_summary_and_annotations_in_github_actions() {
    let dir = tempdir("gha");
    let (html, md, summary) = (dir.join("r.html"), dir.join("r.md"), dir.join("summary.md"));
    let good = fixtures().join("good");
    let o = wirecheck(
        &[
            "run",
            s(&good),
            "--no-default-reports",
            "--report-html",
            s(&html),
            "--report-markdown",
            s(&md),
        ],
        &[
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_STEP_SUMMARY", s(&summary)),
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    let errors: Vec<&str> = out.lines().filter(|l| l.starts_with("::error ")).collect();
    assert_eq!(errors.len(), 1, "{out}");
    assert!(
        errors[0].contains("fail.yaml,line=6,title=wirecheck fail%3A fail::"),
        "{}",
        errors[0]
    );

    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("id=\"case-fail\"") && page.contains("id=\"case-pass\""));
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(md.contains("#### New failures (1)"), "{md}");
    assert!(md.contains("[HTML report](r.html)"), "{md}");
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(summary.contains("#### New failures (1)"));
    assert!(!summary.contains("r.html"), "no link into an artifact");
}

#[test]
fn no_annotations_outside_github_actions() {
    let good = fixtures().join("good");
    let o = wirecheck(&["run", s(&good), "--no-default-reports"], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stdout).is_empty(), "{}", text(&o.stdout));
}

fn list(args: &[&str]) -> Vec<String> {
    let o = wirecheck(&[&["list"], args].concat(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    text(&o.stdout).lines().map(str::to_string).collect()
}

#[test]
fn partitions_split_the_library_exactly() {
    let lib = library();
    let all: BTreeSet<String> = list(&[s(&lib)]).into_iter().collect();
    assert!(all.len() > 50);
    for n in [2, 3, 5] {
        let mut union = BTreeSet::new();
        let mut total = 0;
        for m in 1..=n {
            let shard = list(&[s(&lib), "--partition", &format!("hash:{m}/{n}")]);
            assert!(!shard.is_empty(), "shard {m}/{n} empty");
            total += shard.len();
            union.extend(shard);
        }
        assert_eq!(total, all.len(), "shards of {n} overlap");
        assert_eq!(union, all, "shards of {n} miss cases");
    }
    // The same case stays in the same shard when the selection changes.
    let filtered = list(&[s(&lib), "--filter", "http1/host", "--partition", "hash:1/3"]);
    let whole = list(&[s(&lib), "--partition", "hash:1/3"]);
    assert!(filtered.iter().all(|id| whole.contains(id)));
}

#[test]
fn bad_partitions_are_usage_errors() {
    let good = fixtures().join("good");
    for bad in ["hash:0/2", "hash:3/2", "count:1/2", "1/2"] {
        let o = wirecheck(&["list", s(&good), "--partition", bad], &[]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
    }
}

#[test]
fn shards_run_apart_and_report_combines_them() {
    let dir = tempdir("shards");
    let good = fixtures().join("good");
    let mut jsons = Vec::new();
    let mut seen = Vec::new();
    for m in 1..=2 {
        let json = dir.join(format!("shard-{m}.json"));
        let o = wirecheck(
            &[
                "run",
                s(&good),
                "--target",
                "http://127.0.0.1:9",
                "--connect-timeout",
                "1s",
                "--no-default-reports",
                "--report-json",
                s(&json),
                "--partition",
                &format!("hash:{m}/2"),
            ],
            &[],
        );
        assert!(text(&o.stderr).contains(&format!("partition hash:{m}/2: ")));
        let report = std::fs::read_to_string(&json).unwrap();
        seen.push(report.matches("\"id\": ").count());
        jsons.push(json);
    }
    assert_eq!(
        seen.iter().sum::<usize>(),
        2,
        "each case in exactly one shard: {seen:?}"
    );

    let (html, merged) = (dir.join("all.html"), dir.join("all.json"));
    let o = wirecheck(
        &[
            "report",
            "--html",
            s(&html),
            "--json",
            s(&merged),
            s(&jsons[0]),
            s(&jsons[1]),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("http://127.0.0.1:9 (2 files)"),
        "{}",
        text(&o.stderr)
    );
    let merged = std::fs::read_to_string(&merged).unwrap();
    assert_eq!(merged.matches("\"id\": ").count(), 2);
    assert!(!std::fs::read_to_string(&html)
        .unwrap()
        .contains("class=\"matrix\""));
}

#[test]
fn report_refuses_other_schemas_and_unmergeable_json() {
    let dir = tempdir("schema");
    let good = fixtures().join("good");
    let json = dir.join("r.json");
    let o = wirecheck(
        &[
            "run",
            s(&good),
            "--no-default-reports",
            "--report-json",
            s(&json),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    let text_json = std::fs::read_to_string(&json).unwrap();
    let old = dir.join("old.json");
    std::fs::write(
        &old,
        text_json.replace("\"schema_version\": 1", "\"schema_version\": 99"),
    )
    .unwrap();
    let o = wirecheck(&["report", "--html", s(&dir.join("x.html")), s(&old)], &[]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        text(&o.stderr)
            .contains("unsupported report schema version 99: this wirecheck reads version 1"),
        "{}",
        text(&o.stderr)
    );

    // Two runs of the same cases are two columns: a matrix, but no single merged JSON.
    let o = wirecheck(
        &[
            "report",
            "--json",
            s(&dir.join("m.json")),
            s(&json),
            s(&json),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    let html = dir.join("m.html");
    let o = wirecheck(&["report", "--html", s(&html), s(&json), s(&json)], &[]);
    assert_eq!(o.status.code(), Some(0));
    assert!(std::fs::read_to_string(&html)
        .unwrap()
        .contains("class=\"matrix\""));
    let o = wirecheck(&["report", s(&json)], &[]);
    assert_eq!(o.status.code(), Some(2), "nothing asked for");
}

#[test]
fn expectations_update_makes_the_next_run_green() {
    let dir = tempdir("update");
    let good = fixtures().join("good");
    let (json, file) = (dir.join("r.json"), dir.join("known.yaml"));
    let o = wirecheck(
        &[
            "run",
            s(&good),
            "--no-default-reports",
            "--report-json",
            s(&json),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));

    let o = wirecheck(&["expectations", "update", s(&json)], &[]);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stdout)
        .contains("  - case: fail\n    verdict: fail\n    reason: \"TODO: explain\"\n"));
    assert!(!file.exists(), "without --file nothing is written");

    let o = wirecheck(
        &["expectations", "update", s(&json), "--file", s(&file)],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("added     fail: fail"),
        "{}",
        text(&o.stderr)
    );
    let o = wirecheck(
        &[
            "run",
            s(&good),
            "--no-default-reports",
            "--expectations",
            s(&file),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));

    // An entry for a case that passes is removed, and the file says so.
    std::fs::write(
        &file,
        "expectations:\n  - case: pass\n    verdict: fail\n    reason: it used to fail\n  - case: fail\n    verdict: fail\n    reason: known\n",
    )
    .unwrap();
    let o = wirecheck(
        &["expectations", "update", s(&json), "--file", s(&file)],
        &[],
    );
    assert!(text(&o.stderr).contains("removed   pass: passes now (was: it used to fail)"));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "expectations:\n  - case: fail\n    verdict: fail\n    reason: known\n"
    );
    let o = wirecheck(
        &["expectations", "update", s(&json), "--file", s(&file)],
        &[],
    );
    assert!(
        text(&o.stderr).contains("is up to date"),
        "{}",
        text(&o.stderr)
    );
}
