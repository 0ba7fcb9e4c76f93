//! The strict reader of a server's frames, for a client: frames in, messages and control
//! events out, and the first protocol violation as an error.
//!
//! Memory is bounded whatever the server sends: payload beyond [`ReaderLimits::keep`] is only
//! counted and hashed, control payloads are at most 125 bytes, and compressed data is inflated
//! in bounded chunks. Text is validated as it arrives (RFC 6455 §8.1), so an invalid byte fails
//! the connection before the message ends, as Autobahn 6.4.x expects.

use super::close::parse_close_payload;
use super::decoder::{FrameDecoder, FrameEvent};
use super::deflate::Decompressor;
use super::error::{CloseError, DeflateError, Violation};
use super::frame::{FrameHeader, LengthForm};
use super::handshake::Sha1Stream;
use super::negotiation::DeflateAgreement;
use super::opcode::{self, is_control, is_reserved, opcode_name};
use super::utf8::Utf8Validator;

// RFC 6455 text quoted in violation messages, so a report shows the rule as written.
const QUOTE_MASK: &str = "\"A server MUST NOT mask any frames that it sends to the client\"";
const QUOTE_MSB: &str = "\"the most significant bit MUST be 0\"";
const QUOTE_MINIMAL: &str = "\"the minimal number of bytes MUST be used to encode the length\"";
const QUOTE_OPCODE: &str = "\"If an unknown opcode is received, the receiving endpoint MUST \
                            _Fail the WebSocket Connection_\"";
const QUOTE_RSV: &str = "\"If a nonzero value is received and none of the negotiated \
                         extensions defines the meaning of such a nonzero value, the receiving \
                         endpoint MUST _Fail the WebSocket Connection_\"";
const QUOTE_CONTROL_LEN: &str =
    "\"All control frames MUST have a payload length of 125 bytes or less\"";
const QUOTE_CONTROL_FRAGMENTED: &str = "\"Control frames ... MUST NOT be fragmented\"";
const QUOTE_AFTER_CLOSE: &str =
    "\"After sending a Close frame, the endpoint MUST NOT send any further data frames\"";
const QUOTE_INTERLEAVED: &str = "\"the fragments of one message MUST NOT be interleaved between \
                                 the fragments of another message\"";

/// What one message may cost in memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReaderLimits {
    /// Payload bytes of a message kept verbatim; beyond it only the length and SHA-1 are kept.
    pub keep: usize,
}

impl Default for ReaderLimits {
    fn default() -> Self {
        ReaderLimits { keep: 64 * 1024 }
    }
}

/// Something complete the server sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WsEvent {
    /// A complete data message.
    Message(Message),
    /// A ping with its payload.
    Ping(Vec<u8>),
    /// A pong with its payload.
    Pong(Vec<u8>),
    /// A close frame: the code, if any, and the reason (valid UTF-8).
    Close {
        /// The status code; `None` for an empty payload.
        code: Option<u16>,
        /// The reason bytes.
        reason: Vec<u8>,
    },
}

/// A complete data message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// Binary (opcode 2) rather than text (opcode 1).
    pub binary: bool,
    /// Length of the whole (decompressed) payload.
    pub len: u64,
    /// The first `min(len, keep)` payload bytes.
    pub data: Vec<u8>,
    /// Whether `data` holds less than the whole payload.
    pub truncated: bool,
    /// SHA-1 of the whole (decompressed) payload.
    pub sha1: [u8; 20],
    /// How many frames carried it.
    pub frames: u32,
    /// Whether it was compressed (RSV1 on its first frame, permessage-deflate).
    pub compressed: bool,
}

/// One server frame as it appeared on the wire, for the transcript.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameRecord {
    /// FIN bit.
    pub fin: bool,
    /// RSV bits (4 = RSV1, 2 = RSV2, 1 = RSV3).
    pub rsv: u8,
    /// Opcode.
    pub opcode: u8,
    /// MASK bit.
    pub masked: bool,
    /// Payload length as announced.
    pub len: u64,
}

