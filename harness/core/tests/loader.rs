//! Property tests of the scenario loader: arbitrary text never panics, and generated valid
//! scenarios load with the content they were generated from.

use proptest::prelude::*;
use wirecheck_core::model::{load_cases, LoadOptions, StepKind};

proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in "(?s).{0,400}") {
        let _ = load_cases("fuzz.yaml", text.as_bytes(), "fuzz/case", &LoadOptions::default());
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = load_cases("fuzz.yaml", &bytes, "fuzz/case", &LoadOptions::default());
    }

    #[test]
    fn yaml_shaped_noise_never_panics(lines in proptest::collection::vec(prop_oneof![
        Just("title: t".to_string()), Just("spec: {rfc: 9112, section: \"2\"}".to_string()), Just("level: must".to_string()),
        Just("steps:".to_string()), Just("  - send: 'x'".to_string()), Just("  - expect_response: {status: 200}".to_string()),
        Just("  - any_of:".to_string()), Just("    - - expect_close: {}".to_string()), Just("matrix: {a: [1, 2]}".to_string()),
        Just("  - sleep: 1ms".to_string()), Just("  - half_close".to_string()), "[ -~]{0,30}".prop_map(|s| s),
    ], 0..14)) {
        let text = lines.join("\n");
        let _ = load_cases("fuzz.yaml", text.as_bytes(), "fuzz/case", &LoadOptions::default());
    }

    #[test]
    fn generated_scenarios_round_trip(title in "[a-zA-Z][a-zA-Z0-9 ]{0,30}",
                                      target in "/[a-z0-9]{0,10}",
                                      statuses in proptest::collection::vec(100u16..600, 1..4),
                                      values in proptest::collection::btree_set(0u32..1000, 1..4)) {
        let values: Vec<u32> = values.into_iter().collect();
        let final_statuses: Vec<String> = statuses.iter().map(|s| (s.max(&200)).to_string()).collect();
        let matrix: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        let text = format!(
            "title: '{title}'\nspec: {{rfc: 9110, section: \"9.3\"}}\nlevel: should\nmatrix: {{n: [{}]}}\nsteps:\n  - request: {{target: '{target}?n={{{{n}}}}'}}\n  - expect_response: {{status: [{}]}}\n",
            matrix.join(", "),
            final_statuses.join(", ")
        );
        let cases = load_cases("gen.yaml", text.as_bytes(), "gen/case", &LoadOptions::default()).expect("generated scenario is valid");
        prop_assert_eq!(cases.len(), values.len());
        for (case, v) in cases.iter().zip(&values) {
            prop_assert_eq!(&case.id, &format!("gen/case[n={v}]"));
            prop_assert_eq!(&case.title, &title);
            prop_assert_eq!(case.steps.len(), 2);
            prop_assert!(matches!(case.steps[0].kind, StepKind::Send(_)));
        }
    }
}

// Robustness (issue 7): what the malformed-YAML corpus of the CLI checks end to end, here on
// the sans-I/O loader itself.

const HEAD: &str = "title: t\nspec: {rfc: 9112, section: \"2\"}\nlevel: must\n";

fn load_err(text: &str) -> wirecheck_core::model::ModelError {
    let errors =
        load_cases("t.yaml", text.as_bytes(), "t", &LoadOptions::default()).expect_err("refused");
    errors.into_iter().next().expect("one error")
}

#[test]
fn deep_nesting_is_refused_at_the_depth_limit_without_recursing() {
    for (open, close) in [("[", ""), ("{a: ", ""), ("- ", "x")] {
        let text = format!("{HEAD}steps:\n{}{close}\n", open.repeat(10_000));
        let e = load_err(&text);
        assert_eq!(e.line, 5, "{e}");
        assert!(e.message.contains("deeper than 64 levels"), "{e}");
    }
}

#[test]
fn a_duration_too_large_for_a_clock_is_an_error_not_a_panic() {
    let e = load_err(&format!(
        "{HEAD}timeout: 100000000000000000000000000000s\nsteps:\n  - connect\n"
    ));
    assert_eq!((e.line, e.col), (4, 10), "{e}");
    assert!(e.message.contains("1 hour limit"), "{e}");
}

