//! A decoded response, with its framing and whatever leniency reading it needed.

use serde::{Deserialize, Serialize};

use super::head::Leniency;

/// How the body length was determined (RFC 9112 §6.3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Framing {
    /// No body by rule: 1xx, 204, 304, or a response to HEAD.
    NoBody,
    /// `Content-Length: n`.
    ContentLength(u64),
    /// `Transfer-Encoding: chunked`.
    Chunked,
    /// Read until the connection closes.
    UntilClose,
}

/// A complete response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// `HTTP/1.1`.
    pub version: String,
    /// Status code.
    pub status: u16,
    /// Reason phrase (possibly empty).
    pub reason: String,
    /// Header fields in order, duplicates kept.
    pub headers: Vec<(String, Vec<u8>)>,
    /// Body bytes kept (at most the decoder's limit).
    pub body: Vec<u8>,
    /// Body length on the wire (after chunked decoding).
    pub body_len: u64,
    /// How the body was framed.
    pub framing: Framing,
    /// Trailer fields of a chunked body.
    pub trailers: Vec<(String, Vec<u8>)>,
    /// Deviations from strict syntax that were needed to read it.
    pub leniencies: Vec<Leniency>,
    /// Bytes of the status line and header section.
    pub head_len: usize,
}

impl Response {
    /// The values of every field line named `name` (case-insensitive), in order.
    pub fn header_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }

    /// All lines of `name` joined with ", " (RFC 9110 §5.3), or `None` when absent.
    pub fn header(&self, name: &str) -> Option<String> {
        let values: Vec<String> = self
            .header_values(name)
            .map(|v| String::from_utf8_lossy(v).into_owned())
            .collect();
        (!values.is_empty()).then(|| values.join(", "))
    }

    /// True when a comma-separated list field contains `token` (case-insensitive), ignoring
    /// empty members as RFC 9110 §5.6.1.2 requires.
    pub fn list_contains(&self, name: &str, token: &str) -> bool {
        self.header_values(name).any(|v| {
            String::from_utf8_lossy(v)
                .split(',')
                .any(|m| m.trim().eq_ignore_ascii_case(token))
        })
    }

    /// True when the response is interim (1xx).
    pub fn is_interim(&self) -> bool {
        (100..200).contains(&self.status)
    }
}
