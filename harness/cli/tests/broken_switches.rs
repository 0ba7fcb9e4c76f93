//! Proof that the case library catches each deliberate violation of our broken server: with no
//! switch no case fails (some take an RFC alternative: non-strict or info); with one switch on,
//! the cases listed for it in `CAUGHT_BY`, which pass without it, stop passing.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use wirecheck::discover;
use wirecheck_core::engine::EngineConfig;
use wirecheck_core::model::Case;
use wirecheck_core::result::{CaseResult, Verdict};
use wirecheck_runner::{run_cases, RunOptions, Silent, TargetUrl};
use wirecheck_testkit::{BrokenServer, Switch};

/// For each switch, cases that must stop passing when it is on. Switches that break a MUST
/// make these `fail`; `wrong-version`, `ignore-range`, `reset-on-close` and `lf-line-endings`
/// break SHOULD-level rules and make them `non-strict`, which is also "not passing".
const CAUGHT_BY: &[(&str, &[&str])] = &[
    (
        "no-date",
        &["http1/date/present-imf-fixdate", "http1/date/on-404"],
    ),
    ("bad-date-format", &["http1/date/present-imf-fixdate"]),
    (
        "body-on-head",
        &["http1/head/no-content", "http1/head/then-get-pipelined"],
    ),
    (
        "body-on-304",
        &[
            "http1/conditional/if-none-match-star",
            "http1/conditional/not-modified-then-get",
        ],
    ),
    (
        "short-content-length",
        &["http1/content-length/matches-content"],
    ),
    ("cl-and-te", &["http1/framing/response-cl-or-te"]),
    (
        "ignore-connection-close",
        &["http1/connection/close-request"],
    ),
    ("accept-missing-host", &["http1/host/missing"]),
    (
        "accept-duplicate-host",
        &[
            "http1/host/duplicate-different",
            "http1/host/duplicate-same",
        ],
    ),
    (
        "accept-space-before-colon",
        &[
            "http1/header-syntax/space-before-colon",
            "http1/header-syntax/tab-before-colon",
        ],
    ),
    (
        "accept-conflicting-content-length",
        &[
            "http1/content-length/conflicting-lines",
            "http1/content-length/conflicting-list",
        ],
    ),
    ("accept-cl-with-te", &["http1/framing/cl-and-te-close"]),
    ("no-allow-on-405", &["http1/methods/not-allowed-405-allow"]),
    ("no-100-continue", &["http1/expect/100-continue"]),
    ("lf-line-endings", &["http1/methods/get"]),
    ("pipeline-drop", &["http1/pipelining/three-requests"]),
    ("wrong-version", &["http1/request-line/response-version"]),
    ("ignore-range", &["http1/range/single-range"]),
    ("reset-on-close", &["http1/connection/close-graceful"]),
];

fn library() -> Vec<Case> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../cases");
    let (cases, errors) = discover::load(&[root]);
    assert!(errors.is_empty(), "case library does not load: {errors:?}");
    cases
}

async fn run_against(cases: &[Case], switches: &[Switch]) -> Vec<CaseResult> {
    let server = BrokenServer::start(([127, 0, 0, 1], 0).into(), switches)
        .await
        .expect("broken server starts");
    let addr = server.local_addr();
    let opts = RunOptions {
        target: TargetUrl::parse(&format!("http://{addr}")).unwrap(),
        addrs: vec![addr],
        jobs: 16,
        engine: EngineConfig {
            case_timeout: Duration::from_secs(10),
            ..EngineConfig::default()
        },
        connect_timeout: Duration::from_secs(2),
        features: ["echo", "range", "etag", "last-modified"]
            .map(String::from)
            .to_vec(),
    };
    let (_tx, rx) = watch::channel(false);
    let results = run_cases(Arc::new(cases.to_vec()), &opts, Arc::new(Silent), rx).await;
    server.shutdown().await;
    results
}

fn passed(r: &CaseResult) -> bool {
    matches!(r.verdict, Verdict::Pass)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_switch_is_caught_by_its_cases() {
    let cases = library();
    let baseline = run_against(&cases, &[]).await;
    let failing: Vec<String> = baseline
        .iter()
        .filter(|r| r.verdict.is_problem())
        .map(|r| format!("{} {}: {:?}", r.id, r.verdict, r.message))
        .collect();
    assert!(
        failing.is_empty(),
        "without switches no case may fail:\n{}",
        failing.join("\n")
    );

    let mut problems = Vec::new();
    for &switch in Switch::ALL {
        let Some((_, expected)) = CAUGHT_BY.iter().find(|(name, _)| *name == switch.name()) else {
            problems.push(format!(
                "switch {} has no entry in CAUGHT_BY",
                switch.name()
            ));
            continue;
        };
        let subset: Vec<Case> = cases
            .iter()
            .filter(|c| expected.contains(&c.id.as_str()))
            .cloned()
            .collect();
        if subset.len() != expected.len() {
            problems.push(format!(
                "switch {}: some listed cases do not exist: {expected:?}",
                switch.name()
            ));
        }
        for id in expected.iter() {
            if let Some(b) = baseline.iter().find(|r| r.id == *id).filter(|r| !passed(r)) {
                problems.push(format!(
                    "switch {}: {id} does not pass without the switch ({})",
                    switch.name(),
                    b.verdict
                ));
            }
        }
        for r in run_against(&subset, &[switch]).await {
            if passed(&r) {
                problems.push(format!(
                    "switch {} was not caught by {} (verdict {})",
                    switch.name(),
                    r.id,
                    r.verdict
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
