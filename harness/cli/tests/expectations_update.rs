//! `wirecheck::baseline::update`: what an expectations update keeps, changes, removes and adds,
//! and that it leaves comments and layout alone.

use wirecheck::baseline::{update, TODO_REASON};
use wirecheck::core::expectations::Expectations;
use wirecheck::core::result::{RunReport, Verdict};
use wirecheck::report::read_json;

/// A run with these `(id, verdict)` results, written as JSON and read back.
fn run(results: &[(&str, &str)]) -> RunReport {
    let cases: Vec<String> = results
        .iter()
        .map(|(id, verdict)| {
            format!(
                r#"{{"id":"{id}","title":"t","spec":{{"rfc":9110,"section":"1"}},"level":"must","tags":[],"file":"cases/x.yaml","line":1,"verdict":"{verdict}","duration_ms":1,"statuses":[],"transcript":{{"entries":[],"sent_bytes":0,"received_bytes":0}}}}"#
            )
        })
        .collect();
    let text = format!(
        r#"{{"schema_version":1,"tool":"wirecheck","tool_version":"0.1.0","target":"http://127.0.0.1:1","started_at":"2026-01-01T00:00:00Z","duration_ms":5,"summary":{{"total":0,"verdicts":{{}},"unexpected":0,"unexpected_passes":0}},"cases":[{}]}}"#,
        cases.join(",")
    );
    read_json(&text).expect("valid report")
}

const EXISTING: &str = "\
# Known results of a test server.
expectations:
  # MUST-level failures.
  - case: a          # fixed since
    verdict: fail
    reason: was broken
  - case: b
    verdict: fail
    reason: known bug
    link: https://example.invalid/1

  # SHOULD-level results.
  - case: c
    verdict: [fail, error]
    reason: flaky
  - case: d
    verdict: fail
    reason: not run today
  - case: gone
    verdict: fail
    reason: stale entry
  - case: g/*
    verdict: fail
    reason: the g family fails
";

fn today() -> RunReport {
    run(&[
        ("a", "pass"),
        ("b", "fail"),
        ("c", "non-strict"),
        ("d", "skip"),
        ("e", "error"),
        ("f", "pass"),
        ("g/1", "fail"),
        ("g/2", "pass"),
        ("g/3", "error"),
    ])
}

#[test]
fn updates_entries_and_keeps_what_people_wrote() {
    let up = update(Some(("x.yaml", EXISTING)), &today()).unwrap();
    assert!(!up.rewritten, "edited in place");
    assert_eq!(up.removed, [("a".to_string(), "was broken".to_string())]);
    assert_eq!(
        up.changed,
        [(
            "c".to_string(),
            vec![Verdict::Fail, Verdict::Error],
            Verdict::NonStrict
        )]
    );
    assert_eq!(
        up.added,
        [
            ("e".to_string(), Verdict::Error),
            ("g/3".to_string(), Verdict::Error)
        ]
    );
    assert_eq!(up.glob_passes, [("g/2".to_string(), "g/*".to_string())]);
    let untouched: Vec<&str> = up.untouched.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(untouched, ["d", "gone"]);

    let text = &up.text;
    for kept in [
        "# Known results of a test server.\nexpectations:\n  # MUST-level failures.\n  - case: b\n",
        "    link: https://example.invalid/1\n\n  # SHOULD-level results.\n  - case: c\n    verdict: non-strict\n    reason: flaky\n",
        "  - case: d\n    verdict: fail\n    reason: not run today\n",
        "  - case: g/*\n",
    ] {
        assert!(text.contains(kept), "missing {kept:?} in:\n{text}");
    }
    assert!(!text.contains("case: a"), "{text}");
    assert!(text.contains(&format!(
        "  - case: e\n    verdict: error\n    reason: \"{TODO_REASON}\"\n"
    )));
    assert!(text.contains("  - case: g/3\n    verdict: error\n"));
    let parsed = Expectations::parse("x.yaml", text).expect("still valid");
    assert_eq!(parsed.entries.len(), 7);
}

#[test]
fn a_second_update_changes_nothing() {
    let first = update(Some(("x.yaml", EXISTING)), &today()).unwrap();
    let second = update(Some(("x.yaml", &first.text)), &today()).unwrap();
    assert!(second.is_empty(), "{second:?}");
    assert_eq!(second.text, first.text);
}

#[test]
fn a_new_file_lists_every_result_but_pass_and_skip() {
    let up = update(None, &today()).unwrap();
    let parsed = Expectations::parse("new.yaml", &up.text).expect("valid");
    let listed: Vec<(&str, Vec<Verdict>)> = parsed
        .entries
        .iter()
        .map(|e| (e.pattern.as_str(), e.verdicts.clone()))
        .collect();
    assert_eq!(
        listed,
        [
            ("b", vec![Verdict::Fail]),
            ("c", vec![Verdict::NonStrict]),
            ("e", vec![Verdict::Error]),
            ("g/1", vec![Verdict::Fail]),
            ("g/3", vec![Verdict::Error]),
        ]
    );
    assert!(parsed.entries.iter().all(|e| e.reason == TODO_REASON));
    assert!(up.text.starts_with("# Known results of http://127.0.0.1:1"));
}

#[test]
fn a_glob_whose_cases_all_pass_goes_and_an_empty_file_stays_valid() {
    let text = "expectations:\n  - case: g/*\n    verdict: fail\n    reason: r\n";
    let up = update(
        Some(("x.yaml", text)),
        &run(&[("g/1", "pass"), ("g/2", "pass")]),
    )
    .unwrap();
    assert_eq!(up.removed.len(), 1);
    assert!(
        Expectations::parse("x.yaml", &up.text).is_ok(),
        "{}",
        up.text
    );
    assert!(up.text.contains("expectations: []"), "{}", up.text);
}

#[test]
fn matrix_ids_and_odd_reasons_are_quoted() {
    let up = update(None, &run(&[("h/x[value=a:1 b]", "fail")])).unwrap();
    assert!(
        up.text.contains("- case: \"h/x[value=a:1 b]\"\n"),
        "{}",
        up.text
    );
    let parsed = Expectations::parse("x.yaml", &up.text).unwrap();
    assert_eq!(parsed.entries[0].pattern, "h/x[value=a:1 b]");
}
