//! Exit codes: the one place they are defined. Documented in the README.

/// Results as expected (passes, non-strict, info, skips, and failures the expectations file
/// predicted).
pub const OK: u8 = 0;
/// Conformance failures: an unexpected `fail` or `error`, or a result the expectations file
/// did not predict (an unexpected pass included).
pub const FAILURES: u8 = 1;
/// Usage error (bad flags; clap's own code).
pub const USAGE: u8 = 2;
/// A scenario or expectations file could not be loaded or validated. No socket was opened.
pub const LOAD: u8 = 3;
/// Infrastructure: the target could not be reached for any case, or a report could not be
/// written.
pub const INFRA: u8 = 4;
/// The filters selected no case.
pub const NOTHING_SELECTED: u8 = 5;
/// Interrupted (SIGINT/SIGTERM); the reports were still written.
pub const INTERRUPTED: u8 = 130;
