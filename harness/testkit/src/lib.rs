//! A hand-written HTTP/1.1 server on raw tokio sockets that is conformant
//! by default, with [`Switch`]es that each break exactly one RFC 9110 /
//! RFC 9112 requirement, or one RFC 6455 requirement of its WebSocket echo
//! at `/ws`.
//!
//! wirecheck runs its conformance cases against a [`BrokenServer`] with one
//! switch on to prove that each case fails, and fails for the right reason.
//! With no switch on, the server serves the same resources as the embedded
//! target (`/`, `/index.html`, `/hello.txt`, `/large.txt`, `/echo`) and
//! parses requests strictly: anything RFC 9112 lets a server reject is
//! rejected with the matching 4xx/5xx and a close. `/ws` is a WebSocket
//! echo (RFC 6455, with permessage-deflate), strict enough to serve as a
//! reference for the Autobahn cases.
//!
//! [`HostileServer`] is the other kind: not wrong in one rule but hostile in one
//! [`HostileMode`] (dripping, flooding, stalling, resetting), to prove that wirecheck
//! always ends its cases in time and with bounded memory.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use wirecheck_testkit::{BrokenServer, Switch};
//! let server = BrokenServer::start("127.0.0.1:0".parse().unwrap(), &[Switch::NoDate]).await?;
//! println!("http://{}", server.local_addr());
//! server.shutdown().await;
//! # Ok(())
//! # }
//! ```

#![deny(missing_docs)]

mod chunked;
mod conditional;
mod connection;
mod echo;
mod framing;
mod hostile;
mod request;
mod resources;
mod response;
mod routes;
mod server;
mod signals;
mod switches;
mod ws;

pub use hostile::{HostileMode, HostileServer};
pub use server::BrokenServer;
pub use signals::termination;
pub use switches::Switch;
