//! A raw WebSocket test client on top of [`Client`]: it builds frames byte by byte (so it can
//! send broken ones) and reads the server's frames without judging them.

use std::time::Duration;

use wirecheck_testkit::{BrokenServer, Switch};

use super::{start, Client, Ending, Response, QUIET, STEP};

/// The key of RFC 6455 §1.3 and its accept value.
pub const KEY: &str = "dGhlIHNhbXBsZSBub25jZQ==";
/// `Sec-WebSocket-Accept` for [`KEY`].
pub const ACCEPT: &str = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
/// The masking key of every client frame.
pub const MASK: [u8; 4] = [0x37, 0xfa, 0x21, 0x3d];

/// Opcodes.
pub const CONT: u8 = 0x0;
pub const TEXT: u8 = 0x1;
pub const BINARY: u8 = 0x2;
pub const CLOSE: u8 = 0x8;
pub const PING: u8 = 0x9;
pub const PONG: u8 = 0xA;

/// A valid upgrade request for `/ws` with `extra` field lines (each ending in CRLF).
pub fn upgrade(extra: &str) -> String {
    format!(
        "GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: {KEY}\r\nSec-WebSocket-Version: 13\r\n{extra}\r\n"
    )
}

/// A frame as the server sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub fin: bool,
    pub rsv: u8,
    pub opcode: u8,
    pub masked: bool,
    /// The payload, unmasked.
    pub payload: Vec<u8>,
}

impl Frame {
    /// An unmasked final frame without RSV bits: what a conformant server sends.
    pub fn plain(opcode: u8, payload: impl AsRef<[u8]>) -> Frame {
        Frame {
            fin: true,
            rsv: 0,
            opcode,
            masked: false,
            payload: payload.as_ref().to_vec(),
        }
    }

    /// A Close carrying `code`.
    pub fn close(code: u16) -> Frame {
        Frame::plain(CLOSE, code.to_be_bytes())
    }
}

/// A frame with the first byte `b0` (FIN, RSV, opcode), masked with `mask` if any.
pub fn raw_frame(b0: u8, payload: &[u8], mask: Option<[u8; 4]>) -> Vec<u8> {
    let mut out = vec![b0];
    let bit = if mask.is_some() { 0x80 } else { 0 };
    match payload.len() {
        len @ 0..=125 => out.push(bit | len as u8),
        len @ 126..=0xFFFF => {
            out.push(bit | 126);
            out.extend_from_slice(&(len as u16).to_be_bytes());
        }
        len => {
            out.push(bit | 127);
            out.extend_from_slice(&(len as u64).to_be_bytes());
        }
    }
    match mask {
        Some(key) => {
            out.extend_from_slice(&key);
            out.extend(payload.iter().enumerate().map(|(i, b)| b ^ key[i % 4]));
        }
        None => out.extend_from_slice(payload),
    }
    out
}

/// A masked frame; `fin` as given.
pub fn frame_fin(opcode: u8, fin: bool, payload: &[u8]) -> Vec<u8> {
    raw_frame(if fin { 0x80 } else { 0 } | opcode, payload, Some(MASK))
}

/// A masked final frame.
pub fn frame(opcode: u8, payload: impl AsRef<[u8]>) -> Vec<u8> {
    frame_fin(opcode, true, payload.as_ref())
}

/// A masked Close with `code` and `reason`.
pub fn close_frame(code: u16, reason: &[u8]) -> Vec<u8> {
    let mut payload = code.to_be_bytes().to_vec();
    payload.extend_from_slice(reason);
    frame(CLOSE, payload)
}

/// A client connected to a fresh server with `switches` that has sent `request` and read
/// the response. The server lives as long as the runtime.
pub async fn handshake(switches: &[Switch], request: &str) -> (Client, Response) {
    let server: BrokenServer = start(switches).await;
    let mut client = Client::connect(&server).await;
    std::mem::forget(server);
    let response = client.exchange(request).await;
    (client, response)
}

/// A client with an open WebSocket connection (plain handshake) on a fresh server.
pub async fn open(switches: &[Switch]) -> Client {
    let (client, response) = handshake(switches, &upgrade("")).await;
    assert_eq!(response.status, 101, "{}", response.text());
    client
}

impl Client {
    /// Reads the next frame the server sends.
    pub async fn frame(&mut self) -> Frame {
        self.try_frame(STEP)
            .await
            .unwrap_or_else(|ending| panic!("no frame: {ending:?}"))
    }

    /// The next frame, or how the connection looked when none came within `wait`.
    pub async fn try_frame(&mut self, wait: Duration) -> Result<Frame, Ending> {
        loop {
            if let Some((frame, used)) = parse_frame(&self.buf) {
                self.buf.drain(..used);
                return Ok(frame);
            }
            match self.read_more(wait).await {
                Ok(true) => {}
                Ok(false) => return Err(Ending::Fin),
                Err(ending) => return Err(ending),
            }
        }
    }

    /// Asserts that the server sends a Close with `code`, then closes TCP at once.
    pub async fn expect_fail(&mut self, code: u16) {
        assert_eq!(self.frame().await, Frame::close(code));
        assert_eq!(self.closed().await, Ending::Fin);
        assert!(self.buf.is_empty(), "bytes after the Close: {:?}", self.buf);
    }

    /// Asserts that nothing arrives for [`QUIET`] and the connection stays open.
    pub async fn expect_silence(&mut self) {
        assert_eq!(self.ending(QUIET).await, Ending::Open);
        assert!(self.buf.is_empty(), "unexpected bytes: {:?}", self.buf);
    }

    /// Sends `payload` as a text message and asserts it comes back as text.
    pub async fn echo_text(&mut self, payload: &str) {
        self.send(frame(TEXT, payload)).await;
        assert_eq!(self.frame().await, Frame::plain(TEXT, payload));
    }
}

/// A frame at the start of `buf`, and its length.
fn parse_frame(buf: &[u8]) -> Option<(Frame, usize)> {
    let [b0, b1, ..] = *buf else {
        return None;
    };
    let masked = b1 & 0x80 != 0;
    let (len, mut pos) = match b1 & 0x7F {
        126 => (
            u16::from_be_bytes(buf.get(2..4)?.try_into().ok()?) as usize,
            4,
        ),
        127 => (
            u64::from_be_bytes(buf.get(2..10)?.try_into().ok()?) as usize,
            10,
        ),
        len => (len as usize, 2),
    };
    let key: Option<[u8; 4]> = if masked {
        let key = buf.get(pos..pos + 4)?.try_into().ok()?;
        pos += 4;
        Some(key)
    } else {
        None
    };
    let mut payload = buf.get(pos..pos + len)?.to_vec();
    if let Some(key) = key {
        payload
            .iter_mut()
            .enumerate()
            .for_each(|(i, b)| *b ^= key[i % 4]);
    }
    let frame = Frame {
        fin: b0 & 0x80 != 0,
        rsv: (b0 >> 4) & 0x7,
        opcode: b0 & 0x0F,
        masked,
        payload,
    };
    Some((frame, pos + len))
}
