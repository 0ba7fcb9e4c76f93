//! Property tests of the HTTP/1.1 response reader: it never panics on any bytes in any split,
//! and a valid response decodes identically however the bytes are cut.

use proptest::prelude::*;
use wirecheck_core::wire::http1::{DecodeLimits, Progress, Response, ResponseDecoder};

/// Feeds `chunks` one after another the way the engine does (keeping unconsumed bytes), and
/// returns every complete response and whether decoding failed.
fn decode_split(chunks: &[Vec<u8>], eof: bool, head: bool) -> (Vec<Response>, bool) {
    let limits = DecodeLimits {
        max_head: 4096,
        max_headers: 32,
        max_body_kept: 1 << 16,
    };
    let mut dec = ResponseDecoder::new(limits, head);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    let n = chunks.len();
    for (i, chunk) in chunks.iter().enumerate() {
        buf.extend_from_slice(chunk);
        let last = eof && i + 1 == n;
        loop {
            match dec.feed(&buf, last) {
                Ok(Progress::Done { consumed, response }) => {
                    buf.drain(..consumed);
                    out.push(*response);
                    dec = ResponseDecoder::new(limits, head);
                    if buf.is_empty() {
                        break;
                    }
                }
                Ok(Progress::NeedMore { consumed }) => {
                    buf.drain(..consumed);
                    break;
                }
                Err(_) => return (out, true),
            }
        }
    }
    (out, false)
}

fn split_at_points(bytes: &[u8], points: &[usize]) -> Vec<Vec<u8>> {
    let mut cuts: Vec<usize> = points.iter().map(|p| p % (bytes.len() + 1)).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    let mut prev = 0;
    for c in cuts {
        out.push(bytes[prev..c].to_vec());
        prev = c;
    }
    out.push(bytes[prev..].to_vec());
    out
}

fn token() -> impl Strategy<Value = String> {
    "[A-Za-z][A-Za-z0-9-]{0,12}"
}

/// A well-formed response: status line, headers, and a body framed by Content-Length or
/// chunked coding (or none, for 204/304).
fn valid_response() -> impl Strategy<Value = Vec<u8>> {
    (
        prop_oneof![
            Just(200u16),
            Just(201),
            Just(204),
            Just(304),
            Just(400),
            Just(404),
            Just(500)
        ],
        proptest::collection::vec((token(), "[ -~]{0,20}"), 0..6),
        proptest::collection::vec(any::<u8>(), 0..300),
        any::<bool>(),
        proptest::collection::vec(1usize..64, 0..5),
    )
        .prop_map(|(status, headers, body, chunked, chunk_sizes)| {
            let mut out = format!("HTTP/1.1 {status} Reason\r\n").into_bytes();
            for (n, v) in headers {
                if ["content-length", "transfer-encoding"]
                    .contains(&n.to_ascii_lowercase().as_str())
                {
                    continue;
                }
                out.extend_from_slice(format!("X-{n}: {}\r\n", v.trim()).as_bytes());
            }
            let bodiless = status == 204 || status == 304;
            if bodiless {
                out.extend_from_slice(b"\r\n");
            } else if chunked {
                out.extend_from_slice(b"Transfer-Encoding: chunked\r\n\r\n");
                let mut rest = body.as_slice();
                for size in chunk_sizes.into_iter().chain(std::iter::once(usize::MAX)) {
                    if rest.is_empty() {
                        break;
                    }
                    let (c, r) = rest.split_at(size.min(rest.len()));
                    out.extend_from_slice(format!("{:x}\r\n", c.len()).as_bytes());
                    out.extend_from_slice(c);
                    out.extend_from_slice(b"\r\n");
                    rest = r;
                }
                out.extend_from_slice(b"0\r\nX-Trailer: t\r\n\r\n");
            } else {
                out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
                out.extend_from_slice(&body);
            }
            out
        })
}

proptest! {
    #[test]
    fn any_bytes_any_split_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048),
                                       points in proptest::collection::vec(any::<usize>(), 0..8),
                                       eof in any::<bool>(), head in any::<bool>()) {
        let _ = decode_split(&split_at_points(&bytes, &points), eof, head);
    }

    #[test]
    fn http_like_garbage_never_panics(prefix in prop_oneof![Just(b"HTTP/1.1 200 OK\r\n".to_vec()), Just(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec()), Just(b"HTTP/1.0 204 x\r\nContent-Length: 5\r\n\r\n".to_vec())],
                                      tail in proptest::collection::vec(prop_oneof![Just(b'\r'), Just(b'\n'), Just(b':'), Just(b' '), Just(b'0'), Just(b'f'), any::<u8>()], 0..512),
                                      points in proptest::collection::vec(any::<usize>(), 0..8)) {
        let mut bytes = prefix;
        bytes.extend(tail);
        let _ = decode_split(&split_at_points(&bytes, &points), true, false);
    }

    #[test]
    fn valid_responses_decode_the_same_however_split(responses in proptest::collection::vec(valid_response(), 1..4),
                                                     points in proptest::collection::vec(any::<usize>(), 0..12)) {
        let whole: Vec<u8> = responses.concat();
        let (once, err_once) = decode_split(std::slice::from_ref(&whole), false, false);
        prop_assert!(!err_once, "valid stream failed to decode");
        prop_assert_eq!(once.len(), responses.len());
        let (split, err_split) = decode_split(&split_at_points(&whole, &points), false, false);
        prop_assert!(!err_split);
        prop_assert_eq!(once, split);
    }
}
