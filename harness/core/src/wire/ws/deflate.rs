//! permessage-deflate payloads (RFC 7692 §7.2): our compressor and the server's
//! decompressor.
//!
//! zlib comes from flate2 on zlib-rs (pure Rust): window bits 9..15 are needed for
//! `client_max_window_bits`, which miniz_oxide cannot do. Window bits 8 are legal in the RFC
//! but rejected by zlib; when a server asks our side for 8, we send stored blocks, which never
//! refer back and so respect any window.

use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};

use super::error::DeflateError;
use super::negotiation::DeflateAgreement;

/// §7.2.1 removes, and §7.2.2 appends, the tail of a sync flush: an empty stored block.
const TAIL: [u8; 4] = [0x00, 0x00, 0xFF, 0xFF];

/// Inflated output is handed on in pieces of at most this size, so a deflate bomb costs time
/// but no memory.
pub const OUTPUT_CHUNK: usize = 64 * 1024;

/// Our side's compressor (client → server): window `client_max_window_bits`, context reset
/// per message when `client_no_context_takeover`. Level 1: our compression must be cheap; the
/// server's is what is tested.
pub struct Compressor {
    inner: Compress,
    no_context_takeover: bool,
}

impl std::fmt::Debug for Compressor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Compressor")
            .field("no_context_takeover", &self.no_context_takeover)
            .finish_non_exhaustive()
    }
}

impl Compressor {
    /// A compressor for what `agreement` allows our side.
    pub fn new(agreement: &DeflateAgreement) -> Self {
        let bits = agreement.client_max_window_bits;
        let inner = if bits < 9 {
            // zlib cannot use a 256-byte window; stored blocks never refer back at all.
            Compress::new_with_window_bits(Compression::none(), false, 9)
        } else {
            Compress::new_with_window_bits(Compression::fast(), false, bits.min(15))
        };
        Compressor {
            inner,
            no_context_takeover: agreement.client_no_context_takeover,
        }
    }

    /// One message's payload: raw DEFLATE ending in a sync flush whose trailing
    /// `00 00 FF FF` is removed (RFC 7692 §7.2.1).
    pub fn compress_message(&mut self, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(data.len() / 2 + 64);
        let mut input = data;
        loop {
            let before = self.inner.total_in();
            // Deflating memory into memory fails only on API misuse (a stream used after a
            // fatal error), which this type never does.
            self.inner
                .compress_vec(input, &mut out, FlushCompress::Sync)
                .expect("in-memory deflate with a sync flush does not fail");
            input = &input[(self.inner.total_in() - before) as usize..];
            // zlib has finished a flush when it returns with output space to spare.
            if input.is_empty() && out.len() < out.capacity() {
                break;
            }
            out.reserve(out.capacity().max(64));
        }
        // §7.2.1: "If the resulting data does not end with an empty DEFLATE block with no
        // compression ..., append an empty DEFLATE block with no compression to the tail end."
        // zlib writes nothing for a flush with no new input (an empty message after another),
        // and after a completed flush the stream is byte-aligned, so the block is 5 bytes.
        if !out.ends_with(&TAIL) {
            out.extend_from_slice(&[0x00, 0x00, 0x00, 0xFF, 0xFF]);
        }
        out.truncate(out.len() - TAIL.len());
        if self.no_context_takeover {
            self.inner.reset();
        }
        out
    }
}

/// The server's decompressor (server → client): context reset after each message when
/// `server_no_context_takeover`. It always inflates with a 32 KiB window, which decodes any
/// smaller one. A smaller window would not make a server that exceeds its agreed window
/// detectable: zlib checks distances against the history it holds, which includes the current
/// output buffer, so detection would depend on how the input was split.
pub struct Decompressor {
    inner: Decompress,
    no_context_takeover: bool,
    buf: Vec<u8>,
    /// A block with BFINAL set ended the stream inside the current message.
    ended: bool,
    /// Whether the current message has had any compressed bytes.
    fed: bool,
}

