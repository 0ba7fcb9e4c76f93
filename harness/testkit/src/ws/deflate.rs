//! permessage-deflate (RFC 7692): negotiating it from `Sec-WebSocket-Extensions` and
//! compressing and decompressing messages.
//!
//! The server accepts the first offer whose parameters are all valid and that it can honour,
//! and declines the others (§5.1). It honours `server_no_context_takeover` and
//! `server_max_window_bits` 9..=15; an offer that limits its window to 8 bits is declined,
//! since zlib cannot compress with a 256-byte window. It always decompresses with a 32 KiB
//! window, which reads whatever window the client uses, so `client_max_window_bits` is
//! accepted and not answered.

use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};

use crate::request::trim_ows;

/// The extension's name.
const NAME: &str = "permessage-deflate";

/// The bytes a sync flush ends with, removed by the sender and put back by the receiver
/// (§7.2.1, §7.2.2).
const TAIL: [u8; 4] = [0x00, 0x00, 0xFF, 0xFF];

/// Output is produced in pieces of this size.
const CHUNK: usize = 32 * 1024;

/// What was agreed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DeflateParams {
    /// The server resets its compressor after every message.
    pub(crate) server_no_context_takeover: bool,
    /// The client offered to reset its compressor after every message.
    pub(crate) client_no_context_takeover: bool,
    /// The server's LZ77 window, if the client limited it.
    pub(crate) server_max_window_bits: Option<u8>,
}

impl DeflateParams {
    /// The `Sec-WebSocket-Extensions` value of the 101.
    pub(crate) fn response_value(&self) -> String {
        let mut value = NAME.to_owned();
        if self.server_no_context_takeover {
            value.push_str("; server_no_context_takeover");
        }
        if self.client_no_context_takeover {
            value.push_str("; client_no_context_takeover");
        }
        if let Some(bits) = self.server_max_window_bits {
            value.push_str(&format!("; server_max_window_bits={bits}"));
        }
        value
    }
}

/// The first acceptable permessage-deflate offer among the `Sec-WebSocket-Extensions` lines.
pub(crate) fn negotiate<'a>(lines: impl Iterator<Item = &'a [u8]>) -> Option<DeflateParams> {
    lines
        .flat_map(|line| split_outside_quotes(line, b','))
        .find_map(offer)
}

/// One extension offer, if it is a permessage-deflate the server takes.
fn offer(element: &[u8]) -> Option<DeflateParams> {
    let mut parts = split_outside_quotes(element, b';')
        .into_iter()
        .map(trim_ows);
    if parts.next()? != NAME.as_bytes() {
        return None;
    }
    let mut params = DeflateParams {
        server_no_context_takeover: false,
        client_no_context_takeover: false,
        server_max_window_bits: None,
    };
    let mut client_bits_seen = false;
    for part in parts {
        let (name, value) = match part.iter().position(|&b| b == b'=') {
            Some(eq) => (
                trim_ows(&part[..eq]),
                Some(unquote(trim_ows(&part[eq + 1..]))?),
            ),
            None => (part, None),
        };
        match (name, value) {
            (b"server_no_context_takeover", None) if !params.server_no_context_takeover => {
                params.server_no_context_takeover = true;
            }
            (b"client_no_context_takeover", None) if !params.client_no_context_takeover => {
                params.client_no_context_takeover = true;
            }
            (b"server_max_window_bits", Some(bits)) if params.server_max_window_bits.is_none() => {
                // 8 is valid but declined: zlib cannot compress with a 256-byte window.
                params.server_max_window_bits = Some(window_bits(bits).filter(|&b| b > 8)?);
            }
            (b"client_max_window_bits", bits) if !client_bits_seen => {
                if let Some(bits) = bits {
                    window_bits(bits)?;
                }
                client_bits_seen = true;
            }
            _ => return None,
        }
    }
    Some(params)
}

/// A window-bits value: 1*DIGIT in 8..=15 without leading zeros (§7.1.2).
fn window_bits(value: &[u8]) -> Option<u8> {
    match value {
        [b'8'..=b'9'] => Some(value[0] - b'0'),
        [b'1', b'0'..=b'5'] => Some(10 + value[1] - b'0'),
        _ => None,
    }
}

/// A token or a quoted-string without its quotes; `None` for an unterminated quote.
fn unquote(value: &[u8]) -> Option<&[u8]> {
    match value {
        [b'"', inner @ .., b'"'] => Some(inner),
        [b'"', ..] => None,
        _ => Some(value),
    }
}

