//! The frame encoder (RFC 6455 §5.2): a header is written exactly as described, lies included.
//!
//! A conformance client must be able to send what a library would refuse: reserved bits and
//! opcodes, unmasked client frames, non-minimal length encodings and lengths that disagree with
//! the payload. So nothing here validates; the strict side is [`super::MessageReader`].

/// How the payload length is written (RFC 6455 §5.2 "Payload length").
///
/// The RFC requires the minimal form ("the minimal number of bytes MUST be used to encode the
/// length"); the other forms exist so a case can check that a server rejects them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LengthForm {
    /// The shortest encoding: 7 bits up to 125, 16 bits up to 65535, else 64 bits.
    #[default]
    Minimal,
    /// Marker 126 and a 16-bit length, even for lengths of 125 or less.
    U16,
    /// Marker 127 and a 64-bit length, even for lengths that fit in 16 bits.
    U64,
}

impl LengthForm {
    /// The form a decoder reports for a header written with `self` for `len`: the minimal
    /// encoding is always reported as [`LengthForm::Minimal`] (bytes cannot tell `U16` for 200
    /// from `Minimal` for 200), and `U16` for lengths above 65535 falls back to `U64`.
    pub fn on_wire(self, len: u64) -> LengthForm {
        let minimal = match len {
            0..=125 => None,
            126..=65535 => Some(LengthForm::U16),
            _ => Some(LengthForm::U64),
        };
        let written = match self {
            LengthForm::Minimal => return LengthForm::Minimal,
            LengthForm::U16 if len > 65535 => LengthForm::U64,
            other => other,
        };
        if Some(written) == minimal {
            LengthForm::Minimal
        } else {
            written
        }
    }
}

/// One frame header, with every field free to hold a value the RFC forbids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameHeader {
    /// FIN: this is the final fragment of a message.
    pub fin: bool,
    /// RSV1..RSV3 as a 3-bit value: 4 = RSV1, 2 = RSV2, 1 = RSV3. Higher bits are ignored.
    pub rsv: u8,
    /// The opcode, 4 bits; any value, reserved ones included. Higher bits are ignored.
    pub opcode: u8,
    /// The masking key, when the MASK bit is set.
    pub mask: Option<[u8; 4]>,
    /// The payload length written in the header, whatever the payload really is.
    pub len: u64,
    /// How `len` is encoded.
    pub form: LengthForm,
}

impl FrameHeader {
    /// A final, unextended frame of `opcode` with `len` bytes, masked with `mask` if given and
    /// the length in minimal form: the well-formed default to change fields from.
    pub fn new(opcode: u8, mask: Option<[u8; 4]>, len: u64) -> Self {
        FrameHeader {
            fin: true,
            rsv: 0,
            opcode,
            mask,
            len,
            form: LengthForm::Minimal,
        }
    }

    /// The header bytes: 2 to 14 of them. `len` is written as given even if it lies about the
    /// payload; `U16` with a length above 65535 cannot be written and falls back to `U64`.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(14);
        self.encode_into(&mut out);
        out
    }

    /// Appends the header bytes to `out` (see [`FrameHeader::encode`]).
    pub fn encode_into(&self, out: &mut Vec<u8>) {
        let b0 = (u8::from(self.fin) << 7) | ((self.rsv & 0x7) << 4) | (self.opcode & 0xF);
        let mask_bit = if self.mask.is_some() { 0x80 } else { 0 };
        out.push(b0);
        match self.form.on_wire(self.len) {
            LengthForm::Minimal if self.len <= 125 => out.push(mask_bit | self.len as u8),
            LengthForm::Minimal if self.len <= 65535 => {
                out.push(mask_bit | 126);
                out.extend_from_slice(&(self.len as u16).to_be_bytes());
            }
            LengthForm::U16 => {
                out.push(mask_bit | 126);
                out.extend_from_slice(&(self.len as u16).to_be_bytes());
            }
            LengthForm::Minimal | LengthForm::U64 => {
                out.push(mask_bit | 127);
                out.extend_from_slice(&self.len.to_be_bytes());
            }
        }
        if let Some(key) = self.mask {
            out.extend_from_slice(&key);
        }
    }

    /// How many bytes [`FrameHeader::encode`] writes.
    pub fn encoded_len(&self) -> usize {
        let ext = match self.form.on_wire(self.len) {
            LengthForm::Minimal if self.len <= 125 => 0,
            LengthForm::Minimal if self.len <= 65535 => 2,
            LengthForm::U16 => 2,
            LengthForm::Minimal | LengthForm::U64 => 8,
        };
        2 + ext + if self.mask.is_some() { 4 } else { 0 }
    }
}

