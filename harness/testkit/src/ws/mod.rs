//! The WebSocket endpoint at [`PATH`] (RFC 6455): an echo, written by hand so that its
//! switches can break one rule at a time.
//!
//! With no switch on it is strict: the opening handshake is checked as §4.2.1 asks, every
//! frame is checked as soon as its bytes arrive (masking, RSV bits, opcodes, control frames,
//! fragmentation, close codes, UTF-8 failing fast), text is echoed as text and binary as
//! binary, pings get pongs, and a Close is answered with a Close before the server closes the
//! TCP connection. permessage-deflate (RFC 7692) is negotiated when offered.
//!
//! - `handshake`: the upgrade request and the 101;
//! - `frame`: frame headers and frame encoding;
//! - `utf8`: the incremental UTF-8 validator;
//! - `deflate`: permessage-deflate;
//! - `reader`: bytes in, events out, without I/O;
//! - `session`: the connection after the 101, on the socket.

mod deflate;
mod frame;
pub(crate) mod handshake;
mod reader;
pub(crate) mod session;
mod utf8;

/// The path of the WebSocket echo.
pub(crate) const PATH: &str = "/ws";

/// Close status codes used by the server (§7.4.1).
pub(crate) mod code {
    /// 1002: protocol error.
    pub(crate) const PROTOCOL_ERROR: u16 = 1002;
    /// 1005: no status code was present. MUST NOT be sent (`ws-bad-close-code` sends it).
    pub(crate) const NO_STATUS: u16 = 1005;
    /// 1007: data inconsistent with the type of the message (invalid UTF-8 text).
    pub(crate) const INVALID_PAYLOAD: u16 = 1007;
    /// 1009: a message too big to process.
    pub(crate) const MESSAGE_TOO_BIG: u16 = 1009;
}

/// Whether a Close frame may carry `status` (§7.4.1, §7.4.2 and the IANA registry): 1000–1003,
/// 1007–1014 and 3000–4999. 1004–1006 and 1015 are reserved or MUST NOT be sent, and the rest
/// of 0–2999 is unassigned.
pub(crate) fn close_code_is_valid(status: u16) -> bool {
    matches!(status, 1000..=1003 | 1007..=1014 | 3000..=4999)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_codes() {
        for valid in [
            1000, 1001, 1002, 1003, 1007, 1010, 1011, 1012, 1014, 3000, 4999,
        ] {
            assert!(close_code_is_valid(valid), "{valid}");
        }
        for invalid in [
            0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535,
        ] {
            assert!(!close_code_is_valid(invalid), "{invalid}");
        }
    }
}
