//! Inputs the fuzz targets in `harness/fuzz` found bugs with, as plain tests (the same inputs
//! are also in the fuzz seed corpora, `harness/fuzz/corpus/<target>/regress-*`).

use wirecheck_core::wire::ws::{
    Decompressor, DeflateAgreement, MessageReader, ReaderLimits, Violation, WsEvent,
};

fn agreement() -> DeflateAgreement {
    DeflateAgreement {
        server_no_context_takeover: false,
        client_no_context_takeover: false,
        server_max_window_bits: 10,
        client_max_window_bits: 12,
    }
}

/// A compressed "Iello", then a compressed text frame whose DEFLATE data inflates to `C0 91`
/// (not UTF-8) and then hits an invalid distance code. Found by the ws_reader target
/// (corpus/ws_reader/regress-utf8-error-before-inflate-error).
const UTF8_ERROR_BEFORE_INFLATE_ERROR: &[u8] = &[
    0xc1, 0x07, 0xf2, 0x4c, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0xc1, 0x2a, 0x3b, 0x30, 0x11, 0xff, 0xf7,
];

fn read(pieces: &[&[u8]]) -> (Vec<WsEvent>, Result<(), Violation>) {
    let mut reader = MessageReader::new(ReaderLimits { keep: 100 }, Some(agreement()));
    let (mut events, mut frames) = (Vec::new(), Vec::new());
    let mut result = Ok(());
    for piece in pieces {
        result = reader.feed(piece, &mut events, &mut frames);
        if result.is_err() {
            break;
        }
    }
    (events, result)
}

#[test]
fn output_before_a_deflate_error_is_handed_on() {
    let mut d = Decompressor::new(&agreement());
    let mut out = Vec::new();
    d.feed(&[0xf2, 0x4c, 0xcd, 0xc9, 0xc9, 0x07, 0x00], &mut |c| {
        out.extend_from_slice(c)
    })
    .unwrap();
    d.finish_message(&mut |c| out.extend_from_slice(c)).unwrap();
    assert_eq!(out, b"Iello");
    // Whole: the call that finds the invalid distance code also inflated two bytes before
    // it; they used to be dropped with the error.
    let mut out = Vec::new();
    let err = d.feed(&[0x3b, 0x30, 0x11, 0xff, 0xf7], &mut |c| {
        out.extend_from_slice(c)
    });
    assert!(err.is_err());
    assert_eq!(out, [0xc0, 0x91]);
}

#[test]
fn utf8_violation_before_a_deflate_error_is_reported_however_the_bytes_arrive() {
    let whole = read(&[UTF8_ERROR_BEFORE_INFLATE_ERROR]);
    let single: Vec<&[u8]> = UTF8_ERROR_BEFORE_INFLATE_ERROR.chunks(1).collect();
    assert_eq!(read(&single), whole);
    let (events, result) = whole;
    assert_eq!(events.len(), 1, "the first message is read");
    let v = result.unwrap_err();
    assert_eq!((v.rfc, v.section), (6455, "8.1"), "{v}");
}
