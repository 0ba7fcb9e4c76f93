//! Entry point of the model: text of one scenario file → validated cases, or every error found.
//!
//! This is the only place that calls the YAML crate, so swapping it touches one file. The
//! crate is serde-saphyr (pure Rust, spans on values, duplicate keys are errors, budgets
//! against alias bombs); serde_yaml is archived and unmaintained.

use std::collections::BTreeMap;

use serde_saphyr::{Budget, DuplicateKeyPolicy};

use super::error::ModelError;
use super::raw::RawCase;
use super::scenario::Case;
use super::validate::validate_case;

/// Variables the runner provides for every target; cases may also use their matrix names.
pub const TARGET_VARS: &[&str] = &["scheme", "host", "port", "authority", "base", "path"];

/// Loader settings.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// Largest file accepted, in bytes.
    pub max_file_bytes: usize,
    /// Most cells one matrix may expand into.
    pub max_matrix_cells: usize,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_file_bytes: 1024 * 1024,
            max_matrix_cells: 1000,
        }
    }
}

/// Loads the cases of one file.
///
/// `file` names the file in messages; `default_id` is the id used when the file has no `id`
/// (derived by the caller from the path, e.g. `http1/host/missing`).
pub fn load_cases(
    file: &str,
    bytes: &[u8],
    default_id: &str,
    opts: &LoadOptions,
) -> Result<Vec<Case>, Vec<ModelError>> {
    if bytes.len() > opts.max_file_bytes {
        return Err(vec![ModelError::at(
            file,
            None,
            1,
            1,
            format!(
                "file is {} bytes; scenario files are limited to {} bytes",
                bytes.len(),
                opts.max_file_bytes
            ),
        )]);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let before = &bytes[..e.valid_up_to()];
            let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
            let col = before.iter().rev().take_while(|&&b| b != b'\n').count() as u32 + 1;
            return Err(vec![ModelError::at(
                file,
                None,
                line,
                col,
                "file is not valid UTF-8 text",
            )]);
        }
    };
    if text.trim().is_empty() {
        return Err(vec![ModelError::at(
            file,
            None,
            1,
            1,
            "file is empty: a scenario needs at least `title`, `spec`, `level` and `steps`",
        )]);
    }
    let mut budget = Budget::default();
    budget.max_depth = 64;
    budget.max_events = 200_000;
    let options = serde_saphyr::options! {
        duplicate_keys: DuplicateKeyPolicy::Error,
        strict_booleans: true,
        budget: Some(budget),
    };
    let raw: RawCase = serde_saphyr::from_str_with_options(text, options)
        .map_err(|e| vec![yaml_error(file, text, &e)])?;
    validate_case(file, text, default_id, &raw, opts)
}

/// Reports every id used by more than one case (ids name results, filters and baselines).
pub fn check_unique_ids(cases: &[Case]) -> Vec<ModelError> {
    let mut first: BTreeMap<&str, &Case> = BTreeMap::new();
    let mut errors = Vec::new();
    for case in cases {
        if let Some(prev) = first.get(case.id.as_str()) {
            errors.push(ModelError::at(
                &case.file,
                None,
                case.loc.line,
                case.loc.col,
                format!(
                    "duplicate case id `{}` (first defined at {}:{})",
                    case.id, prev.file, prev.loc.line
                ),
            ));
        } else {
            first.insert(&case.id, case);
        }
    }
    errors
}

fn yaml_error(file: &str, text: &str, e: &serde_saphyr::Error) -> ModelError {
    let (line, col) = e.location().map_or((1, 1), |l| {
        (l.line().max(1) as u32, l.column().max(1) as u32)
    });
    let full = e.without_snippet().to_string();
    let mut message = full
        .lines()
        .next()
        .unwrap_or("invalid YAML")
        .trim()
        .to_string();
    for prefix in ["error: ", "Error: "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            message = rest.to_string();
        }
    }
    if let Some(rest) = message.strip_prefix("line ") {
        if let Some((_, after)) = rest.split_once(": ") {
            message = after.to_string();
        }
    }
    if let Some(idx) = message.find(" at line ") {
        message.truncate(idx);
    }
    ModelError::at(file, Some(text), line, col, message)
}
