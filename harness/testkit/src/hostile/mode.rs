//! The hostile modes: one misbehaviour each, named as on the command line.

/// How a [`HostileServer`](crate::HostileServer) mistreats every connection.
///
/// None of these is a conformance question: each is a server that a careful client must
/// survive without hanging past its timeouts, panicking, or growing without bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HostileMode {
    /// Reads the request, then sends a valid response one byte per second.
    Drip,
    /// Reads the request and never answers (keeps reading until the client leaves).
    Silent,
    /// Sends a status line, then header lines forever (as fast as the client reads).
    EndlessHeaders,
    /// Sends `200` with no Content-Length or Transfer-Encoding, then body bytes forever.
    EndlessBody,
    /// Sends `Content-Length: 1000000000000000000`, a few KiB of body, then stalls.
    HugeContentLength,
    /// Sends a chunked `200` whose first chunk-size is `ffffffffffffffff`, then data forever.
    HugeChunk,
    /// Completes a valid WebSocket handshake, then sends a binary frame header claiming
    /// 2^63-1 payload bytes and streams payload forever.
    WsHugeFrame,
    /// Completes a valid WebSocket handshake, then sends a small text frame one byte every
    /// 200 ms.
    WsDripFrame,
    /// Sends half a response, then resets the connection (`SO_LINGER` 0).
    ResetMidway,
    /// Answers with seeded pseudo-random bytes forever.
    RandomBytes,
    /// Accepts with a tiny receive buffer and never reads, so large client writes block.
    NeverReads,
    /// Closes the connection (FIN) as soon as it is accepted.
    CloseOnAccept,
    /// Resets the connection (`SO_LINGER` 0) as soon as it is accepted.
    ResetOnAccept,
    /// Sends a response with 100,000 header fields.
    ManyHeaders,
    /// Sends `100 Continue` interim responses forever, never a final one.
    EndlessInterim,
    /// Sends a valid response with `Connection: close`, then bytes forever instead of closing.
    FloodAfterClose,
    /// Completes a valid WebSocket handshake, then sends empty pings forever (and discards
    /// whatever the client sends).
    WsPingFlood,
}

impl HostileMode {
    /// Every mode, in the order `--list` prints them.
    pub const ALL: [HostileMode; 17] = [
        HostileMode::Drip,
        HostileMode::Silent,
        HostileMode::EndlessHeaders,
        HostileMode::EndlessBody,
        HostileMode::HugeContentLength,
        HostileMode::HugeChunk,
        HostileMode::WsHugeFrame,
        HostileMode::WsDripFrame,
        HostileMode::ResetMidway,
        HostileMode::RandomBytes,
        HostileMode::NeverReads,
        HostileMode::CloseOnAccept,
        HostileMode::ResetOnAccept,
        HostileMode::ManyHeaders,
        HostileMode::EndlessInterim,
        HostileMode::FloodAfterClose,
        HostileMode::WsPingFlood,
    ];

    /// The command-line name (`drip`, `ws-huge-frame`, ...).
    pub fn name(self) -> &'static str {
        match self {
            HostileMode::Drip => "drip",
            HostileMode::Silent => "silent",
            HostileMode::EndlessHeaders => "endless-headers",
            HostileMode::EndlessBody => "endless-body",
            HostileMode::HugeContentLength => "huge-content-length",
            HostileMode::HugeChunk => "huge-chunk",
            HostileMode::WsHugeFrame => "ws-huge-frame",
            HostileMode::WsDripFrame => "ws-drip-frame",
            HostileMode::ResetMidway => "reset-midway",
            HostileMode::RandomBytes => "random-bytes",
            HostileMode::NeverReads => "never-reads",
            HostileMode::CloseOnAccept => "close-on-accept",
            HostileMode::ResetOnAccept => "reset-on-accept",
            HostileMode::ManyHeaders => "many-headers",
            HostileMode::EndlessInterim => "endless-interim",
            HostileMode::FloodAfterClose => "flood-after-close",
            HostileMode::WsPingFlood => "ws-ping-flood",
        }
    }

    /// The mode called `name`.
    pub fn parse(name: &str) -> Option<HostileMode> {
        HostileMode::ALL.into_iter().find(|m| m.name() == name)
    }

    /// What the mode does, in one line.
    pub fn describe(self) -> &'static str {
        match self {
            HostileMode::Drip => "a valid response, one byte per second",
            HostileMode::Silent => "reads the request, never answers",
            HostileMode::EndlessHeaders => "a status line, then header lines forever",
            HostileMode::EndlessBody => "200 without a length, then body bytes forever",
            HostileMode::HugeContentLength => {
                "Content-Length: 1000000000000000000, 4 KiB of body, then a stall"
            }
            HostileMode::HugeChunk => "chunked, chunk-size ffffffffffffffff, then data forever",
            HostileMode::WsHugeFrame => {
                "valid WebSocket handshake, then a frame claiming 2^63-1 bytes, streamed forever"
            }
            HostileMode::WsDripFrame => {
                "valid WebSocket handshake, then a small text frame at one byte per 200 ms"
            }
            HostileMode::ResetMidway => "half a response, then a reset (SO_LINGER 0)",
            HostileMode::RandomBytes => "seeded pseudo-random bytes forever",
            HostileMode::NeverReads => "a tiny receive buffer that is never read",
            HostileMode::CloseOnAccept => "closes (FIN) as soon as it accepts",
            HostileMode::ResetOnAccept => "resets as soon as it accepts",
            HostileMode::ManyHeaders => "a response with 100,000 header fields",
            HostileMode::EndlessInterim => "100 Continue forever, never a final response",
            HostileMode::FloodAfterClose => {
                "a valid response with Connection: close, then bytes forever, never a close"
            }
            HostileMode::WsPingFlood => "valid WebSocket handshake, then empty pings forever",
        }
    }

    /// True for the modes that speak WebSocket after the handshake: their URL is `ws://`.
    pub fn is_websocket(self) -> bool {
        matches!(
            self,
            HostileMode::WsHugeFrame | HostileMode::WsDripFrame | HostileMode::WsPingFlood
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for m in HostileMode::ALL {
            assert_eq!(HostileMode::parse(m.name()), Some(m));
        }
        assert_eq!(HostileMode::parse("nope"), None);
    }
}
