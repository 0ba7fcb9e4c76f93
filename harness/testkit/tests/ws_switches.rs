//! One test per WebSocket switch: the default server gets the targeted behaviour right (see
//! also ws_defaults.rs), the switched one gets it wrong, and the rest stays correct.

mod common;

use tokio::io::AsyncWriteExt as _;

use common::ws::{
    close_frame, frame, frame_fin, handshake, open, raw_frame, upgrade, Frame, ACCEPT, BINARY,
    CLOSE, CONT, KEY, PING, TEXT,
};
use common::{Ending, QUIET};
use wirecheck_testkit::Switch;

#[tokio::test]
async fn ws_accept_unmasked() {
    let unmasked = raw_frame(0x80 | TEXT, b"bare", None);
    let mut good = open(&[]).await;
    good.send(&unmasked).await;
    good.expect_fail(1002).await;

    let mut bad = open(&[Switch::WsAcceptUnmasked]).await;
    bad.send(&unmasked).await;
    assert_eq!(bad.frame().await, Frame::plain(TEXT, "bare"));
    bad.echo_text("masked too").await;
    // RSV bits are still refused.
    let mut rsv = frame(TEXT, "rsv");
    rsv[0] |= 0x20;
    bad.send(rsv).await;
    bad.expect_fail(1002).await;
}

#[tokio::test]
async fn ws_wrong_accept() {
    let (mut bad, response) = handshake(&[Switch::WsWrongAccept], &upgrade("")).await;
    assert_eq!(response.status, 101);
    let accept = response.header("Sec-WebSocket-Accept").expect("still sent");
    assert_ne!(accept, ACCEPT);
    assert_eq!(accept.len(), ACCEPT.len(), "still base64 of a SHA-1");
    assert_eq!(response.header("Upgrade"), Some("websocket"));
    bad.echo_text("still echoes").await;
}

/// κόσμε + a surrogate + "edited".
fn invalid_text() -> Vec<u8> {
    let mut payload = "κόσμε".as_bytes().to_vec();
    payload.extend_from_slice(&[0xED, 0xA0, 0x80]);
    payload.extend_from_slice(b"edited");
    payload
}

#[tokio::test]
async fn ws_no_utf8_check() {
    let payload = invalid_text();
    let mut good = open(&[]).await;
    good.send(frame(TEXT, &payload)).await;
    good.expect_fail(1007).await;

    let mut bad = open(&[Switch::WsNoUtf8Check]).await;
    bad.send(frame(TEXT, &payload)).await;
    assert_eq!(bad.frame().await, Frame::plain(TEXT, &payload));
    bad.echo_text("valid").await;
    // Other violations still fail the connection.
    bad.send(frame(0x3, "")).await;
    bad.expect_fail(1002).await;
}

#[tokio::test]
async fn ws_late_utf8() {
    let payload = invalid_text();
    let bad_at = "κόσμε".len() + 1;
    for (switches, fail_fast) in [(&[][..], true), (&[Switch::WsLateUtf8][..], false)] {
        let mut client = open(switches).await;
        client
            .send(frame_fin(TEXT, false, &payload[..=bad_at]))
            .await;
        if fail_fast {
            client.expect_fail(1007).await;
            continue;
        }
        // Still nothing after the invalid byte ...
        assert_eq!(client.try_frame(QUIET).await, Err(Ending::Open));
        client.send(frame(CONT, &payload[bad_at + 1..])).await;
        // ... but the message is refused once complete.
        client.expect_fail(1007).await;
    }
}

#[tokio::test]
async fn ws_no_pong() {
    let mut good = open(&[]).await;
    good.send(frame(PING, "are you there")).await;
    assert_eq!(good.frame().await, Frame::plain(0xA, "are you there"));

    let mut bad = open(&[Switch::WsNoPong]).await;
    bad.send(frame(PING, "are you there")).await;
    bad.expect_silence().await;
    bad.echo_text("echo works").await;
    bad.send(close_frame(1000, b"")).await;
    bad.expect_fail(1000).await;
}

#[tokio::test]
async fn ws_masked_frames() {
    let mut bad = open(&[Switch::WsMaskedFrames]).await;
    bad.send(frame(BINARY, [1, 2, 3, 4, 5])).await;
    let echo = bad.frame().await;
    assert!(echo.masked);
    assert_eq!((echo.opcode, echo.payload), (BINARY, vec![1, 2, 3, 4, 5]));
    // The masking key is in the frame, and it is not all zeros.
    bad.send(frame(TEXT, "x".repeat(200))).await;
    let echo = bad.frame().await;
    assert!(echo.masked);
    assert_eq!(echo.payload, "x".repeat(200).as_bytes());
}

