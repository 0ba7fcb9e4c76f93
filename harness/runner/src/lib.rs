//! The runner: plays validated cases against a target over real TCP sockets, and TLS.
//!
//! The core engine decides what to do; this crate does it (connect, write, read with a
//! deadline, half-close) and reports what happened. It owns every clock and socket, bounds
//! every wait, and runs many cases at once while returning results in input order.
#![deny(missing_docs)]

mod case;
mod connection;
mod dial;
mod observer;
mod run;
mod target;
mod tls;

pub use case::run_case;
pub use dial::Dialer;
pub use observer::{Observer, Silent};
pub use run::{default_jobs, run_cases, RunOptions};
pub use target::{TargetError, TargetUrl};
pub use tls::{TlsClient, TlsSettings, TlsSetupError};
