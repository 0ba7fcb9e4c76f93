//! Finding scenario files on disk and loading them, reporting every error in every file.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use wirecheck_core::expectations::Expectations;
use wirecheck_core::model::{
    check_file_size, check_unique_ids, load_cases, Case, LoadOptions, ModelError, Profile,
};

/// Every `.yaml`/`.yml` file under `paths` (files are taken as given), sorted per root, hidden
/// entries and `README` files skipped.
pub fn scenario_files(paths: &[PathBuf]) -> Result<Vec<(PathBuf, String)>, ModelError> {
    let mut out = Vec::new();
    for root in paths {
        let meta = std::fs::metadata(root).map_err(|e| unreadable(root, e))?;
        if meta.is_file() {
            out.push((
                root.clone(),
                default_id(root, root.parent().unwrap_or(Path::new(""))),
            ));
            continue;
        }
        let mut found = Vec::new();
        walk(root, &mut found).map_err(|(p, e)| unreadable(&p, e))?;
        found.sort();
        for f in found {
            let id = default_id(&f, root);
            out.push((f, id));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), (PathBuf, std::io::Error)> {
    let entries = std::fs::read_dir(dir).map_err(|e| (dir.to_path_buf(), e))?;
    for entry in entries {
        let entry = entry.map_err(|e| (dir.to_path_buf(), e))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let kind = entry.file_type().map_err(|e| (path.clone(), e))?;
        if kind.is_dir() {
            walk(&path, out)?;
        } else if (name.ends_with(".yaml") || name.ends_with(".yml")) && !name.starts_with("README")
        {
            out.push(path);
        }
    }
    Ok(())
}

/// The id a file gets when it has none: its path below the last `cases` directory (or below
/// the root it was found under), without the extension, with `/` separators.
pub fn default_id(file: &Path, root: &Path) -> String {
    let comps: Vec<String> = file
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let rel: Vec<String> = match comps.iter().rposition(|c| c == "cases") {
        Some(i) if i + 1 < comps.len() => comps[i + 1..].to_vec(),
        _ => file
            .strip_prefix(root)
            .unwrap_or(file)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect(),
    };
    let joined = rel.join("/");
    let stem = joined
        .strip_suffix(".yaml")
        .or_else(|| joined.strip_suffix(".yml"))
        .unwrap_or(&joined);
    stem.to_ascii_lowercase()
}

fn unreadable(path: &Path, e: impl std::fmt::Display) -> ModelError {
    ModelError {
        file: path.display().to_string(),
        line: 0,
        col: 0,
        message: format!("cannot read: {e}"),
        snippet: None,
    }
}

/// Reads one scenario file, checking its size first: a 20 GB file named `x.yaml` must be
/// refused from its metadata, not read into memory to learn that it is too large. Only
/// regular files are read (a FIFO would block `open` until a writer came).
fn read_scenario(path: &Path, shown: &str, opts: &LoadOptions) -> Result<Vec<u8>, Vec<ModelError>> {
    let meta = std::fs::metadata(path).map_err(|e| vec![unreadable(path, e)])?;
    if !meta.is_file() {
        return Err(vec![unreadable(path, "not a regular file")]);
    }
    check_file_size(shown, meta.len(), opts)?;
    let file = std::fs::File::open(path).map_err(|e| vec![unreadable(path, e)])?;
    // The file may have grown since: read at most one byte more than the limit, so the
    // loader still sees (and reports) an oversized file without it being read whole.
    let mut bytes = Vec::new();
    file.take(opts.max_file_bytes as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| vec![unreadable(path, e)])?;
    Ok(bytes)
}

/// Loads every case under `paths`. Returns the cases and every error found (all files are
/// read even when one fails, so a run reports every problem at once).
pub fn load(paths: &[PathBuf]) -> (Vec<Case>, Vec<ModelError>) {
    let files = match scenario_files(paths) {
        Ok(f) => f,
        Err(e) => return (Vec::new(), vec![e]),
    };
    // Files are independent: parse them on every core, then merge in file order so ids,
    // errors and results keep a stable order.
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let per = files.len().div_ceil(threads).max(1);
    let parts: Vec<(Vec<Case>, Vec<ModelError>)> = std::thread::scope(|s| {
        let handles: Vec<_> = files
            .chunks(per)
            .map(|chunk| s.spawn(|| load_files(chunk)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("loading does not panic"))
            .collect()
    });
    let mut cases = Vec::new();
    let mut errors = Vec::new();
    for (c, e) in parts {
        cases.extend(c);
        errors.extend(e);
    }
    errors.extend(check_unique_ids(&cases));
    (cases, errors)
}

fn load_files(files: &[(PathBuf, String)]) -> (Vec<Case>, Vec<ModelError>) {
    let opts = LoadOptions::default();
    let mut cases = Vec::new();
    let mut errors = Vec::new();
    for (path, id) in files {
        let shown = path.display().to_string();
        match read_scenario(path, &shown, &opts) {
            Ok(bytes) => match load_cases(&shown, &bytes, id, &opts) {
                Ok(c) => cases.extend(c),
                Err(e) => errors.extend(e),
            },
            Err(e) => errors.extend(e),
        }
    }
    (cases, errors)
}

/// Reads and parses a target profile; the error text is ready to print (exit 3).
pub fn read_profile(path: &Path) -> Result<Profile, String> {
    let name = path.display().to_string();
    let meta =
        std::fs::metadata(path).map_err(|e| format!("error: cannot read profile {name}: {e}"))?;
    if !meta.is_file() {
        return Err(format!("error: profile {name} is not a regular file"));
    }
    if let Err(errors) = check_file_size(&name, meta.len(), &LoadOptions::default()) {
        return Err(errors.iter().map(|e| format!("error: {e}")).collect());
    }
    let bytes =
        std::fs::read(path).map_err(|e| format!("error: cannot read profile {name}: {e}"))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| format!("error: {name}:1:1: the profile is not valid UTF-8 text"))?;
    Profile::parse(&name, &text).map_err(|errors| {
        let text: Vec<String> = errors.iter().map(|e| format!("error: {e}")).collect();
        text.join("\n\n")
    })
}

/// Reads a PEM file (a certificate or key) whole. `name` says where the path came from in
/// messages (`--cacert ca.pem`, `WIRECHECK_CACERT=ca.pem`). Such files are small: anything but
/// a regular file under 1 MiB is refused rather than read.
pub fn read_pem(path: &Path, name: &str) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{name}: cannot read: {e}"))?;
    if !meta.is_file() || meta.len() > 1024 * 1024 {
        return Err(format!(
            "{name}: not a PEM file (a regular file under 1 MiB)"
        ));
    }
    std::fs::read(path).map_err(|e| format!("{name}: cannot read: {e}"))
}

/// Reads and parses an expectations file. The error is the text to print: one `error: …`
/// paragraph per problem, each located (`file:line:col`) when it is in the file.
pub fn read_expectations(path: &Path) -> Result<Expectations, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "error: cannot read expectations file {}: {e}",
            path.display()
        )
    })?;
    Expectations::parse(&path.display().to_string(), &text).map_err(|errors| {
        let text: Vec<String> = errors.iter().map(|e| format!("error: {e}")).collect();
        text.join("\n\n")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_the_path_below_cases() {
        assert_eq!(
            default_id(
                Path::new("cases/http1/host/Missing.yaml"),
                Path::new("cases")
            ),
            "http1/host/missing"
        );
        assert_eq!(
            default_id(Path::new("/x/cases/a.yml"), Path::new("/y")),
            "a"
        );
        assert_eq!(
            default_id(Path::new("suite/t/b.yaml"), Path::new("suite")),
            "t/b"
        );
    }
}
