//! Validated scenario types. A value of these types is a runnable case: every template names a
//! known variable, every regex compiled, every duration parsed, every alternative holds only
//! expectations. Built only by `validate.rs`.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::check::{CloseExpect, IdleCloseExpect, OpenExpect, ResponseExpect, TlsExpect};
use crate::text::Template;

/// Requirement level of the rule a case checks (RFC 2119 keywords).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// MUST / MUST NOT / REQUIRED: a miss is a failure.
    Must,
    /// SHOULD / RECOMMENDED: a miss is `non-strict` (a failure with `--strict`).
    Should,
    /// MAY / informational: a miss is recorded as `info`, never a failure.
    May,
}

impl Level {
    /// The lowercase keyword.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Must => "must",
            Level::Should => "should",
            Level::May => "may",
        }
    }
}

/// The requirement a case checks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spec {
    /// RFC number, e.g. 9112.
    pub rfc: u32,
    /// Section, e.g. "6.3".
    pub section: String,
    /// Checklist id from the requirement reference (e.g. "B5"), when one applies.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub check: Option<String>,
    /// The requirement's text, quoted from the RFC.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub text: Option<String>,
}

impl Spec {
    /// `RFC 9112 §6.3`.
    pub fn citation(&self) -> String {
        format!("RFC {} §{}", self.rfc, self.section)
    }
}

/// A position in a scenario file (1-based).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Loc {
    /// Line, 1-based.
    pub line: u32,
    /// Column, 1-based.
    pub col: u32,
}

/// One runnable case (a matrix cell is a case of its own).
#[derive(Clone, Debug)]
pub struct Case {
    /// Stable hierarchical id, e.g. `http1/range/suffix[len=3]`.
    pub id: String,
    /// One-line title.
    pub title: String,
    /// The requirement checked.
    pub spec: Spec,
    /// Its level.
    pub level: Level,
    /// Free-form tags for selection.
    pub tags: Vec<String>,
    /// Features the target must offer, else the case is skipped.
    pub requires: Vec<String>,
    /// Matrix parameters of this cell, in declaration order.
    pub params: Vec<(String, String)>,
    /// The scenario file, as given to the loader.
    pub file: String,
    /// Where the case starts in its file.
    pub loc: Loc,
    /// Where its id is written: the `id:` value, or the start of the file when the id comes
    /// from the path (duplicate-id errors point here).
    pub id_loc: Loc,
    /// Overrides the run's case timeout.
    pub timeout: Option<Duration>,
    /// Overrides the run's default step timeout.
    pub step_timeout: Option<Duration>,
    /// Response validators this case switches off, by rule id.
    pub skip_validators: Vec<String>,
    /// What to do (HTTP and TCP cases; empty for WebSocket cases).
    pub steps: Vec<Step>,
    /// A WebSocket case: handshake, script and expectations (then `steps` is empty).
    pub websocket: Option<Box<super::websocket::WsScenario>>,
}

/// A step and where it was written.
#[derive(Clone, Debug)]
pub struct Step {
    /// Location of the step in its file.
    pub loc: Loc,
    /// What the step does.
    pub kind: StepKind,
}

/// The step kinds, named after what the wire sees.
#[derive(Clone, Debug)]
pub enum StepKind {
    /// Open (or reopen) the connection to the target, as the target URL says (TLS for
    /// `https://` and `wss://`).
    Connect,
    /// Open (or reopen) the connection another way: plain TCP to a TLS target, or TLS with
    /// overrides of the run's settings.
    ConnectWith(super::tls::Transport),
    /// Write bytes.
    Send(Send),
    /// Shut down the write side (TCP FIN from the client).
    HalfClose,
    /// Wait without reading.
    Sleep(Duration),
    /// Observe the server: one or more alternatives, the first one preferred.
    Expect(ExpectGroup),
}

impl StepKind {
    /// The YAML key of the step, for messages.
    pub fn name(&self) -> &'static str {
        match self {
            StepKind::Connect => "connect",
            StepKind::ConnectWith(super::tls::Transport::Plain) => "connect_plain",
            StepKind::ConnectWith(super::tls::Transport::Tls(_)) => "tls_connect",
            StepKind::Send(s) => match s.what {
                SendWhat::Raw(_) => "send",
                SendWhat::Request(_) => "request",
            },
            StepKind::HalfClose => "half_close",
            StepKind::Sleep(_) => "sleep",
            StepKind::Expect(g) if g.equal => "either",
            StepKind::Expect(g) if g.alternatives.len() > 1 => "any_of",
            StepKind::Expect(g) => g.alternatives[0].steps[0].kind.name(),
        }
    }
}

