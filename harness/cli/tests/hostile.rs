//! wirecheck against hostile servers (`wirecheck_testkit::HostileServer`, one per
//! `HostileMode`): servers that drip, stall, flood, announce absurd lengths, reset, or never
//! read. For every mode the built binary runs the matching case of `fixtures/hostile/` and
//! must
//!
//! - finish within the case's `timeout:` plus [`SLACK`] (wall time of the whole process);
//! - exit 1 (failures) or 4 (nothing could run), and never panic;
//! - write a JSON report whose every case is `fail` or `error` with a message naming what
//!   went wrong (the words in [`MODES`]);
//! - stay under [`RSS_LIMIT_KIB`] of peak resident memory: the exact peak from GNU time
//!   (`/usr/bin/time -f %M`) when it is installed, else VmHWM polled from /proc every 20 ms
//!   while the child runs (not checked where neither is available).
//!
//! The figures (wall, timeout, overrun, peak RSS, verdict, message per mode) are printed on
//! stderr and written to `$CARGO_TARGET_TMPDIR/hostile-figures.txt` (`target/tmp/`);
//! `ci/hostile.sh` runs this test and prints them.

use std::fmt::Write as _;
use std::fs::File;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use wirecheck_core::result::Verdict;
use wirecheck_testkit::{HostileMode, HostileServer};

/// Time a run may take beyond its case timeout (process start, loading, reports, a busy CI
/// machine).
const SLACK: Duration = Duration::from_secs(5);

/// Peak resident memory allowed to one run.
const RSS_LIMIT_KIB: u64 = 256 * 1024;

/// Runs in flight at once: most of a run is waiting, but the flooding modes keep a core busy.
const PARALLEL: usize = 4;

/// For each mode, words the verdict message must contain (case-insensitive; `a|b`: either).
const MODES: &[(HostileMode, &[&str])] = &[
    (
        HostileMode::Drip,
        &["complete response within 2s", "without a complete head"],
    ),
    (HostileMode::Silent, &["within 2s", "got nothing"]),
    (HostileMode::EndlessHeaders, &["response head exceeds"]),
    (
        HostileMode::EndlessBody,
        &["incomplete body", "connection still open"],
    ),
    (
        HostileMode::HugeContentLength,
        &["incomplete body", "of 1000000000000000000 body bytes"],
    ),
    (
        HostileMode::HugeChunk,
        &[
            "incomplete body",
            "no last-chunk",
            "current chunk still owes",
        ],
    ),
    (
        HostileMode::WsHugeFrame,
        &["binary frame announcing 9223372036854775807 payload bytes"],
    ),
    (
        HostileMode::WsDripFrame,
        &["text frame announcing 28 payload bytes"],
    ),
    (
        HostileMode::ResetMidway,
        &["inside the response head", "reset"],
    ),
    (HostileMode::RandomBytes, &["malformed response head"]),
    // The expectation after the stalled write fails at its step timeout or, on a slow
    // machine, the case timeout runs out first; either way the stalled write is named.
    (
        HostileMode::NeverReads,
        &["write timed out (the server is not reading)"],
    ),
    (
        HostileMode::CloseOnAccept,
        &["expected a response", "closed by the server|reset"],
    ),
    // The reset can beat the connect's own completion: then the case is an `error` ("could
    // not connect to the target: ... reset by peer"), else a `fail`.
    (HostileMode::ResetOnAccept, &["reset by peer"]),
    (HostileMode::ManyHeaders, &["more than 512 header fields"]),
    (
        HostileMode::EndlessInterim,
        &["more than 100 interim (1xx) responses"],
    ),
    (
        HostileMode::FloodAfterClose,
        &[
            "connection-close",
            "after a response with `Connection: close`",
        ],
    ),
    (
        HostileMode::WsPingFlood,
        &["more than the 1000 kept for judging"],
    ),
];

/// What one run did.
struct Row {
    mode: HostileMode,
    wall: Duration,
    timeout: Duration,
    /// Peak resident memory in KiB, if /proc could tell.
    peak_kib: Option<u64>,
    exit: Option<i32>,
    verdict: String,
    message: String,
    /// Everything wrong with the run; empty when it behaved.
    problems: Vec<String>,
}

