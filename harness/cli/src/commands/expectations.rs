//! `wirecheck expectations update RUN.json... [--file F]`: write or update an expectations
//! file from a run (the rules are in `wirecheck::baseline`). Prints what changed on stderr;
//! without `--file` the new file goes to stdout.

use std::io::Write as _;

use wirecheck::baseline::{update, TODO_REASON};
use wirecheck::exit;

use super::report::{labels, read_runs};
use crate::common::write_atomic;
use crate::report_args::{ExpectationsArgs, ExpectationsCommand, UpdateArgs};

pub(crate) fn expectations(args: ExpectationsArgs) -> u8 {
    match args.command {
        ExpectationsCommand::Update(a) => update_file(a),
    }
}

fn update_file(args: UpdateArgs) -> u8 {
    let columns = match read_runs(&args.runs) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if columns.len() != 1 {
        eprintln!(
            "error: an expectations file is for one target; these reports make {} runs: {}",
            columns.len(),
            labels(&columns)
        );
        return exit::USAGE;
    }
    let report = &columns[0].run;
    let existing = match &args.file {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => Some((path.display().to_string(), text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", path.display());
                return exit::LOAD;
            }
        },
        None => None,
    };
    let up = match update(
        existing.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
        report,
    ) {
        Ok(u) => u,
        Err(errors) => {
            for e in errors {
                eprintln!("error: {e}\n");
            }
            return exit::LOAD;
        }
    };

    for (pattern, reason) in &up.removed {
        eprintln!("removed   {pattern}: passes now (was: {reason})");
    }
    for (pattern, old, new) in &up.changed {
        let old: Vec<&str> = old.iter().map(|v| v.as_str()).collect();
        eprintln!(
            "changed   {pattern}: {} → {new} (reason kept)",
            old.join(" or ")
        );
    }
    for (id, v) in &up.added {
        eprintln!("added     {id}: {v} (reason `{TODO_REASON}`)");
    }
    for (id, glob) in &up.glob_passes {
        eprintln!("note      {id} passes but stays under `{glob}`, which other cases need: narrow the glob by hand");
    }
    for (pattern, why) in &up.untouched {
        eprintln!("kept      {pattern}: {why}");
    }
    if up.rewritten {
        eprintln!("note: the file could not be edited in place and was written anew; comments between entries are gone");
    }
    eprintln!(
        "{} added, {} removed, {} changed, {} kept as they were",
        up.added.len(),
        up.removed.len(),
        up.changed.len(),
        up.untouched.len()
    );
    match &args.file {
        Some(path) => {
            if up.is_empty() && existing.is_some() {
                eprintln!("{} is up to date", path.display());
                return exit::OK;
            }
            match write_atomic(path, up.text.as_bytes()) {
                Ok(()) => {
                    eprintln!("wrote {}", path.display());
                    exit::OK
                }
                Err(e) => {
                    eprintln!("error: cannot write {}: {e}", path.display());
                    exit::INFRA
                }
            }
        }
        None => {
            let _ = std::io::stdout().lock().write_all(up.text.as_bytes());
            exit::OK
        }
    }
}
