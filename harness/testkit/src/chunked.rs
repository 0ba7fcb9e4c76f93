//! A strict, incremental decoder for chunked request bodies (RFC 9112 §7.1).
//!
//! ```text
//! chunked-body = *chunk last-chunk trailer-section CRLF
//! chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
//! last-chunk   = 1*("0") [ chunk-ext ] CRLF
//! ```

use crate::framing::MAX_BODY;
use crate::request::{is_tchar, next_line, parse_field_line, Field, Rejection};
use crate::switches::Switches;

/// Longest chunk-size line (size plus extensions) accepted.
const MAX_SIZE_LINE: usize = 4 * 1024;

/// Largest trailer section accepted.
const MAX_TRAILERS: usize = 16 * 1024;

/// Where the decoder is in the chunked body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Expecting a chunk-size line.
    Size,
    /// Inside chunk-data, with this many bytes left.
    Data(u64),
    /// Expecting the CRLF after chunk-data.
    DataEnd,
    /// Reading trailer field lines, this many bytes so far.
    Trailers(usize),
    /// The final CRLF has been read.
    Done,
}

/// Decodes a chunked body fed to it in pieces.
#[derive(Debug)]
pub(crate) struct ChunkedDecoder {
    /// Where the decoder is.
    state: State,
    /// The decoded content so far.
    pub(crate) body: Vec<u8>,
    /// The trailer fields.
    pub(crate) trailers: Vec<Field>,
}

impl ChunkedDecoder {
    /// A decoder at the start of a chunked body.
    pub(crate) fn new() -> ChunkedDecoder {
        ChunkedDecoder {
            state: State::Size,
            body: Vec::new(),
            trailers: Vec::new(),
        }
    }

    /// Decodes as much of `buf` as it can; answers how many bytes of `buf`
    /// it used and whether the body is complete.
    pub(crate) fn feed(&mut self, buf: &[u8]) -> Result<(usize, bool), Rejection> {
        let mut pos = 0;
        loop {
            match self.state {
                State::Done => return Ok((pos, true)),
                State::Size => {
                    let Some((line, next)) = next_line(buf, pos)? else {
                        if buf.len() - pos > MAX_SIZE_LINE {
                            return Err(Rejection::bad("a chunk-size line is too long"));
                        }
                        return Ok((pos, false));
                    };
                    let size = chunk_size(line)?;
                    if self.body.len() as u64 + size > MAX_BODY {
                        return Err(Rejection {
                            status: 413,
                            message: "the request body is larger than 16 MiB",
                        });
                    }
                    self.state = if size == 0 {
                        State::Trailers(0)
                    } else {
                        State::Data(size)
                    };
                    pos = next;
                }
                State::Data(left) => {
                    let available = buf.len() - pos;
                    if available == 0 {
                        return Ok((pos, false));
                    }
                    let take = usize::try_from(left).map_or(available, |left| left.min(available));
                    self.body.extend_from_slice(&buf[pos..pos + take]);
                    pos += take;
                    let left = left - take as u64;
                    self.state = if left == 0 {
                        State::DataEnd
                    } else {
                        State::Data(left)
                    };
                }
                State::DataEnd => match buf.get(pos..pos + 2) {
                    None if buf[pos..] == *b"" || buf[pos..] == *b"\r" => return Ok((pos, false)),
                    Some(b"\r\n") => {
                        pos += 2;
                        self.state = State::Size;
                    }
                    _ => return Err(Rejection::bad("chunk-data is not followed by CRLF")),
                },
                State::Trailers(seen) => {
                    let Some((line, next)) = next_line(buf, pos)? else {
                        if seen + (buf.len() - pos) > MAX_TRAILERS {
                            return Err(Rejection::bad("the trailer section is too large"));
                        }
                        return Ok((pos, false));
                    };
                    let seen = seen + (next - pos);
                    if seen > MAX_TRAILERS {
                        return Err(Rejection::bad("the trailer section is too large"));
                    }
                    pos = next;
                    if line.is_empty() {
                        self.state = State::Done;
                    } else {
                        self.trailers
                            .push(parse_field_line(line, Switches::default())?);
                        self.state = State::Trailers(seen);
                    }
                }
            }
        }
    }
}

