//! Stable replay of the fuzz corpora: every file under `corpus/<target>/` goes through every
//! target (inputs of one target are good seeds for the others: a frame is also a byte
//! string for the HTTP reader). Runs on stable without libFuzzer:
//!
//! ```text
//! cargo test --manifest-path harness/fuzz/Cargo.toml --no-default-features --locked
//! ```

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use wirecheck_fuzz::TARGETS;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// Every corpus file, sorted, with the target directory it is in.
fn corpus_files() -> Vec<(String, PathBuf)> {
    let mut files = Vec::new();
    for (name, _) in TARGETS {
        let dir = corpus_dir().join(name);
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
            panic!("{}: {e} (every target needs a seed corpus)", dir.display())
        });
        let mut seeds: Vec<PathBuf> = entries
            .map(|e| e.expect("readable corpus directory").path())
            .filter(|p| p.is_file())
            .collect();
        assert!(!seeds.is_empty(), "{} has no seed files", dir.display());
        seeds.sort();
        files.extend(seeds.into_iter().map(|p| (name.to_string(), p)));
    }
    files
}

#[test]
fn every_target_has_a_fuzz_target_file() {
    for (name, _) in TARGETS {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz_targets")
            .join(format!("{name}.rs"));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            text.contains(&format!("wirecheck_fuzz::{name}(")),
            "{} does not call wirecheck_fuzz::{name}",
            path.display()
        );
    }
}

#[test]
fn corpora_replay_through_every_target() {
    let files = corpus_files();
    let mut failures = Vec::new();
    for (_, path) in &files {
        let data = std::fs::read(path).expect("readable corpus file");
        for (name, target) in TARGETS {
            if catch_unwind(AssertUnwindSafe(|| target(&data))).is_err() {
                failures.push(format!("{name} panicked on {}", path.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!(
        "replayed {} corpus files through {} targets",
        files.len(),
        TARGETS.len()
    );
}