/// The frame whose payload is being read.
#[derive(Clone, Copy, Debug)]
enum Current {
    Control { opcode: u8 },
    Data { fin: bool },
}

/// A data message being received.
#[derive(Debug)]
struct Partial {
    binary: bool,
    compressed: bool,
    len: u64,
    data: Vec<u8>,
    sha1: Sha1Stream,
    frames: u32,
    utf8: Utf8Validator,
}

impl Partial {
    /// Takes the next (decompressed) payload bytes.
    fn absorb(&mut self, bytes: &[u8], keep: usize) -> Result<(), Violation> {
        let room = keep.saturating_sub(self.data.len()).min(bytes.len());
        self.data.extend_from_slice(&bytes[..room]);
        self.sha1.update(bytes);
        self.len += bytes.len() as u64;
        if !self.binary {
            self.utf8.feed(bytes).map_err(|e| self.not_utf8(e))?;
        }
        Ok(())
    }

    fn not_utf8(&self, e: super::error::Utf8Error) -> Violation {
        let after = if self.compressed {
            " after decompression"
        } else {
            ""
        };
        Violation::rfc6455("8.1", format!("text message is not UTF-8{after}: {e}"))
    }
}

/// Everything but the frame decoder, so the decoder's sink can borrow it.
#[derive(Debug)]
struct State {
    limits: ReaderLimits,
    deflate: Option<DeflateAgreement>,
    inflater: Option<Decompressor>,
    current: Option<Current>,
    message: Option<Partial>,
    control: Vec<u8>,
    closed: bool,
    poisoned: Option<Violation>,
    /// The frame whose payload is arriving: opcode, announced length, bytes so far.
    frame: Option<(u8, u64, u64)>,
}

/// Reads a server's byte stream strictly (see [`MessageReader::feed`] for the rules).
#[derive(Debug)]
pub struct MessageReader {
    decoder: FrameDecoder,
    state: State,
}

impl MessageReader {
    /// A reader for a connection with `deflate` as negotiated (`None`: no extension, so every
    /// RSV bit is a violation).
    pub fn new(limits: ReaderLimits, deflate: Option<DeflateAgreement>) -> Self {
        MessageReader {
            decoder: FrameDecoder::new(),
            state: State {
                limits,
                deflate,
                inflater: deflate.as_ref().map(Decompressor::new),
                current: None,
                message: None,
                control: Vec::with_capacity(125),
                closed: false,
                poisoned: None,
                frame: None,
            },
        }
    }

    /// Feeds bytes from the server. Pushes complete events and one record per frame header;
    /// returns `Err` on the first protocol violation, after which the reader is poisoned and
    /// returns the same error. The rules, each reported with its section:
    ///
    /// - RFC 6455 §5.1: a masked frame ("A server MUST NOT mask any frames").
    /// - §5.2: a non-minimal length encoding, or a 64-bit length with the most significant bit
    ///   set; a reserved opcode; RSV bits no negotiated extension defines (RFC 7692 §6.1
    ///   allows RSV1 only on the first frame of a data message, with permessage-deflate).
    /// - §5.5: a control frame longer than 125 bytes or fragmented.
    /// - §5.4: a continuation with no message in progress, or a new data message before the
    ///   previous one ended.
    /// - §5.5.1: a data frame after a close frame.
    /// - §8.1: a text message that is not UTF-8, checked as bytes arrive (after
    ///   decompression).
    /// - §5.5.1 / §7.4: a close payload of 1 byte, an invalid code, a reason that is not UTF-8.
    /// - RFC 7692 §7.2.2: compressed data that does not inflate.
    pub fn feed(
        &mut self,
        data: &[u8],
        events: &mut Vec<WsEvent>,
        frames: &mut Vec<FrameRecord>,
    ) -> Result<(), Violation> {
        if let Some(v) = &self.state.poisoned {
            return Err(v.clone());
        }
        let state = &mut self.state;
        self.decoder.decode(data, &mut |event| {
            if state.poisoned.is_none() {
                if let Err(v) = state.on_event(event, events, frames) {
                    state.poisoned = Some(v);
                }
            }
        });
        match &self.state.poisoned {
            Some(v) => Err(v.clone()),
            None => Ok(()),
        }
    }

