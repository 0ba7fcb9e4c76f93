//! Many cases at once, results in input order.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;
use wirecheck_core::engine::EngineConfig;
use wirecheck_core::model::{Case, Profile};
use wirecheck_core::result::{CaseResult, Verdict};

use crate::case::run_case;
use crate::dial::Dialer;
use crate::observer::Observer;
use crate::target::TargetUrl;

/// How to run.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// The target.
    pub target: TargetUrl,
    /// Resolved addresses of the target.
    pub addrs: Vec<SocketAddr>,
    /// Cases in flight at once.
    pub jobs: usize,
    /// Engine settings shared by every case.
    pub engine: EngineConfig,
    /// Connect timeout.
    pub connect_timeout: Duration,
    /// Features the target offers; cases requiring others are skipped. (The profile's are not
    /// added here: the caller merges `profile.all_features()` in.)
    pub features: Vec<String>,
    /// The run's TLS client (`https://`/`wss://` targets, `tls_connect` steps); `None`: the
    /// default settings.
    pub tls: Option<Arc<crate::TlsClient>>,
    /// What the target serves: the profile's template variables join the target URL's.
    pub profile: Profile,
}

/// The default `--jobs`: cases spend nearly all their time waiting on the server (reads,
/// deliberate pauses, `expect_open` windows), so they are run well beyond the CPU count; but
/// not so many that a small server under test runs out of workers or connections, which
/// would turn its limits into spurious failures.
pub fn default_jobs() -> usize {
    let cpus = std::thread::available_parallelism().map_or(2, usize::from);
    (cpus * 8).clamp(8, 64)
}

/// Runs `cases`; the result vector has one entry per case, in the same order.
pub async fn run_cases(
    cases: Arc<Vec<Case>>,
    opts: &RunOptions,
    observer: Arc<dyn Observer>,
    cancel: watch::Receiver<bool>,
) -> Vec<CaseResult> {
    let permits = Arc::new(Semaphore::new(opts.jobs.max(1)));
    let mut set = JoinSet::new();
    let vars = Arc::new(opts.target.vars_with(&opts.profile));
    let dialer = Arc::new(Dialer::new(
        &opts.target,
        opts.addrs.clone(),
        opts.connect_timeout,
        opts.tls.clone(),
    ));
    let mut results: Vec<Option<CaseResult>> = vec![None; cases.len()];
    for (index, case) in cases.iter().enumerate() {
        if let Some(missing) = case
            .requires
            .iter()
            .find(|f| !opts.features.contains(f) && !opts.target.offers(f))
        {
            let r = CaseResult::not_run(
                case,
                Verdict::Skip,
                format!("the target does not offer `{missing}`"),
            );
            observer.finished(index, &r);
            results[index] = Some(r);
            continue;
        }
        let (cases, vars, dialer, permits, observer, cancel) = (
            cases.clone(),
            vars.clone(),
            dialer.clone(),
            permits.clone(),
            observer.clone(),
            cancel.clone(),
        );
        let engine = opts.engine.clone();
        set.spawn(async move {
            let case = &cases[index];
            let Ok(_permit) = permits.acquire_owned().await else {
                return (
                    index,
                    CaseResult::not_run(case, Verdict::Error, "runner shut down".into()),
                );
            };
            if *cancel.borrow() {
                return (
                    index,
                    CaseResult::not_run(
                        case,
                        Verdict::Skip,
                        "not run: the run was interrupted".into(),
                    ),
                );
            }
            observer.started(index, case);
            let r = run_case(case, &vars, &dialer, engine, cancel).await;
            observer.finished(index, &r);
            (index, r)
        });
    }
    // A task that panicked leaves its slot empty; it is recorded below as a harness error.
    while let Some(joined) = set.join_next().await {
        if let Ok((index, r)) = joined {
            results[index] = Some(r);
        }
    }
    results
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            r.unwrap_or_else(|| {
                CaseResult::not_run(
                    &cases[i],
                    Verdict::Error,
                    "harness fault: the case task panicked".into(),
                )
            })
        })
        .collect()
}
