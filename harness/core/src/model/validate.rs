//! Raw case → validated cases: metadata, matrix expansion, then steps (`steps.rs`).

use std::collections::BTreeSet;

use super::duration::parse_duration;
use super::error::{source_line, ModelError};
use super::load::{LoadOptions, TARGET_VARS};
use super::raw::{RawCase, RawLevel, RawRow, RawScalar, S};
use super::scenario::{Case, Level, Loc, Spec};
use super::steps::{build_steps, template};
use super::ws_build::build_websocket;
use crate::check::RULES;
use crate::text::Vars;

/// Collects located errors for one file.
pub(crate) struct Ctx<'a> {
    pub(crate) file: &'a str,
    pub(crate) source: &'a str,
    pub(crate) errors: Vec<ModelError>,
    /// Names templates may use.
    pub(crate) known: BTreeSet<String>,
    /// Matrix values of the cell being built.
    pub(crate) cell: Vars,
}

impl Ctx<'_> {
    pub(crate) fn err(&mut self, loc: Loc, message: impl Into<String>) {
        let e = ModelError::at(self.file, Some(self.source), loc.line, loc.col, message);
        if !self.errors.contains(&e) {
            self.errors.push(e);
        }
    }
}

/// The location of a spanned value.
pub(crate) fn loc<T>(s: &S<T>) -> Loc {
    Loc {
        line: s.referenced.line() as u32,
        col: s.referenced.column() as u32,
    }
}

/// The location of a spanned value, or `fallback` when the value was built without one
/// (see `raw::unknown`).
pub(crate) fn loc_or<T>(s: &S<T>, fallback: Loc) -> Loc {
    match loc(s) {
        Loc { line: 0, .. } => fallback,
        known => known,
    }
}

/// Where character `offset` of the string `value`, written at `at`, is in the source: found
/// only when the source line at `at` spells the value's first `offset` characters literally
/// (plain, single-quoted with `''`, or double-quoted without backslashes). Otherwise `None`,
/// and the caller keeps `at`: a folded multi-line scalar or a YAML escape cannot be mapped
/// back without re-scanning, and a wrong column is worse than the start of the string.
pub(crate) fn pinpoint(source: &str, at: Loc, value: &str, offset: usize) -> Option<Loc> {
    let line = source_line(source, at.line)?;
    let mut src = line
        .chars()
        .skip(at.col.checked_sub(1)? as usize)
        .peekable();
    let quote = match src.peek() {
        Some(&q @ ('\'' | '"')) => Some(q),
        _ => None,
    };
    let mut col = at.col;
    if quote.is_some() {
        src.next();
        col += 1;
    }
    let mut matched = 0;
    for want in value.chars().take(offset) {
        let got = src.next()?;
        col += 1;
        match quote {
            Some('\'') if got == '\'' => {
                // `''` is one quote; a lone `'` ends the scalar.
                if src.next()? != '\'' || want != '\'' {
                    return None;
                }
                col += 1;
            }
            Some('"') if got == '\\' => return None,
            _ if got != want => return None,
            _ => {}
        }
        matched += 1;
    }
    (matched == offset && src.peek().is_some()).then_some(Loc { line: at.line, col })
}

