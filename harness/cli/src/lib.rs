//! wirecheck as a library: load scenario files from disk and run them. The binary in
//! `main.rs` is a thin layer over this; Rust projects can use the same pieces from tests.
#![deny(missing_docs)]

pub mod baseline;
pub mod discover;
pub mod exit;
pub mod trials;

pub use wirecheck_core as core;
pub use wirecheck_report as report;
pub use wirecheck_runner as runner;
pub use wirecheck_target as target;
