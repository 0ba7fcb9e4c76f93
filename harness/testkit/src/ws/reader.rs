//! The receiving side of a WebSocket connection, without I/O: bytes in, [`Event`]s out.
//!
//! Every rule is checked as early as the bytes allow: a bad frame header is refused on its
//! first two bytes, and a payload is unmasked, decompressed and checked for UTF-8 piece by
//! piece as it arrives, so an invalid text message fails the connection on the byte that
//! makes it invalid, even in the middle of a frame (RFC 6455 §8.1, Autobahn 6.4).
//!
//! The switches `ws-accept-unmasked`, `ws-no-utf8-check`, `ws-late-utf8`, `ws-ignore-rsv`
//! and `ws-ignore-opcode` act here.

use crate::switches::{Switch, Switches};
use crate::ws::deflate::Inflater;
use crate::ws::frame::{
    self, Header, Start, BINARY, CLOSE, CONTINUATION, MAX_CONTROL_PAYLOAD, PING, PONG, TEXT,
};
use crate::ws::utf8::Utf8;
use crate::ws::{close_code_is_valid, code};

/// Largest message accepted, after decompression; larger is refused with 1009 (§7.4.1).
pub(crate) const MAX_MESSAGE: usize = 32 * 1024 * 1024;

/// What the client's bytes amount to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Event {
    /// A complete data message, reassembled and decompressed.
    Message {
        /// Text (opcode 1) rather than binary.
        text: bool,
        /// The payload.
        data: Vec<u8>,
    },
    /// A Ping with its payload.
    Ping(Vec<u8>),
    /// A Pong.
    Pong,
    /// A valid Close, with its status code if it had one. Nothing after it is read.
    Close(Option<u16>),
    /// The connection must be failed with a Close carrying this code (§7.1.7). Nothing after
    /// it is read.
    Fail(u16),
}

/// When text messages are checked for UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Utf8Check {
    /// As the bytes arrive (the default).
    FailFast,
    /// Once the message is complete (`ws-late-utf8`).
    AtTheEnd,
    /// Never (`ws-no-utf8-check`).
    Never,
}

/// Where the reader is in the byte stream.
#[derive(Debug, Clone, Copy)]
enum State {
    /// Expecting the header of the next frame.
    ExpectHeader,
    /// Inside the payload of `header`, `done` bytes of it consumed.
    InPayload {
        /// The frame's header.
        header: Header,
        /// Payload bytes consumed so far.
        done: u64,
    },
    /// After a Close or a failure: nothing more is read.
    Finished,
}

/// A data message being received.
#[derive(Debug)]
struct Partial {
    /// Text rather than binary.
    text: bool,
    /// RSV1 was set on its first frame: the payload is compressed.
    compressed: bool,
    /// The (decompressed) payload so far.
    data: Vec<u8>,
    /// The UTF-8 validator of a text message.
    utf8: Utf8,
}

/// The receiving state machine of one connection.
pub(crate) struct Reader {
    /// The switches in force.
    switches: Switches,
    /// The decompressor, when permessage-deflate was negotiated.
    inflater: Option<Inflater>,
    /// When text is checked.
    utf8_check: Utf8Check,
    /// Where in the stream the reader is.
    state: State,
    /// The data message in progress, between its first and its final frame.
    message: Option<Partial>,
    /// The payload of the control frame being read.
    control: Vec<u8>,
    /// The UTF-8 validator of a Close frame's reason.
    reason: Utf8,
}

impl Reader {
    /// A reader for a connection that negotiated permessage-deflate or not.
    pub(crate) fn new(deflate: bool, switches: Switches) -> Reader {
        let utf8_check = if switches.on(Switch::WsNoUtf8Check) {
            Utf8Check::Never
        } else if switches.on(Switch::WsLateUtf8) {
            Utf8Check::AtTheEnd
        } else {
            Utf8Check::FailFast
        };
        Reader {
            switches,
            inflater: deflate.then(Inflater::new),
            utf8_check,
            state: State::ExpectHeader,
            message: None,
            control: Vec::with_capacity(MAX_CONTROL_PAYLOAD as usize),
            reason: Utf8::new(),
        }
    }

    /// Whether a Close or a failure has been reported.
    #[cfg(test)]
    fn is_finished(&self) -> bool {
        matches!(self.state, State::Finished)
    }

