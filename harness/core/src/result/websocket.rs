//! The WebSocket part of a case result: Autobahn|Testsuite's two verdict axes and the closing
//! details it reports, so results map one to one onto Autobahn's `index.json`.

use serde::{Deserialize, Serialize};

/// Autobahn's `behavior`: the events received against the expected event lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Behavior {
    /// The strict event list matched.
    #[serde(rename = "OK")]
    Ok,
    /// A tolerated alternative matched.
    #[serde(rename = "NON-STRICT")]
    NonStrict,
    /// No expected list matched, or the server broke a rule.
    #[serde(rename = "FAILED")]
    Failed,
    /// The case only informs.
    #[serde(rename = "INFORMATIONAL")]
    Informational,
    /// The server does not offer what the case needs (permessage-deflate).
    #[serde(rename = "UNIMPLEMENTED")]
    Unimplemented,
}

impl Behavior {
    /// Autobahn's word.
    pub fn as_str(self) -> &'static str {
        match self {
            Behavior::Ok => "OK",
            Behavior::NonStrict => "NON-STRICT",
            Behavior::Failed => "FAILED",
            Behavior::Informational => "INFORMATIONAL",
            Behavior::Unimplemented => "UNIMPLEMENTED",
        }
    }
}

/// Autobahn's `behaviorClose`: how the connection closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CloseBehavior {
    /// As expected.
    #[serde(rename = "OK")]
    Ok,
    /// The handshake never completed, or the wrong side closed.
    #[serde(rename = "FAILED")]
    Failed,
    /// A clean close was required and did not happen.
    #[serde(rename = "UNCLEAN")]
    Unclean,
    /// The server's close code is not among those accepted.
    #[serde(rename = "WRONG CODE")]
    WrongCode,
    /// The server did not drop TCP after the closing handshake; the harness had to.
    #[serde(rename = "FAILED BY CLIENT")]
    FailedByClient,
    /// The case only informs.
    #[serde(rename = "INFORMATIONAL")]
    Informational,
    /// Not applicable: the feature is not offered.
    #[serde(rename = "UNIMPLEMENTED")]
    Unimplemented,
}

impl CloseBehavior {
    /// Autobahn's words.
    pub fn as_str(self) -> &'static str {
        match self {
            CloseBehavior::Ok => "OK",
            CloseBehavior::Failed => "FAILED",
            CloseBehavior::Unclean => "UNCLEAN",
            CloseBehavior::WrongCode => "WRONG CODE",
            CloseBehavior::FailedByClient => "FAILED BY CLIENT",
            CloseBehavior::Informational => "INFORMATIONAL",
            CloseBehavior::Unimplemented => "UNIMPLEMENTED",
        }
    }
}

/// What happened on a WebSocket connection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WsOutcome {
    /// Events axis.
    pub behavior: Behavior,
    /// Closing axis.
    pub behavior_close: CloseBehavior,
    /// Why `behavior` is what it is, in one sentence.
    pub result: String,
    /// Why `behavior_close` is what it is.
    pub result_close: String,
    /// Events received, in order (`text 125 B "****…"`, `pong "Hello"`, `timeout A`).
    pub received: Vec<String>,
    /// The expected event lists, the first strict.
    pub expected: Vec<Vec<String>>,
    /// True when the harness started the closing handshake.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_by_me: Option<bool>,
    /// True when the closing handshake completed and the server dropped TCP in time.
    pub was_clean: bool,
    /// Why it was not clean.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub was_not_clean_reason: Option<String>,
    /// The harness dropped the TCP connection.
    pub dropped_by_me: bool,
    /// No close reply arrived in time.
    pub close_handshake_timeout: bool,
    /// The server did not drop TCP in time after the closing handshake.
    pub server_drop_timeout: bool,
    /// Close code the harness sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_close_code: Option<u16>,
    /// Close code the server sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_close_code: Option<u16>,
    /// Close reason the server sent (lossy UTF-8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_close_reason: Option<String>,
    /// Milliseconds from the end of the opening handshake to the loss of the connection.
    pub open_ms: u64,
    /// `Sec-WebSocket-Protocol` chosen by the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// `Sec-WebSocket-Extensions` answered by the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<String>,
    /// Frames sent and received.
    pub frames_sent: u64,
    /// Frames received.
    pub frames_received: u64,
}
