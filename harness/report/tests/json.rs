//! The JSON report round-trips and keeps the model's key names.

mod common;

use wirecheck_core::result::SCHEMA_VERSION;
use wirecheck_report::{read_json, write_json};

fn json() -> String {
    let mut out = Vec::new();
    write_json(&common::sample(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn round_trips_to_an_equal_report() {
    let text = json();
    assert_eq!(read_json(&text).unwrap(), common::sample());
}

#[test]
fn uses_the_fixed_key_names() {
    let value: serde_json::Value = serde_json::from_str(&json()).unwrap();
    assert_eq!(value["schema_version"], SCHEMA_VERSION);
    let cases = value["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 8);
    for key in ["id", "verdict", "duration_ms", "transcript"] {
        assert!(cases[0].get(key).is_some(), "missing `{key}`");
    }
    assert_eq!(cases[4]["verdict"], "non-strict");
    assert_eq!(cases[0]["duration_ms"], 12);
}

#[test]
fn is_pretty_and_ends_with_a_newline() {
    let text = json();
    assert!(text.starts_with("{\n  \""));
    assert!(text.ends_with("}\n"));
}

#[test]
fn rejects_other_schema_versions_clearly() {
    let mut value: serde_json::Value = serde_json::from_str(&json()).unwrap();
    value["schema_version"] = serde_json::json!(SCHEMA_VERSION + 1);
    let err = read_json(&value.to_string()).unwrap_err();
    assert!(
        err.contains(&format!("version {}", SCHEMA_VERSION + 1)),
        "{err}"
    );
    assert!(
        err.contains(&format!("reads version {SCHEMA_VERSION}")),
        "{err}"
    );

    value.as_object_mut().unwrap().remove("schema_version");
    assert!(read_json(&value.to_string())
        .unwrap_err()
        .contains("schema_version"));
    assert!(read_json("[1]")
        .unwrap_err()
        .contains("not a wirecheck JSON report"));
    assert!(read_json("{").unwrap_err().contains("not valid JSON"));
}

#[test]
fn reports_broken_cases_with_a_position() {
    let text = json().replacen("\"verdict\": \"pass\"", "\"verdict\": \"great\"", 1);
    let err = read_json(&text).unwrap_err();
    assert!(err.contains("line"), "{err}");
}