    /// Consumes what it can of `buf`, appending the events it amounts to. Bytes of an
    /// incomplete header stay in `buf`; payload bytes are consumed as they arrive.
    pub(crate) fn feed(&mut self, buf: &mut Vec<u8>, events: &mut Vec<Event>) {
        let mut pos = 0;
        loop {
            match self.state {
                State::Finished => break,
                State::ExpectHeader => match self.header(&buf[pos..]) {
                    Ok(Some((header, used))) => {
                        pos += used;
                        self.state = State::InPayload { header, done: 0 };
                    }
                    Ok(None) => break,
                    Err(code) => self.fail(code, events),
                },
                State::InPayload { header, done } => {
                    let remaining = header.len - done;
                    let available = remaining.min((buf.len() - pos) as u64) as usize;
                    if available == 0 && remaining > 0 {
                        break;
                    }
                    let chunk = &mut buf[pos..pos + available];
                    pos += available;
                    if let Some(key) = header.mask {
                        frame::apply_mask(chunk, key, done);
                    }
                    let done = done + available as u64;
                    let last = done == header.len;
                    self.state = State::InPayload { header, done };
                    if let Err(code) = self.payload(header.start, chunk, done - available as u64) {
                        self.fail(code, events);
                        continue;
                    }
                    if last {
                        self.state = State::ExpectHeader;
                        if let Err(code) = self.end_of_frame(header.start, events) {
                            self.fail(code, events);
                        }
                    }
                }
            }
        }
        buf.drain(..pos);
    }

    /// Reports a failure with `code` and stops reading.
    fn fail(&mut self, code: u16, events: &mut Vec<Event>) {
        events.push(Event::Fail(code));
        self.state = State::Finished;
    }

    /// Checks the header at the start of `buf`: `Ok(None)` while it is incomplete and its
    /// first bytes are acceptable, `Err` with the close code as soon as they are not.
    fn header(&mut self, buf: &[u8]) -> Result<Option<(Header, usize)>, u16> {
        let Some(start) = frame::first_two(buf) else {
            return Ok(None);
        };
        self.check_start(start)?;
        let Some((header, used)) = frame::parse_header(buf).map_err(|_| code::PROTOCOL_ERROR)?
        else {
            return Ok(None);
        };
        if !start.is_known_opcode() {
            // Only with ws-ignore-opcode: the frame is skipped.
            return Ok(Some((header, used)));
        }
        if start.is_control() {
            self.control.clear();
            self.reason = Utf8::new();
        } else {
            if start.opcode != CONTINUATION {
                self.message = Some(Partial {
                    text: start.opcode == TEXT,
                    compressed: self.inflater.is_some() && start.rsv & 0b100 != 0,
                    data: Vec::new(),
                    utf8: Utf8::new(),
                });
            }
            let Some(message) = &self.message else {
                return Err(code::PROTOCOL_ERROR);
            };
            let total = message.data.len() as u64 + header.len;
            if !message.compressed && total > MAX_MESSAGE as u64 {
                return Err(code::MESSAGE_TOO_BIG);
            }
        }
        Ok(Some((header, used)))
    }

    /// The rules the first two bytes of a frame can break (§5.1, §5.2, §5.4, §5.5).
    fn check_start(&self, start: Start) -> Result<(), u16> {
        if !start.masked && !self.switches.on(Switch::WsAcceptUnmasked) {
            // §5.1: a server MUST close the connection upon an unmasked frame.
            return Err(code::PROTOCOL_ERROR);
        }
        if !start.is_known_opcode() {
            return if self.switches.on(Switch::WsIgnoreOpcode) {
                Ok(())
            } else {
                Err(code::PROTOCOL_ERROR)
            };
        }
        // RSV1 is permessage-deflate's "compressed" bit on the first frame of a message.
        let first_data = matches!(start.opcode, TEXT | BINARY);
        let defined = if self.inflater.is_some() && first_data {
            0b100
        } else {
            0
        };
        if start.rsv & !defined != 0 && !self.switches.on(Switch::WsIgnoreRsv) {
            return Err(code::PROTOCOL_ERROR);
        }
        if start.is_control() {
            // §5.5: control frames are not fragmented and carry at most 125 bytes.
            if !start.fin || u64::from(start.len7) > MAX_CONTROL_PAYLOAD {
                return Err(code::PROTOCOL_ERROR);
            }
            return Ok(());
        }
        // §5.4: a continuation continues a message; a new message waits for the last one.
        match (start.opcode, self.message.is_some()) {
            (CONTINUATION, false) | (TEXT | BINARY, true) => Err(code::PROTOCOL_ERROR),
            _ => Ok(()),
        }
    }

