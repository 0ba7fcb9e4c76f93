//! Why WebSocket bytes or handshake values from a server were refused. Every error names the
//! RFC rule the peer broke; none of them means the harness is broken.

use std::fmt;

use thiserror::Error;

/// Input that is not valid UTF-8 (RFC 6455 §8.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Utf8Error {
    /// Byte offset in everything fed since the validator was created or reset: the failing
    /// byte, or for an incomplete sequence the byte that started it.
    pub offset: u64,
    /// The input ended inside a sequence (every byte seen was acceptable so far).
    pub incomplete: bool,
}

impl fmt::Display for Utf8Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.incomplete {
            write!(
                f,
                "incomplete UTF-8 sequence starting at byte {}",
                self.offset
            )
        } else {
            write!(f, "invalid UTF-8 at byte {}", self.offset)
        }
    }
}

impl std::error::Error for Utf8Error {}

/// A close frame payload that breaks RFC 6455 §5.5.1 or §7.4.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum CloseError {
    /// The status code must not appear in a close frame (§7.4.1, §7.4.2 and the IANA registry
    /// of §11.7).
    #[error("close code {code} must not be sent (RFC 6455 §7.4)")]
    InvalidCode {
        /// The code received.
        code: u16,
    },
    /// A body of one byte: §5.5.1 "If there is a body, the first two bytes of the body MUST be
    /// a 2-byte unsigned integer (in network byte order) representing a status code".
    #[error(
        "close payload of 1 byte: a body must start with a 2-byte status code (RFC 6455 §5.5.1)"
    )]
    OneByte,
    /// §5.5.1: "Following the 2-byte integer, the body MAY contain UTF-8-encoded data".
    #[error("close reason is not UTF-8: {0} (RFC 6455 §5.5.1)")]
    ReasonNotUtf8(Utf8Error),
}

/// A permessage-deflate negotiation that breaks RFC 7692 (or RFC 6455 §9.1), or a compressed
/// stream that cannot be inflated.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum DeflateError {
    /// The response sets client_max_window_bits although no accepted offer had it: §7.1.2.2
    /// "the corresponding extension negotiation response to the offer MUST NOT include the
    /// client_max_window_bits extension parameter".
    #[error("client_max_window_bits in the response but not in the offer (RFC 7692 §7.1.2.2)")]
    ClientWindowNotOffered,
    /// The inflated data ended with a final block and more data followed in the message.
    #[error("data after the final DEFLATE block of a message (RFC 7692 §7.2.2)")]
    DataAfterFinalBlock,
    /// The same parameter twice: §5.1 makes "multiple extension parameters with the same
    /// name" a reason to fail the connection.
    #[error("parameter {0} appears twice (RFC 7692 §5.1)")]
    DuplicateParameter(String),
    /// A parameter value outside its grammar: window bits are "a decimal integer value without
    /// leading zeroes between 8 to 15", no_context_takeover parameters have no value (§7.1).
    #[error("invalid value {value:?} for {param} (RFC 7692 §7.1)")]
    InvalidValue {
        /// The parameter name.
        param: String,
        /// The value received; empty when a value was required and missing.
        value: String,
    },
    /// More than one permessage-deflate element: a server accepts one offer (§5, RFC 6455
    /// §9.1).
    #[error("more than one permessage-deflate element in the response (RFC 7692 §5)")]
    MultipleElements,
    /// The response dropped server_no_context_takeover from the offer it accepts: §7.1.1.1
    /// "A server accepts an extension negotiation offer that includes the
    /// server_no_context_takeover extension parameter by including the
    /// server_no_context_takeover extension parameter in the corresponding extension
    /// negotiation response".
    #[error("server_no_context_takeover was offered and is missing (RFC 7692 §7.1.1.1)")]
    ServerContextTakeoverIgnored,
    /// The response lacks server_max_window_bits although the offer set it (§7.1.2.1).
    #[error("server_max_window_bits={offered} was offered and is missing (RFC 7692 §7.1.2.1)")]
    ServerWindowIgnored {
        /// The value offered.
        offered: u8,
    },
    /// §7.1.2.1: the server accepts "with the same or smaller value as the offer".
    #[error(
        "server_max_window_bits={got} is larger than the {offered} offered (RFC 7692 §7.1.2.1)"
    )]
    ServerWindowTooLarge {
        /// The value offered.
        offered: u8,
        /// The value in the response.
        got: u8,
    },
    /// The compressed data is not a valid DEFLATE stream (§7.2.2).
    #[error("invalid compressed data: {0} (RFC 7692 §7.2.2)")]
    Stream(String),
    /// The header value does not follow the Sec-WebSocket-Extensions grammar (RFC 6455 §9.1).
    #[error("malformed Sec-WebSocket-Extensions: {0} (RFC 6455 §9.1)")]
    Syntax(String),
    /// A parameter RFC 7692 does not define for a response (§5.1: "an extension parameter not
    /// defined for use in a response").
    #[error("unknown permessage-deflate parameter {0} (RFC 7692 §5.1)")]
    UnknownParameter(String),
    /// An extension we did not offer: RFC 6455 §4.1 "the server has indicated an extension not
    /// requested by the client".
    #[error("the server uses extension {0}, which was not offered (RFC 6455 §4.1)")]
    UnofferedExtension(String),
}

/// A server's protocol violation, found by [`super::MessageReader`]: where the rule is and what
/// was wrong. The connection must be failed.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[error("RFC {rfc} §{section}: {message}")]
pub struct Violation {
    /// The section of the rule, e.g. `"5.1"`.
    pub section: &'static str,
    /// 6455 or 7692.
    pub rfc: u32,
    /// What was received, in words.
    pub message: String,
}

impl Violation {
    /// A violation of an RFC 6455 rule.
    pub fn rfc6455(section: &'static str, message: impl Into<String>) -> Self {
        Violation {
            section,
            rfc: 6455,
            message: message.into(),
        }
    }

    /// A violation of an RFC 7692 rule.
    pub fn rfc7692(section: &'static str, message: impl Into<String>) -> Self {
        Violation {
            section,
            rfc: 7692,
            message: message.into(),
        }
    }
}
