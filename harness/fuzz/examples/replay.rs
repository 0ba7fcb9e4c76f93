//! Runs files through one fuzz target on stable, e.g. a crash artifact from `cargo fuzz`:
//!
//! ```text
//! cargo run --manifest-path harness/fuzz/Cargo.toml --no-default-features \
//!     --example replay -- chunked harness/fuzz/artifacts/chunked/crash-*
//! ```
//!
//! A directory argument replays every file in it. Exits non-zero on the first panic (the
//! panic message says what went wrong).

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let names: Vec<&str> = wirecheck_fuzz::TARGETS.iter().map(|(n, _)| *n).collect();
    let Some(target) = args.next().and_then(|n| wirecheck_fuzz::target(&n)) else {
        eprintln!(
            "usage: replay <target> <file or directory>...\ntargets: {}",
            names.join(", ")
        );
        return ExitCode::from(2);
    };
    let mut files = Vec::new();
    for arg in args.map(PathBuf::from) {
        if arg.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(&arg)
                .expect("readable directory")
                .map(|e| e.expect("readable directory").path())
                .filter(|p| p.is_file())
                .collect();
            entries.sort();
            files.extend(entries);
        } else {
            files.push(arg);
        }
    }
    for file in &files {
        let data = match std::fs::read(file) {
            Ok(data) => data,
            Err(e) => {
                eprintln!("{}: {e}", file.display());
                return ExitCode::from(2);
            }
        };
        eprintln!("{} ({} bytes)", file.display(), data.len());
        target(&data);
    }
    eprintln!("{} file(s) replayed, no panic", files.len());
    ExitCode::SUCCESS
}
