//! `wirecheck run`: load, select, run, report, exit.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use tokio::sync::watch;
use wirecheck::exit;
use wirecheck_core::engine::{EngineConfig, WsSettings};
use wirecheck_core::expectations::Expectations;
use wirecheck_core::model::{Case, Level, Profile};
use wirecheck_core::result::{RunReport, Verdict, SCHEMA_VERSION};
use wirecheck_core::wire::http1::DecodeLimits;
use wirecheck_report::{autobahn, terminal, write_json, write_junit};
use wirecheck_runner::{default_jobs, run_cases, RunOptions, TargetUrl};
use wirecheck_target::Target;

use crate::args::RunArgs;
use crate::common::{load_and_select, rfc3339, write_atomic};
use crate::progress::Progress;

pub(crate) fn run(args: RunArgs) -> u8 {
    let (cases, selection) = match load_and_select(&args.paths.paths, &args.select) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let loaded = cases.len();
    let selected: Vec<Case> = cases
        .into_iter()
        .filter(|c| selection.includes(c))
        .collect();
    if selected.is_empty() {
        eprintln!("no case selected ({loaded} loaded); check --filter and --tag");
        return exit::NOTHING_SELECTED;
    }
    // --partition hash:M/N: only this shard's cases are run and reported.
    let selected = crate::reports::keep_shard(selected, args.select.partition);
    let mut expectations: Option<Expectations> = None;
    for path in &args.expectations {
        match wirecheck::discover::read_expectations(path) {
            Ok(e) => {
                expectations = Some(match expectations {
                    Some(under) => under.layered(e),
                    None => e,
                })
            }
            Err(message) => {
                eprintln!("{message}\n");
                return exit::LOAD;
            }
        }
    }
    let profile = match &args.profile {
        Some(path) => match wirecheck::discover::read_profile(path) {
            Ok(p) => p,
            Err(message) => {
                eprintln!("{message}\n");
                return exit::LOAD;
            }
        },
        None => Profile::default(),
    };
    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return exit::INFRA;
        }
    };
    rt.block_on(run_async(args, selected, expectations, profile))
}

async fn run_async(
    args: RunArgs,
    cases: Vec<Case>,
    expectations: Option<Expectations>,
    profile: Profile,
) -> u8 {
    let started = Instant::now();
    let started_at = rfc3339(SystemTime::now());
    let (target, features, embedded) = match &args.target {
        Some(url) => match TargetUrl::parse(url) {
            Ok(t) => (t, args.features.clone(), None),
            Err(e) => {
                eprintln!("error: {e}");
                return exit::USAGE;
            }
        },
        None => match Target::start(([127, 0, 0, 1], 0).into()).await {
            Ok(t) => {
                let url = TargetUrl::parse(&format!("http://{}", t.local_addr()))
                    .expect("a socket address is a valid target");
                (
                    url,
                    wirecheck_target::FEATURES
                        .iter()
                        .map(|s| s.to_string())
                        .collect(),
                    Some(t),
                )
            }
            Err(e) => {
                eprintln!("error: cannot start the embedded target: {e}");
                return exit::INFRA;
            }
        },
    };
    let tls = match args.tls.client() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    // The profile's features (declared and implied) join --feature's, or the embedded target's.
    let mut features = features;
    for f in profile.all_features() {
        if !features.contains(&f) {
            features.push(f);
        }
    }
    let addrs: Vec<_> = match tokio::net::lookup_host(target.authority()).await {
        Ok(a) => a.collect(),
        Err(e) => {
            eprintln!("error: cannot resolve {}: {e}", target.authority());
            return exit::INFRA;
        }
    };
    let jobs = args.jobs.unwrap_or_else(default_jobs);
    let where_ = if embedded.is_some() {
        " (embedded target)"
    } else {
        ""
    };
    eprintln!(
        "running {} cases against {target}{where_} with {jobs} jobs",
        cases.len()
    );
    let opts = RunOptions {
        target: target.clone(),
        addrs,
        jobs,
        engine: EngineConfig {
            step_timeout: args.step_timeout,
            case_timeout: args.case_timeout,
            limits: DecodeLimits {
                max_body_kept: args.max_body,
                ..DecodeLimits::default()
            },
            transcript_cap: args.max_transcript,
            strict: args.strict,
            ws: WsSettings {
                timer_scale: args.ws.ws_timer_scale,
                echo_limit: args.ws.ws_echo_count,
                ..WsSettings::default()
            },
            ..EngineConfig::default()
        },
        connect_timeout: args.connect_timeout,
        features,
        tls,
        profile,
    };
    // The handlers are installed here, before the first connection, rather than when the
    // task below is first polled: a signal in between would end the process with no report.
    let interrupt = interrupt_signal();
    let (cancel_tx, cancel_rx) = watch::channel(false);
    tokio::spawn(async move {
        interrupt.await;
        let _ = cancel_tx.send(true);
    });
    let progress = Arc::new(Progress::new(cases.len()));
    let cases = Arc::new(cases);
    let results = run_cases(cases, &opts, progress.clone(), cancel_rx.clone()).await;
    progress.clear();
    let interrupted = *cancel_rx.borrow();
    if let Some(t) = embedded {
        t.shutdown().await;
    }
    let mut report = RunReport {
        schema_version: SCHEMA_VERSION,
        tool: "wirecheck".into(),
        tool_version: env!("CARGO_PKG_VERSION").into(),
        target: target.to_string(),
        started_at,
        duration_ms: started.elapsed().as_millis() as u64,
        interrupted,
        summary: Default::default(),
        cases: results,
    };
    report.summarize();
    if let Some(e) = &expectations {
        e.apply(&mut report);
        for unused in e.unused(&report) {
            eprintln!(
                "note: expectation `{}` (line {}) matched no case",
                unused.pattern, unused.line
            );
        }
    }
    let reports_ok = write_reports(&args, &report);
    print_results(&report, args.verbose);
    exit_code(&report, interrupted, reports_ok)
}