    /// Whether a message or a frame is partially received. False once a violation has been
    /// found: the reader reads nothing further, so there is nothing in progress.
    pub fn mid_message(&self) -> bool {
        self.state.poisoned.is_none() && (self.state.message.is_some() || self.decoder.in_frame())
    }

    /// What is partially received, in words, for a message about a connection that ended
    /// (or was dropped) in the middle of it: a frame announcing 2^63-1 bytes, a frame dripped
    /// a byte at a time. `None` when nothing is in progress or after a violation.
    pub fn in_progress(&self) -> Option<String> {
        if !self.mid_message() {
            return None;
        }
        if let Some((op, announced, got)) = self.state.frame {
            return Some(format!(
                "a {} frame announcing {announced} payload bytes, of which {got} arrived",
                opcode_name(op)
            ));
        }
        if self.decoder.in_frame() {
            return Some("a frame header cut short".into());
        }
        let msg = self.state.message.as_ref()?;
        Some(format!(
            "a fragmented {} message, {} bytes in {} frames without the final one",
            if msg.binary { "binary" } else { "text" },
            msg.len,
            msg.frames
        ))
    }

    /// Whether a close frame has been received.
    pub fn close_received(&self) -> bool {
        self.state.closed
    }
}

impl State {
    fn on_event(
        &mut self,
        event: FrameEvent<'_>,
        events: &mut Vec<WsEvent>,
        frames: &mut Vec<FrameRecord>,
    ) -> Result<(), Violation> {
        match event {
            FrameEvent::Header(h) => {
                frames.push(FrameRecord {
                    fin: h.fin,
                    rsv: h.rsv,
                    opcode: h.opcode,
                    masked: h.mask.is_some(),
                    len: h.len,
                });
                self.frame = Some((h.opcode, h.len, 0));
                self.on_header(&h)
            }
            FrameEvent::Payload(bytes) => {
                if let Some((_, _, got)) = self.frame.as_mut() {
                    *got += bytes.len() as u64;
                }
                self.on_payload(bytes)
            }
            FrameEvent::End => {
                self.frame = None;
                self.on_end(events)
            }
        }
    }

