//! Why a server's bytes could not be read as HTTP/1.1. Every variant is the peer's fault.

use thiserror::Error;

/// A response that is not well-formed HTTP/1.1, even with every leniency we allow.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum WireError {
    /// The status line or a header field is not HTTP/1.1 syntax.
    #[error("malformed response head: {0}")]
    MalformedHead(String),
    /// The head did not end within the limit.
    #[error("response head exceeds {limit} bytes without ending")]
    HeadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// More header fields than we keep.
    #[error("response has more than {limit} header fields")]
    TooManyHeaders {
        /// The limit.
        limit: usize,
    },
    /// Content-Length is not a single non-negative decimal number.
    #[error("invalid Content-Length {0:?}")]
    BadContentLength(String),
    /// A chunk-size line is not valid.
    #[error("invalid chunk: {0}")]
    BadChunk(String),
    /// The connection ended inside the status line or header section.
    #[error("connection ended inside the response head after {got} bytes")]
    EndedInHead {
        /// Bytes of the head that arrived.
        got: usize,
    },
    /// The connection ended before the body did.
    #[error("connection ended after {got} of {expected} body bytes")]
    Truncated {
        /// What the framing announced (in bytes, or a description).
        expected: String,
        /// How many body bytes arrived.
        got: u64,
    },
}

impl WireError {
    /// True when the error is only that the connection ended too early (the bytes that did
    /// arrive were fine), so a message should say how it ended: a FIN and a reset mean
    /// different things.
    pub fn is_cut_short(&self) -> bool {
        matches!(
            self,
            WireError::EndedInHead { .. } | WireError::Truncated { .. }
        )
    }
}
