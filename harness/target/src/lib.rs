//! The embedded target: a small, deliberately correct HTTP/1.1 origin server.
//!
//! wirecheck runs its conformance cases against this server when the user
//! gives no `--target`, so every behaviour here follows RFC 9110 (HTTP
//! semantics) and RFC 9112 (HTTP/1.1 messaging). The wire format itself
//! (parsing, framing, keep-alive, pipelining, `Date`) is hyper's; this crate
//! adds the resources and the semantic rules (conditional requests, ranges,
//! method handling) on top.
//!
//! Resources served:
//!
//! | path | methods | what |
//! | --- | --- | --- |
//! | `/`, `/index.html` | GET, HEAD, OPTIONS | small HTML page |
//! | `/hello.txt` | GET, HEAD, OPTIONS | `Hello, wirecheck!\n` |
//! | `/large.txt` | GET, HEAD, OPTIONS | 1 MiB of `0123456789abcdef` |
//! | `/echo` | any but CONNECT, extension methods too | the parsed request, reflected as JSON |
//! | `/status/{code}` | any standard method | a response with that status (200-599) |
//! | `/store/{name}` | GET, HEAD, PUT, DELETE, OPTIONS | a writable in-memory resource (feature `put`) |
//! | `*` | OPTIONS | server-wide `Allow` |
//!
//! A request with `Upgrade: websocket`, on any path, is a WebSocket handshake: the target
//! is then an echo server (RFC 6455; no permessage-deflate), like Autobahn's.
//!
//! `OPTIONS` on any path answers `200` with `Allow`. Other paths are
//! `404`; unrecognised methods are `501`, CONNECT included (no tunnels).

#![deny(missing_docs)]

mod base64;
mod conditional;
mod echo;
mod etag;
mod host;
mod range;
mod request_body;
mod response;
mod routes;
mod server;
mod static_files;
mod static_response;
mod status;
mod store;
mod websocket;

pub use server::Target;

/// The optional features (case `requires:`) the embedded target offers: the `/echo` contract,
/// byte ranges, ETags and Last-Modified validators, the writable `/store/{name}` (`put`) and
/// `/status/{code}` (`status`).
pub const FEATURES: &[&str] = &["echo", "range", "etag", "last-modified", "put", "status"];
pub use static_files::static_files;
