//! Entry point of the model: text of one scenario file → validated cases, or every error found.
//!
//! This is the only place that calls the YAML crate, so swapping it touches one file. The
//! crate is serde-saphyr (pure Rust, spans on values, duplicate keys are errors, budgets
//! against alias bombs); serde_yaml is archived and unmaintained.

use std::collections::BTreeMap;

use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::{Budget, DuplicateKeyPolicy};

use super::error::ModelError;
use super::raw::RawCase;
use super::scenario::Case;
use super::validate::validate_case;

/// Variables the runner provides for every target, from the target URL and the target profile
/// (`profile::PROFILE_VARS`, which must stay a suffix of this list); cases may also use their
/// matrix names.
pub const TARGET_VARS: &[&str] = &[
    "scheme",
    "host",
    "port",
    "authority",
    "base",
    "path",
    "resource",
    "resource_body",
    "resource_length",
    "resource_contains",
    "large",
    "large_length",
    "missing",
    "not_allowed",
    "not_allowed_method",
    "echo",
];

/// Loader settings.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// Largest file accepted, in bytes.
    pub max_file_bytes: usize,
    /// Most cells one matrix may expand into.
    pub max_matrix_cells: usize,
    /// Most bytes of scenario text a file may expand into: its size times its matrix cells.
    /// Each cell builds its own copy of every payload, so a 1 MiB file with a 1000-cell matrix
    /// would otherwise hold a gigabyte and take minutes to load.
    pub max_expanded_bytes: usize,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_file_bytes: 1024 * 1024,
            max_matrix_cells: 1000,
            max_expanded_bytes: 16 * 1024 * 1024,
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
    check_file_size(file, bytes.len() as u64, opts)?;
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
    if let Some(what) = no_content(text) {
        return Err(vec![ModelError::at(
            file,
            None,
            1,
            1,
            format!("file {what}: a scenario needs at least `title`, `spec`, `level` and `steps`"),
        )]);
    }
    let options = serde_saphyr::options! {
        duplicate_keys: DuplicateKeyPolicy::Error,
        strict_booleans: true,
        budget: Some(budget(opts)),
        // Aliases are for sharing a small piece (a header list), not for building documents:
        // 10,000 replayed events stop a "billion laughs" early instead of after the 200,000
        // events of the whole-document budget.
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: MAX_REPLAYED_EVENTS,
        },
    };
    let raw: RawCase = match serde_saphyr::from_str_with_options(text, options.clone()) {
        Ok(raw) => raw,
        Err(typed) => {
            // The typed pass stops at the first value of the wrong type, which can come
            // before a syntax error further on (a mis-indented key then shows up as "missing
            // field" at its parent), or before the budget breach of a document nested or
            // aliased beyond the limits. Reading the whole document into `IgnoredAny` finds
            // those, and they are the real problem; only when it finds nothing is the type
            // error reported. Good files pay nothing for this second parse.
            let first = serde_saphyr::from_str_with_options::<serde::de::IgnoredAny>(text, options)
                .err()
                .unwrap_or(typed);
            return Err(vec![yaml_error(file, text, &first, opts)]);
        }
    };
    validate_case(file, text, default_id, &raw, opts)
}

/// The error for a file larger than `opts.max_file_bytes`, located at 1:1. Callers that read
/// files check the size before reading, so an oversized file is never held in memory.
pub fn check_file_size(file: &str, len: u64, opts: &LoadOptions) -> Result<(), Vec<ModelError>> {
    if len <= opts.max_file_bytes as u64 {
        return Ok(());
    }
    Err(vec![ModelError::at(
        file,
        None,
        1,
        1,
        format!(
            "file is {len} bytes; scenario files are limited to {} bytes",
            opts.max_file_bytes
        ),
    )])
}

/// Why a text has no YAML content (`is empty`, `holds only comments`), if it has none. Lines
/// end at LF, CR or CRLF, as for the parser.
fn no_content(text: &str) -> Option<&'static str> {
    let text = text.trim_start_matches('\u{feff}');
    let mut comments = false;
    for line in text.split(['\n', '\r']) {
        let line = line.trim();
        if line.starts_with('#') {
            comments = true;
        } else if !line.is_empty() {
            return None;
        }
    }
    Some(if comments {
        "holds only comments"
    } else {
        "is empty"
    })
}

/// YAML parser budgets. A scenario is a small document: 64 levels of nesting, for flow
/// collections too (the parser's own flow limit is 255, so `[[[...` and `- - -...` were cut at
/// different depths with different messages), 200,000 events, and scalar text at most four
/// times the largest file (aliases replay their anchor's text: 60 aliases of a 100 KB anchored
/// string would otherwise build 6 MB of strings from a 100 KB file).
fn budget(opts: &LoadOptions) -> Budget {
    let mut budget = Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.flow_nesting_limit = MAX_DEPTH;
    budget.max_events = MAX_EVENTS;
    budget.max_total_scalar_bytes = opts.max_file_bytes.saturating_mul(4);
    budget
}

