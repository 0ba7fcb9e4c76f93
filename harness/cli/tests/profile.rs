//! `wirecheck run --profile`: the profile's variables and features reach the cases, and a bad
//! profile stops the run before any connection (exit 3, `file:line:col`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/profile")
}

fn run(extra: &[&str], json: &Path) -> Output {
    let cases = fixtures().join("cases");
    Command::new(env!("CARGO_BIN_EXE_wirecheck"))
        .args(["run", cases.to_str().unwrap(), "--no-default-reports"])
        .args(["--report-json", json.to_str().unwrap()])
        .args(extra)
        .env_remove("WIRECHECK_PROFILE")
        .output()
        .expect("binary runs")
}

/// (id, verdict) of every case in a JSON report.
fn verdicts(json: &Path) -> Vec<(String, String)> {
    let report = wirecheck_report::read_json(&std::fs::read_to_string(json).unwrap()).unwrap();
    let mut v: Vec<(String, String)> = report
        .cases
        .iter()
        .map(|c| (c.id.clone(), c.verdict.as_str().to_string()))
        .collect();
    v.sort();
    v
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wirecheck-profile-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn without_a_profile_the_defaults_are_todays_conventions() {
    let json = scratch("default").join("r.json");
    let o = run(&[], &json);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // /hello.txt with its exact body, /no-such-resource, POST /hello.txt answered 405; the
    // default profile declares no feature of its own.
    assert_eq!(
        verdicts(&json),
        pairs(&[
            ("body", "pass"),
            ("feature", "skip"),
            ("missing", "pass"),
            ("not-allowed", "pass"),
            ("resource", "pass"),
        ])
    );
}

#[test]
fn a_custom_profile_changes_paths_and_features() {
    let json = scratch("custom").join("r.json");
    let profile = fixtures().join("index.yaml");
    let o = run(&["--profile", profile.to_str().unwrap()], &json);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    // No exact body and no 405 resource: the cases needing them are skipped; the declared
    // feature lets its case run.
    assert_eq!(
        verdicts(&json),
        pairs(&[
            ("body", "skip"),
            ("feature", "pass"),
            ("missing", "pass"),
            ("not-allowed", "skip"),
            ("resource", "pass"),
        ])
    );
    let report = std::fs::read_to_string(&json).unwrap();
    assert!(report.contains("GET /index.html HTTP/1.1"), "{report}");
    assert!(
        report.contains("GET /nothing-here.txt HTTP/1.1"),
        "{report}"
    );
}

#[test]
fn the_environment_variable_names_the_profile_too() {
    let json = scratch("env").join("r.json");
    let cases = fixtures().join("cases");
    let o = Command::new(env!("CARGO_BIN_EXE_wirecheck"))
        .args(["run", cases.to_str().unwrap(), "--no-default-reports"])
        .args(["--report-json", json.to_str().unwrap()])
        .env("WIRECHECK_PROFILE", fixtures().join("index.yaml"))
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(verdicts(&json).contains(&("feature".to_string(), "pass".to_string())));
}

#[test]
fn a_bad_profile_is_located_and_stops_the_run_before_any_connection() {
    let json = scratch("bad").join("r.json");
    let profile = fixtures().join("bad.yaml");
    // A closed port: had a socket been opened, the run would exit 4.
    let o = run(
        &[
            "--profile",
            profile.to_str().unwrap(),
            "--target",
            "http://127.0.0.1:9",
        ],
        &json,
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(
        err.contains("bad.yaml:3:9: `body`: unknown escape"),
        "{err}"
    );
    assert!(
        err.contains("bad.yaml:4:21: `hello.txt` is not a path"),
        "{err}"
    );
    assert!(!json.exists(), "no report: nothing ran");
    let missing = fixtures().join("no-such-profile.yaml");
    let o = run(&["--profile", missing.to_str().unwrap()], &json);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot read profile"));
}

#[test]
fn the_trials_api_takes_a_profile_too() {
    use wirecheck::target::Target;
    use wirecheck::trials::Conformance;
    let trials = Conformance::new()
        .cases(fixtures().join("cases"))
        .profile(fixtures().join("index.yaml"))
        .server(|| async {
            let target = Target::start(([127, 0, 0, 1], 0).into()).await?;
            let addr = target.local_addr();
            std::mem::forget(target);
            Ok(addr)
        })
        .trials()
        .expect("cases and profile load");
    let args = libtest_mimic::Arguments {
        quiet: true,
        test_threads: Some(2),
        ..libtest_mimic::Arguments::default()
    };
    let c = libtest_mimic::run(&args, trials);
    // resource, missing and feature pass; body and not-allowed lack their implied features.
    assert_eq!((c.num_passed, c.num_failed, c.num_ignored), (3, 0, 2));
}
