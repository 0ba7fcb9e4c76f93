//! What happened to each TCP connection of a case: how it ended, when relative to the end of
//! the last response, and how many requests were still unanswered at that moment.
//!
//! The engine fills this in from the events the runner reports (sans-I/O: only elapsed times
//! and bytes), whatever the case's own expectations are about, so every report can say
//! "FIN 3.1 ms after response 1 ended" or "reset with 2 pipelined requests unanswered".

use serde::{Deserialize, Serialize};

/// How a connection ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionEnd {
    /// The server closed its side: read returned end of stream.
    Fin,
    /// The connection was reset (or failed) under us.
    Reset,
    /// Still open when the harness was done with it (the case ended, a `connect` step, or an
    /// abort): the harness closed it.
    Harness,
}

/// One TCP connection of a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionRecord {
    /// 1 for the first connection of the case, 2 after a `connect` step, …
    pub index: u32,
    /// When it was opened, microseconds since the case started.
    pub opened_at_us: u64,
    /// How it ended.
    pub end: ConnectionEnd,
    /// When it ended, microseconds since the case started.
    pub ended_at_us: u64,
    /// The error text of a reset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reset: Option<String>,
    /// Microseconds from the end of the last complete final response to the end of the
    /// connection; `None` when no response completed on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_last_response_us: Option<u64>,
    /// Microseconds from the last byte either way (or the opening) to the end: how long the
    /// connection was idle when it ended.
    pub idle_us: u64,
    /// When the harness half-closed (shut down its write side), if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub half_closed_at_us: Option<u64>,
    /// When a write of the harness first failed on this connection (often the sign of a reset
    /// after the server's FIN, or of a server that stopped reading).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write_failed_at_us: Option<u64>,
    /// The error of that write.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write_error: Option<String>,
    /// Complete request heads the harness sent (requests framed as RFC 9112 §6 says, counted
    /// from the bytes themselves, so raw pipelined sends count too).
    pub requests_sent: u32,
    /// Final (non-1xx) responses received, framed as RFC 9112 §6.3 says.
    pub responses: u32,
    /// Requests sent and not answered when the connection ended.
    pub unanswered: u32,
    /// Bytes of a request that was still incomplete (head or body) when the connection
    /// ended: input the server had been given but could not have answered yet.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub incomplete_request_bytes: u64,
    /// Set when the harness could not frame what it sent (a framing-error case): the request
    /// count covers what came before, and `unanswered` is a lower bound.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub requests_uncounted: bool,
    /// Set when a request's Content-Length could not be used and was counted as no body.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub requests_approximate: bool,
    /// Set when the bytes received stopped parsing as responses: the response count covers
    /// what came before.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub responses_unparsed: bool,
    /// How far a response got when the end cut it short ("127762 of 1048576 body bytes
    /// (Content-Length)"), when one was being received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cut_short: Option<String>,
    /// One sentence: "closed by the server (FIN) 3.1 ms after response 1 ended; every
    /// request answered".
    pub summary: String,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A duration for people: `0.2 ms`, `3.1 ms`, `42 ms`, `5.0 s`.
pub fn human_us(us: u64) -> String {
    if us < 10_000 {
        format!("{:.1} ms", us as f64 / 1000.0)
    } else if us < 1_000_000 {
        format!("{} ms", us / 1000)
    } else {
        format!("{:.1} s", us as f64 / 1_000_000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::human_us;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human_us(0), "0.0 ms");
        assert_eq!(human_us(3_140), "3.1 ms");
        assert_eq!(human_us(42_900), "42 ms");
        assert_eq!(human_us(5_012_000), "5.0 s");
    }
}
