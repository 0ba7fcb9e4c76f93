//! Fuzz target bodies for wirecheck-core, one function per target.
//!
//! Each `fuzz_targets/<name>.rs` is a one-line libFuzzer wrapper around the function of the
//! same name here, so the same code runs under `cargo +nightly fuzz run <name>` and, on stable,
//! in `tests/replay.rs` (every corpus file through every target) and `examples/replay.rs`
//! (chosen files through one target, e.g. a crash artifact).
//!
//! A target fails by panicking. Besides "never panics", each checks invariants the property
//! tests in `harness/core/tests/` establish: a decoder fed the same bytes whole or cut into
//! pieces reaches the same result. Cut points are derived from a hash of the input, so an
//! input always replays the same way and corpus files need no header.
#![forbid(unsafe_code)]

use wirecheck_core::check::{validate_response, ResponseContext};
use wirecheck_core::model::{load_cases, LoadOptions, TARGET_VARS};
use wirecheck_core::text::{Template, Vars};
use wirecheck_core::wire::http1::{
    ChunkedDecoder, DecodeLimits, Leniency, Progress, Response, ResponseDecoder,
};
use wirecheck_core::wire::ws::{
    DeflateAgreement, FrameDecoder, FrameEvent, FrameHeader, FrameRecord, MessageReader,
    ReaderLimits, Violation, WsEvent,
};

/// A fuzz target body.
pub type Target = fn(&[u8]);

/// Every target, by the name of its `fuzz_targets/` file and `[[bin]]`.
pub const TARGETS: &[(&str, Target)] = &[
    ("http1_response", http1_response),
    ("chunked", chunked),
    ("ws_frame", ws_frame),
    ("ws_reader", ws_reader),
    ("yaml_loader", yaml_loader),
    ("template", template),
];

