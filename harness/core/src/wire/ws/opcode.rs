//! Frame opcodes (RFC 6455 §5.2, §11.8): the names we print and the two classes the reader
//! judges by.
//!
//! The constants live in this module so callers write `opcode::TEXT`; the encoder accepts any
//! 4-bit value, reserved ones included, because sending them is how a case checks that the
//! server fails the connection.

/// `%x0`: a continuation frame.
pub const CONTINUATION: u8 = 0;
/// `%x1`: a text frame.
pub const TEXT: u8 = 1;
/// `%x2`: a binary frame.
pub const BINARY: u8 = 2;
/// `%x8`: a connection close.
pub const CLOSE: u8 = 8;
/// `%x9`: a ping.
pub const PING: u8 = 9;
/// `%xA`: a pong.
pub const PONG: u8 = 10;

const NAMES: [&str; 16] = [
    "continuation",
    "text",
    "binary",
    "reserved-3",
    "reserved-4",
    "reserved-5",
    "reserved-6",
    "reserved-7",
    "close",
    "ping",
    "pong",
    "reserved-11",
    "reserved-12",
    "reserved-13",
    "reserved-14",
    "reserved-15",
];

/// The name used in transcripts and messages: `"text"`, `"close"`, `"reserved-3"`…
/// Values above 15 cannot appear on the wire and are named `"invalid"`.
pub fn opcode_name(op: u8) -> &'static str {
    NAMES.get(usize::from(op)).copied().unwrap_or("invalid")
}

/// Whether `op` is a control opcode. RFC 6455 §5.5: "Control frames are identified by opcodes
/// where the most significant bit of the opcode is 1."
pub fn is_control(op: u8) -> bool {
    op & 0x8 != 0
}

/// Whether `op` is reserved: RFC 6455 §5.2 reserves %x3-7 for further non-control frames and
/// %xB-F for further control frames.
pub fn is_reserved(op: u8) -> bool {
    matches!(op, 3..=7 | 11..=15)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_classes() {
        assert_eq!(opcode_name(TEXT), "text");
        assert_eq!(opcode_name(BINARY), "binary");
        assert_eq!(opcode_name(CONTINUATION), "continuation");
        assert_eq!(opcode_name(CLOSE), "close");
        assert_eq!(opcode_name(PING), "ping");
        assert_eq!(opcode_name(PONG), "pong");
        assert_eq!(opcode_name(3), "reserved-3");
        assert_eq!(opcode_name(15), "reserved-15");
        assert_eq!(opcode_name(16), "invalid");
        let control: Vec<u8> = (0..16).filter(|&op| is_control(op)).collect();
        assert_eq!(control, (8..16).collect::<Vec<u8>>());
        let reserved: Vec<u8> = (0..16).filter(|&op| is_reserved(op)).collect();
        assert_eq!(reserved, [3, 4, 5, 6, 7, 11, 12, 13, 14, 15]);
    }
}