const MAX_DEPTH: usize = 64;
const MAX_EVENTS: usize = 200_000;
const MAX_REPLAYED_EVENTS: usize = 10_000;

/// Reports every id used by more than one case (ids name results, filters and baselines).
pub fn check_unique_ids(cases: &[Case]) -> Vec<ModelError> {
    let mut first: BTreeMap<&str, &Case> = BTreeMap::new();
    let mut errors = Vec::new();
    for case in cases {
        if let Some(prev) = first.get(case.id.as_str()) {
            errors.push(ModelError::at(
                &case.file,
                None,
                case.id_loc.line,
                case.id_loc.col,
                format!(
                    "duplicate case id `{}` (first defined at {}:{}:{})",
                    case.id, prev.file, prev.id_loc.line, prev.id_loc.col
                ),
            ));
        } else {
            first.insert(&case.id, case);
        }
    }
    errors
}

pub(crate) fn yaml_error(
    file: &str,
    text: &str,
    e: &serde_saphyr::Error,
    opts: &LoadOptions,
) -> ModelError {
    let (line, col) = e.location().map_or((1, 1), |l| {
        (l.line().max(1) as u32, l.column().max(1) as u32)
    });
    if let Some(message) = rewritten(e, opts) {
        return ModelError::at(file, Some(text), line, col, message);
    }
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

/// Messages for the errors whose YAML-crate wording is written for the programmer calling it
/// (`budget breached: Depth { depth: 65 }`, "use from_str_multiple", "set DuplicateKeyPolicy
/// in Options", "invalid u32") rather than for the author of a scenario.
fn rewritten(e: &serde_saphyr::Error, opts: &LoadOptions) -> Option<String> {
    use serde_saphyr::Error;
    let mut e = e;
    while let Error::AliasError { error, .. } | Error::WithSnippet { error, .. } = e {
        e = error;
    }
    Some(match e {
        Error::DuplicateMappingKey { key: Some(k), .. } => format!("duplicate key `{k}`"),
        Error::DuplicateMappingKey { key: None, .. } => "duplicate key".to_string(),
        Error::Unexpected { expected, .. } => match *expected {
            "mapping start" => "expected a map (`key: value` lines, or `{...}`)".to_string(),
            "sequence start" => "expected a list (`- item` lines, or `[...]`)".to_string(),
            "string scalar" => "expected a string".to_string(),
            other => format!("expected {other}"),
        },
        Error::InvalidScalar { ty, .. } => match *ty {
            "u8" => format!("expected a whole number from 0 to {}", u8::MAX),
            "u16" => format!("expected a whole number from 0 to {}", u16::MAX),
            "u32" => format!("expected a whole number from 0 to {}", u32::MAX),
            "u64" | "usize" => format!("expected a whole number from 0 to {}", u64::MAX),
            other => format!("invalid {other}"),
        },
        Error::InvalidBooleanStrict { .. } => "expected `true` or `false`".to_string(),
        // `- send: x` followed by `  expect_close: {}` in the same item.
        Error::ExpectedMappingEndAfterEnumVariantValue { .. } => {
            "a second key in one step: each step (or event) is its own `- ` item with one key"
                .to_string()
        }
        Error::MultipleDocuments { .. } => {
            "a second YAML document (after `---`): a scenario file holds exactly one".to_string()
        }
        Error::Budget { breach, .. } => match breach {
            BudgetBreach::Depth { .. } => {
                format!("nesting is deeper than {MAX_DEPTH} levels")
            }
            BudgetBreach::Events { .. } | BudgetBreach::Nodes { .. } => format!(
                "more than {MAX_EVENTS} YAML events, aliases expanded: the document is too large"
            ),
            BudgetBreach::ScalarBytes { .. } => format!(
                "more than {} bytes of text, aliases expanded: the document is too large",
                opts.max_file_bytes.saturating_mul(4)
            ),
            BudgetBreach::Aliases { .. }
            | BudgetBreach::Anchors { .. }
            | BudgetBreach::AliasAnchorRatio { .. }
            | BudgetBreach::RecordedAnchorEvents { .. }
            | BudgetBreach::RecordedAnchorBytes { .. } => {
                "too many YAML aliases: the document expands beyond the loader's limits".to_string()
            }
            BudgetBreach::Documents { .. } => {
                "too many YAML documents: a scenario file holds exactly one".to_string()
            }
            other => format!("the document exceeds a YAML parser limit ({other:?})"),
        },
        // The parser's own nesting guard (flow collections), set to the same depth.
        Error::ExternalMessage { source, .. }
            if matches!(
                source.as_ref(),
                serde_saphyr::ExternalMessageSource::Parser(scan)
                    if matches!(scan.kind(), serde_saphyr::granit_parser::ErrorKind::RecursionLimitExceeded)
            ) =>
        {
            format!("nesting is deeper than {MAX_DEPTH} levels")
        }
        Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. } => {
            "too many YAML aliases: the document expands beyond the loader's limits".to_string()
        }
        _ => return None,
    })
}