impl std::fmt::Debug for Decompressor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Decompressor")
            .field("no_context_takeover", &self.no_context_takeover)
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

impl Decompressor {
    /// A decompressor for what `agreement` allows the server.
    pub fn new(agreement: &DeflateAgreement) -> Self {
        Decompressor {
            inner: Decompress::new_with_window_bits(false, 15),
            no_context_takeover: agreement.server_no_context_takeover,
            buf: vec![0; OUTPUT_CHUNK],
            ended: false,
            fed: false,
        }
    }

    /// Inflates the next piece of a message's payload, handing output to `out` in chunks of at
    /// most [`OUTPUT_CHUNK`] bytes.
    pub fn feed(
        &mut self,
        compressed: &[u8],
        out: &mut dyn FnMut(&[u8]),
    ) -> Result<(), DeflateError> {
        self.fed |= !compressed.is_empty();
        self.run(compressed, out, false)
    }

    /// Ends the message: appends `00 00 FF FF` (RFC 7692 §7.2.2 "Append 4 octets of 0x00 0x00
    /// 0xff 0xff to the tail end of the payload of the message") and hands on what remains.
    ///
    /// A message with no compressed bytes at all is taken as empty and leaves the stream
    /// alone. The §7.2.1 algorithm never produces it (an empty message compresses to `00`),
    /// but appending the tail to nothing would leave the stream inside a stored-block header
    /// and garble the next message, blaming the wrong one.
    pub fn finish_message(&mut self, out: &mut dyn FnMut(&[u8])) -> Result<(), DeflateError> {
        let result = if self.fed {
            self.run(&TAIL, out, true)
        } else {
            Ok(())
        };
        self.fed = false;
        // A stream ended by BFINAL cannot continue; the next message starts a new one.
        if self.no_context_takeover || self.ended || result.is_err() {
            self.inner.reset(false);
            self.ended = false;
        }
        result
    }

    fn run(
        &mut self,
        mut input: &[u8],
        out: &mut dyn FnMut(&[u8]),
        tail: bool,
    ) -> Result<(), DeflateError> {
        loop {
            if self.ended {
                // The appended tail after a final block is expected; anything else is data
                // beyond the end of the stream.
                return if input.is_empty() || tail {
                    Ok(())
                } else {
                    Err(DeflateError::DataAfterFinalBlock)
                };
            }
            let (in_before, out_before) = (self.inner.total_in(), self.inner.total_out());
            let result = self
                .inner
                .decompress(input, &mut self.buf, FlushDecompress::None);
            let used = (self.inner.total_in() - in_before) as usize;
            let produced = (self.inner.total_out() - out_before) as usize;
            // Output inflated before a data error is handed on before the error is returned
            // (zlib counts it in total_out either way): it precedes the bad data in the
            // stream, so a check on it (text must be UTF-8) must see it whether the bad data
            // arrived in the same read or a later one. Dropping it made the reader report
            // RFC 7692 §7.2.2 for a message read whole and RFC 6455 §8.1 for the same bytes
            // read in pieces (found by the ws_reader fuzz target).
            if produced > 0 {
                out(&self.buf[..produced]);
            }
            let status = result.map_err(stream_error)?;
            input = &input[used..];
            if status == Status::StreamEnd {
                self.ended = true;
                continue;
            }
            let output_full = produced == self.buf.len();
            if (input.is_empty() && !output_full) || (used == 0 && produced == 0) {
                return Ok(());
            }
        }
    }
}

