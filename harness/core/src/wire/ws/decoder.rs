//! The streaming frame decoder: bytes in, header / payload / end events out.
//!
//! It reports what was on the wire (mask, length form, reserved bits, opcode) and judges
//! nothing; judging is [`super::MessageReader`]'s job. Memory is bounded: at most one partial
//! header (14 bytes) is kept between calls, and payload bytes are handed on as they arrive,
//! never buffered, so a frame claiming 2^63-1 bytes costs nothing but time.

use super::frame::{apply_mask, FrameHeader, LengthForm};

/// Longest possible header: 2 fixed bytes, an 8-byte length and a 4-byte masking key.
const MAX_HEADER: usize = 14;

/// Masked payload is unmasked through a scratch buffer of this size, so a masked frame costs a
/// bounded copy rather than a copy of the frame.
const UNMASK_CHUNK: usize = 16 * 1024;

/// One step of decoding, in wire order: a header, zero or more payload chunks, the end.
#[derive(Debug, PartialEq, Eq)]
pub enum FrameEvent<'a> {
    /// A complete header.
    Header(FrameHeader),
    /// The next unmasked chunk of the current frame's payload; never empty. How the payload is
    /// cut into chunks depends on how the input was split.
    Payload(&'a [u8]),
    /// The current frame is complete.
    End,
}

#[derive(Debug)]
enum State {
    /// Reading a header; `have` bytes of it are in `buf`.
    ExpectHeader { buf: [u8; MAX_HEADER], have: usize },
    /// Reading payload: `remaining` bytes to go, `offset` bytes already seen (for the mask).
    ExpectPayload {
        mask: Option<[u8; 4]>,
        remaining: u64,
        offset: u64,
    },
}

impl Default for State {
    fn default() -> Self {
        State::ExpectHeader {
            buf: [0; MAX_HEADER],
            have: 0,
        }
    }
}

