//! With no switch on, the WebSocket echo at `/ws` follows RFC 6455: the handshake, echo,
//! pings, the closing handshake, failing the connection, UTF-8 failing fast across TCP
//! segments, and permessage-deflate.

mod common;

use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress};

use common::ws::{
    close_frame, frame, frame_fin, handshake, open, raw_frame, upgrade, Frame, ACCEPT, BINARY,
    CLOSE, CONT, KEY, MASK, PING, PONG, TEXT,
};
use common::{Ending, QUIET};

#[tokio::test]
async fn handshake_answers_101_with_the_accept_value() {
    let (mut client, response) = handshake(&[], &upgrade("Origin: http://localhost\r\n")).await;
    assert_eq!(
        (response.version.as_str(), response.status),
        ("HTTP/1.1", 101)
    );
    assert!(response
        .raw_head
        .starts_with(b"HTTP/1.1 101 Switching Protocols\r\n"));
    assert_eq!(response.header("Upgrade"), Some("websocket"));
    assert_eq!(response.header("Connection"), Some("Upgrade"));
    assert_eq!(response.header("Sec-WebSocket-Accept"), Some(ACCEPT));
    for absent in [
        "Sec-WebSocket-Protocol",
        "Sec-WebSocket-Extensions",
        "Content-Length",
        "Transfer-Encoding",
    ] {
        assert_eq!(response.header(absent), None, "{absent}");
    }
    client.expect_silence().await;
    client.echo_text("Hello").await;
}