    fn on_header(&mut self, h: &FrameHeader) -> Result<(), Violation> {
        let name = opcode_name(h.opcode);
        if h.mask.is_some() {
            return Err(Violation::rfc6455(
                "5.1",
                format!("{name} frame is masked: {QUOTE_MASK}"),
            ));
        }
        if h.len >> 63 != 0 {
            return Err(Violation::rfc6455(
                "5.2",
                format!(
                    "{name} frame has a 64-bit length {} with the top bit set: {QUOTE_MSB}",
                    h.len
                ),
            ));
        }
        if h.form != LengthForm::Minimal {
            let bits = if h.form == LengthForm::U16 { 16 } else { 64 };
            return Err(Violation::rfc6455(
                "5.2",
                format!(
                    "{name} frame writes length {} in {bits} bits: {QUOTE_MINIMAL}",
                    h.len
                ),
            ));
        }
        if is_reserved(h.opcode) {
            return Err(Violation::rfc6455(
                "5.2",
                format!("frame with reserved opcode {}: {QUOTE_OPCODE}", h.opcode),
            ));
        }
        self.check_rsv(h)?;
        if is_control(h.opcode) {
            if h.len > 125 {
                return Err(Violation::rfc6455(
                    "5.5",
                    format!("{name} frame of {} bytes: {QUOTE_CONTROL_LEN}", h.len),
                ));
            }
            if !h.fin {
                return Err(Violation::rfc6455(
                    "5.5",
                    format!("{name} frame without FIN: {QUOTE_CONTROL_FRAGMENTED}"),
                ));
            }
            self.control.clear();
            self.current = Some(Current::Control { opcode: h.opcode });
            return Ok(());
        }
        if self.closed {
            return Err(Violation::rfc6455(
                "5.5.1",
                format!("{name} frame after a close frame: {QUOTE_AFTER_CLOSE}"),
            ));
        }
        match (h.opcode, self.message.is_some()) {
            (opcode::CONTINUATION, false) => {
                return Err(Violation::rfc6455(
                    "5.4",
                    "continuation frame with no message in progress",
                ))
            }
            (opcode::CONTINUATION, true) => {}
            (_, true) => {
                return Err(Violation::rfc6455(
                    "5.4",
                    format!(
                        "{name} frame starts a message before the previous one ended: \
                         {QUOTE_INTERLEAVED}"
                    ),
                ))
            }
            (_, false) => {
                let keep = self.limits.keep.min(1 << 20);
                self.message = Some(Partial {
                    binary: h.opcode == opcode::BINARY,
                    compressed: h.rsv & 0x4 != 0,
                    len: 0,
                    data: Vec::with_capacity(keep.min(usize::try_from(h.len).unwrap_or(keep))),
                    sha1: Sha1Stream::new(),
                    frames: 0,
                    utf8: Utf8Validator::new(),
                });
            }
        }
        self.current = Some(Current::Data { fin: h.fin });
        Ok(())
    }

    /// RFC 6455 §5.2: RSV bits "MUST be 0 unless an extension is negotiated that defines
    /// meanings for non-zero values"; RFC 7692 §6 defines RSV1 as "Per-Message Compressed" on
    /// the first frame of a data message only (§6.1: "An endpoint MUST NOT set the
    /// 'Per-Message Compressed' bit of control frames and non-first fragments of a data
    /// message").
    fn check_rsv(&self, h: &FrameHeader) -> Result<(), Violation> {
        let deflate = self.deflate.is_some();
        let first_data = h.opcode == opcode::TEXT || h.opcode == opcode::BINARY;
        let allowed = if deflate && first_data { 0x4 } else { 0 };
        let unexplained = h.rsv & 0x7 & !allowed;
        if unexplained == 0 {
            return Ok(());
        }
        let name = opcode_name(h.opcode);
        if deflate && unexplained == 0x4 {
            return Err(Violation::rfc7692(
                "6.1",
                format!(
                    "RSV1 set on a {name} frame: permessage-deflate allows it only on the \
                     first frame of a data message"
                ),
            ));
        }
        let bits: Vec<&str> = [(0x4, "RSV1"), (0x2, "RSV2"), (0x1, "RSV3")]
            .into_iter()
            .filter(|(bit, _)| unexplained & bit != 0)
            .map(|(_, n)| n)
            .collect();
        Err(Violation::rfc6455(
            "5.2",
            format!(
                "{} set on a {name} frame, and no negotiated extension defines it: {QUOTE_RSV}",
                bits.join("+")
            ),
        ))
    }

    fn on_payload(&mut self, bytes: &[u8]) -> Result<(), Violation> {
        match self.current {
            Some(Current::Control { .. }) => {
                self.control.extend_from_slice(bytes);
                Ok(())
            }
            Some(Current::Data { .. }) => {
                let keep = self.limits.keep;
                let Some(msg) = self.message.as_mut() else {
                    return Ok(());
                };
                match (msg.compressed, self.inflater.as_mut()) {
                    (true, Some(inflater)) => {
                        let mut failed = None;
                        let fed = inflater.feed(bytes, &mut |chunk| {
                            if failed.is_none() {
                                failed = msg.absorb(chunk, keep).err();
                            }
                        });
                        // A violation in the inflated output wins over a DEFLATE error of the
                        // same call: that output came first in the stream, so a reader fed
                        // the bytes one at a time stops at it (see Decompressor::run).
                        failed.map_or(Ok(()), Err)?;
                        fed.map_err(deflate_violation)
                    }
                    _ => msg.absorb(bytes, keep),
                }
            }
            None => Ok(()),
        }
    }

