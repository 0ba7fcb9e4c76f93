//! `wirecheck run` interrupted by SIGINT or SIGTERM while cases are in flight: the binary must
//! exit 130 promptly (not after the cases' long timeouts), and every report asked for must be
//! written, complete and parseable, with the in-flight cases marked `error: interrupted`, the
//! cases never started reported as `skip` (not run), and no temporary file left beside them.
//!
//! The target is a plain `std` listener that accepts connections, reads what it is sent and never
//! answers, so the slow cases wait on it for a minute unless interrupted. The run is known to be
//! in flight once `--jobs` slow cases have sent their requests (every permit is then held by a
//! case that cannot finish) and every quick case that started has closed its connection (it is
//! over). The runner's tasks take their permits in no fixed order, so which quick cases ran
//! before that differs from run to run: the server's record says which did.

use std::collections::BTreeSet;
use std::io::Read;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use wirecheck::core::result::{RunReport, Verdict};
use wirecheck::report::read_json;

/// Cases in flight at once (`--jobs`).
const JOBS: usize = 2;
/// Quick cases: they pass in 50 ms against a silent server.
const QUICK: usize = 2;
/// Slow cases: each waits up to a minute for a response that never comes.
const SLOW: usize = 5;
/// How long the binary may take to exit after the signal. The slow cases would take 60 s; this
/// leaves room for a loaded CI machine while still proving they were abandoned.
const EXIT_WITHIN: Duration = Duration::from_secs(5);

/// What the silent server has seen: the request line of every connection, and of those the
/// client has closed.
#[derive(Default, Debug)]
struct Seen {
    requests: Vec<String>,
    closed: Vec<String>,
}

impl Seen {
    fn count(list: &[String], what: &str) -> usize {
        list.iter().filter(|l| l.contains(what)).count()
    }
}

/// A TCP listener on loopback that accepts, reads every connection until the client closes it,
/// and never writes a byte.
fn silent_server() -> (SocketAddr, Arc<Mutex<Seen>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Seen::default()));
    let shared = seen.clone();
    thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let seen = shared.clone();
            thread::spawn(move || {
                let (mut got, mut buf, mut line) = (Vec::new(), [0u8; 1024], None);
                while let Ok(n @ 1..) = stream.read(&mut buf) {
                    got.extend_from_slice(&buf[..n]);
                    if line.is_none() {
                        if let Some(end) = got.windows(2).position(|w| w == b"\r\n") {
                            let l = String::from_utf8_lossy(&got[..end]).into_owned();
                            seen.lock().unwrap().requests.push(l.clone());
                            line = Some(l);
                        }
                    }
                }
                seen.lock().unwrap().closed.push(line.unwrap_or_default());
            });
        }
    });
    (addr, seen)
}