#[tokio::test]
async fn handshake_tokens_are_case_insensitive_and_connection_is_a_list() {
    let request = format!(
        "GET /ws?x=1 HTTP/1.1\r\nHost: localhost\r\nUpgrade: WebSocket\r\n\
         Connection: keep-alive, UPGRADE\r\nSec-WebSocket-Key: {KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    );
    let (mut client, response) = handshake(&[], &request).await;
    assert_eq!(response.status, 101);
    client.echo_text("list").await;
}

#[tokio::test]
async fn bad_handshakes_are_refused_and_closed() {
    let v13 = "Sec-WebSocket-Version: 13\r\n";
    let key = format!("Sec-WebSocket-Key: {KEY}\r\n");
    let base = "Host: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
    let cases = [
        ("no key", format!("GET /ws HTTP/1.1\r\n{base}{v13}\r\n"), 400),
        (
            "15-byte key",
            format!("GET /ws HTTP/1.1\r\n{base}Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAA\r\n{v13}\r\n"),
            400,
        ),
        (
            "key not base64",
            format!("GET /ws HTTP/1.1\r\n{base}Sec-WebSocket-Key: not base64 at all!!!!\r\n{v13}\r\n"),
            400,
        ),
        (
            "two keys",
            format!("GET /ws HTTP/1.1\r\n{base}{key}{key}{v13}\r\n"),
            400,
        ),
        ("no version", format!("GET /ws HTTP/1.1\r\n{base}{key}\r\n"), 400),
        (
            "POST",
            format!("POST /ws HTTP/1.1\r\n{base}{key}{v13}Content-Length: 0\r\n\r\n"),
            400,
        ),
        ("HTTP/1.0", format!("GET /ws HTTP/1.0\r\n{base}{key}{v13}\r\n"), 400),
        (
            "no Upgrade",
            format!("GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n{key}{v13}\r\n"),
            400,
        ),
        (
            "no Connection: Upgrade",
            format!("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: keep-alive\r\n{key}{v13}\r\n"),
            400,
        ),
        (
            "version 8",
            format!("GET /ws HTTP/1.1\r\n{base}{key}Sec-WebSocket-Version: 8\r\n\r\n"),
            426,
        ),
        (
            "version 14",
            format!("GET /ws HTTP/1.1\r\n{base}{key}Sec-WebSocket-Version: 14\r\n\r\n"),
            426,
        ),
    ];
    for (name, request, status) in cases {
        let (mut client, response) = handshake(&[], &request).await;
        assert_eq!(response.status, status, "{name}");
        // Connection is a list, possibly over several lines (the 426 also says `upgrade`).
        let closes = response.headers.iter().any(|(n, v)| {
            n.eq_ignore_ascii_case("connection")
                && v.split(',').any(|m| m.trim().eq_ignore_ascii_case("close"))
        });
        assert!(closes, "{name}: {:?}", response.headers);
        assert_eq!(response.header("Sec-WebSocket-Accept"), None, "{name}");
        let version = (status == 426).then_some("13");
        assert_eq!(response.header("Sec-WebSocket-Version"), version, "{name}");
        assert_eq!(client.closed().await, Ending::Fin, "{name}");
    }
}

#[tokio::test]
async fn subprotocol_is_the_first_offered_supported_one() {
    for (offer, chosen) in [
        (
            "Sec-WebSocket-Protocol: foo, superchat, chat\r\n",
            Some("superchat"),
        ),
        (
            "Sec-WebSocket-Protocol: foo\r\nSec-WebSocket-Protocol: chat\r\n",
            Some("chat"),
        ),
        ("Sec-WebSocket-Protocol: foo, bar\r\n", None),
        ("", None),
    ] {
        let (_, response) = handshake(&[], &upgrade(offer)).await;
        assert_eq!(response.status, 101);
        assert_eq!(response.header("Sec-WebSocket-Protocol"), chosen, "{offer}");
    }
}

#[tokio::test]
async fn only_offered_extensions_are_accepted() {
    for (offer, answer) in [
        (
            "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n",
            Some("permessage-deflate"),
        ),
        (
            "Sec-WebSocket-Extensions: x-unknown, permessage-deflate; server_no_context_takeover; server_max_window_bits=10\r\n",
            Some("permessage-deflate; server_no_context_takeover; server_max_window_bits=10"),
        ),
        ("Sec-WebSocket-Extensions: x-webkit-deflate-frame\r\n", None),
        ("Sec-WebSocket-Extensions: permessage-deflate; bogus\r\n", None),
    ] {
        let (_, response) = handshake(&[], &upgrade(offer)).await;
        assert_eq!(response.header("Sec-WebSocket-Extensions"), answer, "{offer}");
    }
}

#[tokio::test]
async fn echoes_text_and_binary_of_every_length_class() {
    let mut client = open(&[]).await;
    client.echo_text("").await;
    client.echo_text("Hello-µ@ßöäüàá-UTF-8!!").await;
    for len in [125, 126, 65_535, 65_536, 300_000] {
        let payload: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        client.send(frame(BINARY, &payload)).await;
        assert_eq!(
            client.frame().await,
            Frame::plain(BINARY, &payload),
            "{len}"
        );
    }
    // 997-byte TCP chops of a 65,536-byte text frame (Autobahn 1.1.8).
    let text = "*".repeat(65_536);
    for piece in frame(TEXT, &text).chunks(997) {
        client.send(piece).await;
    }
    assert_eq!(client.frame().await, Frame::plain(TEXT, &text));
    client.expect_silence().await;
}

#[tokio::test]
async fn fragments_are_reassembled_and_pings_between_them_answered() {
    let mut client = open(&[]).await;
    client.send(frame_fin(TEXT, false, b"fragment1")).await;
    client.send(frame(PING, "ping!")).await;
    // The pong comes at once, before the message is complete.
    assert_eq!(client.frame().await, Frame::plain(PONG, "ping!"));
    let mut rest = frame_fin(CONT, false, b"")
        .into_iter()
        .chain(frame(CONT, "fragment2"))
        .collect::<Vec<u8>>();
    // Octet-wise, as Autobahn 5.8 sends it.
    for byte in rest.drain(..) {
        client.send([byte]).await;
    }
    assert_eq!(
        client.frame().await,
        Frame::plain(TEXT, "fragment1fragment2")
    );
    for i in 0..10 {
        client.send(frame(PING, format!("payload-{i}"))).await;
    }
    for i in 0..10 {
        assert_eq!(
            client.frame().await,
            Frame::plain(PONG, format!("payload-{i}"))
        );
    }
    // Unsolicited pongs are ignored.
    client.send(frame(PONG, "unsolicited")).await;
    client.expect_silence().await;
}

#[tokio::test]
async fn a_close_is_echoed_and_the_server_closes_tcp_first() {
    let mut client = open(&[]).await;
    client.send(close_frame(1000, b"Hello World!")).await;
    client.expect_fail(1000).await;

    let mut client = open(&[]).await;
    client.send(frame(CLOSE, b"")).await;
    assert_eq!(client.frame().await, Frame::plain(CLOSE, b""));
    assert_eq!(client.closed().await, Ending::Fin);

    for code in [1001, 1003, 1007, 1011, 1012, 1014, 3000, 4999] {
        let mut client = open(&[]).await;
        client.send(close_frame(code, b"")).await;
        client.expect_fail(code).await;
    }

    // Nothing after the Close is answered (Autobahn 7.1.3, 7.1.4).
    let mut client = open(&[]).await;
    let mut bytes = close_frame(1000, b"");
    bytes.extend(frame(PING, "late"));
    bytes.extend(frame(TEXT, "late"));
    client.send(bytes).await;
    client.expect_fail(1000).await;
}

#[tokio::test]
async fn protocol_violations_fail_the_connection_with_1002() {
    let mut rsv = frame(TEXT, "rsv");
    rsv[0] |= 0x40;
    let mut close_126 = frame(CLOSE, [0x03, 0xE8].repeat(63));
    close_126[1] = 0x80 | 126;
    let mut second_text = frame_fin(TEXT, false, b"a");
    second_text.extend(frame(TEXT, "b"));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("unmasked", raw_frame(0x81, b"hi", None)),
        ("RSV1 without an extension", rsv),
        ("reserved data opcode", frame(0x3, "")),
        ("reserved control opcode", frame(0xB, "x")),
        ("ping of 126 bytes", frame(PING, [0; 126])),
        ("close of 126 bytes", close_126),
        ("fragmented ping", frame_fin(PING, false, b"p")),
        ("continuation with nothing to continue", frame(CONT, "x")),
        ("text inside a fragmented text", second_text),
        ("close payload of 1 byte", frame(CLOSE, [0x03])),
        ("close code 1005", close_frame(1005, b"")),
        ("close code 1015", close_frame(1015, b"")),
        ("close code 2999", close_frame(2999, b"")),
        ("close code 5000", close_frame(5000, b"")),
    ];
    for (name, bytes) in cases {
        let mut client = open(&[]).await;
        client.send(bytes).await;
        assert_eq!(client.frame().await, Frame::close(1002), "{name}");
        assert_eq!(client.closed().await, Ending::Fin, "{name}");
    }
}