pub(crate) fn validate_case(
    file: &str,
    source: &str,
    default_id: &str,
    raw: &RawCase,
    opts: &LoadOptions,
) -> Result<Vec<Case>, Vec<ModelError>> {
    let mut ctx = Ctx {
        file,
        source,
        errors: Vec::new(),
        known: TARGET_VARS.iter().map(|s| s.to_string()).collect(),
        cell: Vars::new(),
    };
    let case_loc = Loc { line: 1, col: 1 };
    let id_is_template = raw.id.as_ref().is_some_and(|i| i.value.contains("{{"));
    let id = match &raw.id {
        Some(id) if id_is_template => id.value.clone(),
        Some(id) => {
            if !valid_id(&id.value) {
                ctx.err(
                    loc(id),
                    format!(
                        "id `{}` may use only a-z, 0-9, `_`, `-`, `.` and `/`",
                        id.value
                    ),
                );
            }
            id.value.clone()
        }
        None => default_id.to_string(),
    };
    if raw.title.value.trim().is_empty() {
        ctx.err(loc(&raw.title), "title is empty");
    }
    let spec = &raw.spec.value;
    if spec.rfc.value == 0 {
        ctx.err(
            loc(&spec.rfc),
            "there is no RFC 0: write the RFC number, e.g. 9112",
        );
    }
    if spec.section.value.0.trim().is_empty() {
        ctx.err(loc(&spec.section), "section is empty");
    } else if !valid_section(&spec.section.value.0) {
        ctx.err(
            loc(&spec.section),
            format!(
                "section `{}` is not an RFC section number like \"6.3\" or \"A.1\"",
                spec.section.value.0
            ),
        );
    }
    if let Some(check) = &spec.check {
        let ok = check.value.len() >= 2
            && check.value.starts_with(|c: char| c.is_ascii_uppercase())
            && check.value[1..].chars().all(|c| c.is_ascii_digit());
        if !ok {
            ctx.err(
                loc(check),
                format!(
                    "check `{}` is not a checklist id like `B5` or `W12`",
                    check.value
                ),
            );
        }
    }
    let level = match raw.level.value {
        RawLevel::Must => Level::Must,
        RawLevel::Should => Level::Should,
        RawLevel::May => Level::May,
    };
    let tags: Vec<String> = raw.tags.iter().map(|t| t.value.clone()).collect();
    for t in &raw.tags {
        if t.value.trim().is_empty() || t.value.contains(char::is_whitespace) {
            ctx.err(loc(t), "tags are single words");
        }
    }
    let requires: Vec<String> = raw.requires.iter().map(|t| t.value.clone()).collect();
    let duration = |s: &Option<S<String>>, ctx: &mut Ctx| {
        s.as_ref().and_then(|d| {
            parse_duration(&d.value)
                .map_err(|m| ctx.err(loc(d), m))
                .ok()
        })
    };
    let timeout = duration(&raw.timeout, &mut ctx);
    let step_timeout = duration(&raw.step_timeout, &mut ctx);
    let mut skip_validators = Vec::new();
    if let Some(v) = &raw.validators {
        for s in &v.value.skip {
            if RULES.iter().any(|r| r.id == s.value) {
                skip_validators.push(s.value.clone());
            } else {
                let known: Vec<&str> = RULES.iter().map(|r| r.id).collect();
                ctx.err(
                    loc(s),
                    format!(
                        "unknown validator `{}` (known: {})",
                        s.value,
                        known.join(", ")
                    ),
                );
            }
        }
    }
    let mut cells = match (&raw.matrix, &raw.rows) {
        (Some(m), Some(_)) => {
            ctx.err(loc(m), "give `matrix` or `rows`, not both");
            // Still learn the matrix names, so their uses are not reported as unknown too.
            expand_matrix(raw, &mut ctx, opts);
            vec![Vec::new()]
        }
        (_, Some(rows)) => expand_rows(rows, &mut ctx, opts, id_is_template),
        _ => expand_matrix(raw, &mut ctx, opts),
    };
    // Every cell builds its own copy of every payload: bound the product, not just the file
    // size and the cell count separately (1000 cells of a 1 MiB file is a gigabyte).
    let expanded = cells.len().saturating_mul(source.len());
    if cells.len() > 1 && expanded > opts.max_expanded_bytes {
        let at = raw.matrix.as_ref().map(loc).or(raw.rows.as_ref().map(loc));
        ctx.err(
            at.unwrap_or(case_loc),
            format!(
                "{} cells of this {}-byte file expand into more than {} bytes of cases: shrink \
                 the matrix or split the file",
                cells.len(),
                source.len(),
                opts.max_expanded_bytes
            ),
        );
        cells = vec![Vec::new()];
    }
    if id_is_template && cells.len() <= 1 && raw.matrix.is_none() && raw.rows.is_none() {
        if let Some(i) = &raw.id {
            ctx.err(
                loc(i),
                "an id with `{{...}}` needs a `matrix` or `rows` to fill it",
            );
        }
    }
    match (&raw.steps, &raw.websocket) {
        (Some(steps), None) if steps.value.is_empty() => {
            ctx.err(loc(steps), "a case needs at least one step");
        }
        (Some(steps), Some(_)) => ctx.err(
            loc(steps),
            "a case has `steps` (HTTP/TCP) or `websocket`, not both",
        ),
        (None, None) => ctx.err(
            case_loc,
            "a case needs `steps` (HTTP/TCP) or `websocket` (a WebSocket scenario)",
        ),
        _ => {}
    }
    let id_loc = raw.id.as_ref().map(loc).unwrap_or(case_loc);
    let mut seen_ids = BTreeSet::new();
    let mut cases = Vec::new();
    for params in cells {
        ctx.cell = params.iter().cloned().collect();
        let steps = match &raw.steps {
            Some(s) => build_steps(&mut ctx, &s.value, false),
            None => Vec::new(),
        };
        let websocket = raw
            .websocket
            .as_ref()
            .map(|w| Box::new(build_websocket(&mut ctx, w)));
        if !ctx.errors.is_empty() {
            break;
        }
        let cell_id = if id_is_template {
            let at = raw.id.as_ref().map(loc).unwrap_or(case_loc);
            let rendered = template(&mut ctx, &id, at, false).render_text(&Vars::new());
            if !valid_id(&rendered) {
                ctx.err(
                    at,
                    format!("id `{rendered}` may use only a-z, 0-9, `_`, `-`, `.` and `/`"),
                );
            }
            rendered
        } else if params.is_empty() {
            id.clone()
        } else {
            let inner: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("{id}[{}]", inner.join(","))
        };
        // Two cells of one file with one id: an id template that leaves out a parameter (or
        // runs values together). Reported here, at the id, rather than later by
        // `check_unique_ids` as a duplicate at the top of the file.
        if !seen_ids.insert(cell_id.clone()) {
            let missing: Vec<&str> = params
                .iter()
                .map(|(k, _)| k.as_str())
                .filter(|k| !uses_var(&id, k))
                .collect();
            let hint = if missing.is_empty() {
                String::new()
            } else {
                format!(" (it does not use {})", missing.join(", "))
            };
            ctx.err(
                id_loc,
                format!(
                    "id template gives several cells the id `{cell_id}`{hint}: every cell needs \
                     its own id"
                ),
            );
            break;
        }
        cases.push(Case {
            id: cell_id,
            title: if raw.title.value.contains("{{") {
                template(&mut ctx, &raw.title.value, loc(&raw.title), false)
                    .render_text(&Vars::new())
            } else {
                raw.title.value.clone()
            },
            spec: Spec {
                rfc: spec.rfc.value,
                section: spec.section.value.0.clone(),
                check: spec.check.as_ref().map(|c| c.value.clone()),
                text: spec.text.clone(),
            },
            level,
            tags: tags.clone(),
            requires: requires.clone(),
            params,
            file: file.to_string(),
            loc: case_loc,
            id_loc,
            timeout,
            step_timeout,
            skip_validators: skip_validators.clone(),
            steps,
            websocket,
        });
    }
    if ctx.errors.is_empty() {
        Ok(cases)
    } else {
        Err(ctx.errors)
    }
}

