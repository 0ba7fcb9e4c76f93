//! `wirecheck list`: print selected case ids, one per line, on stdout.

use std::io::Write;

use wirecheck::exit;

use crate::args::ListArgs;
use crate::common::load_and_select;

pub(crate) fn list(args: ListArgs) -> u8 {
    let (cases, selection) = match load_and_select(&args.paths.paths, &args.select) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let mut out = std::io::stdout().lock();
    let mut n = 0;
    let shard = args.select.partition;
    for case in cases.iter().filter(|c| selection.includes(c)) {
        n += 1;
        if shard.is_some_and(|p| !p.includes(&case.id)) {
            continue;
        }
        if writeln!(out, "{}", case.id).is_err() {
            return exit::OK;
        }
    }
    // An empty shard of a non-empty selection is not an error: CI matrices may have more
    // shards than a filtered selection has cases.
    if n == 0 {
        eprintln!("no case selected");
        return exit::NOTHING_SELECTED;
    }
    exit::OK
}
