//! Incremental response decoder: head, then the body framed per RFC 9112 §6.3.
//!
//! The caller owns the buffer: it feeds whatever it has, drops the bytes reported consumed and
//! feeds again when more arrive. Body bytes beyond `max_body_kept` are counted, not kept, so a
//! server announcing `Content-Length: 10^18` costs no memory.

use super::chunked::ChunkedDecoder;
use super::error::WireError;
use super::head::{parse_head, Head};
use super::response::{Framing, Response};

/// Bounds on what one response may cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecodeLimits {
    /// Largest status line + header section.
    pub max_head: usize,
    /// Most header fields.
    pub max_headers: usize,
    /// Most body bytes kept in memory (the rest is counted).
    pub max_body_kept: usize,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        DecodeLimits {
            max_head: 64 * 1024,
            max_headers: 512,
            max_body_kept: 4 * 1024 * 1024,
        }
    }
}

/// What one call to [`ResponseDecoder::feed`] achieved.
#[derive(Debug)]
pub enum Progress {
    /// More bytes are needed; `consumed` bytes of the input were used.
    NeedMore {
        /// Bytes used.
        consumed: usize,
    },
    /// A response is complete; `consumed` bytes of the input were used.
    Done {
        /// Bytes used.
        consumed: usize,
        /// The response.
        response: Box<Response>,
    },
}

#[derive(Debug)]
enum State {
    Head,
    Body(u64),
    Chunks(ChunkedDecoder),
    UntilClose,
}

/// Decodes one response (call again with a new decoder for the next one).
#[derive(Debug)]
pub struct ResponseDecoder {
    limits: DecodeLimits,
    request_was_head: bool,
    request_was_connect: bool,
    state: State,
    partial: Option<Response>,
}

impl ResponseDecoder {
    /// A decoder for the response to a request; `request_was_head` suppresses the body
    /// (RFC 9112 §6.3 rule 1).
    pub fn new(limits: DecodeLimits, request_was_head: bool) -> Self {
        ResponseDecoder {
            limits,
            request_was_head,
            request_was_connect: false,
            state: State::Head,
            partial: None,
        }
    }

    /// The request was CONNECT: a 2xx response ends at its header section, since the
    /// connection becomes a tunnel right after it (RFC 9112 §6.3 rule 2).
    pub fn for_connect(mut self, yes: bool) -> Self {
        self.request_was_connect = yes;
        self
    }

    /// True once the head has been read.
    pub fn has_head(&self) -> bool {
        self.partial.is_some()
    }

    /// How far the body of an unfinished response got, in words, for a message saying why
    /// it never completed (a server that drips, stalls, or streams without end); `None`
    /// before the head has been read.
    pub fn body_progress(&self) -> Option<String> {
        let resp = self.partial.as_ref()?;
        let got = resp.body_len;
        Some(match (&self.state, &resp.framing) {
            (State::Chunks(chunked), _) => {
                let owed = chunked
                    .owed()
                    .map(|n| format!(" (the current chunk still owes {n} bytes)"))
                    .unwrap_or_default();
                format!("{got} bytes of chunked content and no last-chunk{owed}")
            }
            (_, Framing::ContentLength(n)) => format!("{got} of {n} body bytes (Content-Length)"),
            (_, Framing::UntilClose) => format!(
                "{got} body bytes delimited by the connection closing, and the connection still open"
            ),
            _ => format!("{got} body bytes"),
        })
    }

    /// Consumes from `input`; `eof` says the connection has ended after `input`.
    pub fn feed(&mut self, input: &[u8], eof: bool) -> Result<Progress, WireError> {
        let mut pos = 0;
        if let State::Head = self.state {
            let head = match parse_head(input, self.limits.max_headers)? {
                Some(head) => head,
                None if input.len() > self.limits.max_head => {
                    return Err(WireError::HeadTooLarge {
                        limit: self.limits.max_head,
                    })
                }
                None if eof && !input.is_empty() => {
                    return Err(WireError::EndedInHead { got: input.len() })
                }
                None => return Ok(Progress::NeedMore { consumed: 0 }),
            };
            pos = head.len;
            let framing = self.framing(&head)?;
            self.state = match framing {
                Framing::NoBody => State::Body(0),
                Framing::ContentLength(n) => State::Body(n),
                Framing::Chunked => State::Chunks(ChunkedDecoder::default()),
                Framing::UntilClose => State::UntilClose,
            };
            self.partial = Some(Response {
                version: head.version,
                status: head.status,
                reason: head.reason,
                headers: head.headers,
                body: Vec::new(),
                body_len: 0,
                framing,
                trailers: Vec::new(),
                leniencies: head.leniencies,
                head_len: head.len,
            });
        }
        let max_kept = self.limits.max_body_kept;
        let Some(resp) = self.partial.as_mut() else {
            return Ok(Progress::NeedMore { consumed: pos });
        };
        let keep = |resp: &mut Response, data: &[u8]| {
            resp.body_len += data.len() as u64;
            let room = max_kept.saturating_sub(resp.body.len());
            resp.body.extend_from_slice(&data[..data.len().min(room)]);
        };
        let done = match &mut self.state {
            State::Head => unreachable!("head was parsed above"),
            State::Body(remaining) => {
                let take = (*remaining).min((input.len() - pos) as u64) as usize;
                keep(resp, &input[pos..pos + take]);
                pos += take;
                *remaining -= take as u64;
                if *remaining > 0 && eof {
                    let Framing::ContentLength(n) = resp.framing else {
                        unreachable!()
                    };
                    return Err(WireError::Truncated {
                        expected: n.to_string(),
                        got: resp.body_len,
                    });
                }
                *remaining == 0
            }
            State::Chunks(chunked) => {
                let mut data = Vec::new();
                let p = chunked.feed(&input[pos..], &mut |d| data.extend_from_slice(d))?;
                keep(resp, &data);
                pos += p.consumed;
                if p.done {
                    resp.trailers = chunked.trailers().to_vec();
                    for l in chunked.leniencies() {
                        if !resp.leniencies.contains(l) {
                            resp.leniencies.push(*l);
                        }
                    }
                } else if eof {
                    return Err(WireError::Truncated {
                        expected: "a last-chunk".into(),
                        got: resp.body_len,
                    });
                }
                p.done
            }
            State::UntilClose => {
                keep(resp, &input[pos..]);
                pos = input.len();
                eof
            }
        };
        if !done {
            return Ok(Progress::NeedMore { consumed: pos });
        }
        let response = self
            .partial
            .take()
            .map(Box::new)
            .expect("partial response exists");
        self.state = State::Head;
        Ok(Progress::Done {
            consumed: pos,
            response,
        })
    }

