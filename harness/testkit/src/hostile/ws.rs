//! The WebSocket modes: a correct opening handshake (RFC 6455 §4.2.2), then hostile frames.

use std::io;
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use super::request::header_value;
use super::stream::{drip, flood, stall, BLOCK};
use super::HostileMode;
use crate::ws::handshake::accept_value;

/// `ws-drip-frame`: one byte of the frame every 200 ms.
const DRIP_EVERY: Duration = Duration::from_millis(200);

/// `ws-drip-frame`: the text of the dripped frame (never what a case sends, so it can never
/// pass as an echo).
const DRIPPED_TEXT: &[u8] = b"dripping, one byte at a time";

/// `ws-huge-frame`: a final binary frame, 64-bit length 2^63-1 (the largest a 64-bit length
/// may be: its most significant bit MUST be 0), unmasked as a server's frames are.
const HUGE_FRAME_HEADER: [u8; 10] = [0x82, 127, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];

/// `ws-ping-flood`: a final ping frame with no payload.
const EMPTY_PING: [u8; 2] = [0x89, 0x00];

/// Answers the upgrade in `head` with a 101, then mistreats the connection.
pub(super) async fn serve(s: &mut TcpStream, head: &[u8], mode: HostileMode) -> io::Result<()> {
    let Some(key) = header_value(head, "sec-websocket-key") else {
        s.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .await?;
        return Ok(());
    };
    let response = format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {}\r\n\r\n",
        accept_value(key)
    );
    s.write_all(response.as_bytes()).await?;
    match mode {
        HostileMode::WsHugeFrame => {
            s.write_all(&HUGE_FRAME_HEADER).await?;
            flood(s, |block| block.resize(BLOCK, 0)).await
        }
        HostileMode::WsDripFrame => {
            let len = u8::try_from(DRIPPED_TEXT.len()).expect("a short frame");
            let mut frame = vec![0x81, len];
            frame.extend_from_slice(DRIPPED_TEXT);
            drip(s, &frame, DRIP_EVERY).await?;
            stall(s).await
        }
        HostileMode::WsPingFlood => {
            // Pings as fast as the client takes them; its pongs (and anything else) are read
            // and dropped, so only the flood, not a full send buffer, is in its way.
            let (mut rd, mut wr) = s.split();
            let pings = flood(&mut wr, |block| {
                while block.len() < BLOCK {
                    block.extend_from_slice(&EMPTY_PING);
                }
            });
            tokio::select! {
                r = pings => r,
                r = stall(&mut rd) => r,
            }
        }
        _ => unreachable!("only WebSocket modes come here"),
    }
}
