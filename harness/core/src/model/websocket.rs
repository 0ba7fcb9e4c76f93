//! Validated WebSocket scenarios (RFC 6455): a handshake, a script of sends and waits, and
//! what the server must do, on two axes like Autobahn|Testsuite's `behavior` (the events
//! received) and `behaviorClose` (how the connection closed). Built only by `ws_build.rs`.

use std::time::Duration;

use super::scenario::Loc;
use crate::text::Template;
use crate::wire::ws::{CorpusKind, DeflateOffer, LengthForm};

/// A WebSocket case body.
#[derive(Clone, Debug)]
pub struct WsScenario {
    /// The opening handshake.
    pub handshake: WsHandshake,
    /// What the client does after the handshake, in order.
    pub steps: Vec<WsStep>,
    /// What the server must do.
    pub expect: WsExpect,
}

/// What to offer in the opening handshake (RFC 6455 §4.1).
#[derive(Clone, Debug)]
pub struct WsHandshake {
    /// Request target; default `{{path}}` (the target URL's path).
    pub path: Template,
    /// Subprotocols offered in `Sec-WebSocket-Protocol`.
    pub protocols: Vec<String>,
    /// permessage-deflate offers, in preference order (RFC 7692 §5).
    pub deflate: Vec<DeflateOffer>,
    /// The case needs permessage-deflate: without it the verdict is `unimplemented`.
    pub require_deflate: bool,
    /// `Origin` header value.
    pub origin: Option<Template>,
    /// Extra header lines, written as given.
    pub headers: Vec<Template>,
    /// A fixed `Sec-WebSocket-Key`; otherwise a fresh random one.
    pub key: Option<String>,
}

/// A step and where it was written.
#[derive(Clone, Debug)]
pub struct WsStep {
    /// Location in the file.
    pub loc: Loc,
    /// What it does.
    pub kind: WsStepKind,
}

/// Client actions after the handshake.
#[derive(Clone, Debug)]
pub enum WsStepKind {
    /// Frames, written with one shaping.
    Frames {
        /// The frames.
        frames: Vec<FrameSpec>,
        /// How they are cut into writes.
        shape: Shape,
    },
    /// A frame whose payload is written piece by piece, with tagged waits in between
    /// (Autobahn 6.4.3: the server should fail fast, mid-frame).
    StreamFrame {
        /// The frame; its payload pieces are the write boundaries.
        frame: FrameSpec,
        /// Wait between pieces.
        pause: Duration,
        /// Tags recorded when each wait completes.
        tags: Vec<String>,
    },
    /// A message, fragmented into frames of `fragment` payload bytes and compressed when
    /// permessage-deflate was negotiated (unless `compress` is false).
    Message {
        /// Binary (opcode 2) or text (opcode 1).
        binary: bool,
        /// The payload.
        payload: WsPayload,
        /// Payload bytes per frame.
        fragment: Option<usize>,
        /// Compress when negotiated.
        compress: bool,
        /// How the frames are cut into writes.
        shape: Shape,
    },
    /// Bytes written as they are (no framing).
    Raw(WsPayload),
    /// Wait, reading what arrives; a tag is recorded as an event when the wait completes.
    Wait {
        /// How long.
        duration: Duration,
        /// Event tag.
        tag: Option<String>,
    },
    /// Many messages echoed one after another: send one, wait for its echo, compare, repeat
    /// (Autobahn 9.7/9.8, 12.x, 13.x).
    EchoLoop(EchoLoop),
    /// Wait up to this long for the connection to end; then fail it with Close 1001.
    KillAfter(Duration),
    /// Wait up to this long for the connection to end; then send an empty Close.
    CloseAfter(Duration),
}

/// How bytes are cut into TCP writes, as Autobahn's fuzzer does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shape {
    /// Writes of at most this many bytes (1 = octet-wise).
    pub chop: Option<usize>,
    /// Each frame in a write of its own.
    pub sync: bool,
}

/// How a frame is masked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MaskSpec {
    /// A fresh random key per frame (what a client must do, RFC 6455 §5.3).
    Random,
    /// No mask bit: a protocol violation from a client.
    None,
    /// This key.
    Key([u8; 4]),
}

/// One frame, any bits.
#[derive(Clone, Debug)]
pub struct FrameSpec {
    /// FIN bit.
    pub fin: bool,
    /// RSV1..3 as a 3-bit number (4 = RSV1).
    pub rsv: u8,
    /// Opcode, 0..=15.
    pub opcode: u8,
    /// Mask.
    pub mask: MaskSpec,
    /// How the length is encoded.
    pub form: LengthForm,
    /// A length to claim instead of the payload's.
    pub declared_len: Option<u64>,
    /// The payload.
    pub payload: WsPayload,
}

