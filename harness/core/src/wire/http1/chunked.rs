//! The chunked transfer coding (RFC 9112 §7.1), decoded incrementally.
//!
//! ```text
//! chunked-body   = *chunk last-chunk trailer-section CRLF
//! chunk          = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
//! chunk-size     = 1*HEXDIG
//! last-chunk     = 1*("0") [ chunk-ext ] CRLF
//! ```
//! The decoder never holds the body: data is handed to a sink as it is consumed, so a hostile
//! chunk size costs no memory. Lines (sizes, trailers) are bounded.

use super::error::WireError;
use super::head::Leniency;

/// Longest chunk-size line or trailer line we accept.
const MAX_LINE: usize = 8 * 1024;
/// Most trailer bytes in total.
const MAX_TRAILERS: usize = 64 * 1024;

#[derive(Clone, Debug, PartialEq, Eq)]
enum State {
    ExpectSize,
    ExpectData(u64),
    ExpectDataCrlf,
    ExpectTrailer,
    Done,
}

/// What one call to [`ChunkedDecoder::feed`] achieved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkedProgress {
    /// Bytes of the input consumed.
    pub consumed: usize,
    /// The last-chunk and trailer section have been read.
    pub done: bool,
}

/// Incremental chunked decoder.
#[derive(Clone, Debug)]
pub struct ChunkedDecoder {
    state: State,
    trailers: Vec<(String, Vec<u8>)>,
    trailer_bytes: usize,
    leniencies: Vec<Leniency>,
}

impl Default for ChunkedDecoder {
    fn default() -> Self {
        ChunkedDecoder {
            state: State::ExpectSize,
            trailers: Vec::new(),
            trailer_bytes: 0,
            leniencies: Vec::new(),
        }
    }
}

impl ChunkedDecoder {
    /// Consumes what it can from `input`, passing chunk data to `sink`.
    pub fn feed(
        &mut self,
        input: &[u8],
        sink: &mut dyn FnMut(&[u8]),
    ) -> Result<ChunkedProgress, WireError> {
        let mut pos = 0;
        loop {
            match self.state {
                State::Done => {
                    return Ok(ChunkedProgress {
                        consumed: pos,
                        done: true,
                    })
                }
                State::ExpectSize => {
                    let Some((line, used)) = self.line(&input[pos..])? else {
                        break;
                    };
                    self.state = match parse_size(line)? {
                        0 => State::ExpectTrailer,
                        n => State::ExpectData(n),
                    };
                    pos += used;
                }
                State::ExpectData(remaining) => {
                    let avail = (input.len() - pos) as u64;
                    if avail == 0 {
                        break;
                    }
                    let take = remaining.min(avail) as usize;
                    sink(&input[pos..pos + take]);
                    pos += take;
                    let left = remaining - take as u64;
                    self.state = if left == 0 {
                        State::ExpectDataCrlf
                    } else {
                        State::ExpectData(left)
                    };
                }
                State::ExpectDataCrlf => {
                    let rest = &input[pos..];
                    if rest.starts_with(b"\r\n") {
                        pos += 2;
                    } else if rest.starts_with(b"\n") {
                        self.note(Leniency::BareLf);
                        pos += 1;
                    } else if rest.is_empty() || rest == b"\r" {
                        break;
                    } else {
                        return Err(WireError::BadChunk(format!(
                            "chunk data is not followed by CRLF (found {:?})",
                            crate::text::display_bytes(&rest[..rest.len().min(8)])
                        )));
                    }
                    self.state = State::ExpectSize;
                }
                State::ExpectTrailer => {
                    let Some((line, used)) = self.line(&input[pos..])? else {
                        break;
                    };
                    pos += used;
                    if line.is_empty() {
                        self.state = State::Done;
                        continue;
                    }
                    self.trailer_bytes += used;
                    if self.trailer_bytes > MAX_TRAILERS {
                        return Err(WireError::BadChunk(format!(
                            "trailer section exceeds {MAX_TRAILERS} bytes"
                        )));
                    }
                    let Some(colon) = line.iter().position(|&b| b == b':') else {
                        return Err(WireError::BadChunk("trailer line without a colon".into()));
                    };
                    let name = String::from_utf8_lossy(&line[..colon]).into_owned();
                    let value = trim_ows(&line[colon + 1..]).to_vec();
                    self.trailers.push((name, value));
                }
            }
        }
        Ok(ChunkedProgress {
            consumed: pos,
            done: self.state == State::Done,
        })
    }

    /// Trailer fields read so far.
    pub fn trailers(&self) -> &[(String, Vec<u8>)] {
        &self.trailers
    }

    /// Bytes the chunk being read still owes, while its data is being read.
    pub fn owed(&self) -> Option<u64> {
        match self.state {
            State::ExpectData(remaining) => Some(remaining),
            _ => None,
        }
    }

