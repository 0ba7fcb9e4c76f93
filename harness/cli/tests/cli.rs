//! The `wirecheck` binary end to end: exit codes, located load errors, reports. Each test runs
//! the built binary; network tests use the embedded target or a closed loopback port.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn wirecheck(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wirecheck"))
        .args(args)
        .output()
        .expect("binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn every_bad_file_is_reported_with_its_location_and_exit_3() {
    let bad = fixtures().join("bad");
    let o = wirecheck(&["check", bad.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    for (file, line_col, words) in [
        ("syntax.yaml", ":2:8:", "unclosed bracket"),
        ("unknown-key.yaml", ":6:", "unknown field `bodee`"),
        ("unknown-var.yaml", ":5:", "unknown variable `nope`"),
        ("bad-escape.yaml", ":5:", "unknown escape"),
        ("wrong-type.yaml", ":5:", "outside 100..=599"),
    ] {
        let line = err
            .lines()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("no error for {file}:\n{err}"));
        assert!(
            line.contains(line_col) && line.contains(words),
            "{file}: {line}"
        );
    }
    assert!(err.contains("5 error(s)"), "{err}");
}

#[test]
fn load_errors_stop_a_run_before_any_connection() {
    // The target is a closed port: had a socket been opened, the run would exit 4, not 3.
    let bad = fixtures().join("bad/unknown-var.yaml");
    let o = wirecheck(&[
        "run",
        bad.to_str().unwrap(),
        "--target",
        "http://127.0.0.1:9",
        "--no-default-reports",
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
}

#[test]
fn unreachable_target_is_exit_4_with_error_verdicts() {
    let good = fixtures().join("good");
    let dir = tempdir("unreachable");
    let json = dir.join("r.json");
    let o = wirecheck(&[
        "run",
        good.to_str().unwrap(),
        "--target",
        "http://127.0.0.1:9",
        "--connect-timeout",
        "2s",
        "--report-json",
        json.to_str().unwrap(),
        "--no-default-reports",
    ]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    let report =
        std::fs::read_to_string(&json).expect("report written even when nothing could run");
    assert!(report.contains("\"verdict\": \"error\""), "{report}");
}

#[test]
fn failures_exit_1_and_reports_are_written() {
    let good = fixtures().join("good");
    let dir = tempdir("fail");
    let (json, junit) = (dir.join("r.json"), dir.join("r.xml"));
    let o = wirecheck(&[
        "run",
        good.to_str().unwrap(),
        "--report-json",
        json.to_str().unwrap(),
        "--report-junit",
        junit.to_str().unwrap(),
        "--no-default-reports",
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.trim_end().ends_with("1 passed, 1 failed"), "{err}");
    assert!(
        err.contains("fail.yaml:6"),
        "failure points at the step: {err}"
    );
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert_eq!(xml.matches("<testcase").count(), 2);
    assert!(std::fs::read_to_string(&json)
        .unwrap()
        .contains("\"schema_version\": 1"));
}

#[test]
fn expectations_turn_a_known_failure_green_and_an_unexpected_pass_red() {
    let good = fixtures().join("good");
    let dir = tempdir("expect");
    let known = dir.join("known.yaml");
    std::fs::write(
        &known,
        "expectations:\n  - case: fail\n    verdict: fail\n    reason: deliberately wrong case\n",
    )
    .unwrap();
    let o = wirecheck(&[
        "run",
        good.to_str().unwrap(),
        "--expectations",
        known.to_str().unwrap(),
        "--no-default-reports",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let wrong = dir.join("wrong.yaml");
    std::fs::write(&wrong, "expectations:\n  - case: pass\n    verdict: fail\n    reason: pretend it fails\n  - case: fail\n    verdict: fail\n    reason: known\n").unwrap();
    let o = wirecheck(&[
        "run",
        good.to_str().unwrap(),
        "--expectations",
        wrong.to_str().unwrap(),
        "--no-default-reports",
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "an unexpected pass fails the run: {}",
        stderr(&o)
    );
}

#[test]
fn selecting_nothing_is_exit_5_and_list_honours_filters() {
    let good = fixtures().join("good");
    let o = wirecheck(&[
        "run",
        good.to_str().unwrap(),
        "--filter",
        "nothing/*",
        "--no-default-reports",
    ]);
    assert_eq!(o.status.code(), Some(5));
    let o = wirecheck(&["list", good.to_str().unwrap(), "--tag", "smoke"]);
    assert_eq!(String::from_utf8_lossy(&o.stdout), "pass\n");
}

#[test]
fn usage_errors_are_exit_2() {
    assert_eq!(wirecheck(&["run", "--jobs", "many"]).status.code(), Some(2));
    let good = fixtures().join("good");
    assert_eq!(
        wirecheck(&[
            "run",
            good.to_str().unwrap(),
            "--target",
            "ftp://x",
            "--no-default-reports"
        ])
        .status
        .code(),
        Some(2)
    );
}

/// Certificate and key files are read and checked before any case runs: a missing or
/// malformed one is a usage error (exit 2) that names the option and the file.
#[test]
fn bad_tls_files_are_exit_2_before_any_case() {
    let good = fixtures().join("good");
    let dir = tempdir("tls");
    let junk = dir.join("junk.pem");
    std::fs::write(&junk, "not a certificate\n").unwrap();
    let junk = junk.to_str().unwrap();
    let missing = dir.join("missing.pem");
    let missing = missing.to_str().unwrap();
    for (args, words) in [
        (vec!["--cacert", missing], "--cacert"),
        (vec!["--cacert", junk], "no certificate found"),
        (
            vec!["--client-cert", junk, "--client-key", junk],
            "--client-cert",
        ),
        (
            vec!["--client-key", junk],
            "--client-key needs --client-cert",
        ),
        (vec!["--sni", "bad name!"], "--sni"),
    ] {
        let mut all = vec![
            "run",
            good.to_str().unwrap(),
            "--target",
            // A closed port: were a case run, it would be exit 4, not 2.
            "https://127.0.0.1:9",
            "--no-default-reports",
        ];
        all.extend(args.iter().copied());
        let o = wirecheck(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(words), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("running"), "{}", stderr(&o));
    }
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wirecheck-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