/// Parses one header from the start of `bytes`: `None` while incomplete, else the header and
/// how many bytes it took. The length form is reported as described by
/// [`LengthForm::on_wire`]: `Minimal` when the shortest encoding was used.
pub fn parse_header(bytes: &[u8]) -> Option<(FrameHeader, usize)> {
    let needed = header_len(bytes)?;
    if bytes.len() < needed {
        return None;
    }
    let (b0, b1) = (bytes[0], bytes[1]);
    let (len, form, at) = match b1 & 0x7F {
        126 => {
            let len = u64::from(u16::from_be_bytes([bytes[2], bytes[3]]));
            let form = if len <= 125 {
                LengthForm::U16
            } else {
                LengthForm::Minimal
            };
            (len, form, 4)
        }
        127 => {
            let mut raw = [0u8; 8];
            raw.copy_from_slice(&bytes[2..10]);
            let len = u64::from_be_bytes(raw);
            let form = if len <= 65535 {
                LengthForm::U64
            } else {
                LengthForm::Minimal
            };
            (len, form, 10)
        }
        short => (u64::from(short), LengthForm::Minimal, 2),
    };
    let mask = (b1 & 0x80 != 0).then(|| [bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    let header = FrameHeader {
        fin: b0 & 0x80 != 0,
        rsv: (b0 >> 4) & 0x7,
        opcode: b0 & 0xF,
        mask,
        len,
        form,
    };
    Some((header, needed))
}

/// The full header length once the first two bytes are known.
fn header_len(bytes: &[u8]) -> Option<usize> {
    let b1 = *bytes.get(1)?;
    let ext = match b1 & 0x7F {
        126 => 2,
        127 => 8,
        _ => 0,
    };
    Some(2 + ext + if b1 & 0x80 != 0 { 4 } else { 0 })
}

/// The streaming decoder for a sequence of frames.
#[derive(Debug, Default)]
pub struct FrameDecoder {
    state: State,
    scratch: Vec<u8>,
}

impl FrameDecoder {
    /// A decoder expecting a frame header.
    pub fn new() -> Self {
        Self::default()
    }

    /// Consumes all of `data`, calling `sink` for each event in order. Keeps at most one
    /// partial header (≤ 14 bytes) between calls; payload is streamed, never buffered.
    pub fn decode(&mut self, mut data: &[u8], sink: &mut dyn FnMut(FrameEvent<'_>)) {
        while !data.is_empty() {
            match &mut self.state {
                State::ExpectHeader { buf, have } => {
                    // Two bytes first: they say how long the rest of the header is.
                    let target = if *have < 2 {
                        2
                    } else {
                        header_len(&buf[..*have]).unwrap_or(2)
                    };
                    let take = (target - *have).min(data.len());
                    buf[*have..*have + take].copy_from_slice(&data[..take]);
                    *have += take;
                    data = &data[take..];
                    if let Some((header, _)) = parse_header(&buf[..*have]) {
                        sink(FrameEvent::Header(header));
                        if header.len == 0 {
                            sink(FrameEvent::End);
                            self.state = State::default();
                        } else {
                            self.state = State::ExpectPayload {
                                mask: header.mask,
                                remaining: header.len,
                                offset: 0,
                            };
                        }
                    }
                }
                State::ExpectPayload {
                    mask,
                    remaining,
                    offset,
                } => {
                    let take = usize::try_from(*remaining)
                        .unwrap_or(usize::MAX)
                        .min(data.len());
                    let (chunk, rest) = data.split_at(take);
                    match *mask {
                        None => sink(FrameEvent::Payload(chunk)),
                        Some(key) => {
                            for piece in chunk.chunks(UNMASK_CHUNK) {
                                self.scratch.clear();
                                self.scratch.extend_from_slice(piece);
                                apply_mask(&mut self.scratch, key, *offset);
                                *offset += piece.len() as u64;
                                sink(FrameEvent::Payload(&self.scratch));
                            }
                        }
                    }
                    *remaining -= take as u64;
                    data = rest;
                    if *remaining == 0 {
                        sink(FrameEvent::End);
                        self.state = State::default();
                    }
                }
            }
        }
    }

    /// Whether a header or payload is partially received.
    pub fn in_frame(&self) -> bool {
        !matches!(self.state, State::ExpectHeader { have: 0, .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::ws::frame::encode_frame;
    use crate::wire::ws::opcode;

    #[derive(Debug, PartialEq, Eq)]
    enum Owned {
        Header(FrameHeader),
        Payload(Vec<u8>),
        End,
    }

    fn decode_all(chunks: &[&[u8]]) -> Vec<Owned> {
        let mut dec = FrameDecoder::new();
        let mut out = Vec::new();
        for chunk in chunks {
            dec.decode(chunk, &mut |ev| match ev {
                FrameEvent::Header(h) => out.push(Owned::Header(h)),
                FrameEvent::Payload(p) => match out.last_mut() {
                    Some(Owned::Payload(v)) => v.extend_from_slice(p),
                    _ => out.push(Owned::Payload(p.to_vec())),
                },
                FrameEvent::End => out.push(Owned::End),
            });
        }
        out
    }

    #[test]
    fn masked_frame_byte_by_byte() {
        let h = FrameHeader::new(opcode::TEXT, Some([0x37, 0xfa, 0x21, 0x3d]), 5);
        let wire = encode_frame(&h, b"Hello");
        let pieces: Vec<&[u8]> = wire.chunks(1).collect();
        assert_eq!(
            decode_all(&pieces),
            [
                Owned::Header(h),
                Owned::Payload(b"Hello".to_vec()),
                Owned::End
            ]
        );
    }

    #[test]
    fn non_minimal_forms_are_reported() {
        let wire = [0x89, 126, 0, 1, b'x', 0x8A, 127, 0, 0, 0, 0, 0, 0, 0, 0];
        let events = decode_all(&[&wire]);
        let Owned::Header(ping) = &events[0] else {
            panic!("{events:?}")
        };
        assert_eq!((ping.opcode, ping.len, ping.form), (9, 1, LengthForm::U16));
        let Owned::Header(pong) = &events[3] else {
            panic!("{events:?}")
        };
        assert_eq!((pong.opcode, pong.len, pong.form), (10, 0, LengthForm::U64));
        assert_eq!(events.len(), 5);
    }

    #[test]
    fn huge_length_streams_without_buffering() {
        let mut dec = FrameDecoder::new();
        let mut header = None;
        let mut got = 0usize;
        let wire = [0x82, 127, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];
        dec.decode(&wire, &mut |ev| {
            if let FrameEvent::Header(h) = ev {
                header = Some(h);
            }
        });
        assert_eq!(header.map(|h| h.len), Some(i64::MAX as u64));
        let block = vec![0u8; 1 << 16];
        for _ in 0..16 {
            dec.decode(&block, &mut |ev| {
                if let FrameEvent::Payload(p) = ev {
                    got += p.len();
                }
            });
        }
        assert_eq!(got, 1 << 20);
        assert!(dec.in_frame());
    }

    #[test]
    fn in_frame_tracks_partial_headers() {
        let mut dec = FrameDecoder::new();
        assert!(!dec.in_frame());
        dec.decode(&[0x81], &mut |_| {});
        assert!(dec.in_frame());
        dec.decode(&[0x00], &mut |_| {});
        assert!(!dec.in_frame());
    }
}
