//! The serde mirror of a scenario file: exactly what YAML can say, nothing validated yet.
//!
//! Rules (see `cases/README.md`): steps are externally tagged (`- send: ...`), every struct
//! denies unknown fields, and there is no `untagged` or `flatten`. Where a key accepts two
//! shapes (a string or a map), a hand-written visitor says which shapes it expects, so errors
//! stay precise and located. `validate.rs` turns these types into `scenario.rs` types.

use std::fmt;

use indexmap::IndexMap;
use serde::de::{
    self, value::MapAccessDeserializer, value::SeqAccessDeserializer, Deserializer, MapAccess,
    SeqAccess, Visitor,
};
use serde::Deserialize;
use serde_saphyr::Spanned;

pub(crate) type S<T> = Spanned<T>;

/// One `rows:` entry: parameter name → value, in declaration order.
pub(crate) type RawRow = IndexMap<String, S<RawScalar>>;

/// `matrix: {name: [values]}`, in declaration order.
pub(crate) type RawMatrix = IndexMap<String, S<Vec<S<RawScalar>>>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCase {
    pub(crate) id: Option<S<String>>,
    pub(crate) title: S<String>,
    pub(crate) spec: S<RawSpec>,
    pub(crate) level: S<RawLevel>,
    #[serde(default)]
    pub(crate) tags: Vec<S<String>>,
    #[serde(default)]
    pub(crate) requires: Vec<S<String>>,
    pub(crate) timeout: Option<S<String>>,
    pub(crate) step_timeout: Option<S<String>>,
    pub(crate) matrix: Option<S<RawMatrix>>,
    /// Explicit cells: each row gives every parameter a value (an alternative to `matrix`).
    pub(crate) rows: Option<S<Vec<S<RawRow>>>>,
    #[serde(default)]
    pub(crate) validators: Option<S<RawValidators>>,
    pub(crate) steps: Option<S<Vec<S<RawStep>>>>,
    pub(crate) websocket: Option<S<super::raw_ws::RawWebSocket>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSpec {
    pub(crate) rfc: S<u32>,
    pub(crate) section: S<RawSection>,
    pub(crate) check: Option<S<String>>,
    pub(crate) text: Option<String>,
}

#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum RawLevel {
    May,
    Must,
    Should,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawValidators {
    #[serde(default)]
    pub(crate) skip: Vec<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub(crate) enum RawStep {
    AnyOf(Vec<S<Vec<S<RawStep>>>>),
    Connect,
    ConnectPlain,
    /// Like `any_of`, with no preferred alternative.
    Either(Vec<S<Vec<S<RawStep>>>>),
    ExpectClose(RawExpectClose),
    ExpectIdleClose(RawExpectIdleClose),
    ExpectOpen(RawExpectOpen),
    ExpectResponse(Box<RawExpectResponse>),
    ExpectResponses(Box<RawExpectResponses>),
    ExpectTls(Box<RawExpectTls>),
    HalfClose,
    Request(Box<RawRequest>),
    /// Spanned so that errors in `send: '...'` point at the string, not at the step.
    Send(Box<S<RawSend>>),
    Sleep(S<String>),
    TlsConnect(Box<RawTlsConnect>),
}

/// `tls_connect: {alpn, versions, client_cert, sni}`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTlsConnect {
    pub(crate) alpn: Option<S<Vec<S<String>>>>,
    pub(crate) versions: Option<S<Vec<S<String>>>>,
    pub(crate) client_cert: Option<S<RawClientCert>>,
    pub(crate) sni: Option<S<String>>,
}

#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RawClientCert {
    Default,
    None,
    Untrusted,
}

/// `expect_tls: {handshake, version, alpn}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawExpectTls {
    pub(crate) handshake: S<RawHandshake>,
    pub(crate) version: Option<S<Vec<S<String>>>>,
    pub(crate) alpn: Option<S<String>>,
    pub(crate) within: Option<S<String>>,
}

#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RawHandshake {
    Ok,
    Rejected,
}

/// How a payload is cut into TCP writes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSplit {
    pub(crate) size: Option<S<usize>>,
    pub(crate) at: Option<S<Vec<usize>>>,
    pub(crate) pause: Option<S<String>>,
}

