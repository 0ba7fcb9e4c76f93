//! Expectations and the checks behind them. Each check takes what was observed and returns
//! `Ok(())` or a [`Mismatch`] saying what was expected and what was seen.

mod body;
mod close;
mod header;
mod lint;
mod mismatch;
mod response;
mod semantics;
mod status;
mod tls;
mod validators;

pub use body::BodyCheck;
pub use close::{CloseExpect, CloseHow, IdleCloseExpect, OpenExpect};
pub use header::HeaderCheck;
pub use mismatch::Mismatch;
pub use response::{Interim, ResponseExpect};
pub use semantics::Exchange;
pub use status::{StatusItem, StatusSpec};
pub use tls::{certificate_findings, Handshake, TlsExpect, TlsState};
pub(crate) use validators::rule;
pub use validators::{
    validate_exchange, validate_exchanges, validate_response, ResponseContext, Rule, RULES,
};
