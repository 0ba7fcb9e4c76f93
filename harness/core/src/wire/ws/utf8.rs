//! Incremental, fail-fast UTF-8 validation of text messages and close reasons.
//!
//! RFC 6455 §8.1: "When an endpoint is to interpret a byte stream as UTF-8 but finds that the
//! byte stream is not, in fact, a valid UTF-8 stream, that endpoint MUST _Fail the WebSocket
//! Connection_." Autobahn 6.4.x checks that this happens as early as possible, so the error is
//! reported at the first byte that no valid continuation could repair (F4 90 fails at 0x90,
//! beyond U+10FFFF), not when the message ends.

use super::error::Utf8Error;

/// The validator: feed the pieces of one message, then [`Utf8Validator::finish`].
#[derive(Clone, Debug, Default)]
pub struct Utf8Validator {
    /// Continuation bytes still expected by the current sequence.
    need: u8,
    /// Allowed range of the next continuation byte; narrower than 80..BF only right after
    /// E0, ED, F0 and F4 (RFC 3629 §4), which is what rejects overlongs, surrogates and code
    /// points above U+10FFFF at the earliest byte.
    lo: u8,
    hi: u8,
    /// Bytes fed since new/reset.
    fed: u64,
    /// Where the sequence in progress started.
    seq_start: u64,
    /// The first error, repeated by every later call until reset.
    failed: Option<Utf8Error>,
}

impl Utf8Validator {
    /// A validator at the start of a message.
    pub fn new() -> Self {
        Self::default()
    }

    /// Validates the next bytes; fails at the first byte that makes the input invalid, even
    /// if more bytes are still to come.
    pub fn feed(&mut self, mut bytes: &[u8]) -> Result<(), Utf8Error> {
        if let Some(err) = self.failed {
            return Err(err);
        }
        while !bytes.is_empty() {
            if self.need > 0 {
                let used = self.step_sequence(bytes)?;
                bytes = &bytes[used..];
                continue;
            }
            // Between sequences the standard library's validator does the bulk of the work;
            // only its verdict on the tail is refined byte by byte below.
            match std::str::from_utf8(bytes) {
                Ok(_) => {
                    self.fed += bytes.len() as u64;
                    return Ok(());
                }
                Err(e) => {
                    let valid = e.valid_up_to();
                    self.fed += valid as u64;
                    bytes = &bytes[valid..];
                    let used = self.step_lead(bytes[0])?;
                    bytes = &bytes[used..];
                }
            }
        }
        Ok(())
    }

    /// Checks that the input did not stop inside a sequence.
    pub fn finish(&mut self) -> Result<(), Utf8Error> {
        if let Some(err) = self.failed {
            return Err(err);
        }
        if self.need > 0 {
            let err = Utf8Error {
                offset: self.seq_start,
                incomplete: true,
            };
            self.failed = Some(err);
            return Err(err);
        }
        Ok(())
    }

    /// Forgets everything: ready for a new message.
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    /// Whether a sequence is in progress (the input so far ends mid-code-point).
    pub fn mid_sequence(&self) -> bool {
        self.need > 0
    }

    /// Takes a lead byte; returns how many bytes were used (always 1).
    fn step_lead(&mut self, b: u8) -> Result<usize, Utf8Error> {
        let (need, lo, hi) = match b {
            0x00..=0x7F => (0, 0, 0),
            0xC2..=0xDF => (1, 0x80, 0xBF),
            0xE0 => (2, 0xA0, 0xBF),
            0xE1..=0xEC | 0xEE..=0xEF => (2, 0x80, 0xBF),
            0xED => (2, 0x80, 0x9F),
            0xF0 => (3, 0x90, 0xBF),
            0xF1..=0xF3 => (3, 0x80, 0xBF),
            0xF4 => (3, 0x80, 0x8F),
            // 80..BF: a continuation without a lead; C0, C1: always overlong; F5..FF: would
            // encode beyond U+10FFFF or are the obsolete 5- and 6-byte forms.
            _ => return Err(self.fail()),
        };
        self.seq_start = self.fed;
        self.need = need;
        self.lo = lo;
        self.hi = hi;
        self.fed += 1;
        Ok(1)
    }

