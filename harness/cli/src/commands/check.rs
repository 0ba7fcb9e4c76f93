//! `wirecheck check`: validate scenario files, no network.

use std::time::Instant;

use crate::args::PathArgs;
use crate::common::{load_or_report, paths_or_default};
use wirecheck::exit;

pub(crate) fn check(args: PathArgs) -> u8 {
    let started = Instant::now();
    let paths = paths_or_default(&args.paths);
    match load_or_report(&paths) {
        Some(cases) => {
            eprintln!(
                "{} cases OK ({} ms)",
                cases.len(),
                started.elapsed().as_millis()
            );
            exit::OK
        }
        None => exit::LOAD,
    }
}
