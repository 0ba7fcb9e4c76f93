//! `wirecheck coverage`: a temporary checklist and temporary cases, covered and uncovered.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const CHECKLIST: &str = "# Test checklist\n\n### 1 Things\n| id | § | L | send | expect |\n\
                         |---|---|---|---|---|\n| A1 | 12 §1 | M | x | y |\n| A2 | 12 §2 | S | x | y |\n";

fn case(check: &str) -> String {
    format!(
        "title: a case for {check}\nspec: {{rfc: 9112, section: \"2\", check: {check}}}\n\
         level: must\nsteps:\n  - request: {{}}\n  - expect_response: {{status: 200}}\n"
    )
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wirecheck-cov-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("suite")).unwrap();
    std::fs::write(dir.join("CHECKLIST.md"), CHECKLIST).unwrap();
    dir
}

fn coverage(dir: &Path) -> (Output, String) {
    let out = dir.join("COVERAGE.md");
    let o = Command::new(env!("CARGO_BIN_EXE_wirecheck"))
        .arg("coverage")
        .arg(dir.join("suite"))
        .arg("--checklist")
        .arg(dir.join("CHECKLIST.md"))
        .arg("--write")
        .arg(&out)
        .output()
        .expect("binary runs");
    let written = std::fs::read_to_string(out).unwrap_or_default();
    (o, written)
}

#[test]
fn uncovered_then_covered_then_unknown() {
    let dir = tempdir("steps");
    std::fs::write(dir.join("suite/one.yaml"), case("A1")).unwrap();
    let (o, md) = coverage(&dir);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("uncovered checks: A2"), "{err}");
    assert!(md.contains("| A1 | M | 1 | `one` |"), "{md}");
    assert!(md.contains("| A2 | S | 0 | **uncovered** |"), "{md}");
    assert!(md.contains("**1 of 2 checks covered**"), "{md}");

    std::fs::write(dir.join("suite/two.yaml"), case("A2")).unwrap();
    let (o, md) = coverage(&dir);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(md.contains("### 1 Things"), "{md}");
    assert!(md.contains("| A2 | S | 1 | `two` |"), "{md}");
    assert!(md.contains("**2 of 2 checks covered**"), "{md}");

    std::fs::write(dir.join("suite/three.yaml"), case("Z9")).unwrap();
    let (o, _) = coverage(&dir);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("not in the checklist: Z9 (three"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