#[tokio::test]
async fn a_valid_message_before_a_violation_is_still_echoed() {
    let mut client = open(&[]).await;
    let mut bytes = frame(TEXT, "first");
    bytes.extend(frame(0x4, "reserved"));
    bytes.extend(frame(PING, ""));
    client.send(bytes).await;
    assert_eq!(client.frame().await, Frame::plain(TEXT, "first"));
    client.expect_fail(1002).await;
}

/// κόσμε, then F4 90 80 80 (above U+10FFFF), then "edited" (Autobahn 6.4).
fn kosme_invalid() -> (Vec<u8>, usize) {
    let mut payload = "κόσμε".as_bytes().to_vec();
    let bad = payload.len() + 1;
    payload.extend_from_slice(&[0xF4, 0x90, 0x80, 0x80]);
    payload.extend_from_slice(b"edited");
    (payload, bad)
}

#[tokio::test]
async fn invalid_utf8_fails_fast_inside_one_frame_across_segments() {
    let (payload, bad) = kosme_invalid();
    let bytes = frame(TEXT, &payload);
    let header = bytes.len() - payload.len();
    let mut client = open(&[]).await;
    // The valid prefix and the lead byte F4: nothing is wrong yet.
    client.send(&bytes[..header + bad]).await;
    assert_eq!(client.try_frame(QUIET).await, Err(Ending::Open));
    // 0x90 makes the sequence invalid: 1007 at once, with the frame still incomplete.
    client.send(&bytes[header + bad..header + bad + 1]).await;
    client.expect_fail(1007).await;
}

#[tokio::test]
async fn invalid_utf8_fails_fast_across_fragments() {
    let (payload, bad) = kosme_invalid();
    let mut client = open(&[]).await;
    client.send(frame_fin(TEXT, false, &payload[..bad])).await;
    assert_eq!(client.try_frame(QUIET).await, Err(Ending::Open));
    client
        .send(frame_fin(CONT, false, &payload[bad..bad + 1]))
        .await;
    client.expect_fail(1007).await;
}