fn write_reports(args: &RunArgs, report: &RunReport) -> bool {
    let default =
        |name: &str| (!args.no_default_reports).then(|| PathBuf::from("reports/out").join(name));
    let mut ok = true;
    let mut write = |path: Option<PathBuf>,
                     render: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>| {
        let Some(path) = path else { return };
        let mut bytes = Vec::new();
        let result = render(&mut bytes).and_then(|()| write_atomic(&path, &bytes));
        match result {
            Ok(()) => eprintln!("wrote {}", path.display()),
            Err(e) => {
                eprintln!("error: cannot write report {}: {e}", path.display());
                ok = false;
            }
        }
    };
    write(
        args.report_json
            .clone()
            .or_else(|| default("wirecheck.json")),
        &|b| write_json(report, b),
    );
    write(
        args.report_junit.clone().or_else(|| default("junit.xml")),
        &|b| write_junit(report, b),
    );
    if let Some(dir) = &args.ws.report_autobahn {
        let agent = args
            .ws
            .agent
            .clone()
            .unwrap_or_else(|| report.target.clone());
        for (name, bytes) in autobahn::render(report, &agent) {
            write(Some(dir.join(name)), &|b| {
                b.extend_from_slice(&bytes);
                Ok(())
            });
        }
    }
    // HTML and Markdown reports, the GitHub step summary and annotations.
    ok &= crate::reports::write_run_reports(&args.human_reports, args.no_default_reports, report);
    ok
}

fn print_results(report: &RunReport, verbose: bool) {
    let mut err = String::new();
    for case in &report.cases {
        // A pass that measured something (an idle timeout) is shown too, with what it found.
        let informative = case.findings.iter().any(|f| f.level == Level::May);
        let notable = case.is_unexpected() || !matches!(case.verdict, Verdict::Pass) || informative;
        if verbose || notable {
            err.push_str(&terminal::case_line(case, false));
            err.push('\n');
        }
    }
    for case in report.cases.iter().filter(|c| c.is_unexpected()) {
        err.push('\n');
        err.push_str(&terminal::explain_failure(case, verbose, false));
        err.push('\n');
    }
    err.push('\n');
    err.push_str(&terminal::summary(report, false));
    eprintln!("{err}");
}

fn exit_code(report: &RunReport, interrupted: bool, reports_ok: bool) -> u8 {
    if interrupted {
        return exit::INTERRUPTED;
    }
    if !reports_ok {
        return exit::INFRA;
    }
    let ran: Vec<_> = report
        .cases
        .iter()
        .filter(|c| c.verdict != Verdict::Skip)
        .collect();
    if !ran.is_empty() && ran.iter().all(|c| c.verdict == Verdict::Error) {
        return exit::INFRA;
    }
    if report.cases.iter().any(|c| c.is_unexpected()) {
        return exit::FAILURES;
    }
    exit::OK
}

/// Installs the SIGINT and SIGTERM handlers at once; the future resolves on the first signal.
/// Tokio keeps them installed for the life of the process, so a second Ctrl-C while the reports
/// are being written is swallowed instead of killing the process half-way through. A handler
/// that cannot be installed never fires: the old fallback (`ctrl_c().await` returning its
/// error) ended the wait at once and so cancelled the run before it started.
fn interrupt_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let wait = |kind| {
            let installed = signal(kind);
            async move {
                match installed {
                    Ok(mut s) => {
                        s.recv().await;
                    }
                    Err(_) => std::future::pending().await,
                }
            }
        };
        let (int, term) = (wait(SignalKind::interrupt()), wait(SignalKind::terminate()));
        async move {
            tokio::select! {
                _ = int => {}
                _ = term => {}
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        }
    }
}
