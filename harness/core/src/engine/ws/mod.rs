//! The WebSocket case engine (RFC 6455, RFC 7692): handshake, scripted sends with Autobahn's
//! write shaping, a strict reader of everything the server sends, and Autobahn's two verdict
//! axes (`behavior`, `behaviorClose`).

mod closing;
mod echo;
mod events;
mod handshake;
mod incoming;
mod outgoing;
mod rng;
mod run;
mod verdict;

pub use run::WsRun;