/// Bytes to write and how to cut them into writes.
#[derive(Clone, Debug)]
pub struct Send {
    /// What is written.
    pub what: SendWhat,
    /// How it is cut into writes.
    pub split: Split,
}

/// A raw payload or a structured request (encoded by `wire::http1::encode_request`).
#[derive(Clone, Debug)]
pub enum SendWhat {
    /// Bytes exactly as written in the case.
    Raw(Payload),
    /// A request built from parts.
    Request(Box<RequestSpec>),
}

/// A payload made of pieces.
#[derive(Clone, Debug, Default)]
pub struct Payload {
    /// The pieces, in order.
    pub pieces: Vec<Piece>,
}

/// One piece of a payload.
#[derive(Clone, Debug)]
pub enum Piece {
    /// Bytes, possibly with variables.
    Bytes(Template),
    /// The same bytes many times (large bodies without large files).
    Repeat {
        /// What is repeated.
        bytes: Template,
        /// How many times.
        times: u64,
    },
}

/// How a payload is cut into TCP writes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Split {
    /// One write.
    #[default]
    Whole,
    /// Writes of `size` bytes, with `pause` between them.
    Every {
        /// Bytes per write.
        size: usize,
        /// Pause between writes.
        pause: Duration,
    },
    /// Writes of the given sizes; whatever remains goes in one last write.
    At {
        /// Sizes of the first writes.
        sizes: Vec<usize>,
        /// Pause between writes.
        pause: Duration,
    },
}

/// A structured HTTP/1.1 request. Header lines are raw (name, colon and value as written) so
/// odd spellings survive; `auto_headers` adds Host, Content-Length or Transfer-Encoding only
/// when the case did not write them.
#[derive(Clone, Debug)]
pub struct RequestSpec {
    /// Method token.
    pub method: Template,
    /// Request target.
    pub target: Template,
    /// HTTP version token.
    pub version: Template,
    /// Header lines without the CRLF.
    pub headers: Vec<Template>,
    /// Add Host / Content-Length / Transfer-Encoding when missing.
    pub auto_headers: bool,
    /// The body.
    pub body: Body,
}

/// A request body.
#[derive(Clone, Debug)]
pub enum Body {
    /// No body.
    None,
    /// A body framed by Content-Length.
    Plain(Payload),
    /// A chunked body: chunks, then trailer lines.
    Chunked {
        /// Chunk data, in order (the last-chunk is added).
        chunks: Vec<Payload>,
        /// Trailer lines without the CRLF.
        trailers: Vec<Template>,
    },
}

/// Alternatives for what the server may do; the first is the strict one (`any_of`), or none
/// is preferred (`either`).
#[derive(Clone, Debug)]
pub struct ExpectGroup {
    /// At least one alternative.
    pub alternatives: Vec<Alternative>,
    /// `either`: the alternatives are equally good; the first to hold is taken at once and
    /// passing through a later one leaves the verdict alone.
    pub equal: bool,
}

/// A sequence of expectations that must all hold, in order.
#[derive(Clone, Debug)]
pub struct Alternative {
    /// Where the alternative starts.
    pub loc: Loc,
    /// At least one expectation.
    pub steps: Vec<Expect>,
}

/// One expectation.
#[derive(Clone, Debug)]
pub struct Expect {
    /// Where it was written.
    pub loc: Loc,
    /// What is expected.
    pub kind: ExpectKind,
    /// Overrides the step timeout.
    pub timeout: Option<Duration>,
}

/// What an expectation waits for.
#[derive(Clone, Debug)]
pub enum ExpectKind {
    /// A complete response.
    Response(Box<ResponseExpect>),
    /// The connection is closed.
    Close(CloseExpect),
    /// The connection stays open and quiet.
    Open(OpenExpect),
    /// The TLS handshake went as expected.
    Tls(TlsExpect),
    /// The server closes the idle connection within a bound (or keeps it open); the time is
    /// measured and reported.
    IdleClose(IdleCloseExpect),
}

impl ExpectKind {
    /// The YAML key, for messages.
    pub fn name(&self) -> &'static str {
        match self {
            ExpectKind::Response(_) => "expect_response",
            ExpectKind::Close(_) => "expect_close",
            ExpectKind::Open(_) => "expect_open",
            ExpectKind::Tls(_) => "expect_tls",
            ExpectKind::IdleClose(_) => "expect_idle_close",
        }
    }
}