    /// RFC 9112 §6.3, applied in order.
    fn framing(&self, head: &Head) -> Result<Framing, WireError> {
        if self.request_was_head
            || (100..200).contains(&head.status)
            || head.status == 204
            || head.status == 304
            || (self.request_was_connect && (200..300).contains(&head.status))
        {
            return Ok(Framing::NoBody);
        }
        let values = |name: &str| -> Vec<String> {
            head.headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
                .collect()
        };
        let te = values("transfer-encoding");
        if !te.is_empty() {
            let last = te
                .join(",")
                .rsplit(',')
                .map(str::trim)
                .find(|s| !s.is_empty())
                .unwrap_or("")
                .to_ascii_lowercase();
            return Ok(if last == "chunked" {
                Framing::Chunked
            } else {
                Framing::UntilClose
            });
        }
        let cl = values("content-length");
        if cl.is_empty() {
            return Ok(Framing::UntilClose);
        }
        let mut length: Option<u64> = None;
        for member in cl.iter().flat_map(|v| v.split(',')) {
            let member = member.trim();
            let n = if !member.is_empty() && member.bytes().all(|b| b.is_ascii_digit()) {
                member
                    .parse::<u64>()
                    .map_err(|_| WireError::BadContentLength(cl.join(", ")))?
            } else {
                return Err(WireError::BadContentLength(cl.join(", ")));
            };
            match length {
                Some(prev) if prev != n => return Err(WireError::BadContentLength(cl.join(", "))),
                _ => length = Some(n),
            }
        }
        Ok(Framing::ContentLength(length.unwrap_or(0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(input: &[u8], head: bool, eof: bool) -> Result<(Response, usize), String> {
        let mut d = ResponseDecoder::new(DecodeLimits::default(), head);
        match d.feed(input, eof).map_err(|e| e.to_string())? {
            Progress::Done { consumed, response } => Ok((*response, consumed)),
            Progress::NeedMore { .. } => Err("incomplete".into()),
        }
    }

    #[test]
    fn content_length_body() {
        let (r, n) = decode(
            b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP",
            false,
            false,
        )
        .unwrap();
        assert_eq!(
            (r.body.as_slice(), n, r.framing),
            (&b"hello"[..], 43, Framing::ContentLength(5))
        );
    }

    #[test]
    fn head_and_204_have_no_body() {
        let (r, n) = decode(
            b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
            true,
            false,
        )
        .unwrap();
        assert_eq!((r.body_len, n), (0, 38));
        let (r, _) = decode(b"HTTP/1.1 204 No Content\r\n\r\n", false, false).unwrap();
        assert_eq!(r.framing, Framing::NoBody);
    }

    #[test]
    fn until_close_needs_eof() {
        assert!(decode(b"HTTP/1.1 200 OK\r\n\r\nabc", false, false).is_err());
        let (r, _) = decode(b"HTTP/1.1 200 OK\r\n\r\nabc", false, true).unwrap();
        assert_eq!(r.body, b"abc");
    }

    #[test]
    fn truncated_body_is_an_error() {
        let e = decode(
            b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
            false,
            true,
        )
        .unwrap_err();
        assert!(e.contains("3 of 10"), "{e}");
    }

    #[test]
    fn conflicting_lengths_are_rejected_identical_ones_accepted() {
        assert!(decode(
            b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
            false,
            false
        )
        .is_err());
        let (r, _) = decode(
            b"HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nab",
            false,
            false,
        )
        .unwrap();
        assert_eq!(r.body, b"ab");
    }

    #[test]
    fn body_beyond_the_limit_is_counted_not_kept() {
        let limits = DecodeLimits {
            max_body_kept: 4,
            ..DecodeLimits::default()
        };
        let mut d = ResponseDecoder::new(limits, false);
        let Progress::NeedMore { consumed } = d
            .feed(
                b"HTTP/1.1 200 OK\r\nContent-Length: 1000000000000000000\r\n\r\n0123456789",
                false,
            )
            .unwrap()
        else {
            panic!()
        };
        assert_eq!(
            consumed, 66,
            "the whole input is consumed although only 4 body bytes are kept"
        );
    }
}
