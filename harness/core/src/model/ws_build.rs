//! Raw `websocket:` section → validated [`WsScenario`].

use std::time::Duration;

use super::duration::parse_duration;
use super::raw::{RawScalar, S};
use super::raw_ws::{
    RawClose, RawDeflateOffer, RawEchoLoop, RawFrame, RawHandshake, RawWebSocket, RawWsEvent,
    RawWsExpect, RawWsPayload, RawWsPiece, RawWsStep,
};
use super::scenario::Loc;
use super::steps::template;
use super::validate::{loc, Ctx};
use super::websocket::{
    CloseSpec, Closer, EchoLoop, FrameSpec, MaskSpec, Shape, WsEventSpec, WsExpect, WsHandshake,
    WsPayload, WsPiece, WsScenario, WsStep, WsStepKind,
};
use crate::text::{Template, Vars};
use crate::wire::ws::{encode_close_payload, opcode, CorpusKind, DeflateOffer, LengthForm};

/// Largest payload one step may produce (Autobahn's largest is 16 MiB).
const MAX_PAYLOAD: u64 = 64 * 1024 * 1024;

pub(crate) fn build_websocket(ctx: &mut Ctx, raw: &S<RawWebSocket>) -> WsScenario {
    let handshake = match &raw.value.handshake {
        Some(h) => handshake(ctx, &h.value, loc(h)),
        None => handshake(ctx, &RawHandshake::default(), loc(raw)),
    };
    if raw.value.steps.value.is_empty() {
        ctx.err(
            loc(&raw.value.steps),
            "a WebSocket case needs at least one step",
        );
    }
    let mut steps = Vec::new();
    for s in &raw.value.steps.value {
        let at = loc(s);
        if let Some(kind) = step(ctx, &s.value, at) {
            steps.push(WsStep { loc: at, kind });
        }
    }
    let expect = expect(ctx, &raw.value.expect);
    if handshake.require_deflate && handshake.deflate.is_empty() {
        ctx.err(
            loc(raw),
            "`require: deflate` needs at least one `deflate` offer",
        );
    }
    WsScenario {
        handshake,
        steps,
        expect,
    }
}