/// XORs `data` in place with the masking key (RFC 6455 §5.3: "octet i of the transformed data
/// is the XOR of octet i of the original data with octet at index i modulo 4 of the masking
/// key"). `offset` is the position of `data[0]` within the payload, so masking a payload in
/// pieces gives the same bytes as masking it whole. Masking twice unmasks.
pub fn apply_mask(data: &mut [u8], key: [u8; 4], offset: u64) {
    // Rotate the key so index 0 of `data` lines up with payload index `offset`.
    let shift = (offset % 4) as usize;
    let rotated = [
        key[shift],
        key[(shift + 1) % 4],
        key[(shift + 2) % 4],
        key[(shift + 3) % 4],
    ];
    // Eight bytes per step: every chunk starts at a multiple of 8 from data[0], so the same
    // 8-byte key pattern applies to each; the compiler turns this into wide XORs.
    let wide = u64::from_ne_bytes([
        rotated[0], rotated[1], rotated[2], rotated[3], rotated[0], rotated[1], rotated[2],
        rotated[3],
    ]);
    let mut chunks = data.chunks_exact_mut(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        chunk.copy_from_slice(&(u64::from_ne_bytes(word) ^ wide).to_ne_bytes());
    }
    for (i, byte) in chunks.into_remainder().iter_mut().enumerate() {
        *byte ^= rotated[i % 4];
    }
}

/// A whole frame: `header` followed by `payload`, masked with the header's key if it has one.
/// The payload is written as given, whatever `header.len` says.
pub fn encode_frame(header: &FrameHeader, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(header.encoded_len() + payload.len());
    encode_frame_into(header, payload, &mut out);
    out
}

/// Appends a whole frame to `out` (see [`encode_frame`]).
pub fn encode_frame_into(header: &FrameHeader, payload: &[u8], out: &mut Vec<u8>) {
    header.encode_into(out);
    let start = out.len();
    out.extend_from_slice(payload);
    if let Some(key) = header.mask {
        apply_mask(&mut out[start..], key, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::ws::opcode;

    fn header(len: u64, form: LengthForm) -> FrameHeader {
        FrameHeader {
            form,
            ..FrameHeader::new(opcode::BINARY, None, len)
        }
    }

    #[test]
    fn length_forms() {
        assert_eq!(header(0, LengthForm::Minimal).encode(), [0x82, 0]);
        assert_eq!(header(125, LengthForm::Minimal).encode(), [0x82, 125]);
        assert_eq!(
            header(126, LengthForm::Minimal).encode(),
            [0x82, 126, 0, 126]
        );
        assert_eq!(
            header(65535, LengthForm::Minimal).encode(),
            [0x82, 126, 0xFF, 0xFF]
        );
        assert_eq!(
            header(65536, LengthForm::Minimal).encode(),
            [0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0]
        );
        assert_eq!(header(5, LengthForm::U16).encode(), [0x82, 126, 0, 5]);
        assert_eq!(
            header(5, LengthForm::U64).encode(),
            [0x82, 127, 0, 0, 0, 0, 0, 0, 0, 5]
        );
        // U16 cannot hold 65536: it falls back to U64.
        assert_eq!(header(65536, LengthForm::U16).encode().len(), 10);
        assert_eq!(LengthForm::U16.on_wire(65536), LengthForm::Minimal);
        assert_eq!(LengthForm::U16.on_wire(200), LengthForm::Minimal);
        assert_eq!(LengthForm::U16.on_wire(100), LengthForm::U16);
        assert_eq!(LengthForm::U64.on_wire(65535), LengthForm::U64);
        assert_eq!(
            header(u64::MAX, LengthForm::Minimal).encode(),
            [0x82, 127, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        );
    }

    #[test]
    fn bits_are_written_as_given() {
        let h = FrameHeader {
            fin: false,
            rsv: 0b101,
            opcode: 0xB,
            mask: Some([1, 2, 3, 4]),
            len: 1,
            form: LengthForm::Minimal,
        };
        assert_eq!(h.encode(), [0x5B, 0x81, 1, 2, 3, 4]);
        assert_eq!(h.encoded_len(), 6);
    }

    #[test]
    fn rfc_examples() {
        // RFC 6455 §5.7: a single-frame unmasked and masked text message "Hello".
        let plain = encode_frame(&FrameHeader::new(opcode::TEXT, None, 5), b"Hello");
        assert_eq!(plain, [0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f]);
        let masked = encode_frame(
            &FrameHeader::new(opcode::TEXT, Some([0x37, 0xfa, 0x21, 0x3d]), 5),
            b"Hello",
        );
        assert_eq!(
            masked,
            [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]
        );
    }

    #[test]
    fn mask_in_pieces_equals_mask_whole() {
        let key = [0xA1, 0x02, 0xF3, 0x44];
        let data: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        let mut whole = data.clone();
        apply_mask(&mut whole, key, 0);
        for (i, b) in whole.iter().enumerate() {
            assert_eq!(*b, data[i] ^ key[i % 4]);
        }
        for split in [0, 1, 3, 7, 8, 9, 500, 999, 1000] {
            let mut pieces = data.clone();
            let (a, b) = pieces.split_at_mut(split);
            apply_mask(a, key, 0);
            apply_mask(b, key, split as u64);
            assert_eq!(pieces, whole, "split at {split}");
        }
    }
}