    fn on_end(&mut self, events: &mut Vec<WsEvent>) -> Result<(), Violation> {
        match self.current.take() {
            Some(Current::Control { opcode }) => self.end_control(opcode, events),
            Some(Current::Data { fin }) => {
                let keep = self.limits.keep;
                let Some(msg) = self.message.as_mut() else {
                    return Ok(());
                };
                msg.frames = msg.frames.saturating_add(1);
                if !fin {
                    return Ok(());
                }
                if let (true, Some(inflater)) = (msg.compressed, self.inflater.as_mut()) {
                    let mut failed = None;
                    let finished = inflater.finish_message(&mut |chunk| {
                        if failed.is_none() {
                            failed = msg.absorb(chunk, keep).err();
                        }
                    });
                    // As in on_payload: the output's violation came first in the stream.
                    failed.map_or(Ok(()), Err)?;
                    finished.map_err(deflate_violation)?;
                }
                if !msg.binary {
                    msg.utf8.finish().map_err(|e| msg.not_utf8(e))?;
                }
                let Some(msg) = self.message.take() else {
                    return Ok(());
                };
                events.push(WsEvent::Message(Message {
                    binary: msg.binary,
                    len: msg.len,
                    truncated: msg.len > msg.data.len() as u64,
                    data: msg.data,
                    sha1: msg.sha1.digest(),
                    frames: msg.frames,
                    compressed: msg.compressed,
                }));
                Ok(())
            }
            None => Ok(()),
        }
    }

    fn end_control(&mut self, op: u8, events: &mut Vec<WsEvent>) -> Result<(), Violation> {
        let payload = std::mem::take(&mut self.control);
        match op {
            opcode::CLOSE => {
                let (code, reason) = parse_close_payload(&payload).map_err(close_violation)?;
                events.push(WsEvent::Close {
                    code,
                    reason: reason.to_vec(),
                });
                self.closed = true;
            }
            opcode::PING => events.push(WsEvent::Ping(payload)),
            _ => events.push(WsEvent::Pong(payload)),
        }
        self.control = Vec::with_capacity(125);
        Ok(())
    }
}

fn close_violation(e: CloseError) -> Violation {
    match e {
        CloseError::InvalidCode { code } => Violation::rfc6455(
            "7.4",
            format!("close frame with code {code}, which must not appear in a close frame"),
        ),
        CloseError::OneByte => Violation::rfc6455(
            "5.5.1",
            "close frame with a 1-byte payload: \"the first two bytes of the body MUST be a \
             2-byte unsigned integer\"",
        ),
        CloseError::ReasonNotUtf8(u) => {
            Violation::rfc6455("5.5.1", format!("close reason is not UTF-8: {u}"))
        }
    }
}