#[test]
fn alias_bombs_are_refused() {
    let mut text = format!("{HEAD}x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("x{i}: &a{i} [{refs}]\n"));
    }
    text.push_str("steps:\n  - connect\n");
    let started = std::time::Instant::now();
    let e = load_err(&text);
    assert!(e.message.contains("aliases"), "{e}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    // A long anchored string aliased many times: bounded by the text budget.
    let big = "a".repeat(100_000);
    let refs = vec!["*big"; 60].join(", ");
    let e = load_err(&format!(
        "{HEAD}tags: [&big '{big}', {refs}]\nsteps:\n  - connect\n"
    ));
    assert!(e.message.contains("bytes of text"), "{e}");
}

#[test]
fn matrix_expansion_is_bounded_by_file_size_times_cells() {
    let opts = LoadOptions {
        max_expanded_bytes: 10_000,
        ..LoadOptions::default()
    };
    let text = format!(
        "{HEAD}matrix: {{n: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40]}}\nsteps:\n  - send: '{}{{{{n}}}}'\n",
        "a".repeat(300)
    );
    let errors = load_cases("t.yaml", text.as_bytes(), "t", &opts).expect_err("refused");
    assert_eq!((errors[0].line, errors[0].col), (4, 9), "{}", errors[0]);
    assert!(errors[0].message.contains("40 cells"), "{}", errors[0]);
    // The default budget keeps every real case loadable.
    assert_eq!(
        load_cases("t.yaml", text.as_bytes(), "t", &LoadOptions::default())
            .unwrap()
            .len(),
        40
    );
}

#[test]
fn payload_errors_point_at_the_character_in_the_piece() {
    let e = load_err(&format!(
        "{HEAD}steps:\n  - send:\n      data:\n        - 'a'\n        - {{repeat: 'b\\q', times: 2}}\n"
    ));
    assert_eq!((e.line, e.col), (8, 22), "{e}");
    let e = load_err(&format!("{HEAD}steps:\n  - send: 'it''s {{{{nope}}}}'\n"));
    assert_eq!((e.line, e.col), (5, 18), "{e}");
    assert!(e.message.starts_with("unknown variable `nope`"), "{e}");
    // A folded multi-line scalar cannot be mapped back: the string's start, with the offset.
    let e = load_err(&format!("{HEAD}steps:\n  - send: 'GET /\n      x \\q'\n"));
    assert_eq!((e.line, e.col), (5, 11), "{e}");
    assert!(e.message.contains("at character 9"), "{e}");
}

#[test]
fn empty_and_comment_only_files_are_refused_at_1_1() {
    for (text, words) in [
        ("", "is empty"),
        (" \n\t\r\n", "is empty"),
        ("\u{feff}", "is empty"),
        ("# nothing yet\r# still nothing\n", "only comments"),
    ] {
        let e = load_err(text);
        assert_eq!((e.line, e.col), (1, 1), "{e}");
        assert!(e.message.contains(words), "{e}");
    }
}

#[test]
fn line_numbers_count_crlf_and_lone_cr_like_the_parser() {
    for eol in ["\r\n", "\r"] {
        let text = format!("{HEAD}steps:\n  - expect_close: {{bad: 1}}\n").replace('\n', eol);
        let e = load_err(&text);
        assert_eq!((e.line, e.col), (5, 20), "{eol:?}: {e}");
        let snippet = e.snippet.expect("snippet");
        assert!(
            snippet.contains("5 |   - expect_close: {bad: 1}"),
            "{snippet}"
        );
    }
}

#[test]
fn ids_repeated_by_an_id_template_are_refused_at_the_id() {
    let e = load_err(&format!(
        "id: 'x/{{{{a}}}}'\n{HEAD}matrix: {{a: [1, 2], b: [3, 4]}}\nsteps:\n  - send: '{{{{a}}}}{{{{b}}}}'\n"
    ));
    assert_eq!((e.line, e.col), (1, 5), "{e}");
    assert!(e.message.contains("does not use b"), "{e}");
}