/// Bytes made of pieces, generated when sent (a 16 MiB payload is not kept in memory).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WsPayload {
    /// The pieces, in order.
    pub pieces: Vec<WsPiece>,
}

/// One piece of a payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WsPiece {
    /// These bytes.
    Bytes(Vec<u8>),
    /// `unit` repeated and cut to exactly `len` bytes.
    Repeat {
        /// The pattern (not empty).
        unit: Vec<u8>,
        /// Total length.
        len: u64,
    },
}

impl WsPiece {
    /// Length in bytes.
    pub fn len(&self) -> u64 {
        match self {
            WsPiece::Bytes(b) => b.len() as u64,
            WsPiece::Repeat { len, .. } => *len,
        }
    }

    /// True when the piece has no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl WsPayload {
    /// Total length in bytes.
    pub fn len(&self) -> u64 {
        self.pieces.iter().map(WsPiece::len).sum()
    }

    /// True when there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Copies the bytes at `offset..offset + out.len()` into `out` (clamped at the end);
    /// returns how many were copied.
    pub fn fill(&self, mut offset: u64, out: &mut [u8]) -> usize {
        let mut done = 0;
        for p in &self.pieces {
            if done == out.len() {
                break;
            }
            let plen = p.len();
            if offset >= plen {
                offset -= plen;
                continue;
            }
            let n = ((plen - offset) as usize).min(out.len() - done);
            match p {
                WsPiece::Bytes(b) => {
                    out[done..done + n].copy_from_slice(&b[offset as usize..offset as usize + n])
                }
                WsPiece::Repeat { unit, .. } => {
                    let u = unit.len() as u64;
                    for (i, slot) in out[done..done + n].iter_mut().enumerate() {
                        *slot = unit[((offset + i as u64) % u) as usize];
                    }
                }
            }
            done += n;
            offset = 0;
        }
        done
    }

    /// All the bytes (for payloads known to be small).
    pub fn to_vec(&self) -> Vec<u8> {
        let mut v = vec![0; self.len() as usize];
        self.fill(0, &mut v);
        v
    }
}

/// Sequential echoes.
#[derive(Clone, Debug)]
pub struct EchoLoop {
    /// Messages to echo (a run may lower it: `--ws-echo-count`).
    pub count: u32,
    /// Bytes per message.
    pub size: usize,
    /// Binary or text messages.
    pub binary: bool,
    /// Where the payloads come from; `None`: a repeated pattern.
    pub data: Option<CorpusKind>,
    /// Payload bytes per frame.
    pub fragment: Option<usize>,
    /// All echoes must arrive within this time (Autobahn's WAITSECS).
    pub within: Duration,
}

/// What the server must do.
#[derive(Clone, Debug)]
pub struct WsExpect {
    /// Acceptable event sequences, the first strict (OK), the others `non-strict`.
    pub outcomes: Vec<Vec<WsEventSpec>>,
    /// How the connection must close.
    pub close: CloseSpec,
    /// The case only informs (Autobahn INFORMATIONAL): never a failure.
    pub informational: bool,
}

/// One expected event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WsEventSpec {
    /// A text message with this payload.
    Text(WsPayload),
    /// A binary message with this payload.
    Binary(WsPayload),
    /// A ping with this payload.
    Ping(WsPayload),
    /// A pong with this payload.
    Pong(WsPayload),
    /// A tagged wait completed with the connection still open.
    Timeout(String),
}

/// Who must close.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Closer {
    /// We start the closing handshake (Autobahn: closedByMe).
    Harness,
    /// The server fails or closes the connection.
    Server,
}

/// The closing-behaviour expectation (Autobahn's `expectedClose`).
#[derive(Clone, Debug)]
pub struct CloseSpec {
    /// Who must start the close.
    pub by: Closer,
    /// Close codes accepted from the server; a missing code or a TCP drop is always accepted.
    pub codes: Vec<u16>,
    /// The closing handshake must complete cleanly.
    pub clean: bool,
    /// The wrong side closing also fails the events axis (Autobahn
    /// `closedByWrongEndpointIsFatal`).
    pub endpoint_fatal: bool,
    /// A wrong close code also fails the events axis (Autobahn 7.x).
    pub wrong_code_fails: bool,
    /// When the harness closes: as soon as the events match every expected list (Autobahn's
    /// `finishWhenDone`); false for cases whose script sends its own (odd) closes.
    pub early: bool,
}