#[tokio::test]
async fn invalid_utf8_in_text_or_close_reason_is_1007() {
    let mut surrogate = "κόσμε".as_bytes().to_vec();
    surrogate.extend_from_slice(&[0xED, 0xA0, 0x80]);
    surrogate.extend_from_slice(b"edited");
    let mut incomplete = frame_fin(TEXT, false, &[0xCE]);
    incomplete.extend(frame(CONT, ""));
    for (name, bytes) in [
        ("surrogate", frame(TEXT, &surrogate)),
        ("incomplete at the end of the message", incomplete),
        ("close reason", close_frame(1000, &[0xFF, b'x'])),
    ] {
        let mut client = open(&[]).await;
        client.send(bytes).await;
        assert_eq!(client.frame().await, Frame::close(1007), "{name}");
        assert_eq!(client.closed().await, Ending::Fin, "{name}");
    }
    // Binary messages are not text: anything goes.
    let mut client = open(&[]).await;
    client.send(frame(BINARY, &surrogate)).await;
    assert_eq!(client.frame().await, Frame::plain(BINARY, &surrogate));
}

#[tokio::test]
async fn a_large_message_arriving_in_pieces_is_echoed() {
    let mut client = open(&[]).await;
    let payload: Vec<u8> = (0..4 << 20).map(|i: u32| (i % 7) as u8).collect();
    let bytes = frame(BINARY, &payload);
    for piece in bytes.chunks(256 * 1024) {
        client.send(piece).await;
    }
    let echo = client.frame().await;
    assert_eq!((echo.opcode, echo.masked), (BINARY, false));
    assert!(echo.payload == payload, "echo differs");
}

/// Raw deflate with a sync flush, without the 00 00 FF FF tail (RFC 7692 §7.2.1).
fn deflate(compress: &mut Compress, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 64);
    compress
        .compress_vec(data, &mut out, FlushCompress::Sync)
        .unwrap();
    if out.is_empty() {
        // zlib emits nothing for an empty flush right after another: the empty message is a
        // single 0x00 (RFC 7692 §7.2.3.6).
        return vec![0x00];
    }
    assert!(out.ends_with(&[0, 0, 0xFF, 0xFF]));
    out.truncate(out.len() - 4);
    out
}

fn inflate(decompress: &mut Decompress, data: &[u8]) -> Vec<u8> {
    let mut input = data.to_vec();
    input.extend_from_slice(&[0, 0, 0xFF, 0xFF]);
    let mut out = Vec::with_capacity(1 << 20);
    decompress
        .decompress_vec(&input, &mut out, FlushDecompress::Sync)
        .unwrap();
    out
}

#[tokio::test]
async fn permessage_deflate_echo() {
    let offer = "Sec-WebSocket-Extensions: permessage-deflate\r\n";
    let (mut client, response) = handshake(&[], &upgrade(offer)).await;
    assert_eq!(
        response.header("Sec-WebSocket-Extensions"),
        Some("permessage-deflate")
    );
    let mut compress = Compress::new(Compression::default(), false);
    let mut decompress = Decompress::new(false);
    for message in ["Hello", "Hello", "", "κόσμε κόσμε κόσμε"] {
        let compressed = deflate(&mut compress, message.as_bytes());
        client
            .send(raw_frame(0x80 | 0x40 | TEXT, &compressed, Some(MASK)))
            .await;
        let echo = client.frame().await;
        assert_eq!((echo.fin, echo.rsv, echo.opcode), (true, 0b100, TEXT));
        assert_eq!(inflate(&mut decompress, &echo.payload), message.as_bytes());
    }
    // Uncompressed messages are still accepted (RSV1 clear).
    client.send(frame(BINARY, "plain")).await;
    let echo = client.frame().await;
    assert_eq!(inflate(&mut decompress, &echo.payload), b"plain");
    // Invalid UTF-8 inside compressed text is still refused.
    let bad = deflate(&mut compress, &[b'a', 0xFF]);
    client
        .send(raw_frame(0x80 | 0x40 | TEXT, &bad, Some(MASK)))
        .await;
    client.expect_fail(1007).await;
}
