//! Byte-string escapes used in scenario payloads and in transcripts.
//!
//! Payloads must be able to carry any octet (bare CR, NUL, 0xFF), so scenario strings use a small
//! escape language on top of YAML: `\r \n \t \0 \\ \xNN`. The same language is used to display
//! bytes in transcripts, so what a report shows can be pasted back into a case.

use std::fmt;

/// A malformed escape in a payload string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EscapeError {
    /// Character offset of the backslash within the string.
    pub offset: usize,
    /// What is wrong, as a lowercase fragment.
    pub message: String,
}

impl fmt::Display for EscapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EscapeError {}

/// Decodes `\r \n \t \0 \\ \xNN` into bytes; every other character is kept as its UTF-8 bytes.
pub fn decode_escapes(s: &str) -> Result<Vec<u8>, EscapeError> {
    let mut out = Vec::with_capacity(s.len());
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        // Counted only for an error: counting for every escape made decoding quadratic.
        let offset = || s[..i].chars().count();
        match chars.next().map(|(_, c)| c) {
            Some('r') => out.push(b'\r'),
            Some('n') => out.push(b'\n'),
            Some('t') => out.push(b'\t'),
            Some('0') => out.push(0),
            Some('\\') => out.push(b'\\'),
            Some('x') => {
                let hi = chars.next().map(|(_, c)| c);
                let lo = chars.next().map(|(_, c)| c);
                match (
                    hi.and_then(|c| c.to_digit(16)),
                    lo.and_then(|c| c.to_digit(16)),
                ) {
                    (Some(h), Some(l)) => out.push((h * 16 + l) as u8),
                    _ => {
                        return Err(EscapeError {
                            offset: offset(),
                            message: "`\\x` must be followed by exactly two hex digits".into(),
                        })
                    }
                }
            }
            Some(other) => {
                return Err(EscapeError {
                    offset: offset(),
                    message: format!(
                        "unknown escape `\\{other}` (known: \\r \\n \\t \\0 \\\\ \\xNN)"
                    ),
                })
            }
            None => {
                return Err(EscapeError {
                    offset: offset(),
                    message: "a lone `\\` ends the string (write `\\\\` for a backslash)".into(),
                })
            }
        }
    }
    Ok(out)
}

/// Renders bytes for a person: printable ASCII as is, CR/LF/TAB as `\r \n \t`, everything else
/// as `\xNN`. A `\n` escape is followed by a real line break so transcripts stay readable.
pub fn display_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 16);
    for &b in bytes {
        match b {
            b'\r' => out.push_str("\\r"),
            b'\n' => out.push_str("\\n\n"),
            b'\t' => out.push_str("\\t"),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_every_escape() {
        let got = decode_escapes(r"a\r\n\t\0\\\x7f\xFFé").unwrap();
        assert_eq!(got, b"a\r\n\t\0\\\x7f\xff\xc3\xa9");
    }

    #[test]
    fn rejects_bad_escapes_with_offsets() {
        assert_eq!(decode_escapes(r"ab\q").unwrap_err().offset, 2);
        assert!(decode_escapes(r"\x4").is_err());
        assert!(decode_escapes(r"\xZZ").is_err());
        assert!(decode_escapes("x\\").is_err());
    }

    #[test]
    fn display_round_trips_through_decode() {
        let bytes: Vec<u8> = (0u8..=255).collect();
        let shown = display_bytes(&bytes).replace("\\n\n", "\\n");
        assert_eq!(decode_escapes(&shown).unwrap(), bytes);
    }
}
