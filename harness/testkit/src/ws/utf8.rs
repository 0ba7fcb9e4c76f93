//! An incremental UTF-8 validator (RFC 3629 §4), for failing fast (RFC 6455 §8.1, §5.6).
//!
//! Bytes are fed as they arrive, in pieces of any size; [`Utf8::feed`] reports an error on the
//! piece holding the first byte that no valid continuation could follow (an overlong form, a
//! surrogate, a code point above U+10FFFF, a stray continuation byte, or F5..FF), without
//! waiting for the sequence or the message to end. [`Utf8::is_complete`] says whether the
//! bytes so far end on a character boundary.

/// The validator's state: how many continuation bytes are still due and the range the next
/// one must fall in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Utf8 {
    /// Continuation bytes still due.
    need: u8,
    /// Smallest value the next continuation byte may have.
    lower: u8,
    /// Largest value the next continuation byte may have.
    upper: u8,
}

/// The bytes cannot be the start of any valid UTF-8 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Invalid;

impl Default for Utf8 {
    fn default() -> Utf8 {
        Utf8::new()
    }
}

impl Utf8 {
    /// A validator at a character boundary.
    pub(crate) const fn new() -> Utf8 {
        Utf8 {
            need: 0,
            lower: 0x80,
            upper: 0xBF,
        }
    }

    /// Checks the next bytes of the text.
    pub(crate) fn feed(&mut self, mut bytes: &[u8]) -> Result<(), Invalid> {
        // Finish a sequence left open by the previous piece byte by byte ...
        while self.need > 0 {
            let Some((&byte, rest)) = bytes.split_first() else {
                return Ok(());
            };
            self.step(byte)?;
            bytes = rest;
        }
        // ... then let the standard library check the bulk, keeping an unfinished tail.
        match std::str::from_utf8(bytes) {
            Ok(_) => Ok(()),
            Err(error) if error.error_len().is_some() => Err(Invalid),
            Err(error) => bytes[error.valid_up_to()..]
                .iter()
                .try_for_each(|&byte| self.step(byte)),
        }
    }

    /// Whether the bytes fed so far end on a character boundary.
    pub(crate) fn is_complete(self) -> bool {
        self.need == 0
    }

    /// One byte through the state machine (the table of RFC 3629 §4).
    fn step(&mut self, byte: u8) -> Result<(), Invalid> {
        if self.need > 0 {
            if byte < self.lower || byte > self.upper {
                return Err(Invalid);
            }
            *self = Utf8 {
                need: self.need - 1,
                ..Utf8::new()
            };
            return Ok(());
        }
        let (need, lower, upper) = match byte {
            0x00..=0x7F => return Ok(()),
            0xC2..=0xDF => (1, 0x80, 0xBF),
            0xE0 => (2, 0xA0, 0xBF),
            0xE1..=0xEC | 0xEE..=0xEF => (2, 0x80, 0xBF),
            0xED => (2, 0x80, 0x9F),
            0xF0 => (3, 0x90, 0xBF),
            0xF1..=0xF3 => (3, 0x80, 0xBF),
            0xF4 => (3, 0x80, 0x8F),
            _ => return Err(Invalid),
        };
        *self = Utf8 { need, lower, upper };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `bytes` one byte at a time: the index of the byte that was refused, or whether
    /// the text ended complete.
    fn bytewise(bytes: &[u8]) -> Result<bool, usize> {
        let mut utf8 = Utf8::new();
        for (i, byte) in bytes.iter().enumerate() {
            utf8.feed(std::slice::from_ref(byte)).map_err(|Invalid| i)?;
        }
        Ok(utf8.is_complete())
    }

    #[test]
    fn accepts_valid_text_in_any_split() {
        let text = "Hello-µ@ßöäüàá-UTF-8!! κόσμε \u{10FFFF}\u{FFFD}\u{FFFF}".as_bytes();
        assert_eq!(bytewise(text), Ok(true));
        for split in 0..text.len() {
            let mut utf8 = Utf8::new();
            utf8.feed(&text[..split]).unwrap();
            utf8.feed(&text[split..]).unwrap();
            assert!(utf8.is_complete(), "split at {split}");
        }
    }

    #[test]
    fn refuses_at_the_first_impossible_byte() {
        let kosme = "κόσμε".as_bytes();
        // Above U+10FFFF: refused on 0x90, the byte that makes it impossible (Autobahn 6.4.2).
        let mut bad = kosme.to_vec();
        bad.extend_from_slice(&[0xF4, 0x90, 0x80, 0x80]);
        assert_eq!(bytewise(&bad), Err(kosme.len() + 1));
        for (bytes, at) in [
            (&[0xED, 0xA0, 0x80][..], 1), // surrogate
            (&[0xE0, 0x80, 0xAF], 1),     // overlong
            (&[0xC0, 0xAF], 0),           // overlong, impossible lead
            (&[0xF5], 0),
            (&[0xFE], 0),
            (&[0x80], 0), // stray continuation
            (&[0xCE, 0x41], 1),
        ] {
            assert_eq!(bytewise(bytes), Err(at), "{bytes:x?}");
            assert_eq!(Utf8::new().feed(bytes), Err(Invalid), "{bytes:x?}");
        }
    }

    #[test]
    fn incomplete_is_not_an_error_until_the_end() {
        assert_eq!(bytewise(&[0xCE]), Ok(false));
        assert_eq!(bytewise(&[0xF4, 0x8F, 0xBF]), Ok(false));
        let mut utf8 = Utf8::new();
        utf8.feed(b"ab\xF0\x9F").unwrap();
        assert!(!utf8.is_complete());
        utf8.feed(b"\x98\x80cd").unwrap();
        assert!(utf8.is_complete());
    }
}
