//! The malformed-YAML corpus (`tests/fixtures/malformed/`, see its README): every file there is
//! a scenario the loader must refuse. For each one, `wirecheck check FILE` must exit 3 with
//! every error located at `FILE:LINE:COL: message`, never panic, and print exactly its golden
//! `NAME.yaml.stderr`; `wirecheck run` must also exit 3 without opening a socket.
//!
//! Goldens hold the fixture directory as `$DIR`, so they do not depend on the checkout. After a
//! deliberate change to a loader message, rewrite them and review the diff:
//!
//! ```sh
//! WIRECHECK_BLESS=1 cargo test -p wirecheck --test malformed_yaml
//! git diff harness/cli/tests/fixtures/malformed/
//! ```
//!
//! Files too large to commit (a 20 MB file, a 1 MiB line, expansion bombs) are generated into
//! a temporary directory by `huge_and_expanding_files_are_refused_within_bounds`.

use std::io::ErrorKind;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// The corpus must not shrink below this by accident.
const MIN_CORPUS: usize = 40;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/malformed")
}

fn bless() -> bool {
    std::env::var_os("WIRECHECK_BLESS").is_some_and(|v| v == "1")
}

fn wirecheck(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wirecheck"))
        .args(args)
        .output()
        .expect("binary runs")
}

/// The corpus files directly in `dir` (subdirectories are cases made of several files).
fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("corpus directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

/// Runs `f` over `items` on every core; results in input order.
fn parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    let per = items.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(per)
            .map(|chunk| s.spawn(|| chunk.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("worker"))
            .collect()
    })
}

/// Problems with the stderr of a refused load: exit code, panics, and every `error:` line
/// located in `file` at a line and column of at least 1, with a message.
fn check_refusal(o: &Output, file: &str) -> Vec<String> {
    let err = String::from_utf8_lossy(&o.stderr);
    let mut problems = Vec::new();
    if o.status.code() != Some(3) {
        problems.push(format!("exit {:?}, not 3", o.status.code()));
    }
    if err.contains("panicked") || err.contains("stack overflow") {
        problems.push("panicked".into());
    }
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error: ")).collect();
    if errors.is_empty() {
        problems.push("no `error:` line".into());
    }
    for line in errors {
        if !is_located(line, file) {
            problems.push(format!("not located as `{file}:LINE:COL: message`: {line}"));
        }
    }
    if !err.contains("error(s) in scenario files; nothing was run") {
        problems.push("no error count".into());
    }
    problems
}

/// `error: FILE:LINE:COL: message` with LINE, COL >= 1 and a non-empty message.
fn is_located(line: &str, file: &str) -> bool {
    let Some(rest) = line
        .strip_prefix("error: ")
        .and_then(|r| r.strip_prefix(file))
        .and_then(|r| r.strip_prefix(':'))
    else {
        return false;
    };
    let mut parts = rest.splitn(3, ':');
    let number = |p: Option<&str>| {
        p.and_then(|n| n.parse::<u32>().ok())
            .is_some_and(|n| n >= 1)
    };
    number(parts.next())
        && number(parts.next())
        && parts
            .next()
            .is_some_and(|m| m.starts_with(' ') && m.trim().len() > 3)
}

/// Compares `stderr` (with `dir` written `$DIR`) to the golden at `golden`, or rewrites it
/// under `WIRECHECK_BLESS=1`.
fn compare_golden(stderr: &[u8], dir: &Path, golden: &Path) -> Option<String> {
    let actual = String::from_utf8_lossy(stderr).replace(dir.to_str().unwrap(), "$DIR");
    if bless() {
        std::fs::write(golden, &actual).expect("write golden");
        return None;
    }
    match std::fs::read_to_string(golden) {
        Ok(expected) if expected == actual => None,
        Ok(expected) => Some(format!(
            "stderr differs from {}\n--- expected\n{expected}--- actual\n{actual}---",
            golden.display()
        )),
        Err(_) => Some(format!(
            "no golden {} (run with WIRECHECK_BLESS=1)\n{actual}",
            golden.display()
        )),
    }
}