    /// Leniencies needed so far.
    pub fn leniencies(&self) -> &[Leniency] {
        &self.leniencies
    }

    fn note(&mut self, l: Leniency) {
        if !self.leniencies.contains(&l) {
            self.leniencies.push(l);
        }
    }

    /// A complete line without its terminator, and the bytes it used; `None` if incomplete.
    fn line<'a>(&mut self, input: &'a [u8]) -> Result<Option<(&'a [u8], usize)>, WireError> {
        match input.iter().position(|&b| b == b'\n') {
            Some(lf) if lf > MAX_LINE => Err(WireError::BadChunk(format!(
                "line longer than {MAX_LINE} bytes"
            ))),
            Some(lf) => {
                if lf > 0 && input[lf - 1] == b'\r' {
                    Ok(Some((&input[..lf - 1], lf + 1)))
                } else {
                    self.note(Leniency::BareLf);
                    Ok(Some((&input[..lf], lf + 1)))
                }
            }
            None if input.len() > MAX_LINE => Err(WireError::BadChunk(format!(
                "line longer than {MAX_LINE} bytes"
            ))),
            None => Ok(None),
        }
    }
}

/// `chunk-size [ chunk-ext ]`: hex digits, then nothing, or BWS and `;` extensions.
fn parse_size(line: &[u8]) -> Result<u64, WireError> {
    let digits = line.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    let shown = || crate::text::display_bytes(&line[..line.len().min(40)]);
    if digits == 0 {
        return Err(WireError::BadChunk(format!(
            "chunk-size line {:?} does not start with a hex digit",
            shown()
        )));
    }
    let rest = &line[digits..];
    let ext = trim_ows_start(rest);
    if !ext.is_empty() && ext[0] != b';' {
        return Err(WireError::BadChunk(format!(
            "unexpected bytes after chunk-size in {:?}",
            shown()
        )));
    }
    let hex = std::str::from_utf8(&line[..digits]).unwrap_or("");
    let hex = hex.trim_start_matches('0');
    if hex.len() > 16 {
        return Err(WireError::BadChunk(format!(
            "chunk-size {:?} overflows 64 bits",
            shown()
        )));
    }
    Ok(if hex.is_empty() {
        0
    } else {
        u64::from_str_radix(hex, 16).map_err(|_| {
            WireError::BadChunk(format!("chunk-size {:?} overflows 64 bits", shown()))
        })?
    })
}

fn trim_ows_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|&&c| c == b' ' || c == b'\t').count();
    &b[n..]
}

fn trim_ows(b: &[u8]) -> &[u8] {
    let b = trim_ows_start(b);
    let n = b
        .iter()
        .rev()
        .take_while(|&&c| c == b' ' || c == b'\t')
        .count();
    &b[..b.len() - n]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(input: &[u8]) -> Result<(Vec<u8>, usize, bool, ChunkedDecoder), WireError> {
        let mut d = ChunkedDecoder::default();
        let mut out = Vec::new();
        let p = d.feed(input, &mut |b| out.extend_from_slice(b))?;
        Ok((out, p.consumed, p.done, d))
    }

    #[test]
    fn decodes_chunks_extensions_and_trailers() {
        let (body, used, done, d) =
            decode_all(b"5;a=b\r\nhello\r\n1\r\n!\r\n0\r\nX-T: 1\r\n\r\nNEXT").unwrap();
        assert_eq!((body.as_slice(), used, done), (&b"hello!"[..], 33, true));
        assert_eq!(d.trailers(), &[("X-T".to_string(), b"1".to_vec())]);
    }

    #[test]
    fn byte_at_a_time_equals_whole() {
        let input = b"a\r\n0123456789\r\n000\r\n\r\n";
        let mut d = ChunkedDecoder::default();
        let mut out = Vec::new();
        let mut buf = Vec::new();
        let mut done = false;
        for &b in input.iter() {
            buf.push(b);
            let p = d.feed(&buf, &mut |x| out.extend_from_slice(x)).unwrap();
            buf.drain(..p.consumed);
            done = p.done;
        }
        assert!(done && buf.is_empty());
        assert_eq!(out, b"0123456789");
    }

    #[test]
    fn rejects_bad_sizes() {
        assert!(decode_all(b"zz\r\n").is_err());
        assert!(decode_all(b"5x\r\n").is_err());
        assert!(decode_all(b"fffffffffffffffff1\r\n").is_err());
        assert!(decode_all(b"2\r\nabX").is_err());
    }

    #[test]
    fn huge_size_costs_no_memory() {
        let (body, _, done, _) = decode_all(b"ffffffffffffffff\r\nabc").unwrap();
        assert_eq!((body.len(), done), (3, false));
    }
}