fn tempdir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("wirecheck-interrupt-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes the cases: `a-quick-N` (pass quickly), `b-slow-N` (wait a minute for a response),
/// `c-needs-echo` (skipped up front: the target offers no features).
fn write_cases(dir: &Path) {
    let request = |path: &str| {
        format!(r"GET {{{{base}}}}/{path} HTTP/1.1\r\nHost: {{{{authority}}}}\r\n\r\n")
    };
    for i in 1..=QUICK {
        std::fs::write(
            dir.join(format!("a-quick-{i}.yaml")),
            format!(
                "title: quick case {i}\nspec: {{rfc: 9112, section: \"9.3\"}}\nlevel: may\n\
                 steps:\n  - send: '{}'\n  - expect_open: {{for: 50ms}}\n",
                request(&format!("quick-{i}"))
            ),
        )
        .unwrap();
    }
    for i in 1..=SLOW {
        std::fs::write(
            dir.join(format!("b-slow-{i}.yaml")),
            format!(
                "title: slow case {i}\nspec: {{rfc: 9110, section: \"9.3.1\"}}\nlevel: must\n\
                 timeout: 120s\nstep_timeout: 60s\n\
                 steps:\n  - send: '{}'\n  - expect_response: {{status: 200}}\n",
                request(&format!("slow-{i}"))
            ),
        )
        .unwrap();
    }
    std::fs::write(
        dir.join("c-needs-echo.yaml"),
        "title: needs echo\nspec: {rfc: 9110, section: \"9.3.1\"}\nlevel: must\n\
         requires: [echo]\n\
         steps:\n  - request: {target: '{{base}}/echo'}\n  - expect_response: {status: 200}\n",
    )
    .unwrap();
}

struct Interrupted {
    status: ExitStatus,
    /// From the first signal to the exit.
    took: Duration,
    stderr: String,
    reports: PathBuf,
    /// Ids of the cases whose request reached the server before the signal.
    started: BTreeSet<String>,
}

/// Starts a run against a silent server, waits until `JOBS` slow cases are in flight, then
/// sends `signals` (a few milliseconds apart) and waits for the exit.
fn interrupted_run(name: &str, signals: &[&str]) -> Interrupted {
    let dir = tempdir(name);
    let (cases, reports) = (dir.join("cases"), dir.join("reports"));
    std::fs::create_dir_all(&cases).unwrap();
    write_cases(&cases);
    let (addr, seen) = silent_server();
    let stderr_path = dir.join("stderr.txt");
    let mut child = Command::new(env!("CARGO_BIN_EXE_wirecheck"))
        .args(["run", s(&cases), "--target", &format!("http://{addr}")])
        .args(["--jobs", &JOBS.to_string(), "--no-default-reports"])
        .args(["--report-json", s(&reports.join("r.json"))])
        .args(["--report-junit", s(&reports.join("r.xml"))])
        .args(["--report-html", s(&reports.join("r.html"))])
        .args(["--report-markdown", s(&reports.join("r.md"))])
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&stderr_path).unwrap())
        .spawn()
        .expect("binary runs");
    let read_stderr = || std::fs::read_to_string(&stderr_path).unwrap_or_default();

    let deadline = Instant::now() + Duration::from_secs(30);
    let in_flight = || {
        let seen = seen.lock().unwrap();
        Seen::count(&seen.requests, "/slow-") == JOBS
            && Seen::count(&seen.closed, "/quick-") == Seen::count(&seen.requests, "/quick-")
    };
    while !in_flight() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("wirecheck exited early ({status}):\n{}", read_stderr());
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let seen = format!("{:?}", seen.lock().unwrap());
            panic!("not in flight after 30 s: {seen}\n{}", read_stderr());
        }
        thread::sleep(Duration::from_millis(10));
    }

    // The cases that started, as ids: "GET /slow-3 HTTP/1.1" is `b-slow-3`.
    let started = seen
        .lock()
        .unwrap()
        .requests
        .iter()
        .filter_map(|l| l.split(' ').nth(1)?.strip_prefix('/').map(String::from))
        .map(|p| format!("{}-{p}", if p.starts_with("quick") { "a" } else { "b" }))
        .collect();
    let sent = Instant::now();
    for (i, signal) in signals.iter().enumerate() {
        if i > 0 {
            thread::sleep(Duration::from_millis(20));
        }
        let ok = Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .expect("kill runs");
        // A later signal may find the process already gone.
        assert!(ok.success() || i > 0, "kill -{signal} failed");
    }
    let status = wait_for(&mut child, sent + EXIT_WITHIN).unwrap_or_else(|| {
        let _ = child.kill();
        let _ = child.wait();
        panic!(
            "still running {EXIT_WITHIN:?} after SIG{}:\n{}",
            signals[0],
            read_stderr()
        )
    });
    Interrupted {
        status,
        took: sent.elapsed(),
        stderr: read_stderr(),
        reports,
        started,
    }
}

fn wait_for(child: &mut Child, deadline: Instant) -> Option<ExitStatus> {
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        if Instant::now() > deadline {
            return None;
        }
        thread::sleep(Duration::from_millis(10));
    }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Everything an interrupted run must leave behind.
