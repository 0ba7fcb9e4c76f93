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