    /// Takes continuation bytes of the sequence in progress; returns how many were used.
    fn step_sequence(&mut self, bytes: &[u8]) -> Result<usize, Utf8Error> {
        let mut used = 0;
        for &b in bytes {
            if self.need == 0 {
                break;
            }
            if b < self.lo || b > self.hi {
                return Err(self.fail());
            }
            self.lo = 0x80;
            self.hi = 0xBF;
            self.need -= 1;
            self.fed += 1;
            used += 1;
        }
        Ok(used)
    }

    fn fail(&mut self) -> Utf8Error {
        let err = Utf8Error {
            offset: self.fed,
            incomplete: false,
        };
        self.failed = Some(err);
        err
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `bytes` whole and byte by byte; both must agree, and the result is returned.
    fn check(bytes: &[u8]) -> Result<(), Utf8Error> {
        let mut whole = Utf8Validator::new();
        let a = whole.feed(bytes).and_then(|()| whole.finish());
        let mut single = Utf8Validator::new();
        let b = bytes
            .iter()
            .try_for_each(|&b| single.feed(&[b]))
            .and_then(|()| single.finish());
        assert_eq!(a, b, "{bytes:02X?}");
        a
    }

    fn fails_at(bytes: &[u8], offset: u64) {
        assert_eq!(
            check(bytes),
            Err(Utf8Error {
                offset,
                incomplete: false
            }),
            "{bytes:02X?}"
        );
    }

    fn incomplete_at(bytes: &[u8], offset: u64) {
        assert_eq!(
            check(bytes),
            Err(Utf8Error {
                offset,
                incomplete: true
            }),
            "{bytes:02X?}"
        );
    }

    #[test]
    fn kuhn_1_correct_text() {
        check("κόσμε".as_bytes()).unwrap();
        check("Hello-µ@ßöäüàá-UTF-8!!".as_bytes()).unwrap();
        check(b"").unwrap();
    }

    #[test]
    fn kuhn_2_boundaries() {
        // First and last code point of each length, and other boundaries (2.1–2.3).
        for s in [
            "\u{0}",
            "\u{80}",
            "\u{800}",
            "\u{10000}",
            "\u{7F}",
            "\u{7FF}",
            "\u{FFFF}",
            "\u{10FFFF}",
            "\u{D7FF}",
            "\u{E000}",
            "\u{FFFD}",
        ] {
            check(s.as_bytes()).unwrap();
        }
        // 2.1.5/2.1.6 and 2.2.5/2.2.6: the 5- and 6-byte forms fail at the lead byte.
        fails_at(&[0xF8, 0x88, 0x80, 0x80, 0x80], 0);
        fails_at(&[0xFC, 0x84, 0x80, 0x80, 0x80, 0x80], 0);
        fails_at(&[0xFB, 0xBF, 0xBF, 0xBF, 0xBF], 0);
        fails_at(&[0xFD, 0xBF, 0xBF, 0xBF, 0xBF, 0xBF], 0);
        // 2.2.4 / 2.3.5: U+1FFFFF and U+110000 fail as soon as they exceed U+10FFFF.
        fails_at(&[0xF7, 0xBF, 0xBF, 0xBF], 0);
        fails_at(&[0xF4, 0x90, 0x80, 0x80], 1);
        fails_at(b"ok\xF4\x90", 3);
    }

    #[test]
    fn kuhn_3_malformed() {
        // 3.1: unexpected continuation bytes.
        for b in 0x80..=0xBFu8 {
            fails_at(&[b], 0);
            fails_at(&[b'a', b], 1);
        }
        // 3.2: lonely start characters, followed by a space: fail at the space.
        for b in (0xC2..=0xDFu8).chain(0xE0..=0xEF).chain(0xF0..=0xF4) {
            fails_at(&[b, b' '], 1);
        }
        // C0, C1 and F5..FF can never start a valid sequence.
        for b in [0xC0, 0xC1].into_iter().chain(0xF5..=0xFFu8) {
            fails_at(&[b], 0);
            fails_at(&[b' ', b], 1);
        }
        // 3.3: sequences with the last continuation byte missing, at the end of input.
        incomplete_at(&[0xC2], 0);
        incomplete_at(&[0xE0, 0xA0], 0);
        incomplete_at(&[0xF0, 0x90, 0x80], 0);
        incomplete_at(b"abc\xEF\xBF", 3);
        incomplete_at(b"\xCE\xBA\xE1", 2);
        // 3.4: concatenated incomplete sequences fail at the first byte that breaks one.
        fails_at(&[0xC2, 0xE0, 0x80], 1);
        fails_at(&[0xE1, 0x80, 0xF0], 2);
        // 3.5: FE and FF.
        fails_at(&[0xFE], 0);
        fails_at(&[0xFF], 0);
        fails_at(&[0xFE, 0xFE, 0xFF, 0xFF], 0);
    }

    #[test]
    fn kuhn_4_overlong() {
        // 4.1: "/" overlong in 2, 3 and 4 bytes (5 and 6 fail at the lead byte).
        fails_at(&[0xC0, 0xAF], 0);
        fails_at(&[0xE0, 0x80, 0xAF], 1);
        fails_at(&[0xF0, 0x80, 0x80, 0xAF], 1);
        fails_at(&[0xF8, 0x80, 0x80, 0x80, 0xAF], 0);
        fails_at(&[0xFC, 0x80, 0x80, 0x80, 0x80, 0xAF], 0);
        // 4.2: maximum overlongs.
        fails_at(&[0xC1, 0xBF], 0);
        fails_at(&[0xE0, 0x9F, 0xBF], 1);
        fails_at(&[0xF0, 0x8F, 0xBF, 0xBF], 1);
        // 4.3: overlong NUL.
        fails_at(&[0xC0, 0x80], 0);
        fails_at(&[0xE0, 0x80, 0x80], 1);
        fails_at(&[0xF0, 0x80, 0x80, 0x80], 1);
    }

    #[test]
    fn kuhn_5_surrogates_and_noncharacters() {
        // 5.1: single surrogates fail at the second byte.
        for second in [0xA0, 0xAD, 0xAE, 0xAF, 0xB0, 0xBE, 0xBF] {
            fails_at(&[0xED, second, 0x80], 1);
        }
        // 5.2: paired surrogates fail at the first one.
        fails_at(&[0xED, 0xA0, 0x80, 0xED, 0xB0, 0x80], 1);
        fails_at(&[0xED, 0xAF, 0xBF, 0xED, 0xBF, 0xBF], 1);
        // 5.3: non-characters are valid UTF-8.
        for s in [
            "\u{FFFE}",
            "\u{FFFF}",
            "\u{FDD0}",
            "\u{FDEF}",
            "\u{1FFFE}",
            "\u{10FFFF}",
        ] {
            check(s.as_bytes()).unwrap();
        }
    }

    #[test]
    fn errors_are_sticky_until_reset() {
        let mut v = Utf8Validator::new();
        v.feed(b"ab").unwrap();
        let err = v.feed(b"\xFF").unwrap_err();
        assert_eq!(err.offset, 2);
        assert_eq!(v.feed(b"ok"), Err(err));
        assert_eq!(v.finish(), Err(err));
        v.reset();
        v.feed("ä".as_bytes()).unwrap();
        v.finish().unwrap();
    }

    #[test]
    fn split_sequences() {
        let text = "Grüße, 世界 🦀!".as_bytes();
        for split in 0..=text.len() {
            let mut v = Utf8Validator::new();
            v.feed(&text[..split]).unwrap();
            v.feed(&text[split..]).unwrap();
            v.finish().unwrap();
        }
    }
}