/// Looks a target up by name.
pub fn target(name: &str) -> Option<Target> {
    TARGETS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// FNV-1a: a stable, dependency-free hash to derive cut points and options from the input.
fn fnv1a64(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Up to four cut points in `0..=len`, sorted, from the input's hash.
fn cuts(data: &[u8]) -> Vec<usize> {
    let mut h = fnv1a64(data);
    let n = (h % 5) as usize;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        h = h.rotate_left(17).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        out.push((h % (data.len() as u64 + 1)) as usize);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// `data` cut at [`cuts`].
fn pieces(data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut prev = 0;
    for c in cuts(data) {
        out.push(&data[prev..c]);
        prev = c;
    }
    out.push(&data[prev..]);
    out
}

/// One byte at a time, for short inputs (longer ones would make each run slow).
fn bytewise(data: &[u8]) -> Option<Vec<&[u8]>> {
    (data.len() <= 512).then(|| data.chunks(1).collect())
}

// ---------------------------------------------------------------------------------------------
// HTTP/1.1

/// Feeds `chunks` to a response decoder as the engine does (unconsumed bytes stay buffered),
/// decoding as many pipelined responses as there are; runs the per-response validators on
/// each.
fn decode_responses(chunks: &[&[u8]], eof: bool, head: bool) -> (Vec<Response>, bool) {
    let limits = DecodeLimits {
        max_head: 4096,
        max_headers: 32,
        max_body_kept: 1 << 16,
    };
    let mut dec = ResponseDecoder::new(limits, head);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    // Bytes consumed by the response being decoded, over all calls: a response can complete
    // with nothing consumed in its last call (its body delimited by EOF), never in total.
    let mut used = 0;
    let n = chunks.len();
    for (i, chunk) in chunks.iter().enumerate() {
        buf.extend_from_slice(chunk);
        let last = eof && i + 1 == n;
        loop {
            match dec.feed(&buf, last) {
                Ok(Progress::Done { consumed, response }) => {
                    assert!(consumed <= buf.len(), "consumed more than it was given");
                    used += consumed;
                    assert!(used > 0, "a response consumes at least its head");
                    used = 0;
                    buf.drain(..consumed);
                    let _ = validate_response(
                        &response,
                        ResponseContext {
                            received_unix: Some(784_111_777),
                        },
                        &[],
                    );
                    out.push(*response);
                    dec = ResponseDecoder::new(limits, head);
                    if buf.is_empty() {
                        break;
                    }
                }
                Ok(Progress::NeedMore { consumed }) => {
                    assert!(consumed <= buf.len(), "consumed more than it was given");
                    used += consumed;
                    buf.drain(..consumed);
                    break;
                }
                Err(_) => return (out, true),
            }
        }
    }
    (out, false)
}

/// The HTTP/1.1 response reader on any bytes: whole and cut, with and without EOF, as the
/// response to GET and to HEAD. Never panics; every decoded response goes through the
/// validators.
pub fn http1_response(data: &[u8]) {
    for head in [false, true] {
        let _ = decode_responses(&[data], true, head);
    }
    let _ = decode_responses(&pieces(data), false, false);
    let _ = decode_responses(&pieces(data), true, false);
}

// ---------------------------------------------------------------------------------------------
// Chunked transfer coding

#[derive(Debug, PartialEq, Eq)]
struct ChunkedOutcome {
    body: Vec<u8>,
    /// `None` after a failure: the failing call reports no progress.
    consumed: Option<usize>,
    done: bool,
    failed: bool,
    trailers: Vec<(String, Vec<u8>)>,
    leniencies: Vec<Leniency>,
}

fn decode_chunked(chunks: &[&[u8]]) -> ChunkedOutcome {
    let mut dec = ChunkedDecoder::default();
    let mut body = Vec::new();
    let mut buf = Vec::new();
    let (mut consumed, mut done, mut failed) = (0, false, false);
    for chunk in chunks {
        buf.extend_from_slice(chunk);
        match dec.feed(&buf, &mut |d| body.extend_from_slice(d)) {
            Ok(p) => {
                assert!(p.consumed <= buf.len(), "consumed more than it was given");
                consumed += p.consumed;
                buf.drain(..p.consumed);
                done = p.done;
            }
            Err(_) => failed = true,
        }
        if done || failed {
            break;
        }
    }
    ChunkedOutcome {
        body,
        consumed: (!failed).then_some(consumed),
        done,
        failed,
        trailers: dec.trailers().to_vec(),
        leniencies: dec.leniencies().to_vec(),
    }
}

/// The chunked decoder on any bytes: the same body, trailers, leniencies and success whole,
/// cut, and one byte at a time.
pub fn chunked(data: &[u8]) {
    let whole = decode_chunked(&[data]);
    assert_eq!(
        decode_chunked(&pieces(data)),
        whole,
        "cut at {:?}",
        cuts(data)
    );
    if let Some(single) = bytewise(data) {
        assert_eq!(decode_chunked(&single), whole, "fed byte by byte");
    }
}

// ---------------------------------------------------------------------------------------------
// WebSocket

/// Decoder events with payload pieces merged, so cuts inside a payload compare equal.
#[derive(Debug, PartialEq, Eq)]
enum Owned {
    Header(FrameHeader),
    Payload(Vec<u8>),
    End,
}

fn decode_frames(chunks: &[&[u8]]) -> (Vec<Owned>, bool) {
    let mut dec = FrameDecoder::new();
    let mut out = Vec::new();
    for chunk in chunks {
        dec.decode(chunk, &mut |ev| match ev {
            FrameEvent::Header(h) => out.push(Owned::Header(h)),
            FrameEvent::Payload(p) => {
                assert!(!p.is_empty(), "empty payload event");
                match out.last_mut() {
                    Some(Owned::Payload(v)) => v.extend_from_slice(p),
                    _ => out.push(Owned::Payload(p.to_vec())),
                }
            }
            FrameEvent::End => out.push(Owned::End),
        });
    }
    (out, dec.in_frame())
}

/// The frame decoder on any bytes: the same frames whole, cut and one byte at a time.
pub fn ws_frame(data: &[u8]) {
    let whole = decode_frames(&[data]);
    assert_eq!(
        decode_frames(&pieces(data)),
        whole,
        "cut at {:?}",
        cuts(data)
    );
    if let Some(single) = bytewise(data) {
        assert_eq!(decode_frames(&single), whole, "fed byte by byte");
    }
}

type ReaderOutcome = (Vec<WsEvent>, Vec<FrameRecord>, Result<(), Violation>, bool);

fn read_messages(chunks: &[&[u8]], deflate: Option<DeflateAgreement>) -> ReaderOutcome {
    let mut reader = MessageReader::new(ReaderLimits { keep: 100 }, deflate);
    let (mut events, mut frames) = (Vec::new(), Vec::new());
    let mut result = Ok(());
    for chunk in chunks {
        result = reader.feed(chunk, &mut events, &mut frames);
        if result.is_err() {
            break;
        }
    }
    let mid = reader.mid_message();
    // zlib words some data errors differently depending on where the input was cut; the
    // violation itself does not depend on it.
    if let Err(v) = &mut result {
        if v.rfc == 7692 && v.section == "7.2.2" {
            v.message.clear();
        }
    }
    (events, frames, result, mid)
}

/// The message reader on any bytes, without permessage-deflate and with an agreement derived
/// from the input: the same messages, frames and violation whole, cut and byte by byte.
pub fn ws_reader(data: &[u8]) {
    let h = fnv1a64(data);
    let agreement = DeflateAgreement {
        server_no_context_takeover: h & 1 == 1,
        client_no_context_takeover: h & 2 == 2,
        server_max_window_bits: 9 + ((h >> 8) % 7) as u8,
        client_max_window_bits: 9 + ((h >> 16) % 7) as u8,
    };
    for deflate in [None, Some(agreement)] {
        let whole = read_messages(&[data], deflate);
        assert_eq!(
            read_messages(&pieces(data), deflate),
            whole,
            "cut at {:?}, deflate {deflate:?}",
            cuts(data)
        );
        if let Some(single) = bytewise(data) {
            assert_eq!(
                read_messages(&single, deflate),
                whole,
                "fed byte by byte, deflate {deflate:?}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Scenario files and templates

/// The YAML scenario loader on any bytes. Never panics.
pub fn yaml_loader(data: &[u8]) {
    let _ = load_cases("fuzz.yaml", data, "fuzz/case", &LoadOptions::default());
}

/// The template parser and renderer on any text (invalid UTF-8 replaced), with and without
/// escapes, with only the target variables known and with every name known.
pub fn template(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let vars: Vars = TARGET_VARS
        .iter()
        .map(|v| (v.to_string(), format!("<{v}>")))
        .collect();
    let target_var = |n: &str| TARGET_VARS.contains(&n);
    let any_name = |_: &str| true;
    for escapes in [false, true] {
        for known in [&target_var as &dyn Fn(&str) -> bool, &any_name] {
            let Ok(t) = Template::parse(&text, escapes, known) else {
                continue;
            };
            let rendered = t.render(&vars);
            assert_eq!(t.bind(&vars).render(&Vars::new()), rendered, "bind");
            let _ = t.render_text(&vars);
            if let Some(n) = t.literal_len() {
                assert_eq!(n, rendered.len(), "literal_len");
            }
            if !escapes && !text.contains("{{") {
                assert_eq!(rendered, text.as_bytes(), "text without `{{` is literal");
            }
        }
    }
}
