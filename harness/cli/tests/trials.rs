//! `wirecheck::trials`: how case results become trial outcomes, driven in-process through
//! libtest-mimic against the embedded target. The whole library as trials is `library.rs`.

use std::path::{Path, PathBuf};

use libtest_mimic::{Arguments, Conclusion};
use wirecheck::target::Target;
use wirecheck::trials::Conformance;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A scratch directory of its own for each test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wirecheck-trials-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn with_embedded(c: Conformance) -> Conformance {
    c.server(|| async {
        let target = Target::start(([127, 0, 0, 1], 0).into()).await?;
        let addr = target.local_addr();
        std::mem::forget(target);
        Ok(addr)
    })
}

fn run(c: Conformance) -> Conclusion {
    let trials = c.trials().expect("cases load");
    let args = Arguments {
        quiet: true,
        test_threads: Some(2),
        ..Arguments::default()
    };
    libtest_mimic::run(&args, trials)
}

fn counts(c: &Conclusion) -> (u64, u64, u64) {
    (c.num_passed, c.num_failed, c.num_ignored)
}

#[test]
fn a_fail_verdict_fails_its_trial_and_a_pass_passes() {
    let c = run(with_embedded(
        Conformance::new().cases(fixtures().join("good")),
    ));
    assert_eq!(counts(&c), (1, 1, 0));
}

#[test]
fn predicted_failures_pass_and_unexpected_passes_fail() {
    let dir = scratch("expect");
    let file = dir.join("expectations.yaml");
    std::fs::write(
        &file,
        "expectations:\n\
         - case: fail\n  verdict: fail\n  reason: expects 404 on purpose\n\
         - case: pass\n  verdict: fail\n  reason: a stale entry; the case passes now\n",
    )
    .unwrap();
    let c = run(with_embedded(
        Conformance::new()
            .cases(fixtures().join("good"))
            .expectations(&file),
    ));
    // `fail` was predicted: its trial passes. `pass` was predicted to fail: an unexpected pass.
    assert_eq!(counts(&c), (1, 1, 0));
}

#[test]
fn cases_needing_a_feature_the_target_lacks_are_ignored_unless_offered() {
    let dir = scratch("features");
    std::fs::write(
        dir.join("needs-echo.yaml"),
        "title: needs the echo contract\nspec: {rfc: 9110, section: \"9.3.1\"}\nlevel: must\n\
         requires: [echo]\nsteps:\n  - request: {target: '{{base}}/echo'}\n  \
         - expect_response: {status: 200}\n",
    )
    .unwrap();
    let c = run(with_embedded(Conformance::new().cases(&dir)));
    assert_eq!(counts(&c), (0, 0, 1));
    let c = run(with_embedded(
        Conformance::new().cases(&dir).features(["echo"]),
    ));
    assert_eq!(counts(&c), (1, 0, 0));
}

#[test]
fn without_a_target_every_trial_fails_with_the_reason() {
    let c = run(Conformance::new().cases(fixtures().join("good")));
    assert_eq!(counts(&c), (0, 2, 0));
}

#[test]
fn a_malformed_scenario_stops_before_any_trial_with_exit_3() {
    let Err(e) = Conformance::new().cases(fixtures().join("bad")).trials() else {
        panic!("bad files do not load");
    };
    assert_eq!(e.code, wirecheck::exit::LOAD);
    assert!(e.message.contains("unknown-key.yaml:6:"), "{}", e.message);
}

#[test]
fn filters_select_cases_by_id() {
    let trials = Conformance::new()
        .cases(fixtures().join("good"))
        .filter("pa*")
        .trials()
        .unwrap();
    let names: Vec<&str> = trials.iter().map(|t| t.name()).collect();
    assert_eq!(names, ["pass"]);
}
