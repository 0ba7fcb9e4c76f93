//! Property tests of the WebSocket codec: the encoder and decoder agree on every header, no
//! input in any split makes the decoders panic or behave differently than when fed whole,
//! UTF-8 validation agrees with the standard library (and fails fast), permessage-deflate
//! round-trips, and negotiation never panics.

use proptest::prelude::*;
use wirecheck_core::wire::ws::{
    apply_mask, encode_close_payload, encode_frame, negotiate, opcode, parse_header, sha1,
    Compressor, Decompressor, DeflateAgreement, DeflateOffer, FrameDecoder, FrameEvent,
    FrameHeader, FrameRecord, LengthForm, Message, MessageReader, ReaderLimits, Utf8Error,
    Utf8Validator, Violation, WsEvent,
};

/// Cuts `bytes` at the given points (taken modulo the length), keeping empty pieces out.
fn split_at_points<'a>(bytes: &'a [u8], points: &[usize]) -> Vec<&'a [u8]> {
    let mut cuts: Vec<usize> = points.iter().map(|p| p % (bytes.len() + 1)).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    let mut prev = 0;
    for c in cuts {
        out.push(&bytes[prev..c]);
        prev = c;
    }
    out.push(&bytes[prev..]);
    out
}

/// Decoder events with payload chunks merged, so splits that only re-cut payload compare
/// equal.
#[derive(Debug, PartialEq, Eq)]
enum Owned {
    Header(FrameHeader),
    Payload(Vec<u8>),
    End,
}

