//! The JSON report: the result model serialized as is.
//!
//! The key names belong to the model in `wirecheck-core` (`schema_version`, `cases`, `id`,
//! `verdict`, `duration_ms`, `transcript`, …), so this module adds no mapping of its own: a
//! second spelling of the schema would drift. [`read_json`] exists so later tooling can merge
//! runs (shards) without guessing at the format of old files.

use std::io::{self, Write};

use wirecheck_core::result::{RunReport, SCHEMA_VERSION};

/// Writes `report` as pretty-printed JSON followed by a newline.
///
/// Pretty printing costs little and makes reports diffable and readable in CI artifacts.
pub fn write_json(report: &RunReport, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    out.write_all(b"\n")
}

/// Reads a report written by [`write_json`].
///
/// The `schema_version` is checked before anything else, so a report from an incompatible
/// wirecheck fails with a message naming both versions rather than with a confusing error
/// about some missing or renamed field deep inside a case.
pub fn read_json(text: &str) -> Result<RunReport, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    if !value.is_object() {
        return Err("not a wirecheck JSON report: the top level is not an object".into());
    }
    match value.get("schema_version") {
        None => return Err("not a wirecheck JSON report: no `schema_version` key".into()),
        Some(v) => match v.as_u64() {
            Some(n) if n == u64::from(SCHEMA_VERSION) => {}
            Some(n) => {
                return Err(format!(
                    "unsupported report schema version {n}: this wirecheck reads version {SCHEMA_VERSION}"
                ))
            }
            None => return Err(format!("not a wirecheck JSON report: `schema_version` is {v}, not a number")),
        },
    }
    // Parse the text again rather than the `Value`: errors from text carry line and column.
    serde_json::from_str(text)
        .map_err(|e| format!("invalid wirecheck report (schema version {SCHEMA_VERSION}): {e}"))
}
