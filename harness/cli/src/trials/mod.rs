//! Run wirecheck cases as `cargo test` trials, one [libtest-mimic] trial per case.
//!
//! A Rust project adds `wirecheck` as a dev-dependency and a test target with
//! `harness = false`:
//!
//! ```no_run
//! // tests/conformance.rs
//! use wirecheck::trials::{library, Conformance};
//!
//! fn main() -> std::process::ExitCode {
//!     Conformance::new()
//!         .cases(library().join("http1"))
//!         .server(|| async {
//!             let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//!             let addr = listener.local_addr()?;
//!             // tokio::spawn(axum::serve(listener, app()).into_future());
//!             # drop(listener);
//!             Ok(addr)
//!         })
//!         .run()
//! }
//! ```
//!
//! `cargo test --test conformance -- http1/methods` filters by case id; `--list`, `--exact`,
//! `--ignored`, `--skip` and cargo-nextest work as with any libtest binary. Because libtest's
//! flags cannot be extended, the target and its files come from the environment (see
//! [`env`]); they override what the code sets, so one test binary can be pointed at a
//! deployed server without editing it.
//!
//! [libtest-mimic]: https://docs.rs/libtest-mimic

mod conformance;
pub mod env;
mod outcome;

pub use conformance::{library, Conformance, SetupError};