fn decode_pieces(pieces: &[&[u8]]) -> (Vec<Owned>, bool) {
    let mut dec = FrameDecoder::new();
    let mut out = Vec::new();
    for piece in pieces {
        dec.decode(piece, &mut |ev| match ev {
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

type ReaderOutcome = (Vec<WsEvent>, Vec<FrameRecord>, Result<(), Violation>, bool);

/// zlib's wording of a data error can depend on where the input was cut (its fast path words
/// some errors differently); the violation itself cannot.
fn normalized(mut outcome: ReaderOutcome) -> ReaderOutcome {
    if let Err(v) = &mut outcome.2 {
        if v.rfc == 7692 && v.section == "7.2.2" {
            v.message.clear();
        }
    }
    outcome
}

fn read_pieces(pieces: &[&[u8]], deflate: Option<DeflateAgreement>) -> ReaderOutcome {
    let mut reader = MessageReader::new(ReaderLimits { keep: 100 }, deflate);
    let (mut events, mut frames) = (Vec::new(), Vec::new());
    let mut result = Ok(());
    for piece in pieces {
        result = reader.feed(piece, &mut events, &mut frames);
        if result.is_err() {
            break;
        }
    }
    (events, frames, result, reader.mid_message())
}

fn length() -> impl Strategy<Value = u64> {
    prop_oneof![
        prop::sample::select(vec![
            0u64, 1, 124, 125, 126, 127, 65_534, 65_535, 65_536, 65_537
        ]),
        0u64..70_000,
    ]
}

fn form() -> impl Strategy<Value = LengthForm> {
    prop::sample::select(vec![LengthForm::Minimal, LengthForm::U16, LengthForm::U64])
}

fn header(len: impl Strategy<Value = u64>) -> impl Strategy<Value = FrameHeader> {
    (
        any::<bool>(),
        0u8..8,
        0u8..16,
        any::<Option<[u8; 4]>>(),
        len,
        form(),
    )
        .prop_map(|(fin, rsv, opcode, mask, len, form)| FrameHeader {
            fin,
            rsv,
            opcode,
            mask,
            len,
            form,
        })
}

/// What the decoder reports for a header we encoded: the same fields, with the length form as
/// the bytes show it.
fn as_decoded(h: &FrameHeader) -> FrameHeader {
    FrameHeader {
        form: h.form.on_wire(h.len),
        ..*h
    }
}

/// One server action in a generated stream.
#[derive(Clone, Debug)]
enum Item {
    /// A data message cut at `cuts`, with a ping after the first fragment if `ping` and there
    /// are several.
    Data {
        binary: bool,
        payload: Vec<u8>,
        cuts: Vec<usize>,
        ping: bool,
        compress: bool,
    },
    Ping(Vec<u8>),
    Pong(Vec<u8>),
    /// A close frame: code and reason bytes (possibly invalid).
    Close(Option<u16>, Vec<u8>),
    /// Any header and payload, usually a violation.
    Raw(FrameHeader, Vec<u8>),
}

fn data_item(allow_invalid_utf8: bool) -> impl Strategy<Value = Item> {
    let text = prop_oneof![
        4 => ".{0,60}".prop_map(String::into_bytes),
        1 => "[a-zäöüß]{0,300}".prop_map(String::into_bytes),
    ];
    let payload = if allow_invalid_utf8 {
        prop_oneof![
            3 => text,
            1 => prop::collection::vec(any::<u8>(), 0..80),
        ]
        .boxed()
    } else {
        text.boxed()
    };
    (
        any::<bool>(),
        payload,
        prop::collection::vec(any::<usize>(), 0..4),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(binary, payload, cuts, ping, compress)| Item::Data {
            binary,
            payload,
            cuts,
            ping,
            compress,
        })
}

fn valid_item() -> impl Strategy<Value = Item> {
    prop_oneof![
        6 => data_item(false),
        1 => prop::collection::vec(any::<u8>(), 0..=125).prop_map(Item::Ping),
        1 => prop::collection::vec(any::<u8>(), 0..=125).prop_map(Item::Pong),
    ]
}

fn any_item() -> impl Strategy<Value = Item> {
    let code = prop_oneof![
        Just(None),
        prop::sample::select(vec![
            1000u16, 1001, 1005, 1012, 1015, 2999, 3000, 4999, 5000
        ])
        .prop_map(Some),
    ];
    prop_oneof![
        8 => data_item(true),
        1 => prop::collection::vec(any::<u8>(), 0..130).prop_map(Item::Ping),
        1 => prop::collection::vec(any::<u8>(), 0..=125).prop_map(Item::Pong),
        1 => (code, prop_oneof![".{0,20}".prop_map(String::into_bytes), Just(b"\xC3".to_vec())])
            .prop_map(|(c, r)| Item::Close(c, r)),
        2 => (header(0u64..40), prop::collection::vec(any::<u8>(), 0..40)).prop_map(|(mut h, p)| {
            h.len = p.len() as u64;
            Item::Raw(h, p)
        }),
    ]
}

/// Encodes items as a server would (unmasked), compressing with one compressor so context
/// takeover is exercised. Returns the bytes and the messages a reader must produce for them.
fn encode_items(items: &[Item], deflate: Option<&DeflateAgreement>) -> (Vec<u8>, Vec<WsEvent>) {
    // The server compresses with the server side of the agreement.
    let mut compressor = deflate.map(|a| {
        Compressor::new(&DeflateAgreement {
            client_no_context_takeover: a.server_no_context_takeover,
            client_max_window_bits: a.server_max_window_bits,
            ..*a
        })
    });
    let mut wire = Vec::new();
    let mut expected = Vec::new();
    let frame = |wire: &mut Vec<u8>, fin: bool, rsv: u8, op: u8, payload: &[u8]| {
        let h = FrameHeader {
            fin,
            rsv,
            ..FrameHeader::new(op, None, payload.len() as u64)
        };
        wire.extend_from_slice(&encode_frame(&h, payload));
    };
    for item in items {
        match item {
            Item::Data {
                binary,
                payload,
                cuts,
                ping,
                compress,
            } => {
                let compressed = match (&mut compressor, compress) {
                    (Some(c), true) => Some(c.compress_message(payload)),
                    _ => None,
                };
                let body = compressed.as_deref().unwrap_or(payload);
                let pieces = split_at_points(body, cuts);
                let n = pieces.len();
                for (i, piece) in pieces.iter().enumerate() {
                    let op = match (i, binary) {
                        (0, true) => opcode::BINARY,
                        (0, false) => opcode::TEXT,
                        _ => opcode::CONTINUATION,
                    };
                    let rsv = if i == 0 && compressed.is_some() { 4 } else { 0 };
                    frame(&mut wire, i + 1 == n, rsv, op, piece);
                    if i == 0 && *ping && n > 1 {
                        frame(&mut wire, true, 0, opcode::PING, b"mid");
                        expected.push(WsEvent::Ping(b"mid".to_vec()));
                    }
                }
                expected.push(WsEvent::Message(Message {
                    binary: *binary,
                    len: payload.len() as u64,
                    data: payload[..payload.len().min(100)].to_vec(),
                    truncated: payload.len() > 100,
                    sha1: sha1(payload),
                    frames: n as u32,
                    compressed: compressed.is_some(),
                }));
            }
            Item::Ping(p) => {
                frame(&mut wire, true, 0, opcode::PING, p);
                expected.push(WsEvent::Ping(p.clone()));
            }
            Item::Pong(p) => {
                frame(&mut wire, true, 0, opcode::PONG, p);
                expected.push(WsEvent::Pong(p.clone()));
            }
            Item::Close(code, reason) => {
                frame(
                    &mut wire,
                    true,
                    0,
                    opcode::CLOSE,
                    &encode_close_payload(*code, reason),
                );
            }
            Item::Raw(h, p) => wire.extend_from_slice(&encode_frame(h, p)),
        }
    }
    (wire, expected)
}

fn agreement() -> impl Strategy<Value = Option<DeflateAgreement>> {
    prop_oneof![
        Just(None),
        (any::<bool>(), any::<bool>(), 9u8..=15, 9u8..=15).prop_map(|(s, c, sb, cb)| Some(
            DeflateAgreement {
                server_no_context_takeover: s,
                client_no_context_takeover: c,
                server_max_window_bits: sb,
                client_max_window_bits: cb,
            }
        )),
    ]
}

/// Where a fail-fast validator must fail for `bytes`, judged by the standard library:
/// `Ok(None)` valid, `Ok(Some(at))` incomplete sequence starting at `at`, `Err(at)` the byte
/// at which no continuation could make the input valid.
fn std_verdict(bytes: &[u8]) -> Result<Option<u64>, u64> {
    match std::str::from_utf8(bytes) {
        Ok(_) => Ok(None),
        Err(e) => {
            let at = e.valid_up_to();
            match e.error_len() {
                None => Ok(Some(at as u64)),
                // A valid lead byte followed by `len - 1` acceptable bytes fails at the next
                // one; a byte that cannot start a sequence fails where it is.
                Some(len) if matches!(bytes[at], 0xC2..=0xF4) => Err((at + len) as u64),
                Some(_) => Err(at as u64),
            }
        }
    }
}

fn utf8_input() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..40),
        ".{0,30}".prop_map(String::into_bytes),
        // Valid text with one byte replaced or cut short: the interesting boundary cases.
        (".{1,20}", any::<usize>(), any::<u8>(), any::<bool>()).prop_map(|(s, at, b, cut)| {
            let mut v = s.into_bytes();
            let at = at % v.len();
            if cut {
                v.truncate(at);
            } else {
                v[at] = b;
            }
            v
        }),
    ]
}

proptest! {
    #[test]
    fn header_round_trip(h in header(prop_oneof![length(), any::<u64>()])) {
        let bytes = h.encode();
        prop_assert!((2..=14).contains(&bytes.len()));
        prop_assert_eq!(bytes.len(), h.encoded_len());
        prop_assert_eq!(parse_header(&bytes), Some((as_decoded(&h), bytes.len())));
        for cut in 0..bytes.len() {
            prop_assert_eq!(parse_header(&bytes[..cut]), None);
        }
    }

    #[test]
    fn frame_round_trip(
        frames in prop::collection::vec((header(length()), any::<u8>()), 1..4),
        points in prop::collection::vec(any::<usize>(), 0..6),
    ) {
        let mut wire = Vec::new();
        let mut expected = Vec::new();
        for (h, fill) in &frames {
            let payload: Vec<u8> = (0..h.len).map(|i| fill.wrapping_add(i as u8)).collect();
            wire.extend_from_slice(&encode_frame(h, &payload));
            expected.push(Owned::Header(as_decoded(h)));
            if !payload.is_empty() {
                expected.push(Owned::Payload(payload));
            }
            expected.push(Owned::End);
        }
        let (whole, in_frame) = decode_pieces(&[&wire]);
        prop_assert!(!in_frame);
        prop_assert_eq!(&whole, &expected);
        let (split, _) = decode_pieces(&split_at_points(&wire, &points));
        prop_assert_eq!(split, expected);
    }

    #[test]
    fn decoder_any_bytes_any_split(
        bytes in prop::collection::vec(any::<u8>(), 0..600),
        points in prop::collection::vec(any::<usize>(), 0..10),
    ) {
        let whole = decode_pieces(&[&bytes]);
        let split = decode_pieces(&split_at_points(&bytes, &points));
        let single: Vec<&[u8]> = bytes.chunks(1).collect();
        prop_assert_eq!(&split, &whole);
        prop_assert_eq!(decode_pieces(&single), whole);
    }

    #[test]
    fn reader_any_bytes_any_split(
        bytes in prop::collection::vec(any::<u8>(), 0..600),
        points in prop::collection::vec(any::<usize>(), 0..10),
        deflate in agreement(),
    ) {
        let whole = normalized(read_pieces(&[&bytes], deflate));
        let split = normalized(read_pieces(&split_at_points(&bytes, &points), deflate));
        prop_assert_eq!(split, whole);
    }

    #[test]
    fn reader_streams_any_split(
        items in prop::collection::vec(any_item(), 1..8),
        points in prop::collection::vec(any::<usize>(), 0..12),
        deflate in agreement(),
    ) {
        let (wire, _) = encode_items(&items, deflate.as_ref());
        let whole = normalized(read_pieces(&[&wire], deflate));
        let split = normalized(read_pieces(&split_at_points(&wire, &points), deflate));
        prop_assert_eq!(&split, &whole);
        let single: Vec<&[u8]> = wire.chunks(1).collect();
        prop_assert_eq!(normalized(read_pieces(&single, deflate)), whole);
    }

    #[test]
    fn reader_reads_valid_traffic(
        items in prop::collection::vec(valid_item(), 1..8),
        points in prop::collection::vec(any::<usize>(), 0..12),
        deflate in agreement(),
    ) {
        let (wire, expected) = encode_items(&items, deflate.as_ref());
        let (events, frames, result, mid) =
            read_pieces(&split_at_points(&wire, &points), deflate);
        prop_assert_eq!(result, Ok(()));
        prop_assert!(!mid);
        prop_assert_eq!(events, expected);
        prop_assert!(frames.iter().all(|f| !f.masked));
    }

    #[test]
    fn utf8_agrees_with_std_and_fails_fast(
        bytes in utf8_input(),
        points in prop::collection::vec(any::<usize>(), 0..6),
    ) {
        let mut v = Utf8Validator::new();
        let mut fed = Ok(());
        for piece in split_at_points(&bytes, &points) {
            fed = v.feed(piece);
            if fed.is_err() {
                break;
            }
        }
        let got = fed.and_then(|()| v.finish());
        let want = match std_verdict(&bytes) {
            Ok(None) => Ok(()),
            Ok(Some(at)) => Err(Utf8Error { offset: at, incomplete: true }),
            Err(at) => Err(Utf8Error { offset: at, incomplete: false }),
        };
        prop_assert_eq!(got, want);
        // Fail-fast: feeding only up to and including the failing byte already fails.
        if let Err(at) = std_verdict(&bytes) {
            let mut v = Utf8Validator::new();
            prop_assert!(v.feed(&bytes[..=at as usize]).is_err());
        }
    }

    #[test]
    fn mask_pieces_equal_bytewise(
        data in prop::collection::vec(any::<u8>(), 0..100),
        key in any::<[u8; 4]>(),
        start in 0u64..1000,
        split in any::<usize>(),
    ) {
        let mut masked = data.clone();
        let split = split % (data.len() + 1);
        let (a, b) = masked.split_at_mut(split);
        apply_mask(a, key, start);
        apply_mask(b, key, start + split as u64);
        for (i, (m, d)) in masked.iter().zip(&data).enumerate() {
            prop_assert_eq!(*m, d ^ key[((start + i as u64) % 4) as usize]);
        }
    }

    #[test]
    fn deflate_round_trip(
        messages in prop::collection::vec(
            prop_oneof![
                prop::collection::vec(any::<u8>(), 0..3000),
                prop::collection::vec(prop::sample::select(b"abcab ".to_vec()), 0..6000),
            ],
            1..6,
        ),
        bits in 8u8..=15,
        no_context in any::<bool>(),
        points in prop::collection::vec(any::<usize>(), 0..4),
    ) {
        let agreed = DeflateAgreement {
            server_no_context_takeover: no_context,
            client_no_context_takeover: no_context,
            server_max_window_bits: bits,
            client_max_window_bits: bits,
        };
        let mut c = Compressor::new(&agreed);
        let mut d = Decompressor::new(&agreed);
        for m in &messages {
            let z = c.compress_message(m);
            prop_assert!(!z.ends_with(&[0, 0, 0xFF, 0xFF]));
            let mut out = Vec::new();
            for piece in split_at_points(&z, &points) {
                d.feed(piece, &mut |chunk| out.extend_from_slice(chunk)).unwrap();
            }
            d.finish_message(&mut |chunk| out.extend_from_slice(chunk)).unwrap();
            prop_assert_eq!(&out, m);
        }
    }

    #[test]
    fn negotiate_never_panics(
        value in prop_oneof![
            ".{0,80}",
            prop::collection::vec(
                prop::sample::select(vec![
                    "permessage-deflate", "x-ext", ";", ",", "=", "\"", "\\", " ", "\t",
                    "server_no_context_takeover", "client_no_context_takeover",
                    "server_max_window_bits", "client_max_window_bits", "8", "9", "15", "16",
                    "08", "\"10\"",
                ]),
                0..16,
            )
            .prop_map(|parts| parts.concat()),
        ],
        offers in prop::collection::vec(
            (any::<bool>(), any::<bool>(), prop::option::of(8u8..=15),
             prop::option::of(prop::option::of(8u8..=15)))
                .prop_map(|(s, c, sb, cb)| DeflateOffer {
                    server_no_context_takeover: s,
                    client_no_context_takeover: c,
                    server_max_window_bits: sb,
                    client_max_window_bits: cb,
                }),
            0..3,
        ),
    ) {
        if let Ok(Some(a)) = negotiate(Some(&value), &offers) {
            prop_assert!((8..=15).contains(&a.server_max_window_bits));
            prop_assert!((8..=15).contains(&a.client_max_window_bits));
        }
    }
}
