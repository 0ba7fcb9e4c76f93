//! A WebSocket connection after the 101: reads frames, echoes messages, answers pings and
//! the closing handshake, on the socket.
//!
//! The switches `ws-no-pong`, `ws-masked-frames`, `ws-no-close-reply`, `ws-keep-tcp` and
//! `ws-bad-close-code` act here.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

use crate::switches::{Switch, Switches};
use crate::ws::code;
use crate::ws::deflate::{DeflateParams, Deflater};
use crate::ws::frame::{self, BINARY, CLOSE, PONG, TEXT};
use crate::ws::reader::{Event, Reader};

/// How long a WebSocket connection may stay silent before the server drops it.
const IDLE_TIMEOUT: Duration = Duration::from_secs(120);

/// How long writing the frames of one batch may take.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// How much to make room for on each read.
const READ_CHUNK: usize = 64 * 1024;

/// How the WebSocket connection ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The server is done: close the TCP connection gracefully.
    Close,
    /// An I/O error: drop the socket.
    Abort,
}

/// Serves the WebSocket connection on `stream`; `buf` holds bytes that arrived after the
/// handshake.
pub(crate) async fn run(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    deflate: Option<DeflateParams>,
    switches: Switches,
) -> Outcome {
    let mut session = Session {
        stream,
        switches,
        reader: Reader::new(deflate.is_some(), switches),
        deflater: deflate.map(Deflater::new),
        masks: MaskKeys::new(),
    };
    session.serve(buf).await
}

/// One connection's state.
struct Session<'a> {
    /// The socket.
    stream: &'a mut TcpStream,
    /// The switches in force.
    switches: Switches,
    /// The receiving state machine.
    reader: Reader,
    /// The compressor, when permessage-deflate was negotiated.
    deflater: Option<Deflater>,
    /// Masking keys, used only with `ws-masked-frames`.
    masks: MaskKeys,
}

/// What to do after a batch of events.
enum Next {
    /// Keep reading.
    Read,
    /// The server sent its Close: close the TCP connection (§7.1.1).
    CloseTcp,
    /// Wait for the client to close the TCP connection, ignoring what it sends.
    WaitForClient,
}

impl Session<'_> {
    /// Reads and answers until the connection is to end.
    async fn serve(&mut self, buf: &mut Vec<u8>) -> Outcome {
        let mut events = Vec::new();
        loop {
            self.reader.feed(buf, &mut events);
            let mut out = Vec::new();
            let next = self.answer(events.drain(..), &mut out);
            if !out.is_empty() && self.write(&out).await.is_err() {
                return Outcome::Abort;
            }
            match next {
                Next::Read => {}
                Next::CloseTcp => return Outcome::Close,
                Next::WaitForClient => return self.wait_for_client().await,
            }
            buf.reserve(READ_CHUNK);
            match timeout(IDLE_TIMEOUT, self.stream.read_buf(buf)).await {
                Ok(Ok(0)) | Err(_) => return Outcome::Close,
                Ok(Ok(_)) => {}
                Ok(Err(_)) => return Outcome::Abort,
            }
        }
    }

    /// Appends the frames that answer `events` to `out`.
    fn answer(&mut self, events: impl Iterator<Item = Event>, out: &mut Vec<u8>) -> Next {
        for event in events {
            match event {
                Event::Message { text, data } => {
                    let opcode = if text { TEXT } else { BINARY };
                    match &mut self.deflater {
                        Some(deflater) => {
                            let compressed = deflater.compress(&data);
                            self.frame(out, opcode, 0b100, &compressed);
                        }
                        None => self.frame(out, opcode, 0, &data),
                    }
                }
                Event::Ping(payload) => {
                    if !self.switches.on(Switch::WsNoPong) {
                        self.frame(out, PONG, 0, &payload);
                    }
                }
                Event::Pong => {}
                Event::Close(status) => {
                    if self.switches.on(Switch::WsNoCloseReply) {
                        return Next::WaitForClient;
                    }
                    // §5.5.1: the reply typically echoes the status code received.
                    let reply = if self.switches.on(Switch::WsBadCloseCode) {
                        Some(code::NO_STATUS)
                    } else {
                        status
                    };
                    let payload = reply.map(u16::to_be_bytes);
                    self.frame(out, CLOSE, 0, payload.as_ref().map_or(&[], |p| &p[..]));
                    return self.after_close();
                }
                Event::Fail(status) => {
                    self.frame(out, CLOSE, 0, &status.to_be_bytes());
                    return self.after_close();
                }
            }
        }
        Next::Read
    }

    /// After the server's Close: it closes the TCP connection first (§7.1.1), unless
    /// `ws-keep-tcp` makes it wait for the client to.
    fn after_close(&self) -> Next {
        if self.switches.on(Switch::WsKeepTcp) {
            Next::WaitForClient
        } else {
            Next::CloseTcp
        }
    }

    /// Appends one frame, masked only with `ws-masked-frames` (§5.1: a server MUST NOT).
    fn frame(&mut self, out: &mut Vec<u8>, opcode: u8, rsv: u8, payload: &[u8]) {
        let mask = self
            .switches
            .on(Switch::WsMaskedFrames)
            .then(|| self.masks.next_key());
        frame::encode(out, opcode, rsv, payload, mask);
    }

    /// Writes and flushes `bytes`.
    async fn write(&mut self, bytes: &[u8]) -> Result<(), ()> {
        let write = async {
            self.stream.write_all(bytes).await?;
            self.stream.flush().await
        };
        match timeout(WRITE_TIMEOUT, write).await {
            Ok(Ok(())) => Ok(()),
            _ => Err(()),
        }
    }

    /// Reads and discards until the client closes the connection (or stays silent too long).
    async fn wait_for_client(&mut self) -> Outcome {
        let mut scratch = vec![0; READ_CHUNK];
        loop {
            match timeout(IDLE_TIMEOUT, self.stream.read(&mut scratch)).await {
                Ok(Ok(0)) | Err(_) => return Outcome::Close,
                Ok(Ok(_)) => {}
                Ok(Err(_)) => return Outcome::Abort,
            }
        }
    }
}

/// Masking keys for `ws-masked-frames`: xorshift64, seeded from the clock. They need not be
/// unpredictable; the server should not be masking at all.
struct MaskKeys(u64);

impl MaskKeys {
    /// A generator seeded from the clock.
    fn new() -> MaskKeys {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_nanos() as u64);
        MaskKeys(nanos | 1)
    }

    /// The next key, never all zeros (a zero key would leave the payload as it was).
    fn next_key(&mut self) -> [u8; 4] {
        loop {
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            let key = ((x >> 16) as u32).to_be_bytes();
            if key != [0; 4] {
                return key;
            }
        }
    }
}
