//! The WebSocket base framing protocol (RFC 6455 §5.2): reading frame headers and writing
//! whole frames.
//!
//! The header is read in two stages so that a broken frame is refused as soon as possible:
//! [`first_two`] interprets the first two bytes (FIN, RSV, opcode, MASK, the 7-bit length),
//! and [`parse_header`] waits for the extended length and the masking key.

/// Continuation frame.
pub(crate) const CONTINUATION: u8 = 0x0;
/// Text frame.
pub(crate) const TEXT: u8 = 0x1;
/// Binary frame.
pub(crate) const BINARY: u8 = 0x2;
/// Connection close.
pub(crate) const CLOSE: u8 = 0x8;
/// Ping.
pub(crate) const PING: u8 = 0x9;
/// Pong.
pub(crate) const PONG: u8 = 0xA;

/// Largest payload of a control frame (§5.5).
pub(crate) const MAX_CONTROL_PAYLOAD: u64 = 125;

/// The first two bytes of a frame header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Start {
    /// FIN: the final fragment of a message.
    pub(crate) fin: bool,
    /// RSV1..RSV3 as the low three bits.
    pub(crate) rsv: u8,
    /// The opcode, 0..=15.
    pub(crate) opcode: u8,
    /// Whether the MASK bit is set.
    pub(crate) masked: bool,
    /// The 7-bit payload length (126 and 127 announce an extended length).
    pub(crate) len7: u8,
}

impl Start {
    /// Whether the opcode is a control opcode (MSB set, §5.5).
    pub(crate) fn is_control(self) -> bool {
        self.opcode & 0x8 != 0
    }

    /// Whether the opcode is one RFC 6455 defines (§5.2: 3–7 and 11–15 are reserved).
    pub(crate) fn is_known_opcode(self) -> bool {
        matches!(
            self.opcode,
            CONTINUATION | TEXT | BINARY | CLOSE | PING | PONG
        )
    }

    /// Length of the whole header: 2, the extended length and the masking key.
    pub(crate) fn header_len(self) -> usize {
        let extended = match self.len7 {
            126 => 2,
            127 => 8,
            _ => 0,
        };
        2 + extended + if self.masked { 4 } else { 0 }
    }
}

/// A complete frame header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Header {
    /// The first two bytes.
    pub(crate) start: Start,
    /// The payload length.
    pub(crate) len: u64,
    /// The masking key, if the MASK bit is set.
    pub(crate) mask: Option<[u8; 4]>,
}

/// Why a header is malformed regardless of the connection's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeaderError {
    /// A 64-bit length with its most significant bit set (§5.2).
    LengthMsb,
    /// A length not written in the minimal number of bytes (§5.2).
    NonMinimalLength,
}

/// Interprets the first two bytes of a frame, if they have arrived.
pub(crate) fn first_two(buf: &[u8]) -> Option<Start> {
    let [b0, b1, ..] = *buf else {
        return None;
    };
    Some(Start {
        fin: b0 & 0x80 != 0,
        rsv: (b0 >> 4) & 0x7,
        opcode: b0 & 0x0F,
        masked: b1 & 0x80 != 0,
        len7: b1 & 0x7F,
    })
}

/// Parses a whole frame header: `Ok(None)` until all of it has arrived, then the header and
/// its length in bytes.
pub(crate) fn parse_header(buf: &[u8]) -> Result<Option<(Header, usize)>, HeaderError> {
    let Some(start) = first_two(buf) else {
        return Ok(None);
    };
    let header_len = start.header_len();
    if buf.len() < header_len {
        return Ok(None);
    }
    let (len, mut pos) = match start.len7 {
        126 => {
            let len = u64::from(u16::from_be_bytes([buf[2], buf[3]]));
            if len < 126 {
                return Err(HeaderError::NonMinimalLength);
            }
            (len, 4)
        }
        127 => {
            let mut bytes = [0; 8];
            bytes.copy_from_slice(&buf[2..10]);
            let len = u64::from_be_bytes(bytes);
            if len >> 63 != 0 {
                return Err(HeaderError::LengthMsb);
            }
            if len <= 0xFFFF {
                return Err(HeaderError::NonMinimalLength);
            }
            (len, 10)
        }
        short => (u64::from(short), 2),
    };
    let mask = if start.masked {
        let key = [buf[pos], buf[pos + 1], buf[pos + 2], buf[pos + 3]];
        pos += 4;
        Some(key)
    } else {
        None
    };
    Ok(Some((Header { start, len, mask }, pos)))
}

