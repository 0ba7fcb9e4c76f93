//! Helpers shared by the subcommands.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use wirecheck::{discover, exit};
use wirecheck_core::select::Selection;

use crate::args::SelectArgs;
use wirecheck_core::model::Case;

/// The given paths, or `./cases`.
pub(crate) fn paths_or_default(paths: &[PathBuf]) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from("cases")]
    } else {
        paths.to_vec()
    }
}

/// Loads cases; on any error prints them all (with a count) and returns `None`.
pub(crate) fn load_or_report(paths: &[PathBuf]) -> Option<Vec<Case>> {
    let (cases, errors) = discover::load(paths);
    if errors.is_empty() {
        return Some(cases);
    }
    for e in &errors {
        eprintln!("error: {e}\n");
    }
    eprintln!(
        "{} error(s) in scenario files; nothing was run",
        errors.len()
    );
    None
}

/// Loads the cases under `paths` (default `./cases`) and builds the `--filter`/`--tag`
/// selection; on failure, the error is printed and the exit code returned.
pub(crate) fn load_and_select(
    paths: &[PathBuf],
    select: &SelectArgs,
) -> Result<(Vec<Case>, Selection), u8> {
    let Some(cases) = load_or_report(&paths_or_default(paths)) else {
        return Err(exit::LOAD);
    };
    match Selection::new(&select.filters, &select.tags) {
        Ok(s) => Ok((cases, s)),
        Err(e) => {
            eprintln!("error: {e}");
            Err(exit::USAGE)
        }
    }
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, then rename,
/// so a reader never sees half a report and an interrupted write leaves the old one intact.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// RFC 3339 UTC timestamp with millisecond precision.
pub(crate) fn rfc3339(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil-from-days (Howard Hinnant's algorithm), valid for every date after 1970.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        d.subsec_millis()
    )
}
