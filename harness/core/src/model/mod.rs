//! The scenario model: YAML text → serde mirror (`raw`) → validated cases (`scenario`).

mod duration;
mod error;
mod expect;
mod load;
mod profile;
mod raw;
mod raw_ws;
mod scenario;
mod steps;
mod tls;
mod validate;
mod websocket;
mod ws_build;

pub use duration::parse_duration;
pub use error::ModelError;
pub use load::{check_file_size, check_unique_ids, load_cases, LoadOptions, TARGET_VARS};
pub use profile::{Profile, FEATURE_NOT_ALLOWED, FEATURE_RESOURCE_BODY, PROFILE_VARS};
pub use scenario::{
    Alternative, Body, Case, Expect, ExpectGroup, ExpectKind, Level, Loc, Payload, Piece,
    RequestSpec, Send, SendWhat, Spec, Split, Step, StepKind,
};
pub use tls::{ClientCert, TlsOptions, TlsVersion, Transport};
pub use websocket::{
    CloseSpec, Closer, EchoLoop, FrameSpec, MaskSpec, Shape, WsEventSpec, WsExpect, WsHandshake,
    WsPayload, WsPiece, WsScenario, WsStep, WsStepKind,
};
