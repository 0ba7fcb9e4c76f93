//! wirecheck's sans-I/O core: the scenario model, the wire codecs, the expectation checks,
//! the case engine and the result model.
//!
//! Nothing here opens a socket, reads a clock or touches a file: bytes and events go in,
//! bytes, actions and verdicts come out. The runner crate owns the I/O and drives
//! [`engine::CaseRun`]; report writers read [`result::RunReport`]. The crate's dependency list
//! (no tokio, no fs helpers) is what keeps it that way.
#![deny(missing_docs)]

pub mod check;
pub mod engine;
pub mod expectations;
pub mod model;
pub mod result;
pub mod select;
pub mod text;
pub mod wire;