#[test]
fn wirecheck_ends_every_case_against_hostile_servers_in_time_and_memory() {
    assert_eq!(MODES.len(), HostileMode::ALL.len(), "every mode has a case");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let servers: Vec<HostileServer> = rt.block_on(async {
        let mut servers = Vec::new();
        for (mode, _) in MODES {
            let any = SocketAddr::from(([127, 0, 0, 1], 0));
            servers.push(HostileServer::start(any, *mode).await.expect("listen"));
        }
        servers
    });
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("hostile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");

    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let rows = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..PARALLEL {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some((mode, words)) = MODES.get(i) else {
                    break;
                };
                let row = run_one(*mode, words, &servers[i].url(), &dir);
                rows.lock().unwrap().push((i, row));
            });
        }
    });
    let total = started.elapsed();
    rt.block_on(async {
        for server in servers {
            server.shutdown().await;
        }
    });

    let mut rows = rows.into_inner().unwrap();
    rows.sort_by_key(|(i, _)| *i);
    let rows: Vec<Row> = rows.into_iter().map(|(_, r)| r).collect();
    let table = figures(&rows, total);
    eprintln!("{table}");
    let figures_path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile-figures.txt");
    match std::fs::write(&figures_path, &table) {
        Ok(()) => eprintln!("figures written to {}", figures_path.display()),
        Err(e) => eprintln!("cannot write {}: {e}", figures_path.display()),
    }
    let problems: Vec<String> = rows
        .iter()
        .flat_map(|r| {
            r.problems
                .iter()
                .map(move |p| format!("{}: {p}", r.mode.name()))
        })
        .collect();
    assert!(
        problems.is_empty(),
        "wirecheck misbehaved against hostile servers:\n  {}\n\n{table}",
        problems.join("\n  ")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs the case for `mode` against `url` and judges the run.
fn run_one(mode: HostileMode, words: &[&str], url: &str, dir: &Path) -> Row {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hostile")
        .join(format!("{}.yaml", mode.name()));
    let timeout = case_timeout(&fixture);
    let json = dir.join(format!("{}.json", mode.name()));
    let stderr_path = dir.join(format!("{}.stderr", mode.name()));
    let stderr = File::create(&stderr_path).expect("stderr file");
    let rss_path = dir.join(format!("{}.rss", mode.name()));
    // GNU time, when installed, reports the exact peak (the child's ru_maxrss); polling /proc
    // misses a peak in the last 20 ms, or all of a run that ends within 20 ms.
    let mut command = match gnu_time() {
        Some(time) => {
            let mut c = Command::new(time);
            c.args([
                "-f",
                "%M",
                "-o",
                s(&rss_path),
                env!("CARGO_BIN_EXE_wirecheck"),
            ]);
            c
        }
        None => Command::new(env!("CARGO_BIN_EXE_wirecheck")),
    };
    let start = Instant::now();
    let mut child = command
        .args([
            "run",
            s(&fixture),
            "--target",
            url,
            "--report-json",
            s(&json),
        ])
        .args(["--no-default-reports", "--connect-timeout", "2s", "-j", "1"])
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .expect("wirecheck starts");
    let (status, polled_kib) = watch(&mut child, timeout + SLACK + Duration::from_secs(20));
    let wall = start.elapsed();
    let timed_kib = std::fs::read_to_string(&rss_path)
        .ok()
        .and_then(|t| t.lines().last()?.trim().parse::<u64>().ok());
    let peak_kib = timed_kib.or(polled_kib);
    let stderr = std::fs::read_to_string(&stderr_path).unwrap_or_default();

    let mut row = Row {
        mode,
        wall,
        timeout,
        peak_kib,
        exit: status.and_then(|s| s.code()),
        verdict: "-".into(),
        message: String::new(),
        problems: Vec::new(),
    };
    let problems = &mut row.problems;
    if status.is_none() {
        problems.push(format!("still running after {wall:?}: killed"));
    }
    if wall > timeout + SLACK {
        problems.push(format!(
            "took {wall:?}, more than its timeout {timeout:?} + {SLACK:?}"
        ));
    }
    if !matches!(row.exit, Some(1 | 4)) {
        problems.push(format!("exit code {:?}, not 1 or 4", row.exit));
    }
    if stderr.contains("panicked") {
        problems.push(format!("panicked:\n{stderr}"));
    }
    if let Some(kib) = peak_kib.filter(|&k| k >= RSS_LIMIT_KIB) {
        problems.push(format!(
            "peak RSS {} exceeds {}",
            mib(kib),
            mib(RSS_LIMIT_KIB)
        ));
    }
    let report = std::fs::read_to_string(&json)
        .map_err(|e| format!("no JSON report: {e}"))
        .and_then(|text| wirecheck_report::read_json(&text));
    let report = match report {
        Ok(r) => r,
        Err(e) => {
            problems.push(format!("{e}\n{stderr}"));
            return row;
        }
    };
    if report.cases.len() != 1 {
        problems.push(format!("{} cases in the report, not 1", report.cases.len()));
    }
    for case in &report.cases {
        row.verdict = case.verdict.to_string();
        row.message = case.message.clone().unwrap_or_default();
        if !matches!(case.verdict, Verdict::Fail | Verdict::Error) {
            problems.push(format!(
                "{}: verdict {}, not fail or error",
                case.id, case.verdict
            ));
        }
        let lower = row.message.to_lowercase();
        for word in words {
            if !word.split('|').any(|w| lower.contains(&w.to_lowercase())) {
                problems.push(format!(
                    "{}: the message does not say {word:?}: {:?}",
                    case.id, row.message
                ));
            }
        }
    }
    row
}

/// GNU time, if installed (`-f %M` prints the peak RSS in KiB; BusyBox's `time` cannot).
fn gnu_time() -> Option<&'static Path> {
    let time = Path::new("/usr/bin/time");
    let ok = Command::new(time)
        .args(["-f", "%M", "true"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .is_ok_and(|o| {
            o.status.success()
                && String::from_utf8_lossy(&o.stderr)
                    .trim()
                    .parse::<u64>()
                    .is_ok()
        });
    ok.then_some(time)
}

/// Waits for `child`, polling the peak resident memory of wirecheck (the child, or its child
/// under GNU time) every 20 ms; kills both after `limit`. Returns the exit status (`None`:
/// killed) and the largest VmHWM seen.
fn watch(child: &mut std::process::Child, limit: Duration) -> (Option<ExitStatus>, Option<u64>) {
    let start = Instant::now();
    let wrapped = gnu_time().is_some();
    let mut peak = None;
    loop {
        let pid = if wrapped {
            grandchild(child.id())
        } else {
            Some(child.id())
        };
        if let Some(kib) = pid.and_then(|p| vm_hwm_kib(&PathBuf::from(format!("/proc/{p}/status"))))
        {
            peak = Some(peak.unwrap_or(0).max(kib));
        }
        match child.try_wait().expect("wait") {
            Some(status) => return (Some(status), peak),
            None if start.elapsed() > limit => {
                // Under GNU time, killing time alone would leave wirecheck running.
                if let Some(p) = pid.filter(|_| wrapped) {
                    let _ = Command::new("kill")
                        .args(["-KILL", &p.to_string()])
                        .status();
                }
                let _ = child.kill();
                let _ = child.wait();
                return (None, peak);
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

/// The first child of process `pid`, from /proc.
fn grandchild(pid: u32) -> Option<u32> {
    std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children"))
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// `VmHWM` (peak resident set size) in KiB from a /proc status file.
fn vm_hwm_kib(status_file: &Path) -> Option<u64> {
    let text = std::fs::read_to_string(status_file).ok()?;
    let line = text.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The `timeout:` of a case file (the only top-level line that starts with it).
fn case_timeout(fixture: &Path) -> Duration {
    let text = std::fs::read_to_string(fixture).expect("fixture");
    let value = text
        .lines()
        .find_map(|l| l.strip_prefix("timeout:"))
        .unwrap_or_else(|| panic!("{} has no `timeout:`", fixture.display()));
    wirecheck_core::model::parse_duration(value.trim()).expect("a duration")
}

/// The table of figures.
fn figures(rows: &[Row], total: Duration) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "hostile servers: {} modes in {:.1}s ({PARALLEL} at a time)\n",
        rows.len(),
        total.as_secs_f64()
    );
    let _ = writeln!(
        t,
        "{:<20} {:>7} {:>7} {:>8} {:>9} {:>4}  {:<7} message",
        "mode", "wall", "timeout", "overrun", "peak RSS", "exit", "verdict"
    );
    for r in rows {
        let overrun = r.wall.as_secs_f64() - r.timeout.as_secs_f64();
        let mut message: String = r.message.chars().take(110).collect();
        if message.len() < r.message.len() {
            message.push('…');
        }
        let _ = writeln!(
            t,
            "{:<20} {:>6.2}s {:>6.1}s {:>+7.2}s {:>9} {:>4}  {:<7} {}",
            r.mode.name(),
            r.wall.as_secs_f64(),
            r.timeout.as_secs_f64(),
            overrun,
            r.peak_kib.map_or("?".into(), mib),
            r.exit.map_or("-".into(), |c| c.to_string()),
            r.verdict,
            message
        );
    }
    let worst = rows
        .iter()
        .max_by(|a, b| {
            let over = |r: &Row| r.wall.as_secs_f64() - r.timeout.as_secs_f64();
            over(a).total_cmp(&over(b))
        })
        .map(|r| {
            format!(
                "{} ({:+.2}s)",
                r.mode.name(),
                r.wall.as_secs_f64() - r.timeout.as_secs_f64()
            )
        });
    let peak = rows.iter().filter_map(|r| r.peak_kib).max();
    let _ = writeln!(
        t,
        "\nworst overrun: {}; largest peak RSS: {} (limit {}, {}); slack allowed: {}s",
        worst.unwrap_or_default(),
        peak.map_or("?".into(), mib),
        mib(RSS_LIMIT_KIB),
        if gnu_time().is_some() {
            "ru_maxrss from GNU time"
        } else {
            "VmHWM polled every 20 ms"
        },
        SLACK.as_secs()
    );
    t
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}