/// Cartesian product of the matrix, in declaration order; one empty cell without a matrix.
fn expand_matrix(raw: &RawCase, ctx: &mut Ctx, opts: &LoadOptions) -> Vec<Vec<(String, String)>> {
    let Some(matrix) = &raw.matrix else {
        return vec![Vec::new()];
    };
    if matrix.value.is_empty() {
        ctx.err(
            loc(matrix),
            "`matrix` has no parameters: give each one a list of values, or remove it",
        );
        return vec![Vec::new()];
    }
    let mut cells: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for (name, values) in &matrix.value {
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') || name.is_empty() {
            ctx.err(
                loc(values),
                format!("matrix parameter `{name}` must be a name of letters, digits and `_`"),
            );
            continue;
        }
        if TARGET_VARS.contains(&name.as_str()) {
            ctx.err(
                loc(values),
                format!("matrix parameter `{name}` would hide the target variable of that name"),
            );
            continue;
        }
        if values.value.is_empty() {
            ctx.err(
                loc(values),
                format!("matrix parameter `{name}` has no values"),
            );
            continue;
        }
        for (i, v) in values.value.iter().enumerate() {
            if values.value[..i].iter().any(|w| w.value.0 == v.value.0) {
                ctx.err(
                    loc(v),
                    format!(
                        "matrix value `{}` is repeated (each cell needs its own id)",
                        v.value.0
                    ),
                );
            }
            check_id_value(ctx, v);
        }
        ctx.known.insert(name.clone());
        cells = cells
            .into_iter()
            .flat_map(|cell| {
                values.value.iter().map(move |v| {
                    let mut c = cell.clone();
                    c.push((name.clone(), v.value.0.clone()));
                    c
                })
            })
            .collect();
        if cells.len() > opts.max_matrix_cells {
            ctx.err(
                loc(matrix),
                format!(
                    "matrix expands into more than {} cases",
                    opts.max_matrix_cells
                ),
            );
            return vec![Vec::new()];
        }
    }
    cells
}

