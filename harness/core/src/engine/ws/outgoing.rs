//! Turning frames and messages into TCP writes, shaped as Autobahn's fuzzer shapes them:
//! back to back (may coalesce), frame-wise (`sync`: each frame its own write) or chopped into
//! n-byte writes (`chop`, 1 = octet-wise). Payloads are generated and masked as they are
//! written, so a 16 MiB frame never exists in memory at once.

use std::collections::VecDeque;

use super::rng::Rng;
use crate::model::{FrameSpec, MaskSpec, Shape, WsPayload};
use crate::wire::ws::{apply_mask, opcode, opcode_name, FrameHeader, LengthForm};

/// Largest single write the engine asks for (bounds memory per case).
pub(crate) const MAX_WRITE: usize = 256 * 1024;

/// A run of wire bytes.
pub(crate) enum Seg<'c> {
    /// Bytes ready to write (already masked).
    Owned { bytes: Vec<u8>, pos: usize },
    /// `payload[pos..end]`, masked with `mask` counted from payload offset `base`.
    Borrowed {
        payload: &'c WsPayload,
        pos: u64,
        end: u64,
        mask: Option<[u8; 4]>,
        base: u64,
    },
}

impl Seg<'_> {
    fn remaining(&self) -> u64 {
        match self {
            Seg::Owned { bytes, pos } => (bytes.len() - pos) as u64,
            Seg::Borrowed { pos, end, .. } => end - pos,
        }
    }
}

/// Bytes that start in a fresh write and are cut into writes of at most `chop` bytes.
pub(crate) struct WriteUnit<'c> {
    segs: VecDeque<Seg<'c>>,
    chop: Option<usize>,
}

impl<'c> WriteUnit<'c> {
    pub(crate) fn new(chop: Option<usize>) -> Self {
        WriteUnit {
            segs: VecDeque::new(),
            chop,
        }
    }

    pub(crate) fn push(&mut self, seg: Seg<'c>) {
        if seg.remaining() > 0 {
            self.segs.push_back(seg);
        }
    }

    pub(crate) fn is_done(&self) -> bool {
        self.segs.is_empty()
    }

    /// The next write.
    pub(crate) fn next_write(&mut self) -> Vec<u8> {
        let limit = self.chop.unwrap_or(MAX_WRITE).min(MAX_WRITE);
        let mut out = Vec::with_capacity(limit.min(self.total().min(MAX_WRITE as u64) as usize));
        while out.len() < limit {
            let Some(seg) = self.segs.front_mut() else {
                break;
            };
            let room = limit - out.len();
            match seg {
                Seg::Owned { bytes, pos } => {
                    let n = (bytes.len() - *pos).min(room);
                    out.extend_from_slice(&bytes[*pos..*pos + n]);
                    *pos += n;
                }
                Seg::Borrowed {
                    payload,
                    pos,
                    end,
                    mask,
                    base,
                } => {
                    let n = ((*end - *pos) as usize).min(room);
                    let start = out.len();
                    out.resize(start + n, 0);
                    payload.fill(*pos, &mut out[start..]);
                    if let Some(key) = mask {
                        apply_mask(&mut out[start..], *key, *pos - *base);
                    }
                    *pos += n as u64;
                }
            }
            if seg.remaining() == 0 {
                self.segs.pop_front();
            }
        }
        out
    }

    fn total(&self) -> u64 {
        self.segs.iter().map(Seg::remaining).sum()
    }
}

/// A frame ready to be written, and its line for the transcript.
pub(crate) struct PlannedFrame<'c> {
    pub(crate) segs: Vec<Seg<'c>>,
    pub(crate) note: String,
}

fn mask_key(spec: MaskSpec, rng: &mut Rng) -> Option<[u8; 4]> {
    match spec {
        MaskSpec::Random => Some(rng.mask()),
        MaskSpec::None => None,
        MaskSpec::Key(k) => Some(k),
    }
}

fn note(h: &FrameHeader, actual: u64) -> String {
    let mut s = format!(
        "→ frame {} fin={} rsv={} {} len={}",
        opcode_name(h.opcode),
        u8::from(h.fin),
        h.rsv,
        if h.mask.is_some() {
            "masked"
        } else {
            "UNMASKED"
        },
        h.len
    );
    if h.len != actual {
        s.push_str(&format!(" (payload actually {actual} B)"));
    }
    if h.form != LengthForm::Minimal {
        s.push_str(&format!(" length-form={:?}", h.form));
    }
    s
}

/// A frame with `header`, its payload `payload[pos..end]` generated and masked while written.
fn borrowed_frame<'c>(
    header: FrameHeader,
    payload: &'c WsPayload,
    pos: u64,
    end: u64,
) -> PlannedFrame<'c> {
    PlannedFrame {
        note: note(&header, end - pos),
        segs: vec![
            Seg::Owned {
                bytes: header.encode(),
                pos: 0,
            },
            Seg::Borrowed {
                payload,
                pos,
                end,
                mask: header.mask,
                base: pos,
            },
        ],
    }
}

/// A frame from a case's spec, its payload generated while written.
pub(crate) fn plan_frame<'c>(spec: &'c FrameSpec, rng: &mut Rng) -> PlannedFrame<'c> {
    let len = spec.payload.len();
    let header = FrameHeader {
        fin: spec.fin,
        rsv: spec.rsv,
        opcode: spec.opcode,
        mask: mask_key(spec.mask, rng),
        len: spec.declared_len.unwrap_or(len),
        form: spec.form,
    };
    borrowed_frame(header, &spec.payload, 0, len)
}