/// `send: 'bytes'` or `send: {data: ..., split: ...}`.
#[derive(Debug)]
pub(crate) struct RawSend {
    /// Located at `data:`'s value; [`unknown`] for the string form (the step's span says where).
    pub(crate) data: S<RawPayload>,
    pub(crate) split: Option<S<RawSplit>>,
    pub(crate) method: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSendMap {
    data: S<RawPayload>,
    split: Option<S<RawSplit>>,
    method: Option<S<String>>,
}

impl<'de> Deserialize<'de> for RawSend {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawSend;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a payload string, or a map with `data` and optional `split`, `method`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawSend, E> {
                Ok(RawSend {
                    data: unknown(RawPayload::Pieces(vec![unknown(RawPiece::Text(
                        v.to_string(),
                    ))])),
                    split: None,
                    method: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawSend, A::Error> {
                let m = RawSendMap::deserialize(MapAccessDeserializer::new(map))?;
                Ok(RawSend {
                    data: m.data,
                    split: m.split,
                    method: m.method,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// A value whose location is not known where it is built (a visitor sees no spans); the
/// validator then uses the location of the enclosing value (see `validate::loc_or`).
pub(crate) fn unknown<T>(value: T) -> S<T> {
    use serde_saphyr::Location;
    S::new(value, Location::UNKNOWN, Location::UNKNOWN)
}

/// A payload: one string, or a list of pieces (strings and `{repeat, times}`). Pieces of a
/// list carry their own location, so an escape error in the fifth piece points at it.
#[derive(Debug)]
pub(crate) enum RawPayload {
    Pieces(Vec<S<RawPiece>>),
}

#[derive(Debug)]
pub(crate) enum RawPiece {
    Text(String),
    Repeat { text: S<String>, times: u64 },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRepeat {
    repeat: S<String>,
    times: u64,
}

impl<'de> Deserialize<'de> for RawPiece {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawPiece;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or `{repeat: STRING, times: N}`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawPiece, E> {
                Ok(RawPiece::Text(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawPiece, A::Error> {
                let r = RawRepeat::deserialize(MapAccessDeserializer::new(map))?;
                Ok(RawPiece::Repeat {
                    text: r.repeat,
                    times: r.times,
                })
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for RawPayload {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawPayload;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a string, or a list of strings and `{repeat: STRING, times: N}` pieces",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawPayload, E> {
                Ok(RawPayload::Pieces(vec![unknown(RawPiece::Text(
                    v.to_string(),
                ))]))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawPayload, A::Error> {
                let r = RawRepeat::deserialize(MapAccessDeserializer::new(map))?;
                Ok(RawPayload::Pieces(vec![unknown(RawPiece::Repeat {
                    text: r.repeat,
                    times: r.times,
                })]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<RawPayload, A::Error> {
                let pieces = Vec::<S<RawPiece>>::deserialize(SeqAccessDeserializer::new(seq))?;
                Ok(RawPayload::Pieces(pieces))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRequest {
    pub(crate) method: Option<S<String>>,
    pub(crate) target: Option<S<String>>,
    pub(crate) version: Option<S<String>>,
    pub(crate) headers: Option<Vec<S<String>>>,
    #[serde(default = "yes")]
    pub(crate) auto_headers: bool,
    pub(crate) body: Option<S<RawPayload>>,
    pub(crate) chunked: Option<S<Vec<S<RawPayload>>>>,
    #[serde(default)]
    pub(crate) trailers: Vec<S<String>>,
    pub(crate) split: Option<S<RawSplit>>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawExpectResponse {
    pub(crate) status: Option<S<RawStatus>>,
    pub(crate) version: Option<S<String>>,
    pub(crate) reason: Option<S<String>>,
    pub(crate) method: Option<S<String>>,
    pub(crate) interim: Option<S<RawInterim>>,
    pub(crate) headers: Option<IndexMap<String, S<RawHeaderMatch>>>,
    pub(crate) body: Option<S<RawBodyMatch>>,
    pub(crate) timeout: Option<S<String>>,
    /// Header field name -> variable that later steps may use as `{{name}}`.
    pub(crate) capture: Option<IndexMap<String, S<String>>>,
}

/// `expect_responses: [ {...}, {...} ]` or `expect_responses: {count: N, each: {...}}`.
#[derive(Debug)]
pub(crate) enum RawExpectResponses {
    List(Vec<S<RawExpectResponse>>),
    Count {
        count: S<u32>,
        each: Box<S<RawExpectResponse>>,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCount {
    count: S<u32>,
    each: S<RawExpectResponse>,
}

impl<'de> Deserialize<'de> for RawExpectResponses {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawExpectResponses;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of response expectations, or `{count: N, each: {...}}`")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                Ok(RawExpectResponses::List(Vec::deserialize(
                    SeqAccessDeserializer::new(seq),
                )?))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let c = RawCount::deserialize(MapAccessDeserializer::new(map))?;
                Ok(RawExpectResponses::Count {
                    count: c.count,
                    each: Box::new(c.each),
                })
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawExpectClose {
    pub(crate) how: Option<S<RawCloseHow>>,
    pub(crate) within: Option<S<String>>,
    #[serde(default)]
    pub(crate) allow_data: bool,
}

/// `expect_idle_close: {within: 8s, how: fin|any, allow_data: false}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawExpectIdleClose {
    pub(crate) within: S<String>,
    pub(crate) how: Option<S<RawCloseHow>>,
    #[serde(default)]
    pub(crate) allow_data: bool,
}

#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RawCloseHow {
    Any,
    Fin,
    Reset,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawExpectOpen {
    #[serde(rename = "for")]
    pub(crate) duration: S<String>,
    #[serde(default)]
    pub(crate) allow_data: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawHeaderMatch {
    pub(crate) present: Option<bool>,
    pub(crate) equals: Option<S<String>>,
    pub(crate) contains: Option<S<String>>,
    pub(crate) matches: Option<S<String>>,
    pub(crate) list_contains: Option<S<String>>,
    pub(crate) count: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBodyMatch {
    pub(crate) equals: Option<S<String>>,
    pub(crate) contains: Option<S<String>>,
    pub(crate) matches: Option<S<String>>,
    pub(crate) length: Option<u64>,
    pub(crate) empty: Option<bool>,
}

/// A status expectation: `200`, `"4xx"`, `"200-299"`, or a list of those.
#[derive(Debug)]
pub(crate) enum RawStatus {
    One(RawStatusItem),
    Any(Vec<RawStatusItem>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum RawStatusItem {
    Code(u16),
    Range(u16, u16),
}

fn status_item<E: de::Error>(s: &str) -> Result<RawStatusItem, E> {
    let s = s.trim();
    let bad = || {
        E::custom(format!(
            "`{s}` is not a status: write 404, \"4xx\" or \"400-417\""
        ))
    };
    if let Some(class) = s.strip_suffix("xx").or_else(|| s.strip_suffix("XX")) {
        let d: u16 = class.parse().map_err(|_| bad())?;
        if !(1..=5).contains(&d) {
            return Err(bad());
        }
        return Ok(RawStatusItem::Range(d * 100, d * 100 + 99));
    }
    if let Some((lo, hi)) = s.split_once('-') {
        let lo = code(lo.trim().parse().map_err(|_| bad())?)?;
        let hi = code(hi.trim().parse().map_err(|_| bad())?)?;
        if lo > hi {
            return Err(E::custom(format!("status range `{s}` is empty")));
        }
        return Ok(RawStatusItem::Range(lo, hi));
    }
    Ok(RawStatusItem::Code(code(s.parse().map_err(|_| bad())?)?))
}

fn code<E: de::Error>(v: u64) -> Result<u16, E> {
    if (100..=599).contains(&v) {
        Ok(v as u16)
    } else {
        Err(E::custom(format!("status {v} is outside 100..=599")))
    }
}

struct StatusItemVisitor;

impl<'de> Visitor<'de> for StatusItemVisitor {
    type Value = RawStatusItem;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a status code (404), a class (\"4xx\") or a range (\"400-417\")")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(RawStatusItem::Code(code(v)?))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Err(E::custom(format!("status {v} is outside 100..=599")))
    }
    /// `200.5`, and integers too large for 64 bits (YAML reads those as floats).
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Err(E::custom(format!(
            "status {v} is not a whole number in 100..=599"
        )))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        status_item(v)
    }
}

impl<'de> Deserialize<'de> for RawStatusItem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StatusItemVisitor)
    }
}

impl<'de> Deserialize<'de> for RawStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawStatus;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a status (404, \"4xx\", \"400-417\") or a list of them")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                StatusItemVisitor.visit_u64(v).map(RawStatus::One)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                StatusItemVisitor.visit_i64(v).map(RawStatus::One)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                StatusItemVisitor.visit_f64(v).map(RawStatus::One)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                StatusItemVisitor.visit_str(v).map(RawStatus::One)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                let items = Vec::<RawStatusItem>::deserialize(SeqAccessDeserializer::new(seq))?;
                if items.is_empty() {
                    return Err(de::Error::custom("an empty status list can never match"));
                }
                Ok(RawStatus::Any(items))
            }
        }
        d.deserialize_any(V)
    }
}

/// `interim: none` (no 1xx may be seen) or a status expectation a 1xx must match.
#[derive(Debug)]
pub(crate) enum RawInterim {
    None,
    Seen(RawStatus),
}

impl<'de> Deserialize<'de> for RawInterim {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawInterim;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "`none`, or the 1xx status that must be seen (100, \"1xx\", [100, 103])",
                )
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                StatusItemVisitor
                    .visit_u64(v)
                    .map(|s| RawInterim::Seen(RawStatus::One(s)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                if v == "none" {
                    return Ok(RawInterim::None);
                }
                StatusItemVisitor
                    .visit_str(v)
                    .map(|s| RawInterim::Seen(RawStatus::One(s)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                let items = Vec::<RawStatusItem>::deserialize(SeqAccessDeserializer::new(seq))?;
                Ok(RawInterim::Seen(RawStatus::Any(items)))
            }
        }
        d.deserialize_any(V)
    }
}

/// An RFC section number. Numbers are refused because YAML reads `3.10` as `3.1`.
#[derive(Debug)]
pub(crate) struct RawSection(pub(crate) String);

impl<'de> Deserialize<'de> for RawSection {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawSection;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a quoted section number such as \"6.3\"")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(RawSection(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Err(E::custom(format!(
                    "quote the section (section: \"{v}\"): YAML reads numbers like 3.10 as 3.1"
                )))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(RawSection(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A matrix value: any scalar, kept as its text.
#[derive(Debug)]
pub(crate) struct RawScalar(pub(crate) String);

impl<'de> Deserialize<'de> for RawScalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawScalar;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a scalar (string, number or boolean)")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(RawScalar(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(RawScalar(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(RawScalar(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(RawScalar(v.to_string()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(RawScalar(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}