/// `bytes` split on `separator` wherever it is not inside a quoted-string.
fn split_outside_quotes(bytes: &[u8], separator: u8) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b if b == separator && !quoted => {
                parts.push(&bytes[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&bytes[start..]);
    parts
}

/// The compressor of the messages the server sends.
pub(crate) struct Deflater {
    /// The raw deflate stream.
    compress: Compress,
    /// Reset after every message.
    no_context_takeover: bool,
}

impl Deflater {
    /// A compressor for what `params` agreed.
    pub(crate) fn new(params: DeflateParams) -> Deflater {
        let bits = params.server_max_window_bits.unwrap_or(15);
        Deflater {
            compress: Compress::new_with_window_bits(Compression::fast(), false, bits),
            no_context_takeover: params.server_no_context_takeover,
        }
    }

    /// The compressed payload of a message (§7.2.1): a sync flush without its tail.
    pub(crate) fn compress(&mut self, message: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(message.len() / 2 + 64);
        let mut input = message;
        loop {
            out.reserve(CHUNK);
            let before = self.compress.total_in();
            // Compressing into a vector with spare room cannot fail.
            let _ = self
                .compress
                .compress_vec(input, &mut out, FlushCompress::Sync);
            input = &input[(self.compress.total_in() - before) as usize..];
            if input.is_empty() && out.len() < out.capacity() {
                break;
            }
        }
        if out.ends_with(&TAIL) {
            out.truncate(out.len() - TAIL.len());
        }
        if out.is_empty() {
            // §7.2.3.6: an empty message is sent as a single empty stored block.
            out.push(0x00);
        }
        if self.no_context_takeover {
            self.compress.reset();
        }
        out
    }
}

/// The payload could not be decompressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Corrupt;

/// The decompressor of the messages the client sends.
pub(crate) struct Inflater {
    /// The raw inflate stream, with a 32 KiB window.
    decompress: Decompress,
}

impl Inflater {
    /// A decompressor that reads any window size.
    pub(crate) fn new() -> Inflater {
        Inflater {
            decompress: Decompress::new_with_window_bits(false, 15),
        }
    }

    /// Decompresses the next piece of a message's payload, appending to `out`; `last` adds
    /// the tail the sender removed (§7.2.2). Stops early, with what it has, once `out` holds
    /// more than `limit` bytes.
    pub(crate) fn inflate(
        &mut self,
        mut input: &[u8],
        last: bool,
        out: &mut Vec<u8>,
        limit: usize,
    ) -> Result<(), Corrupt> {
        let mut tail: &[u8] = if last { &TAIL } else { &[] };
        // A fixed window keeps what is produced past `limit` under one chunk.
        let mut window = [0; CHUNK];
        loop {
            if input.is_empty() {
                input = std::mem::take(&mut tail);
            }
            let (before_in, before_out) = (self.decompress.total_in(), self.decompress.total_out());
            let status = self
                .decompress
                .decompress(input, &mut window, FlushDecompress::Sync)
                .map_err(|_| Corrupt)?;
            let used = (self.decompress.total_in() - before_in) as usize;
            let produced = (self.decompress.total_out() - before_out) as usize;
            input = &input[used..];
            out.extend_from_slice(&window[..produced]);
            if out.len() > limit {
                return Ok(());
            }
            if status == Status::StreamEnd {
                // The client ended its stream with a final block: what follows starts anew.
                self.decompress.reset(false);
                continue;
            }
            let room = produced < CHUNK;
            if input.is_empty() && tail.is_empty() && room {
                return Ok(());
            }
            if used == 0 && produced == 0 {
                // Input left, room to write, and still no progress.
                return Err(Corrupt);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn negotiated(line: &str) -> Option<DeflateParams> {
        negotiate(std::iter::once(line.as_bytes()))
    }

    #[test]
    fn takes_the_first_acceptable_offer() {
        let plain = negotiated("permessage-deflate; client_max_window_bits").unwrap();
        assert_eq!(plain.response_value(), "permessage-deflate");
        let limited = negotiated(
            "permessage-deflate; server_max_window_bits=8, permessage-deflate; server_no_context_takeover; server_max_window_bits=\"10\"",
        )
        .unwrap();
        assert_eq!(
            limited.response_value(),
            "permessage-deflate; server_no_context_takeover; server_max_window_bits=10"
        );
        for declined in [
            "x-webkit-deflate-frame",
            "permessage-deflate; server_max_window_bits",
            "permessage-deflate; server_max_window_bits=16",
            "permessage-deflate; server_max_window_bits=09",
            "permessage-deflate; client_max_window_bits=7",
            "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
            "permessage-deflate; unknown",
            "permessage-deflate; server_no_context_takeover=1",
        ] {
            assert_eq!(negotiated(declined), None, "{declined}");
        }
        assert_eq!(negotiate(std::iter::empty()), None);
    }

    #[test]
    fn round_trips_messages_with_and_without_context() {
        for params in [
            negotiated("permessage-deflate").unwrap(),
            negotiated("permessage-deflate; server_no_context_takeover; server_max_window_bits=9")
                .unwrap(),
        ] {
            let mut deflater = Deflater::new(params);
            let mut inflater = Inflater::new();
            for message in [&b"Hello"[..], b"", b"Hello Hello Hello", &[7; 100_000]] {
                let compressed = deflater.compress(message);
                assert!(!compressed.ends_with(&TAIL));
                let mut out = Vec::new();
                let (a, b) = compressed.split_at(compressed.len() / 2);
                inflater.inflate(a, false, &mut out, usize::MAX).unwrap();
                inflater.inflate(b, true, &mut out, usize::MAX).unwrap();
                assert_eq!(out, message);
            }
        }
    }

    #[test]
    fn inflates_the_rfc_example_and_refuses_garbage() {
        // RFC 7692 §7.2.3.1: "Hello" compressed.
        let mut out = Vec::new();
        let hello = [0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00];
        Inflater::new()
            .inflate(&hello, true, &mut out, 1 << 20)
            .unwrap();
        assert_eq!(out, b"Hello");
        let mut out = Vec::new();
        assert_eq!(
            Inflater::new().inflate(&[0xff; 8], true, &mut out, 1 << 20),
            Err(Corrupt)
        );
    }

    #[test]
    fn stops_at_the_limit() {
        let params = negotiated("permessage-deflate").unwrap();
        let bomb = Deflater::new(params).compress(&vec![0; 4 << 20]);
        let mut out = Vec::new();
        Inflater::new()
            .inflate(&bomb, true, &mut out, 1 << 20)
            .unwrap();
        assert!(out.len() > 1 << 20 && out.len() <= (1 << 20) + CHUNK);
    }
}