/// zlib's description of a data error. zlib-rs overwrites the message of an error found in
/// its fast path with "repeated call with bad state"; this type never calls it again after an
/// error (it resets or is dropped), so that text always stands for a data error whose detail
/// was lost. The detail can therefore depend on how the input was split; the error cannot.
fn stream_error(e: flate2::DecompressError) -> DeflateError {
    let text = e.to_string();
    if text.contains("repeated call with bad state") {
        DeflateError::Stream("invalid DEFLATE data".into())
    } else {
        DeflateError::Stream(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agreement(bits: u8, no_context: bool) -> DeflateAgreement {
        DeflateAgreement {
            server_no_context_takeover: no_context,
            client_no_context_takeover: no_context,
            server_max_window_bits: bits,
            client_max_window_bits: bits,
        }
    }

    fn inflate(d: &mut Decompressor, payload: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        d.feed(payload, &mut |c| out.extend_from_slice(c)).unwrap();
        d.finish_message(&mut |c| out.extend_from_slice(c)).unwrap();
        out
    }

    #[test]
    fn rfc_examples_decompress() {
        let mut d = Decompressor::new(&agreement(15, false));
        // RFC 7692 §7.2.3.1: "Hello" compressed, one frame.
        assert_eq!(
            inflate(&mut d, &[0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00]),
            b"Hello"
        );
        // §7.2.3.2: the second "Hello" refers back into the first message's context.
        assert_eq!(inflate(&mut d, &[0xf2, 0x00, 0x11, 0x00, 0x00]), b"Hello");
        // §7.2.3.3: a stored block.
        assert_eq!(
            inflate(
                &mut d,
                &[0x00, 0x05, 0x00, 0xfa, 0xff, 0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x00]
            ),
            b"Hello"
        );
        // §7.2.3.4: BFINAL set; the next message starts a new stream.
        let mut d = Decompressor::new(&agreement(15, false));
        let bfinal = [0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00];
        assert_eq!(inflate(&mut d, &bfinal), b"Hello");
        assert_eq!(inflate(&mut d, &bfinal), b"Hello");
        let mut out = Vec::new();
        let mut more = bfinal.to_vec();
        more.push(0x00);
        assert_eq!(
            d.feed(&more, &mut |c| out.extend_from_slice(c)),
            Err(DeflateError::DataAfterFinalBlock)
        );
    }

    #[test]
    fn round_trip_and_window_bits() {
        let text: Vec<u8> = b"Habe nun, ach! Philosophie, Juristerei und Medizin, "
            .iter()
            .copied()
            .cycle()
            .take(100_000)
            .collect();
        for bits in 8..=15 {
            for no_context in [false, true] {
                let a = agreement(bits, no_context);
                let (mut c, mut d) = (Compressor::new(&a), Decompressor::new(&a));
                for _ in 0..3 {
                    let z = c.compress_message(&text);
                    assert!(!z.ends_with(&TAIL));
                    assert_eq!(inflate(&mut d, &z), text, "bits {bits}");
                }
                assert_eq!(inflate(&mut d, &c.compress_message(b"")), b"");
            }
        }
    }

    #[test]
    fn empty_messages_keep_the_stream_aligned() {
        let a = agreement(15, false);
        let (mut c, mut d) = (Compressor::new(&a), Decompressor::new(&a));
        for m in [&b""[..], b"", b"abc", b"", b"abcabc"] {
            let z = c.compress_message(m);
            assert!(!z.is_empty());
            assert_eq!(inflate(&mut d, &z), m);
        }
        // A server that sends nothing for an empty message does not garble the next one.
        assert_eq!(inflate(&mut d, b""), b"");
        assert_eq!(inflate(&mut d, &c.compress_message(b"xyz")), b"xyz");
    }

    #[test]
    fn bomb_output_is_chunked() {
        let zeros = vec![0u8; 4 << 20];
        let z = Compressor::new(&agreement(15, false)).compress_message(&zeros);
        let mut d = Decompressor::new(&agreement(15, false));
        let (mut total, mut largest) = (0, 0);
        let mut sink = |c: &[u8]| {
            total += c.len();
            largest = largest.max(c.len());
        };
        d.feed(&z, &mut sink).unwrap();
        d.finish_message(&mut sink).unwrap();
        assert_eq!(total, zeros.len());
        assert!(largest <= OUTPUT_CHUNK);
    }
}
