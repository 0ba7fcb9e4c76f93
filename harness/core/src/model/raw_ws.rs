//! The serde mirror of a `websocket:` section (see `cases/websocket/README.md`).
//!
//! Same rules as `raw.rs`: steps and events are externally tagged, every struct denies unknown
//! fields, no `untagged`/`flatten`; keys that take two shapes have hand-written visitors.

use std::fmt;

use serde::de::{
    self, value::MapAccessDeserializer, value::SeqAccessDeserializer, Deserializer, MapAccess,
    SeqAccess, Visitor,
};
use serde::Deserialize;

use super::raw::{RawScalar, S};

/// `websocket: {handshake, steps, expect}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawWebSocket {
    pub(crate) handshake: Option<S<RawHandshake>>,
    pub(crate) steps: S<Vec<S<RawWsStep>>>,
    pub(crate) expect: S<RawWsExpect>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawHandshake {
    pub(crate) path: Option<S<String>>,
    #[serde(default)]
    pub(crate) protocols: Vec<S<String>>,
    pub(crate) deflate: Option<S<Vec<S<RawDeflateOffer>>>>,
    pub(crate) require: Option<S<String>>,
    pub(crate) origin: Option<S<String>>,
    #[serde(default)]
    pub(crate) headers: Vec<S<String>>,
    pub(crate) key: Option<S<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDeflateOffer {
    #[serde(default)]
    pub(crate) server_no_context_takeover: bool,
    #[serde(default)]
    pub(crate) client_no_context_takeover: bool,
    pub(crate) server_max_window_bits: Option<S<u8>>,
    /// `true` offers the parameter without a value; a number offers that value.
    pub(crate) client_max_window_bits: Option<S<RawScalar>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub(crate) enum RawWsStep {
    SendFrame(Box<RawFrame>),
    SendFrames(Box<RawFrames>),
    SendMessage(Box<RawMessage>),
    SendClose(Box<RawClose>),
    SendRaw(Box<RawWsPayload>),
    /// Spanned so that a bad duration points at the value, not at the step.
    Wait(S<RawWait>),
    EchoLoop(Box<RawEchoLoop>),
    KillAfter(S<String>),
    CloseAfter(S<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFrame {
    pub(crate) opcode: S<RawScalar>,
    pub(crate) payload: Option<S<RawWsPayload>>,
    pub(crate) fin: Option<bool>,
    pub(crate) rsv: Option<S<u8>>,
    pub(crate) mask: Option<S<RawScalar>>,
    pub(crate) length: Option<S<String>>,
    pub(crate) declared_len: Option<S<u64>>,
    pub(crate) chop: Option<S<RawScalar>>,
    #[serde(default)]
    pub(crate) sync: bool,
    /// Write each top-level payload piece on its own, with tagged waits in between.
    pub(crate) stream: Option<S<RawStream>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStream {
    pub(crate) pause: S<String>,
    #[serde(default)]
    pub(crate) tags: Vec<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFrames {
    pub(crate) frames: S<Vec<S<RawFrame>>>,
    pub(crate) chop: Option<S<RawScalar>>,
    #[serde(default)]
    pub(crate) sync: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMessage {
    #[serde(rename = "type")]
    pub(crate) kind: S<String>,
    pub(crate) payload: S<RawWsPayload>,
    pub(crate) fragment: Option<S<RawScalar>>,
    pub(crate) compress: Option<bool>,
    pub(crate) chop: Option<S<RawScalar>>,
    #[serde(default)]
    pub(crate) sync: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawClose {
    pub(crate) code: Option<S<RawScalar>>,
    pub(crate) reason: Option<S<RawWsPayload>>,
    /// The whole close payload, raw (for malformed closes).
    pub(crate) payload: Option<S<RawWsPayload>>,
    pub(crate) rsv: Option<S<u8>>,
    pub(crate) chop: Option<S<RawScalar>>,
}

/// `wait: 1s` or `wait: {for: 1s, tag: A}`.
#[derive(Debug)]
pub(crate) struct RawWait {
    pub(crate) duration: String,
    pub(crate) tag: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaitMap {
    #[serde(rename = "for")]
    duration: String,
    tag: Option<String>,
}

impl<'de> Deserialize<'de> for RawWait {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawWait;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a duration (`1s`) or `{for: 1s, tag: A}`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawWait, E> {
                Ok(RawWait {
                    duration: v.to_string(),
                    tag: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawWait, A::Error> {
                let m = RawWaitMap::deserialize(MapAccessDeserializer::new(map))?;
                Ok(RawWait {
                    duration: m.duration,
                    tag: m.tag,
                })
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEchoLoop {
    pub(crate) count: S<RawScalar>,
    pub(crate) size: S<RawScalar>,
    #[serde(rename = "type")]
    pub(crate) kind: S<String>,
    /// A corpus name (`json`, `bitmap`, `text`, `html`, `pdf`); default: a repeated pattern.
    pub(crate) data: Option<S<String>>,
    pub(crate) fragment: Option<S<RawScalar>>,
    pub(crate) within: S<String>,
}

/// One list of expected events.
pub(crate) type RawEventList = Vec<S<RawWsEvent>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawWsExpect {
    pub(crate) events: Option<S<Vec<S<RawWsEvent>>>>,
    pub(crate) any_of: Option<S<Vec<S<RawEventList>>>>,
    pub(crate) close: S<RawWsClose>,
    #[serde(default)]
    pub(crate) informational: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawWsClose {
    pub(crate) by: S<String>,
    pub(crate) codes: Option<S<Vec<S<u16>>>>,
    #[serde(default)]
    pub(crate) clean: bool,
    #[serde(default)]
    pub(crate) endpoint_fatal: bool,
    #[serde(default)]
    pub(crate) wrong_code_fails: bool,
    /// Close as soon as the events match (Autobahn's `finishWhenDone`); default true.
    pub(crate) early: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub(crate) enum RawWsEvent {
    Text(RawWsPayload),
    Binary(RawWsPayload),
    Ping(RawWsPayload),
    Pong(RawWsPayload),
    Timeout(String),
}

/// A WebSocket payload: a string (escapes and matrix variables), `{hex: ...}`,
/// `{repeat: ..., times: N}` / `{repeat: ..., len: N}`, or a list of those.
#[derive(Debug)]
pub(crate) struct RawWsPayload(pub(crate) Vec<RawWsPiece>);

#[derive(Debug)]
pub(crate) enum RawWsPiece {
    Text(String),
    Hex(String),
    Repeat {
        unit: String,
        times: Option<RawScalar>,
        len: Option<RawScalar>,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPieceMap {
    hex: Option<String>,
    repeat: Option<String>,
    times: Option<RawScalar>,
    len: Option<RawScalar>,
}

fn piece_from_map<E: de::Error>(m: RawPieceMap) -> Result<RawWsPiece, E> {
    match (m.hex, m.repeat) {
        (Some(h), None) if m.times.is_none() && m.len.is_none() => Ok(RawWsPiece::Hex(h)),
        (None, Some(unit)) => {
            if m.times.is_some() == m.len.is_some() {
                return Err(E::custom(
                    "`repeat` needs exactly one of `times` (repetitions) or `len` (total bytes)",
                ));
            }
            Ok(RawWsPiece::Repeat {
                unit,
                times: m.times,
                len: m.len,
            })
        }
        _ => Err(E::custom(
            "a payload piece is a string, `{hex: ...}` or `{repeat: ..., times|len: N}`",
        )),
    }
}

struct PieceVisitor;

impl<'de> Visitor<'de> for PieceVisitor {
    type Value = RawWsPiece;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, `{hex: ...}` or `{repeat: ..., times|len: N}`")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<RawWsPiece, E> {
        Ok(RawWsPiece::Text(v.to_string()))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawWsPiece, A::Error> {
        piece_from_map(RawPieceMap::deserialize(MapAccessDeserializer::new(map))?)
    }
}

impl<'de> Deserialize<'de> for RawWsPiece {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PieceVisitor)
    }
}

impl<'de> Deserialize<'de> for RawWsPayload {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawWsPayload;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a payload: a string, `{hex: ...}`, `{repeat: ..., times|len: N}` or a list of them")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawWsPayload, E> {
                Ok(RawWsPayload(vec![RawWsPiece::Text(v.to_string())]))
            }
            fn visit_unit<E: de::Error>(self) -> Result<RawWsPayload, E> {
                Ok(RawWsPayload(Vec::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawWsPayload, A::Error> {
                PieceVisitor.visit_map(map).map(|p| RawWsPayload(vec![p]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<RawWsPayload, A::Error> {
                Ok(RawWsPayload(Vec::<RawWsPiece>::deserialize(
                    SeqAccessDeserializer::new(seq),
                )?))
            }
        }
        d.deserialize_any(V)
    }
}