/// A masked frame with owned payload bytes (close replies, pongs, compressed data).
pub(crate) fn owned_frame<'c>(
    fin: bool,
    rsv: u8,
    op: u8,
    mut payload: Vec<u8>,
    rng: &mut Rng,
) -> PlannedFrame<'c> {
    let key = rng.mask();
    let header = FrameHeader {
        fin,
        rsv,
        opcode: op,
        mask: Some(key),
        len: payload.len() as u64,
        form: LengthForm::Minimal,
    };
    apply_mask(&mut payload, key, 0);
    let mut bytes = header.encode();
    bytes.extend_from_slice(&payload);
    PlannedFrame {
        note: note(&header, header.len),
        segs: vec![Seg::Owned { bytes, pos: 0 }],
    }
}

/// One frame of a fragmented message.
struct Fragment {
    start: u64,
    end: u64,
    opcode: u8,
    first: bool,
    fin: bool,
}

/// Cuts a message of `len` bytes into frames of `size` bytes (one frame without a size; an
/// empty message is one empty frame): text or binary first, continuations after (§5.4).
fn fragments(len: u64, size: Option<usize>, binary: bool) -> Vec<Fragment> {
    let size = size.map_or(len, |f| f as u64).max(1);
    let mut out = Vec::new();
    let mut start = 0u64;
    loop {
        let end = (start + size).min(len);
        let first = start == 0;
        let opcode = match (first, binary) {
            (false, _) => opcode::CONTINUATION,
            (true, true) => opcode::BINARY,
            (true, false) => opcode::TEXT,
        };
        out.push(Fragment {
            start,
            end,
            opcode,
            first,
            fin: end == len,
        });
        start = end;
        if start >= len {
            return out;
        }
    }
}

/// The frames of an uncompressed message over a borrowed payload, `fragment` bytes each.
pub(crate) fn plan_message<'c>(
    payload: &'c WsPayload,
    binary: bool,
    fragment: Option<usize>,
    rng: &mut Rng,
) -> Vec<PlannedFrame<'c>> {
    fragments(payload.len(), fragment, binary)
        .into_iter()
        .map(|f| {
            let header = FrameHeader {
                fin: f.fin,
                rsv: 0,
                opcode: f.opcode,
                mask: Some(rng.mask()),
                len: f.end - f.start,
                form: LengthForm::Minimal,
            };
            borrowed_frame(header, payload, f.start, f.end)
        })
        .collect()
}

/// The frames of a message whose bytes are owned (compressed, or generated by an echo loop);
/// `compressed` sets RSV1 on the first frame (RFC 7692 §6).
pub(crate) fn owned_message<'c>(
    data: &[u8],
    binary: bool,
    compressed: bool,
    fragment: Option<usize>,
    rng: &mut Rng,
) -> Vec<PlannedFrame<'c>> {
    fragments(data.len() as u64, fragment, binary)
        .into_iter()
        .map(|f| {
            let rsv = if f.first && compressed { 4 } else { 0 };
            let bytes = data[f.start as usize..f.end as usize].to_vec();
            owned_frame(f.fin, rsv, f.opcode, bytes, rng)
        })
        .collect()
}

/// Groups planned frames into write units by shape; returns the units and transcript notes.
pub(crate) fn shape_units<'c>(
    frames: Vec<PlannedFrame<'c>>,
    shape: Shape,
) -> (Vec<WriteUnit<'c>>, Vec<String>) {
    let mut units = Vec::new();
    let mut notes = Vec::new();
    let mut current = WriteUnit::new(shape.chop);
    for f in frames {
        notes.push(f.note);
        for s in f.segs {
            current.push(s);
        }
        if shape.sync {
            units.push(std::mem::replace(&mut current, WriteUnit::new(shape.chop)));
        }
    }
    if !current.is_done() {
        units.push(current);
    }
    (units, notes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::WsPiece;

    fn drain(mut u: WriteUnit<'_>) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        while !u.is_done() {
            out.push(u.next_write());
        }
        out
    }

    #[test]
    fn chopped_writes_concatenate_to_the_whole_frame() {
        let payload = WsPayload {
            pieces: vec![WsPiece::Repeat {
                unit: b"ab".to_vec(),
                len: 1000,
            }],
        };
        let spec = FrameSpec {
            fin: true,
            rsv: 0,
            opcode: 2,
            mask: MaskSpec::Key([1, 2, 3, 4]),
            form: LengthForm::Minimal,
            declared_len: None,
            payload: payload.clone(),
        };
        let mut rng = Rng::new(1);
        let whole = {
            let (units, _) = shape_units(vec![plan_frame(&spec, &mut rng)], Shape::default());
            drain(units.into_iter().next().unwrap()).concat()
        };
        let (units, _) = shape_units(
            vec![plan_frame(&spec, &mut rng)],
            Shape {
                chop: Some(7),
                sync: false,
            },
        );
        let writes = drain(units.into_iter().next().unwrap());
        assert!(writes.iter().all(|w| w.len() <= 7));
        assert_eq!(writes.concat(), whole);
        let mut expected = payload.to_vec();
        apply_mask(&mut expected, [1, 2, 3, 4], 0);
        assert_eq!(&whole[4 + 4..], &expected[..]);
    }

    #[test]
    fn fragments_cover_the_payload_and_sync_splits_units() {
        let payload = WsPayload {
            pieces: vec![WsPiece::Bytes(b"fragment1fragment2".to_vec())],
        };
        let mut rng = Rng::new(3);
        let frames = plan_message(&payload, false, Some(9), &mut rng);
        assert_eq!(frames.len(), 2);
        let (units, notes) = shape_units(
            frames,
            Shape {
                chop: None,
                sync: true,
            },
        );
        assert_eq!(units.len(), 2);
        assert!(notes[0].contains("text fin=0") && notes[1].contains("continuation fin=1"));
    }
}
