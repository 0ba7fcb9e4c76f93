//! Opening-handshake helpers (RFC 6455 §4): the key, the accept value, and the base64 and
//! SHA-1 primitives they are made of, which the engine also uses for message digests.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

/// The GUID appended to the key before hashing (RFC 6455 §1.3, §4.2.2).
pub const GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// The Sec-WebSocket-Accept value a server must send for `key`: RFC 6455 §4.2.2 "concatenate
/// this with the Globally Unique Identifier ... take the SHA-1 hash of this concatenated
/// value ... base64-encode ... this 20-byte hash".
pub fn accept_for(key: &str) -> String {
    let mut hash = Sha1Stream::new();
    hash.update(key.as_bytes());
    hash.update(GUID.as_bytes());
    base64_encode(&hash.digest())
}

/// A Sec-WebSocket-Key from 16 nonce bytes (§4.1: "a randomly selected 16-byte value that has
/// been base64-encoded"). The caller picks the bytes: the core has no randomness of its own.
pub fn key_from_bytes(nonce: [u8; 16]) -> String {
    base64_encode(&nonce)
}

/// Standard base64 (RFC 4648 §4) with padding.
pub fn base64_encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Decodes standard, padded base64; `None` for anything else (no whitespace, no URL alphabet).
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    STANDARD.decode(s).ok()
}

/// The SHA-1 digest of `data`.
pub fn sha1(data: &[u8]) -> [u8; 20] {
    sha1_smol::Sha1::from(data).digest().bytes()
}

/// Lower-case hexadecimal, two digits per byte.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xF)]));
    }
    out
}

/// A SHA-1 digest computed over data that arrives in pieces.
#[derive(Clone, Default)]
pub struct Sha1Stream(sha1_smol::Sha1);

impl std::fmt::Debug for Sha1Stream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Sha1Stream").finish_non_exhaustive()
    }
}

impl Sha1Stream {
    /// An empty digest.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the next piece.
    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    /// The digest of everything added so far (more can still be added).
    pub fn digest(&self) -> [u8; 20] {
        self.0.digest().bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_accept_example() {
        // RFC 6455 §1.3 and §4.2.2.
        assert_eq!(
            accept_for("dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
        assert_eq!(
            key_from_bytes(*b"the sample nonce"),
            "dGhlIHNhbXBsZSBub25jZQ=="
        );
    }

    #[test]
    fn base64_and_hex() {
        assert_eq!(base64_encode(b""), "");
        assert_eq!(base64_encode(b"f"), "Zg==");
        assert_eq!(base64_decode("Zm9vYg=="), Some(b"foob".to_vec()));
        assert_eq!(base64_decode("Zm9vYg"), None);
        assert_eq!(base64_decode("Zm9v Yg=="), None);
        assert_eq!(hex(&[0x00, 0xAB, 0xFF]), "00abff");
    }

    #[test]
    fn sha1_known_answers() {
        assert_eq!(
            hex(&sha1(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        let mut s = Sha1Stream::new();
        s.update(b"a");
        s.update(b"bc");
        assert_eq!(s.digest(), sha1(b"abc"));
        assert_eq!(
            hex(&Sha1Stream::new().digest()),
            "da39a3ee5e6b4b0d3255bfef95601890afd80709"
        );
    }
}
