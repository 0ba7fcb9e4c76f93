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