/// XORs `data` with `key`, starting at byte `offset` of the payload (§5.3).
pub(crate) fn apply_mask(data: &mut [u8], key: [u8; 4], offset: u64) {
    let shift = (offset % 4) as usize;
    for (i, byte) in data.iter_mut().enumerate() {
        *byte ^= key[(i + shift) % 4];
    }
}

/// Appends a whole frame to `out`: FIN set, `rsv` as given, masked with `mask` if any.
pub(crate) fn encode(
    out: &mut Vec<u8>,
    opcode: u8,
    rsv: u8,
    payload: &[u8],
    mask: Option<[u8; 4]>,
) {
    out.push(0x80 | (rsv & 0x7) << 4 | (opcode & 0x0F));
    let mask_bit = if mask.is_some() { 0x80 } else { 0 };
    let len = payload.len();
    if len < 126 {
        out.push(mask_bit | len as u8);
    } else if let Ok(short) = u16::try_from(len) {
        out.push(mask_bit | 126);
        out.extend_from_slice(&short.to_be_bytes());
    } else {
        out.push(mask_bit | 127);
        out.extend_from_slice(&(len as u64).to_be_bytes());
    }
    let start = out.len();
    out.extend_from_slice(payload);
    if let Some(key) = mask {
        out.extend_from_slice(&key);
        out[start..].rotate_right(4);
        apply_mask(&mut out[start + 4..], key, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_rfc_examples() {
        // §5.7: a single-frame masked text message "Hello".
        let frame = [
            0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58,
        ];
        let (header, used) = parse_header(&frame).unwrap().unwrap();
        assert_eq!(used, 6);
        assert!(header.start.fin && header.start.masked);
        assert_eq!(
            (header.start.opcode, header.start.rsv, header.len),
            (TEXT, 0, 5)
        );
        let mut payload = frame[used..].to_vec();
        apply_mask(&mut payload, header.mask.unwrap(), 0);
        assert_eq!(payload, b"Hello");
        // Unmasking in pieces gives the same bytes.
        let mut pieces = frame[used..].to_vec();
        let (a, b) = pieces.split_at_mut(3);
        apply_mask(a, header.mask.unwrap(), 0);
        apply_mask(b, header.mask.unwrap(), 3);
        assert_eq!(pieces, b"Hello");
    }

    #[test]
    fn waits_for_the_whole_header() {
        assert_eq!(parse_header(&[0x82]), Ok(None));
        assert_eq!(parse_header(&[0x82, 0xFE, 0x01]), Ok(None));
        assert_eq!(parse_header(&[0x82, 0xFE, 0x01, 0x00, 1, 2, 3]), Ok(None));
        let (header, used) = parse_header(&[0x82, 0xFE, 0x01, 0x00, 1, 2, 3, 4])
            .unwrap()
            .unwrap();
        assert_eq!(
            (header.len, used, header.mask),
            (256, 8, Some([1, 2, 3, 4]))
        );
    }

    #[test]
    fn refuses_bad_lengths() {
        assert_eq!(
            parse_header(&[0x82, 0x7E, 0x00, 0x7D]),
            Err(HeaderError::NonMinimalLength)
        );
        let mut long = vec![0x82, 0x7F];
        long.extend_from_slice(&0xFFFFu64.to_be_bytes());
        assert_eq!(parse_header(&long), Err(HeaderError::NonMinimalLength));
        let mut huge = vec![0x82, 0x7F];
        huge.extend_from_slice(&(1u64 << 63).to_be_bytes());
        assert_eq!(parse_header(&huge), Err(HeaderError::LengthMsb));
    }

    #[test]
    fn encodes_round_trip() {
        for len in [0, 125, 126, 65_535, 65_536] {
            for mask in [None, Some([9, 8, 7, 6])] {
                let payload: Vec<u8> = (0..len).map(|i| i as u8).collect();
                let mut out = Vec::new();
                encode(&mut out, BINARY, 0, &payload, mask);
                let (header, used) = parse_header(&out).unwrap().unwrap();
                assert_eq!((header.len, header.mask), (len as u64, mask));
                assert!(header.start.fin);
                let mut body = out[used..].to_vec();
                if let Some(key) = mask {
                    apply_mask(&mut body, key, 0);
                }
                assert_eq!(body, payload);
            }
        }
        let mut out = Vec::new();
        encode(&mut out, TEXT, 0b100, b"", None);
        assert_eq!(out, [0xC1, 0x00]);
    }
}