fn handshake(ctx: &mut Ctx, raw: &RawHandshake, at: Loc) -> WsHandshake {
    let path = match &raw.path {
        Some(p) => template(ctx, &p.value, loc(p), false),
        None => template(ctx, "{{path}}", at, false),
    };
    for p in &raw.protocols {
        if p.value.is_empty() || !p.value.bytes().all(is_tchar) {
            ctx.err(loc(p), format!("`{}` is not a subprotocol token", p.value));
        }
    }
    let deflate = raw
        .deflate
        .as_ref()
        .map(|d| d.value.iter().map(|o| deflate_offer(ctx, o)).collect())
        .unwrap_or_default();
    let require_deflate = match &raw.require {
        None => false,
        Some(r) if r.value == "deflate" => true,
        Some(r) => {
            ctx.err(
                loc(r),
                format!("`require: {}`: only `deflate` can be required", r.value),
            );
            false
        }
    };
    if let Some(k) = &raw.key {
        if k.value.is_empty() || k.value.contains(['\r', '\n']) {
            ctx.err(loc(k), "key must be one non-empty line");
        }
    }
    WsHandshake {
        path,
        protocols: raw.protocols.iter().map(|p| p.value.clone()).collect(),
        deflate,
        require_deflate,
        origin: raw
            .origin
            .as_ref()
            .map(|o| template(ctx, &o.value, loc(o), false)),
        headers: raw
            .headers
            .iter()
            .map(|h| template(ctx, &h.value, loc(h), true))
            .collect(),
        key: raw.key.as_ref().map(|k| k.value.clone()),
    }
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn deflate_offer(ctx: &mut Ctx, raw: &S<RawDeflateOffer>) -> DeflateOffer {
    let r = &raw.value;
    let bits_ok = |b: u8| (8..=15).contains(&b);
    let server_max_window_bits = r.server_max_window_bits.as_ref().map(|b| {
        if !bits_ok(b.value) {
            ctx.err(loc(b), "window bits are 8..=15 (RFC 7692 §7.1.2)");
        }
        b.value
    });
    let client_max_window_bits = match &r.client_max_window_bits {
        None => None,
        Some(s) if s.value.0 == "true" => Some(None),
        Some(s) if s.value.0 == "false" => None,
        Some(s) => match s.value.0.parse::<u8>() {
            Ok(b) if bits_ok(b) => Some(Some(b)),
            _ => {
                ctx.err(
                    loc(s),
                    "client_max_window_bits is `true` (no value) or 8..=15",
                );
                None
            }
        },
    };
    DeflateOffer {
        server_no_context_takeover: r.server_no_context_takeover,
        client_no_context_takeover: r.client_no_context_takeover,
        server_max_window_bits,
        client_max_window_bits,
    }
}

/// A number given directly or through a matrix variable (`'{{size}}'`).
fn number(ctx: &mut Ctx, raw: &S<RawScalar>, what: &str) -> Option<u64> {
    number_at(ctx, &raw.value, loc(raw), what)
}

fn number_at(ctx: &mut Ctx, raw: &RawScalar, at: Loc, what: &str) -> Option<u64> {
    let text = template(ctx, &raw.0, at, false).render_text(&Vars::new());
    match text.trim().parse::<u64>() {
        Ok(n) => Some(n),
        Err(_) => {
            ctx.err(at, format!("{what} must be a whole number, got `{text}`"));
            None
        }
    }
}

fn duration(ctx: &mut Ctx, raw: &str, at: Loc) -> Duration {
    parse_duration(raw).unwrap_or_else(|m| {
        ctx.err(at, m);
        Duration::ZERO
    })
}

/// Bytes of a payload string: escapes decoded, matrix variables bound; target variables are
/// not known when a WebSocket payload is built, so they are refused.
fn literal_bytes(ctx: &mut Ctx, s: &str, at: Loc) -> Vec<u8> {
    let t: Template = template(ctx, s, at, true);
    if !t.is_literal() {
        ctx.err(
            at,
            "WebSocket payloads may use matrix variables only, not target variables",
        );
    }
    t.render(&Vars::new())
}

pub(crate) fn payload(ctx: &mut Ctx, raw: &RawWsPayload, at: Loc) -> WsPayload {
    let mut pieces = Vec::new();
    for p in &raw.0 {
        match p {
            RawWsPiece::Text(s) => pieces.push(WsPiece::Bytes(literal_bytes(ctx, s, at))),
            RawWsPiece::Hex(h) => {
                let text = template(ctx, h, at, false).render_text(&Vars::new());
                match decode_hex(&text) {
                    Some(b) => pieces.push(WsPiece::Bytes(b)),
                    None => ctx.err(
                        at,
                        format!("`{text}` is not hex (pairs of 0-9a-f, spaces allowed)"),
                    ),
                }
            }
            RawWsPiece::Repeat { unit, times, len } => {
                let unit = literal_bytes(ctx, unit, at);
                if unit.is_empty() {
                    ctx.err(at, "`repeat` needs a non-empty pattern");
                    continue;
                }
                let total = match (times, len) {
                    (Some(t), _) => {
                        number_at(ctx, t, at, "times").map(|t| t.saturating_mul(unit.len() as u64))
                    }
                    (_, Some(l)) => number_at(ctx, l, at, "len"),
                    _ => None,
                };
                let Some(total) = total else { continue };
                pieces.push(WsPiece::Repeat { unit, len: total });
            }
        }
    }
    let out = WsPayload { pieces };
    if out.len() > MAX_PAYLOAD {
        ctx.err(at, format!("payload is longer than {MAX_PAYLOAD} bytes"));
    }
    out
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    digits
        .chunks(2)
        .map(|p| u8::from_str_radix(std::str::from_utf8(p).ok()?, 16).ok())
        .collect()
}

fn opcode_of(ctx: &mut Ctx, raw: &S<RawScalar>) -> u8 {
    let v = raw.value.0.as_str();
    let named = match v {
        "continuation" => Some(opcode::CONTINUATION),
        "text" => Some(opcode::TEXT),
        "binary" => Some(opcode::BINARY),
        "close" => Some(opcode::CLOSE),
        "ping" => Some(opcode::PING),
        "pong" => Some(opcode::PONG),
        _ => None,
    };
    if let Some(op) = named {
        return op;
    }
    match number(ctx, raw, "opcode") {
        Some(n) if n <= 15 => n as u8,
        Some(_) => {
            ctx.err(loc(raw), "an opcode is 0..=15 (4 bits)");
            0
        }
        None => 0,
    }
}

fn chop(ctx: &mut Ctx, raw: &Option<S<RawScalar>>) -> Option<usize> {
    let c = raw.as_ref()?;
    match number(ctx, c, "chop")? {
        0 => {
            ctx.err(loc(c), "chop is a write size, at least 1");
            None
        }
        n => Some(n as usize),
    }
}

fn frame(ctx: &mut Ctx, r: &RawFrame) -> FrameSpec {
    let rsv = match &r.rsv {
        Some(v) if v.value > 7 => {
            ctx.err(loc(v), "rsv is 3 bits: 0..=7 (4 = RSV1)");
            0
        }
        Some(v) => v.value,
        None => 0,
    };
    let mask = match &r.mask {
        None => MaskSpec::Random,
        Some(m) => match m.value.0.as_str() {
            "true" | "random" => MaskSpec::Random,
            "false" | "none" => MaskSpec::None,
            other => match decode_hex(other) {
                Some(b) if b.len() == 4 => MaskSpec::Key([b[0], b[1], b[2], b[3]]),
                _ => {
                    ctx.err(
                        loc(m),
                        "mask is `true`, `false` or a 4-byte key in hex (`37fa213d`)",
                    );
                    MaskSpec::Random
                }
            },
        },
    };
    let form = match r.length.as_ref().map(|l| (l, l.value.as_str())) {
        None | Some((_, "minimal")) => LengthForm::Minimal,
        Some((_, "16")) | Some((_, "u16")) => LengthForm::U16,
        Some((_, "64")) | Some((_, "u64")) => LengthForm::U64,
        Some((l, other)) => {
            ctx.err(
                loc(l),
                format!("length `{other}`: write `minimal`, `u16` or `u64`"),
            );
            LengthForm::Minimal
        }
    };
    let payload = r
        .payload
        .as_ref()
        .map(|p| payload(ctx, &p.value, loc(p)))
        .unwrap_or_default();
    FrameSpec {
        fin: r.fin.unwrap_or(true),
        rsv,
        opcode: opcode_of(ctx, &r.opcode),
        mask,
        form,
        declared_len: r.declared_len.as_ref().map(|d| d.value),
        payload,
    }
}

fn close_frame(ctx: &mut Ctx, raw: &RawClose, at: Loc) -> (FrameSpec, Shape) {
    let payload = match (&raw.payload, &raw.code) {
        (Some(p), None) if raw.reason.is_none() => payload(ctx, &p.value, loc(p)),
        (Some(p), _) => {
            ctx.err(
                loc(p),
                "give either `payload` (raw) or `code`/`reason`, not both",
            );
            WsPayload::default()
        }
        (None, code) => {
            let code = code.as_ref().and_then(|c| {
                let n = number(ctx, c, "code")?;
                if n > u16::MAX as u64 {
                    ctx.err(loc(c), "a close code is 16 bits");
                    return None;
                }
                Some(n as u16)
            });
            let reason = raw
                .reason
                .as_ref()
                .map(|r| payload(ctx, &r.value, loc(r)).to_vec())
                .unwrap_or_default();
            if code.is_none() && !reason.is_empty() {
                ctx.err(at, "a close reason needs a code (RFC 6455 §5.5.1)");
            }
            WsPayload {
                pieces: vec![WsPiece::Bytes(encode_close_payload(code, &reason))],
            }
        }
    };
    let rsv = raw.rsv.as_ref().map_or(0, |r| {
        if r.value > 7 {
            ctx.err(loc(r), "rsv is 3 bits: 0..=7");
        }
        r.value & 7
    });
    (
        FrameSpec {
            fin: true,
            rsv,
            opcode: opcode::CLOSE,
            mask: MaskSpec::Random,
            form: LengthForm::Minimal,
            declared_len: None,
            payload,
        },
        Shape {
            chop: chop(ctx, &raw.chop),
            sync: false,
        },
    )
}

fn step(ctx: &mut Ctx, raw: &RawWsStep, at: Loc) -> Option<WsStepKind> {
    Some(match raw {
        RawWsStep::SendFrame(f) => {
            let spec = frame(ctx, f);
            if let Some(s) = &f.stream {
                if f.chop.is_some() || f.sync {
                    ctx.err(loc(s), "a streamed frame takes no `chop` or `sync`");
                }
                let pause = duration(ctx, &s.value.pause.value, loc(&s.value.pause));
                let tags: Vec<String> = s.value.tags.iter().map(|t| t.value.clone()).collect();
                let gaps = spec.payload.pieces.len().saturating_sub(1);
                if !tags.is_empty() && tags.len() != gaps {
                    ctx.err(
                        loc(s),
                        format!(
                            "{} payload pieces make {gaps} pauses but {} tags were given",
                            spec.payload.pieces.len(),
                            tags.len()
                        ),
                    );
                }
                WsStepKind::StreamFrame {
                    frame: spec,
                    pause,
                    tags,
                }
            } else {
                WsStepKind::Frames {
                    frames: vec![spec],
                    shape: Shape {
                        chop: chop(ctx, &f.chop),
                        sync: f.sync,
                    },
                }
            }
        }
        RawWsStep::SendFrames(fs) => {
            if fs.frames.value.is_empty() {
                ctx.err(loc(&fs.frames), "`frames` is empty");
            }
            let mut frames = Vec::new();
            for f in &fs.frames.value {
                if f.value.chop.is_some() || f.value.sync || f.value.stream.is_some() {
                    ctx.err(
                        loc(f),
                        "inside `send_frames`, give `chop`/`sync` once for the group",
                    );
                }
                frames.push(frame(ctx, &f.value));
            }
            WsStepKind::Frames {
                frames,
                shape: Shape {
                    chop: chop(ctx, &fs.chop),
                    sync: fs.sync,
                },
            }
        }
        RawWsStep::SendMessage(m) => {
            let binary = message_type(ctx, &m.kind);
            let fragment = m
                .fragment
                .as_ref()
                .and_then(|f| match number(ctx, f, "fragment") {
                    Some(0) => {
                        ctx.err(loc(f), "fragment is a frame payload size, at least 1");
                        None
                    }
                    n => n.map(|n| n as usize),
                });
            WsStepKind::Message {
                binary,
                payload: payload(ctx, &m.payload.value, loc(&m.payload)),
                fragment,
                compress: m.compress.unwrap_or(true),
                shape: Shape {
                    chop: chop(ctx, &m.chop),
                    sync: m.sync,
                },
            }
        }
        RawWsStep::SendClose(c) => {
            let (f, shape) = close_frame(ctx, c, at);
            WsStepKind::Frames {
                frames: vec![f],
                shape,
            }
        }
        RawWsStep::SendRaw(p) => WsStepKind::Raw(payload(ctx, p, at)),
        RawWsStep::Wait(w) => WsStepKind::Wait {
            duration: duration(ctx, &w.value.duration, loc(w)),
            tag: w.value.tag.clone(),
        },
        RawWsStep::EchoLoop(e) => WsStepKind::EchoLoop(echo_loop(ctx, e)?),
        RawWsStep::KillAfter(d) => WsStepKind::KillAfter(duration(ctx, &d.value, loc(d))),
        RawWsStep::CloseAfter(d) => WsStepKind::CloseAfter(duration(ctx, &d.value, loc(d))),
    })
}

fn message_type(ctx: &mut Ctx, raw: &S<String>) -> bool {
    match raw.value.as_str() {
        "text" => false,
        "binary" => true,
        other => {
            ctx.err(
                loc(raw),
                format!("message type `{other}`: write `text` or `binary`"),
            );
            false
        }
    }
}

fn echo_loop(ctx: &mut Ctx, raw: &RawEchoLoop) -> Option<EchoLoop> {
    let count = number(ctx, &raw.count, "count")?;
    let size = number(ctx, &raw.size, "size")?;
    if count == 0 || count > 100_000 {
        ctx.err(loc(&raw.count), "count is 1..=100000");
    }
    if size > 16 * 1024 * 1024 {
        ctx.err(loc(&raw.size), "size is at most 16 MiB");
    }
    let data = raw
        .data
        .as_ref()
        .and_then(|d| match d.value.parse::<CorpusKind>() {
            Ok(k) => Some(k),
            Err(_) => {
                ctx.err(
                    loc(d),
                    format!(
                        "unknown data set `{}` (json, bitmap, text, html, pdf)",
                        d.value
                    ),
                );
                None
            }
        });
    let fragment = match &raw.fragment {
        Some(f) => match number(ctx, f, "fragment")? {
            0 => {
                ctx.err(loc(f), "fragment is at least 1");
                None
            }
            n => Some(n as usize),
        },
        None => None,
    };
    Some(EchoLoop {
        count: count.min(100_000) as u32,
        size: size as usize,
        binary: message_type(ctx, &raw.kind),
        data,
        fragment,
        within: duration(ctx, &raw.within.value, loc(&raw.within)),
    })
}

fn events(ctx: &mut Ctx, raw: &[S<RawWsEvent>]) -> Vec<WsEventSpec> {
    raw.iter()
        .map(|e| {
            let at = loc(e);
            match &e.value {
                RawWsEvent::Text(p) => WsEventSpec::Text(payload(ctx, p, at)),
                RawWsEvent::Binary(p) => WsEventSpec::Binary(payload(ctx, p, at)),
                RawWsEvent::Ping(p) => WsEventSpec::Ping(payload(ctx, p, at)),
                RawWsEvent::Pong(p) => WsEventSpec::Pong(payload(ctx, p, at)),
                RawWsEvent::Timeout(t) => WsEventSpec::Timeout(t.clone()),
            }
        })
        .collect()
}

fn expect(ctx: &mut Ctx, raw: &S<RawWsExpect>) -> WsExpect {
    let r = &raw.value;
    let outcomes = match (&r.events, &r.any_of) {
        (Some(e), None) => vec![events(ctx, &e.value)],
        (None, Some(alts)) => {
            if alts.value.len() < 2 {
                ctx.err(
                    loc(alts),
                    "`any_of` needs at least two alternatives (use `events` for one)",
                );
            }
            alts.value.iter().map(|a| events(ctx, &a.value)).collect()
        }
        (None, None) => {
            ctx.err(
                loc(raw),
                "give `events` (the exact events expected, `[]` for none) or `any_of`",
            );
            vec![Vec::new()]
        }
        (Some(e), Some(_)) => {
            ctx.err(loc(e), "give `events` or `any_of`, not both");
            vec![Vec::new()]
        }
    };
    let c = &r.close.value;
    let by = match c.by.value.as_str() {
        "harness" | "client" => Closer::Harness,
        "server" => Closer::Server,
        other => {
            ctx.err(
                loc(&c.by),
                format!("close.by `{other}`: write `harness` or `server`"),
            );
            Closer::Harness
        }
    };
    let codes = match &c.codes {
        Some(list) => {
            if list.value.is_empty() {
                ctx.err(
                    loc(list),
                    "an empty code list accepts only a missing code; leave `codes` out instead",
                );
            }
            list.value.iter().map(|v| v.value).collect()
        }
        None => match by {
            Closer::Harness => vec![1000],
            Closer::Server => vec![1002],
        },
    };
    WsExpect {
        outcomes,
        close: CloseSpec {
            by,
            codes,
            clean: c.clean,
            endpoint_fatal: c.endpoint_fatal,
            wrong_code_fails: c.wrong_code_fails,
            early: c.early.unwrap_or(true),
        },
        informational: r.informational,
    }
}