#[tokio::test]
async fn ws_no_close_reply() {
    let mut bad = open(&[Switch::WsNoCloseReply]).await;
    bad.echo_text("before").await;
    bad.send(close_frame(1000, b"bye")).await;
    bad.expect_silence().await;
    // Failing the connection still sends a Close.
    let mut bad = open(&[Switch::WsNoCloseReply]).await;
    bad.send(frame(0x3, "")).await;
    bad.expect_fail(1002).await;
}

#[tokio::test]
async fn ws_keep_tcp() {
    let mut bad = open(&[Switch::WsKeepTcp]).await;
    bad.send(close_frame(1000, b"")).await;
    assert_eq!(bad.frame().await, Frame::close(1000));
    bad.expect_silence().await;
    // The server drops its side once the client has closed.
    bad.stream.shutdown().await.unwrap();
    assert_eq!(bad.closed().await, Ending::Fin);
}

#[tokio::test]
async fn ws_ignore_rsv() {
    let mut rsv = frame(TEXT, "reserved bits");
    rsv[0] |= 0x70;
    let mut good = open(&[]).await;
    good.send(&rsv).await;
    good.expect_fail(1002).await;

    let mut bad = open(&[Switch::WsIgnoreRsv]).await;
    bad.send(&rsv).await;
    assert_eq!(bad.frame().await, Frame::plain(TEXT, "reserved bits"));
    // Reserved opcodes are still refused.
    bad.send(frame(0x3, "")).await;
    bad.expect_fail(1002).await;
}

#[tokio::test]
async fn ws_ignore_opcode() {
    let mut bad = open(&[Switch::WsIgnoreOpcode]).await;
    for opcode in [0x3, 0x7, 0xB, 0xF] {
        bad.send(frame(opcode, "reserved")).await;
        bad.echo_text("after").await;
    }
    // Fragmented pings are still refused.
    bad.send(frame_fin(PING, false, b"")).await;
    bad.expect_fail(1002).await;
}

#[tokio::test]
async fn ws_bad_close_code() {
    let mut bad = open(&[Switch::WsBadCloseCode]).await;
    bad.send(close_frame(1000, b"")).await;
    assert_eq!(bad.frame().await, Frame::close(1005));
    assert_eq!(bad.closed().await, Ending::Fin);
    // Failing the connection still uses the right code.
    let mut bad = open(&[Switch::WsBadCloseCode]).await;
    bad.send(frame(CLOSE, [0x03])).await;
    bad.expect_fail(1002).await;
}

#[tokio::test]
async fn ws_no_upgrade_header() {
    let (mut bad, response) = handshake(&[Switch::WsNoUpgradeHeader], &upgrade("")).await;
    assert_eq!(response.status, 101);
    assert_eq!(response.header("Upgrade"), None);
    assert_eq!(response.header("Connection"), Some("Upgrade"));
    assert_eq!(response.header("Sec-WebSocket-Accept"), Some(ACCEPT));
    bad.echo_text("still echoes").await;
}

#[tokio::test]
async fn ws_unoffered_protocol() {
    let switches = [Switch::WsUnofferedProtocol];
    for (offer, chosen) in [
        ("", "chat"),
        ("Sec-WebSocket-Protocol: foo\r\n", "chat"),
        ("Sec-WebSocket-Protocol: superchat\r\n", "superchat"),
    ] {
        let (_, response) = handshake(&switches, &upgrade(offer)).await;
        assert_eq!(response.status, 101);
        assert_eq!(
            response.header("Sec-WebSocket-Protocol"),
            Some(chosen),
            "{offer}"
        );
    }
}

#[tokio::test]
async fn ws_accept_bad_version() {
    let request = |version: &str| {
        format!(
            "GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Key: {KEY}\r\nSec-WebSocket-Version: {version}\r\n\r\n"
        )
    };
    let (_, good) = handshake(&[], &request("8")).await;
    assert_eq!(good.status, 426);
    let switches = [Switch::WsAcceptBadVersion];
    let (mut bad, response) = handshake(&switches, &request("8")).await;
    assert_eq!(response.status, 101);
    bad.echo_text("hybi-08").await;
    let (_, other) = handshake(&switches, &request("7")).await;
    assert_eq!(other.status, 426);
    assert_eq!(other.header("Sec-WebSocket-Version"), Some("13"));
}
