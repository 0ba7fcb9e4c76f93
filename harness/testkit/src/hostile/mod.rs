//! [`HostileServer`]: a server that is not broken in one rule but hostile to its clients:
//! it drips, stalls, floods, announces absurd lengths, resets, or never reads. Each
//! [`HostileMode`] is one such behaviour; wirecheck must end every case against it within the
//! case timeout, with a `fail` or `error` verdict that says what happened, and with bounded
//! memory (`harness/cli/tests/hostile.rs`).
//!
//! - `mode`: the modes and their names;
//! - `server`: the listener;
//! - `behave`: what each mode does to a connection;
//! - `ws`: the WebSocket modes (a valid handshake, then hostile frames);
//! - `request`: reading the request head;
//! - `stream`: drip, flood and stall;
//! - `rng`: seeded junk bytes.

mod behave;
mod mode;
mod request;
mod rng;
mod server;
mod stream;
mod ws;

pub use mode::HostileMode;
pub use server::HostileServer;