    /// Takes the next piece of a frame's payload, already unmasked; `offset` is where it
    /// starts in the payload.
    fn payload(&mut self, start: Start, chunk: &[u8], offset: u64) -> Result<(), u16> {
        match start.opcode {
            CONTINUATION | TEXT | BINARY => self.data(chunk, false),
            CLOSE => {
                for (i, &byte) in chunk.iter().enumerate() {
                    self.control.push(byte);
                    let at = offset + i as u64;
                    if at == 1 {
                        let status = u16::from_be_bytes([self.control[0], self.control[1]]);
                        if !close_code_is_valid(status) {
                            return Err(code::PROTOCOL_ERROR);
                        }
                    } else if at > 1 {
                        self.reason
                            .feed(&[byte])
                            .map_err(|_| code::INVALID_PAYLOAD)?;
                    }
                }
                Ok(())
            }
            PING | PONG => {
                self.control.extend_from_slice(chunk);
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Adds payload bytes of a data frame to the message (decompressing them if need be),
    /// checking UTF-8 as they arrive. `last` ends the message.
    fn data(&mut self, chunk: &[u8], last: bool) -> Result<(), u16> {
        let fail_fast = self.utf8_check == Utf8Check::FailFast;
        let Some(message) = &mut self.message else {
            return Ok(());
        };
        let before = message.data.len();
        if message.compressed {
            if let Some(inflater) = &mut self.inflater {
                inflater
                    .inflate(chunk, last, &mut message.data, MAX_MESSAGE)
                    .map_err(|_| code::INVALID_PAYLOAD)?;
            }
            if message.data.len() > MAX_MESSAGE {
                return Err(code::MESSAGE_TOO_BIG);
            }
        } else {
            message.data.extend_from_slice(chunk);
        }
        if message.text && fail_fast {
            message
                .utf8
                .feed(&message.data[before..])
                .map_err(|_| code::INVALID_PAYLOAD)?;
        }
        Ok(())
    }

    /// Acts on the end of a frame.
    fn end_of_frame(&mut self, start: Start, events: &mut Vec<Event>) -> Result<(), u16> {
        match start.opcode {
            CONTINUATION | TEXT | BINARY if start.fin => {
                self.data(&[], true)?;
                let Some(message) = self.message.take() else {
                    return Ok(());
                };
                if message.text {
                    let valid = match self.utf8_check {
                        Utf8Check::FailFast => message.utf8.is_complete(),
                        Utf8Check::AtTheEnd => std::str::from_utf8(&message.data).is_ok(),
                        Utf8Check::Never => true,
                    };
                    if !valid {
                        return Err(code::INVALID_PAYLOAD);
                    }
                }
                events.push(Event::Message {
                    text: message.text,
                    data: message.data,
                });
            }
            PING => events.push(Event::Ping(std::mem::take(&mut self.control))),
            PONG => events.push(Event::Pong),
            CLOSE => {
                let status = match self.control[..] {
                    [] => None,
                    [_] => return Err(code::PROTOCOL_ERROR),
                    [high, low, ..] => Some(u16::from_be_bytes([high, low])),
                };
                if !self.reason.is_complete() {
                    return Err(code::INVALID_PAYLOAD);
                }
                events.push(Event::Close(status));
                self.state = State::Finished;
            }
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ws::deflate::{negotiate, Deflater};

    const KEY: [u8; 4] = [0x37, 0xfa, 0x21, 0x3d];

    /// A masked frame with FIN as given.
    fn masked(opcode: u8, fin: bool, payload: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        frame::encode(&mut out, opcode, 0, payload, Some(KEY));
        if !fin {
            out[0] &= 0x7F;
        }
        out
    }

    /// Feeds `bytes` in pieces of `size` bytes; the events, and how many pieces it took
    /// until the first Fail or Close.
    fn feed(reader: &mut Reader, bytes: &[u8], size: usize) -> (Vec<Event>, usize) {
        let mut buf = Vec::new();
        let mut events = Vec::new();
        let mut finished_after = 0;
        for (i, piece) in bytes.chunks(size.max(1)).enumerate() {
            buf.extend_from_slice(piece);
            reader.feed(&mut buf, &mut events);
            if reader.is_finished() && finished_after == 0 {
                finished_after = i + 1;
            }
        }
        (events, finished_after)
    }

    fn events(bytes: &[u8]) -> Vec<Event> {
        feed(&mut Reader::new(false, Switches::default()), bytes, 1 << 20).0
    }

    fn text(data: &str) -> Event {
        Event::Message {
            text: true,
            data: data.as_bytes().to_vec(),
        }
    }

    #[test]
    fn reassembles_fragments_around_pings_in_any_split() {
        let mut bytes = masked(TEXT, false, b"frag");
        bytes.extend(masked(PING, true, b"p1"));
        bytes.extend(masked(CONTINUATION, false, "ment κό".as_bytes()));
        bytes.extend(masked(CONTINUATION, true, b""));
        bytes.extend(masked(BINARY, true, &[0xFF; 300]));
        bytes.extend(masked(CLOSE, true, &[0x03, 0xE8, b'o', b'k']));
        for size in [1, 2, 3, 7, 1 << 20] {
            let (events, _) = feed(&mut Reader::new(false, Switches::default()), &bytes, size);
            assert_eq!(
                events,
                [
                    Event::Ping(b"p1".to_vec()),
                    text("fragment κό"),
                    Event::Message {
                        text: false,
                        data: vec![0xFF; 300]
                    },
                    Event::Close(Some(1000)),
                ],
                "pieces of {size}"
            );
        }
    }

    #[test]
    fn fails_on_protocol_errors() {
        let mut unmasked = Vec::new();
        frame::encode(&mut unmasked, TEXT, 0, b"hi", None);
        let mut rsv = masked(TEXT, true, b"hi");
        rsv[0] |= 0x40;
        let mut long_ping = masked(PING, true, &[0; 125]);
        long_ping[1] = 0x80 | 126;
        for (name, bytes) in [
            ("unmasked", unmasked),
            ("rsv", rsv),
            ("reserved opcode 3", masked(3, true, b"")),
            ("reserved opcode 11", masked(11, true, b"")),
            ("fragmented ping", masked(PING, false, b"")),
            ("ping of 126", masked(PING, true, &[0; 126])),
            ("ping announcing 126", long_ping),
            ("lone continuation", masked(CONTINUATION, true, b"x")),
            ("close of 1 byte", masked(CLOSE, true, &[3])),
            ("close code 1005", masked(CLOSE, true, &[0x03, 0xED])),
            ("close code 999", masked(CLOSE, true, &[0x03, 0xE7])),
            ("close code 5000", masked(CLOSE, true, &[0x13, 0x88])),
            ("text inside text", {
                let mut b = masked(TEXT, false, b"a");
                b.extend(masked(TEXT, true, b"b"));
                b
            }),
        ] {
            assert_eq!(events(&bytes), [Event::Fail(1002)], "{name}");
        }
        for ok in [1000, 1003, 1007, 1011, 1012, 1014, 3000, 4999] {
            let bytes = masked(CLOSE, true, &u16::to_be_bytes(ok));
            assert_eq!(events(&bytes), [Event::Close(Some(ok))], "{ok}");
        }
        assert_eq!(events(&masked(CLOSE, true, b"")), [Event::Close(None)]);
    }

    #[test]
    fn nothing_is_read_after_a_close_or_a_failure() {
        let mut bytes = masked(CLOSE, true, b"");
        bytes.extend(masked(TEXT, true, b"late"));
        assert_eq!(events(&bytes), [Event::Close(None)]);
        let mut bytes = masked(3, true, b"");
        bytes.extend(masked(PING, true, b""));
        assert_eq!(events(&bytes), [Event::Fail(1002)]);
    }

    #[test]
    fn invalid_utf8_fails_fast_inside_a_frame() {
        let mut payload = "κόσμε".as_bytes().to_vec();
        let bad_at = payload.len() + 1;
        payload.extend_from_slice(&[0xF4, 0x90, 0x80, 0x80]);
        payload.extend_from_slice(b"edited");
        let bytes = masked(TEXT, true, &payload);
        let header = bytes.len() - payload.len();
        let (events, after) = feed(&mut Reader::new(false, Switches::default()), &bytes, 1);
        assert_eq!(events, [Event::Fail(1007)]);
        assert_eq!(after, header + bad_at + 1, "refused on the 0x90 byte");

        let late = Switches::new(&[Switch::WsLateUtf8]);
        let (events, after) = feed(&mut Reader::new(false, late), &bytes, 1);
        assert_eq!(events, [Event::Fail(1007)]);
        assert_eq!(after, bytes.len(), "refused only at the end");

        let never = Switches::new(&[Switch::WsNoUtf8Check]);
        let (events, _) = feed(&mut Reader::new(false, never), &bytes, 1);
        assert_eq!(
            events,
            [Event::Message {
                text: true,
                data: payload
            }]
        );
    }

    #[test]
    fn incomplete_utf8_at_the_end_of_a_message_fails() {
        let mut bytes = masked(TEXT, false, &[0xCE]);
        bytes.extend(masked(CONTINUATION, true, b""));
        assert_eq!(events(&bytes), [Event::Fail(1007)]);
        let reason = masked(CLOSE, true, &[0x03, 0xE8, 0xCE]);
        assert_eq!(events(&reason), [Event::Fail(1007)]);
        let reason = masked(CLOSE, true, &[0x03, 0xE8, 0xFF, b'a']);
        assert_eq!(events(&reason), [Event::Fail(1007)]);
    }

    #[test]
    fn refuses_messages_over_the_limit() {
        let mut header = vec![0x82, 0xFF];
        header.extend_from_slice(&(MAX_MESSAGE as u64 + 1).to_be_bytes());
        header.extend_from_slice(&KEY);
        assert_eq!(events(&header), [Event::Fail(1009)]);
    }

    #[test]
    fn switches_relax_one_rule_each() {
        let mut unmasked = Vec::new();
        frame::encode(&mut unmasked, TEXT, 0, b"hi", None);
        let mut reader = Reader::new(false, Switches::new(&[Switch::WsAcceptUnmasked]));
        assert_eq!(feed(&mut reader, &unmasked, 1).0, [text("hi")]);

        let mut rsv = masked(TEXT, true, b"hi");
        rsv[0] |= 0x70;
        let mut reader = Reader::new(false, Switches::new(&[Switch::WsIgnoreRsv]));
        assert_eq!(feed(&mut reader, &rsv, 1).0, [text("hi")]);

        let mut bytes = masked(5, true, b"junk");
        bytes.extend(masked(TEXT, true, b"hi"));
        let mut reader = Reader::new(false, Switches::new(&[Switch::WsIgnoreOpcode]));
        assert_eq!(feed(&mut reader, &bytes, 3).0, [text("hi")]);
    }

    #[test]
    fn decompresses_messages_when_negotiated() {
        let params = negotiate(std::iter::once(&b"permessage-deflate"[..])).unwrap();
        let mut deflater = Deflater::new(params);
        let compressed = deflater.compress("Hello, κόσμε".as_bytes());
        let mut bytes = Vec::new();
        frame::encode(&mut bytes, TEXT, 0b100, &compressed, Some(KEY));
        let again = deflater.compress(b"Hello again");
        let (a, b) = again.split_at(2);
        bytes.extend(masked(BINARY, false, a));
        let first_of_second = bytes.len() - a.len() - 6;
        bytes[first_of_second] |= 0x40;
        bytes.extend(masked(CONTINUATION, true, b));
        let (events, _) = feed(&mut Reader::new(true, Switches::default()), &bytes, 5);
        assert_eq!(
            events,
            [
                text("Hello, κόσμε"),
                Event::Message {
                    text: false,
                    data: b"Hello again".to_vec()
                }
            ]
        );
        // RSV1 on a continuation frame is still an error.
        let mut bad = masked(TEXT, false, b"a");
        let mut cont = masked(CONTINUATION, true, b"b");
        cont[0] |= 0x40;
        bad.extend(cont);
        let (events, _) = feed(&mut Reader::new(true, Switches::default()), &bad, 64);
        assert_eq!(events, [Event::Fail(1002)]);
    }
}
