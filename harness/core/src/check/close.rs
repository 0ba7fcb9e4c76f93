//! Connection-state expectations: closed (by FIN, by RST, either) or still open.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// How the connection must end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseHow {
    /// FIN or RST.
    Any,
    /// An orderly close (read returns end of stream).
    Fin,
    /// A reset.
    Reset,
}

/// The server must close the connection (within the step's timeout).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CloseExpect {
    /// Which ending is accepted.
    pub how: CloseHow,
    /// Bytes before the close are tolerated (and discarded) instead of failing.
    pub allow_data: bool,
}

/// The connection must stay open, and quiet unless `allow_data`, for `duration`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenExpect {
    /// How long to watch.
    pub duration: Duration,
    /// Bytes are tolerated.
    pub allow_data: bool,
}

/// The server may close the connection once it has been idle a while (RFC 9112 §9.5); wait
/// for that close, up to the expectation's bound, and report how long it took.
///
/// A close within the bound passes (a reset fails `how: fin`, the default: a server timing out
/// SHOULD close gracefully); a connection still open at the bound passes too, since keeping
/// an idle connection is allowed. Either way the engine reports the measured time as an
/// `idle-timeout` finding at MAY level (information, never a failure).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdleCloseExpect {
    /// Which ending is accepted: `Fin` (default) or `Any`.
    pub how: CloseHow,
    /// Bytes before the close are tolerated (a 408 on an idle connection, RFC 9110 §15.5.9).
    pub allow_data: bool,
}
