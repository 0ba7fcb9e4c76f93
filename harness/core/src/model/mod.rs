//! The scenario model: YAML text → serde mirror (`raw`) → validated cases (`scenario`).

mod duration;
mod error;
mod expect;
mod load;
mod raw;
mod scenario;
mod steps;
mod validate;

pub use duration::parse_duration;
pub use error::ModelError;
pub use load::{check_unique_ids, load_cases, LoadOptions, TARGET_VARS};
pub use scenario::{
    Alternative, Body, Case, Expect, ExpectGroup, ExpectKind, Level, Loc, Payload, Piece,
    RequestSpec, Send, SendWhat, Spec, Split, Step, StepKind,
};