fn deflate_violation(e: DeflateError) -> Violation {
    let message = match e {
        DeflateError::Stream(detail) => format!("compressed message does not inflate: {detail}"),
        DeflateError::DataAfterFinalBlock => {
            "compressed message continues after its final DEFLATE block".to_string()
        }
        other => other.to_string(),
    };
    Violation::rfc7692("7.2.2", message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::ws::close::encode_close_payload;
    use crate::wire::ws::deflate::Compressor;
    use crate::wire::ws::frame::encode_frame;

    fn frame(fin: bool, rsv: u8, opcode: u8, payload: &[u8]) -> Vec<u8> {
        let h = FrameHeader {
            fin,
            rsv,
            ..FrameHeader::new(opcode, None, payload.len() as u64)
        };
        encode_frame(&h, payload)
    }

    fn read(
        wire: &[u8],
        deflate: Option<DeflateAgreement>,
    ) -> (Vec<WsEvent>, Result<(), Violation>) {
        let mut r = MessageReader::new(ReaderLimits { keep: 8 }, deflate);
        let mut events = Vec::new();
        let mut frames = Vec::new();
        let result = r.feed(wire, &mut events, &mut frames);
        (events, result)
    }

    fn violation(wire: &[u8], deflate: Option<DeflateAgreement>) -> Violation {
        read(wire, deflate).1.unwrap_err()
    }

    const DEFLATE: DeflateAgreement = DeflateAgreement {
        server_no_context_takeover: false,
        client_no_context_takeover: false,
        server_max_window_bits: 15,
        client_max_window_bits: 15,
    };

    #[test]
    fn fragmented_text_with_interleaved_ping() {
        let mut wire = frame(false, 0, opcode::TEXT, "Grü".as_bytes()[..3].as_ref());
        wire.extend(frame(true, 0, opcode::PING, b"p"));
        wire.extend(frame(
            false,
            0,
            opcode::CONTINUATION,
            &"Grü".as_bytes()[3..],
        ));
        wire.extend(frame(true, 0, opcode::CONTINUATION, "ße, Welt".as_bytes()));
        let (events, result) = read(&wire, None);
        result.unwrap();
        let text = "Grüße, Welt".as_bytes();
        assert_eq!(
            events,
            [
                WsEvent::Ping(b"p".to_vec()),
                WsEvent::Message(Message {
                    binary: false,
                    len: text.len() as u64,
                    data: text[..8].to_vec(),
                    truncated: true,
                    sha1: crate::wire::ws::handshake::sha1(text),
                    frames: 3,
                    compressed: false,
                })
            ]
        );
    }

    #[test]
    fn header_violations() {
        let masked = encode_frame(&FrameHeader::new(opcode::TEXT, Some([1, 2, 3, 4]), 1), b"a");
        assert_eq!(violation(&masked, None).section, "5.1");
        let u16_form = encode_frame(
            &FrameHeader {
                form: LengthForm::U16,
                ..FrameHeader::new(opcode::BINARY, None, 1)
            },
            b"a",
        );
        assert_eq!(violation(&u16_form, None).section, "5.2");
        let msb = FrameHeader::new(opcode::BINARY, None, 1 << 63).encode();
        assert_eq!(violation(&msb, None).section, "5.2");
        assert_eq!(violation(&frame(true, 0, 3, b""), None).section, "5.2");
        assert_eq!(violation(&frame(true, 0, 0xB, b""), None).section, "5.2");
        assert_eq!(
            violation(&frame(true, 4, opcode::TEXT, b""), None).section,
            "5.2"
        );
        assert_eq!(
            violation(&frame(true, 2, opcode::TEXT, b""), Some(DEFLATE)).section,
            "5.2"
        );
        let v = violation(&frame(true, 4, opcode::PING, b""), Some(DEFLATE));
        assert_eq!((v.rfc, v.section), (7692, "6.1"));
        assert_eq!(
            violation(&frame(true, 0, opcode::PING, &[0; 126]), None).section,
            "5.5"
        );
        assert_eq!(
            violation(&frame(false, 0, opcode::PONG, b""), None).section,
            "5.5"
        );
        assert_eq!(
            violation(&frame(true, 0, opcode::CONTINUATION, b""), None).section,
            "5.4"
        );
        let mut two = frame(false, 0, opcode::TEXT, b"a");
        two.extend(frame(true, 0, opcode::TEXT, b"b"));
        assert_eq!(violation(&two, None).section, "5.4");
        let mut rsv_cont = frame(false, 4, opcode::TEXT, &[]);
        rsv_cont.extend(frame(true, 4, opcode::CONTINUATION, b""));
        assert_eq!(violation(&rsv_cont, Some(DEFLATE)).section, "6.1");
    }

    #[test]
    fn utf8_fails_fast_before_the_message_ends() {
        let wire = frame(false, 0, opcode::TEXT, b"ok\xF4\x90");
        let v = violation(&wire, None);
        assert_eq!(v.section, "8.1");
        assert!(v.message.contains("byte 3"), "{v}");
        let v = violation(&frame(true, 0, opcode::TEXT, b"ok\xE2\x82"), None);
        assert!(v.message.contains("incomplete"), "{v}");
    }

    #[test]
    fn close_frames() {
        let ok = frame(
            true,
            0,
            opcode::CLOSE,
            &encode_close_payload(Some(1000), b"bye"),
        );
        let (events, result) = read(&ok, None);
        result.unwrap();
        assert_eq!(
            events,
            [WsEvent::Close {
                code: Some(1000),
                reason: b"bye".to_vec()
            }]
        );
        assert_eq!(
            violation(&frame(true, 0, opcode::CLOSE, b"\x03"), None).section,
            "5.5.1"
        );
        let bad_code = frame(
            true,
            0,
            opcode::CLOSE,
            &encode_close_payload(Some(1005), b""),
        );
        assert_eq!(violation(&bad_code, None).section, "7.4");
        let bad_reason = frame(
            true,
            0,
            opcode::CLOSE,
            &encode_close_payload(Some(1000), b"\xFF"),
        );
        assert_eq!(violation(&bad_reason, None).section, "5.5.1");
        let mut after = ok.clone();
        after.extend(frame(true, 0, opcode::TEXT, b"late"));
        assert_eq!(violation(&after, None).section, "5.5.1");
    }

    #[test]
    fn poisoned_reader_repeats_the_error() {
        let mut r = MessageReader::new(ReaderLimits::default(), None);
        let (mut events, mut frames) = (Vec::new(), Vec::new());
        let first = r
            .feed(&frame(true, 0, 3, b""), &mut events, &mut frames)
            .unwrap_err();
        let again = r.feed(&frame(true, 0, opcode::PING, b""), &mut events, &mut frames);
        assert_eq!(again, Err(first));
        assert!(events.is_empty());
        assert_eq!(frames.len(), 1);
    }

    #[test]
    fn compressed_messages() {
        let mut c = Compressor::new(&DEFLATE);
        let text = "Hällo Hällo Hällo Hällo".as_bytes();
        let z = c.compress_message(text);
        let mut wire = frame(false, 4, opcode::TEXT, &z[..2]);
        wire.extend(frame(true, 0, opcode::CONTINUATION, &z[2..]));
        let z2 = c.compress_message(text);
        wire.extend(frame(true, 4, opcode::BINARY, &z2));
        wire.extend(frame(true, 0, opcode::BINARY, b"raw"));
        let (events, result) = read(&wire, Some(DEFLATE));
        result.unwrap();
        let lens: Vec<(u64, bool, u32)> = events
            .iter()
            .map(|e| match e {
                WsEvent::Message(m) => (m.len, m.compressed, m.frames),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            lens,
            [
                (text.len() as u64, true, 2),
                (text.len() as u64, true, 1),
                (3, false, 1)
            ]
        );
        // Invalid UTF-8 inside compressed text is found after decompression.
        let z = Compressor::new(&DEFLATE).compress_message(b"abc\xFFdef");
        let v = violation(&frame(true, 4, opcode::TEXT, &z), Some(DEFLATE));
        assert_eq!(v.section, "8.1");
        assert!(v.message.contains("after decompression"), "{v}");
        let v = violation(
            &frame(true, 4, opcode::BINARY, &[0xFF, 0xFF, 0xFF]),
            Some(DEFLATE),
        );
        assert_eq!((v.rfc, v.section), (7692, "7.2.2"));
    }
}
