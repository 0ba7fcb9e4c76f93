//! `wirecheck list`: print selected case ids, one per line, on stdout.

use std::io::Write;

use wirecheck::exit;
use wirecheck_core::select::Selection;

use crate::args::ListArgs;
use crate::common::{load_or_report, paths_or_default};

pub(crate) fn list(args: ListArgs) -> u8 {
    let paths = paths_or_default(&args.paths.paths);
    let Some(cases) = load_or_report(&paths) else {
        return exit::LOAD;
    };
    let selection = match Selection::new(&args.select.filters, &args.select.tags) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    let mut out = std::io::stdout().lock();
    let mut n = 0;
    for case in cases.iter().filter(|c| selection.includes(c)) {
        n += 1;
        if writeln!(out, "{}", case.id).is_err() {
            return exit::OK;
        }
    }
    if n == 0 {
        eprintln!("no case selected");
        return exit::NOTHING_SELECTED;
    }
    exit::OK
}