/// `rows: [{n: 1, size: 0}, ...]`: one cell per row, every row naming the same parameters.
fn expand_rows(
    rows: &S<Vec<S<RawRow>>>,
    ctx: &mut Ctx,
    opts: &LoadOptions,
    id_is_template: bool,
) -> Vec<Vec<(String, String)>> {
    if rows.value.is_empty() {
        ctx.err(loc(rows), "`rows` is empty");
        return vec![Vec::new()];
    }
    if rows.value.len() > opts.max_matrix_cells {
        ctx.err(
            loc(rows),
            format!("rows make more than {} cases", opts.max_matrix_cells),
        );
        return vec![Vec::new()];
    }
    let names: Vec<&String> = rows.value[0].value.keys().collect();
    for name in &names {
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') || name.is_empty() {
            ctx.err(
                loc(&rows.value[0]),
                format!("row parameter `{name}` must be a name of letters, digits and `_`"),
            );
        } else if TARGET_VARS.contains(&name.as_str()) {
            ctx.err(
                loc(&rows.value[0]),
                format!("row parameter `{name}` would hide the target variable of that name"),
            );
        }
        ctx.known.insert((*name).clone());
    }
    let mut cells: Vec<Vec<(String, String)>> = Vec::new();
    for row in &rows.value {
        let keys: Vec<&String> = row.value.keys().collect();
        if keys != names {
            ctx.err(
                loc(row),
                format!(
                    "every row names the same parameters in the same order ({})",
                    names
                        .iter()
                        .map(|n| n.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            continue;
        }
        if !id_is_template {
            row.value.values().for_each(|v| check_id_value(ctx, v));
        }
        let cell: Vec<(String, String)> = row
            .value
            .iter()
            .map(|(k, v)| (k.clone(), v.value.0.clone()))
            .collect();
        // Equal rows would be two cases with one id.
        if let Some(i) = cells.iter().position(|c| *c == cell) {
            ctx.err(
                loc(row),
                format!(
                    "this row repeats row {} (each cell needs its own id)",
                    i + 1
                ),
            );
            continue;
        }
        cells.push(cell);
    }
    cells
}

/// Matrix and row values appear in case ids (`id[a=1,b=2]`) unless an id template says
/// otherwise, so they may not hold the characters that delimit them.
fn check_id_value(ctx: &mut Ctx, v: &S<RawScalar>) {
    if v.value.0.contains([',', ']', '=']) {
        ctx.err(
            loc(v),
            "matrix values may not contain `,`, `=` or `]` (they appear in case ids)",
        );
    }
}

/// Whether template text `t` refers to variable `name` (`{{name}}`, spaces allowed inside).
fn uses_var(t: &str, name: &str) -> bool {
    t.split("{{")
        .skip(1)
        .any(|part| part.split("}}").next().is_some_and(|n| n.trim() == name))
}

/// `6.3`, `3.2.1`, `15`, or an appendix: `A`, `B.2`.
fn valid_section(s: &str) -> bool {
    let mut parts = s.split('.');
    let first = parts.next().unwrap_or("");
    let first_ok = (!first.is_empty() && first.bytes().all(|b| b.is_ascii_digit()))
        || (first.len() == 1 && first.bytes().all(|b| b.is_ascii_uppercase()));
    first_ok && parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('/')
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_-./".contains(c))
}