#[test]
fn every_malformed_file_is_refused_with_a_located_error_matching_its_golden() {
    let dir = corpus_dir();
    let files = yaml_files(&dir);
    assert!(
        files.len() >= MIN_CORPUS,
        "{} corpus files, expected at least {MIN_CORPUS}",
        files.len()
    );
    let failures: Vec<String> = parallel(&files, |path| {
        let o = wirecheck(&["check", path.to_str().unwrap()]);
        let mut problems = check_refusal(&o, path.to_str().unwrap());
        let golden = PathBuf::from(format!("{}.stderr", path.display()));
        problems.extend(compare_golden(&o.stderr, &dir, &golden));
        let name = path.file_name().unwrap().to_string_lossy();
        problems
            .into_iter()
            .map(|p| format!("{name}: {p}"))
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_golden_has_its_file() {
    let dir = corpus_dir();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".stderr") {
            let source = dir.join(stem);
            assert!(source.exists(), "stale golden {name}: no {stem}");
        }
    }
}

#[test]
fn duplicate_ids_in_one_directory_are_refused_at_the_second_id() {
    // Each file of the pair is valid alone; together they give one id to two cases.
    let dir = corpus_dir();
    let pair = dir.join("duplicate-ids");
    for single in yaml_files(&pair) {
        let o = wirecheck(&["check", single.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", single.display());
    }
    let o = wirecheck(&["check", pair.to_str().unwrap()]);
    let second = pair.join("b.yaml");
    let problems = check_refusal(&o, second.to_str().unwrap());
    assert!(problems.is_empty(), "{problems:?}");
    let golden = dir.join("duplicate-ids.stderr");
    if let Some(diff) = compare_golden(&o.stderr, &dir, &golden) {
        panic!("{diff}");
    }
}

/// A listener nobody should reach: the port of every `run` that must stop at loading.
fn silent_listener() -> TcpListener {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    listener.set_nonblocking(true).unwrap();
    listener
}

fn assert_nobody_connected(listener: &TcpListener) {
    match listener.accept() {
        Err(e) if e.kind() == ErrorKind::WouldBlock => {}
        Err(e) => panic!("accept failed: {e}"),
        Ok((_, peer)) => panic!("a load error still opened a connection (from {peer})"),
    }
}

fn run_against(path: &Path, listener: &TcpListener) -> Output {
    let target = format!("http://{}", listener.local_addr().unwrap());
    wirecheck(&[
        "run",
        path.to_str().unwrap(),
        "--target",
        &target,
        "--no-default-reports",
    ])
}

#[test]
fn a_run_of_malformed_files_exits_3_without_opening_a_socket() {
    let listener = silent_listener();
    let dir = corpus_dir();
    // The whole directory at once: every file is loaded, every error reported, nothing run.
    let o = run_against(&dir, &listener);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let files = yaml_files(&dir);
    assert!(
        err.matches("error: ").count() >= files.len(),
        "an error for every file:\n{err}"
    );
    // Then each file alone (a run of one file must not start because the others are gone).
    let failures: Vec<String> = parallel(&files, |path| {
        let o = run_against(path, &listener);
        let err = String::from_utf8_lossy(&o.stderr);
        (o.status.code() != Some(3) || err.contains("panicked"))
            .then(|| format!("{}: exit {:?}\n{err}", path.display(), o.status.code()))
    })
    .into_iter()
    .flatten()
    .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_nobody_connected(&listener);
}

/// A fresh directory under the system temp dir.
fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wirecheck-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const HEAD: &str = "title: generated\nspec: {rfc: 9112, section: \"2\"}\nlevel: must\n";

#[test]
fn huge_and_expanding_files_are_refused_within_bounds() {
    let dir = tempdir("malformed-huge");
    let long = 1024 * 1024 - 200;
    // (file, contents, expected location, words of the message)
    let generated: Vec<(&str, String, String, &str)> = vec![
        // 20 MB: refused from its size (1:1), before it is read.
        (
            "huge-20mb.yaml",
            format!("{HEAD}steps:\n  - send: '{}'\n", "a".repeat(20_000_000)),
            ":1:1:".into(),
            "scenario files are limited to 1048576 bytes",
        ),
        // Just under the limit, one line of 1 MiB: loaded, and the bad escape at its end is
        // located at its exact column.
        (
            "long-line.yaml",
            format!("{HEAD}steps:\n  - send: '{}\\q'\n", "a".repeat(long)),
            format!(":5:{}:", 12 + long),
            "unknown escape `\\q`",
        ),
        // 1000 cells of a 17 KB file: every cell would hold its own copy of the payload.
        (
            "matrix-amplification.yaml",
            format!(
                "{HEAD}matrix:\n  a: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]\n  b: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]\n  c: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]\nsteps:\n  - send: '{}{{{{a}}}}{{{{b}}}}{{{{c}}}}'\n",
                "a".repeat(17_000)
            ),
            ":5:3:".into(),
            "expand into more than 16777216 bytes",
        ),
        // A 100 KB anchored string aliased 60 times: 6 MB of text from a 100 KB file.
        (
            "scalar-alias-bomb.yaml",
            format!(
                "{HEAD}tags: [&big '{}', {}]\nsteps:\n  - send: 'x'\n",
                "a".repeat(100_000),
                vec!["*big"; 60].join(", ")
            ),
            ":4:".into(),
            "bytes of text, aliases expanded",
        ),
        // 10,000 steps, the last one misspelt: located at its line.
        (
            "many-steps.yaml",
            format!("{HEAD}steps:\n{}  - conect\n", "  - connect\n".repeat(10_000)),
            ":10005:5:".into(),
            "unknown variant `conect`",
        ),
    ];
    for (name, text, _, _) in &generated {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let failures: Vec<String> = parallel(&generated, |(name, _, at, words)| {
        let path = dir.join(name);
        let started = Instant::now();
        let o = wirecheck(&["check", path.to_str().unwrap()]);
        let took = started.elapsed();
        let err = String::from_utf8_lossy(&o.stderr);
        let mut problems = check_refusal(&o, path.to_str().unwrap());
        let first = err.lines().next().unwrap_or("");
        if !first.contains(&format!("{}{at}", path.display())) || !first.contains(words) {
            problems.push(format!("expected `{at}` and `{words}`: {first}"));
        }
        // Generous for a debug build on a busy machine; an unbounded load takes minutes.
        if took > Duration::from_secs(20) {
            problems.push(format!("took {took:?}"));
        }
        problems
            .into_iter()
            .map(|p| format!("{name}: {p}"))
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect();
    // `run` stops before any socket too. The three files refused quickly are enough:
    // the other two go through the same loader and take a second each in a debug build.
    let listener = silent_listener();
    for name in [
        "huge-20mb.yaml",
        "matrix-amplification.yaml",
        "scalar-alias-bomb.yaml",
    ] {
        let o = run_against(&dir.join(name), &listener);
        assert_eq!(
            o.status.code(),
            Some(3),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    assert_nobody_connected(&listener);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