fn check_reports(run: &Interrupted) {
    let err = &run.stderr;
    assert_eq!(run.status.code(), Some(130), "{err}");
    assert!(run.took < EXIT_WITHIN, "took {:?}", run.took);
    assert!(err.contains("run interrupted"), "{err}");

    // Exactly the four reports: an atomic write that was cut short, or never renamed, would
    // leave a `.r.json.tmp-PID` beside them.
    let names: BTreeSet<String> = std::fs::read_dir(&run.reports)
        .expect("report directory")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let want: BTreeSet<String> = ["r.html", "r.json", "r.md", "r.xml"]
        .map(String::from)
        .into();
    assert_eq!(names, want, "{err}");

    let json = std::fs::read_to_string(run.reports.join("r.json")).unwrap();
    let report: RunReport = read_json(&json).expect("the JSON report parses");
    check_json(&report, &run.started, err);

    let xml = std::fs::read_to_string(run.reports.join("r.xml")).unwrap();
    check_well_formed(&xml);
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert!(xml.trim_end().ends_with("</testsuites>"), "{xml}");
    assert_eq!(
        xml.matches("<testcase ").count(),
        report.cases.len(),
        "{xml}"
    );
    assert!(xml.contains(r#"name="interrupted" value="true""#), "{xml}");

    let html = std::fs::read_to_string(run.reports.join("r.html")).unwrap();
    assert!(
        html.get(..15)
            .is_some_and(|h| h.eq_ignore_ascii_case("<!doctype html>")),
        "{}",
        &html[..html.len().min(200)]
    );
    assert!(html.trim_end().ends_with("</html>"));
    assert!(html.contains("was interrupted"));

    let md = std::fs::read_to_string(run.reports.join("r.md")).unwrap();
    assert!(md.contains("**interrupted**"), "{md}");
}

fn check_json(report: &RunReport, started: &BTreeSet<String>, err: &str) {
    assert!(report.interrupted, "{err}");
    assert_eq!(report.cases.len(), QUICK + SLOW + 1);
    assert_eq!(report.summary.total, report.cases.len());
    let mut in_flight = 0;
    for c in &report.cases {
        let (verdict, message) = (c.verdict, c.message.as_deref().unwrap_or(""));
        if c.id == "c-needs-echo" {
            assert_eq!(verdict, Verdict::Skip);
            assert_eq!(message, "the target does not offer `echo`");
        } else if !started.contains(&c.id) {
            // Never started: reported all the same, as not run.
            assert_eq!(verdict, Verdict::Skip, "{}: {message}", c.id);
            assert_eq!(message, "not run: the run was interrupted", "{}", c.id);
            assert_eq!(c.transcript.sent_bytes, 0, "{}", c.id);
        } else if c.id.starts_with("a-quick-") {
            // Over before the signal: the verdict stands.
            assert_eq!(verdict, Verdict::Pass, "{}: {message}", c.id);
        } else {
            // Waiting on the server: aborted, with what was sent and seen so far.
            in_flight += 1;
            assert_eq!(verdict, Verdict::Error, "{}: {message}", c.id);
            assert_eq!(message, "interrupted", "{}", c.id);
            assert!(c.transcript.sent_bytes > 0, "{}: request recorded", c.id);
        }
    }
    assert_eq!(in_flight, JOBS, "{err}");
    let ran_quick = started.iter().filter(|id| id.starts_with("a-")).count();
    assert_eq!(report.count(Verdict::Pass), ran_quick);
    assert_eq!(report.count(Verdict::Error), JOBS);
    assert_eq!(
        report.count(Verdict::Skip),
        QUICK + SLOW + 1 - ran_quick - JOBS
    );
}

/// A small well-formedness check, enough for JUnit output (no XML crate in this package's
/// dependencies): one prolog, comments and CDATA skipped, every start tag closed by an end tag
/// of the same name in order, quoted attribute values, entity references that are known or
/// numeric, and nothing after the root element but whitespace.
fn check_well_formed(xml: &str) {
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = xml;
    let mut roots = 0;
    'tags: while let Some(lt) = rest.find('<') {
        check_text(&rest[..lt]);
        assert!(
            !stack.is_empty() || rest[..lt].trim().is_empty(),
            "text outside the root: {:?}",
            &rest[..lt]
        );
        rest = &rest[lt..];
        for (open, close) in [("<?", "?>"), ("<!--", "-->"), ("<![CDATA[", "]]>")] {
            if rest.starts_with(open) {
                let end = rest
                    .find(close)
                    .unwrap_or_else(|| panic!("unclosed {open}"));
                rest = &rest[end + close.len()..];
                continue 'tags;
            }
        }
        // A tag: up to the first `>` outside quotes.
        let mut quote = None;
        let end = rest
            .char_indices()
            .find(|&(_, ch)| match quote {
                Some(q) if ch == q => {
                    quote = None;
                    false
                }
                Some(_) => false,
                None if ch == '"' || ch == '\'' => {
                    quote = Some(ch);
                    false
                }
                None => ch == '>',
            })
            .map(|(i, _)| i)
            .unwrap_or_else(|| panic!("unterminated tag: {:.80}", rest));
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().unwrap_or_else(|| panic!("stray </{name}>"));
            assert_eq!(open, name.trim(), "mismatched end tag");
        } else {
            let self_closing = tag.ends_with('/');
            let body = tag.trim_end_matches('/');
            let name = body.split_whitespace().next().expect("a tag name");
            assert!(
                name.chars()
                    .all(|c| c.is_alphanumeric() || "_-.:".contains(c)),
                "bad tag name {name:?}"
            );
            check_text(&body[name.len()..]);
            if stack.is_empty() {
                roots += 1;
            }
            if !self_closing {
                stack.push(name);
            }
        }
    }
    check_text(rest);
    assert!(rest.trim().is_empty(), "text after the root: {rest:?}");
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
    assert_eq!(roots, 1, "one root element");
}

/// Every `&` starts a known or numeric entity reference; no bare `<`.
fn check_text(text: &str) {
    assert!(!text.contains('<'), "bare < in {text:?}");
    for (i, _) in text.match_indices('&') {
        let entity = &text[i + 1..];
        let end = entity.find(';').expect("entity ends with ;");
        let name = &entity[..end];
        let known = ["lt", "gt", "amp", "quot", "apos"].contains(&name)
            || name
                .strip_prefix("#x")
                .is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()))
            || name
                .strip_prefix('#')
                .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()));
        assert!(known, "bad entity &{name};");
    }
}

#[test]
fn sigint_mid_run_exits_130_with_complete_reports() {
    let run = interrupted_run("int", &["INT"]);
    check_reports(&run);
}

#[test]
fn sigterm_mid_run_exits_130_with_complete_reports() {
    let run = interrupted_run("term", &["TERM"]);
    check_reports(&run);
}

/// Impatient users press Ctrl-C again while the reports are being written: the later signals
/// must neither kill the process half-way through a write nor change the outcome.
#[test]
fn repeated_signals_change_nothing() {
    let run = interrupted_run("again", &["INT", "INT", "TERM", "INT"]);
    check_reports(&run);
}