/// `chunk-size [ chunk-ext ]`: hex digits, then optional extensions
/// `*( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] )`.
fn chunk_size(line: &[u8]) -> Result<u64, Rejection> {
    let digits = line.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    if digits == 0 {
        return Err(Rejection::bad("a chunk-size is not hex digits"));
    }
    let significant = line[..digits].iter().skip_while(|&&b| b == b'0').count();
    if significant > 15 {
        return Err(Rejection::bad("a chunk-size is too large"));
    }
    let size = line[..digits].iter().fold(0u64, |acc, &b| {
        let digit = char::from(b).to_digit(16).unwrap_or(0);
        acc * 16 + u64::from(digit)
    });
    check_extensions(&line[digits..])?;
    Ok(size)
}

/// Checks `*( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] )`, where
/// `ext-val` is a token or a quoted-string.
fn check_extensions(mut rest: &[u8]) -> Result<(), Rejection> {
    let bad = || Rejection::bad("a chunk extension is malformed");
    let skip_ws = |rest: &mut &[u8]| {
        while let [b' ' | b'\t', tail @ ..] = *rest {
            *rest = tail;
        }
    };
    let take_token = |rest: &mut &[u8]| {
        let n = rest.iter().take_while(|&&b| is_tchar(b)).count();
        *rest = &rest[n..];
        n
    };
    loop {
        skip_ws(&mut rest);
        let [b';', tail @ ..] = rest else {
            return if rest.is_empty() { Ok(()) } else { Err(bad()) };
        };
        rest = tail;
        skip_ws(&mut rest);
        if take_token(&mut rest) == 0 {
            return Err(bad());
        }
        skip_ws(&mut rest);
        if let [b'=', tail @ ..] = rest {
            rest = tail;
            skip_ws(&mut rest);
            if let [b'"', tail @ ..] = rest {
                rest = quoted_string_rest(tail).ok_or_else(bad)?;
            } else if take_token(&mut rest) == 0 {
                return Err(bad());
            }
        }
    }
}

/// The bytes after a quoted-string whose opening quote was just consumed.
fn quoted_string_rest(mut rest: &[u8]) -> Option<&[u8]> {
    loop {
        match rest {
            [b'"', tail @ ..] => return Some(tail),
            [b'\\', escaped, tail @ ..] if *escaped != 0x7f && *escaped >= 0x20 => rest = tail,
            [b, tail @ ..] if (*b >= 0x20 && *b != 0x7f && *b != b'\\') || *b == b'\t' => {
                rest = tail
            }
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_whole(bytes: &[u8]) -> Result<(Vec<u8>, usize), u16> {
        let mut decoder = ChunkedDecoder::new();
        match decoder.feed(bytes) {
            Ok((used, true)) => Ok((decoder.body, used)),
            Ok((_, false)) => Err(0),
            Err(rejection) => Err(rejection.status),
        }
    }

    #[test]
    fn decodes_valid_bodies() {
        let bytes = b"5\r\nhello\r\n1;a=b;c=\"d\"\r\n!\r\n0\r\nX: y\r\n\r\nNEXT";
        let (body, used) = decode_whole(bytes).expect("valid");
        assert_eq!(body, b"hello!");
        assert_eq!(&bytes[used..], b"NEXT");
        assert_eq!(decode_whole(b"000\r\n\r\n").unwrap().0, b"");
    }

    #[test]
    fn decodes_byte_by_byte() {
        let bytes = b"A\r\n0123456789\r\n0\r\n\r\n";
        let mut decoder = ChunkedDecoder::new();
        let mut buffered = Vec::new();
        let mut done = false;
        for &b in bytes {
            buffered.push(b);
            let (used, finished) = decoder.feed(&buffered).unwrap();
            buffered.drain(..used);
            done = finished;
        }
        assert!(done && buffered.is_empty());
        assert_eq!(decoder.body, b"0123456789");
    }

    #[test]
    fn rejects_bad_syntax() {
        for bad in [
            &b"x\r\n"[..],
            b"0x5\r\nhello\r\n0\r\n\r\n",
            b"-5\r\n",
            b"5\nhello\r\n0\r\n\r\n",
            b"5\r\nhelloXX0\r\n\r\n",
            b"5 ; \r\n",
            b"5;a=\"b\r\n",
            b"0\r\nBad Trailer\r\n\r\n",
            b"fffffffffffffffff\r\n",
        ] {
            assert_eq!(
                decode_whole(bad),
                Err(400),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
        assert_eq!(decode_whole(b"2000000\r\n"), Err(413));
    }
}
