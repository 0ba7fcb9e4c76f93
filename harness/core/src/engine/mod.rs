//! The case engine: a state machine that turns a validated case into I/O actions and folds
//! the resulting events into a verdict. The runner performs each [`Action`] and reports back
//! an [`Event`] stamped with the time elapsed since the case started; the engine never reads a
//! clock or touches a socket.
//!
//! ```text
//!   runner                      engine (CaseRun)
//!   ──────                      ────────────────
//!   next_action()  ───────────▶ Connect | Write | ShutdownWrite | Sleep | Read{deadline} | Close | Finish
//!   perform it
//!   handle(at, event) ────────▶ Connected | Wrote | Data | Eof | Reset | Timeout | ...
//!   ... until Finish, then into_result()
//! ```

mod action;
mod alternative;
mod case;
mod config;
mod run;
mod tcp;
mod ws;

pub use action::{Action, Event};
pub use case::CaseRun;
pub use config::{EngineConfig, WsSettings};
pub use run::HttpRun;
pub use ws::WsRun;
