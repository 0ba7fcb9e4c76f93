//! A small deterministic generator for masking keys and handshake nonces. The runner seeds it
//! per case (the core reads no entropy source); a fixed seed replays a case byte for byte.
//! Masking keys need to be unpredictable to the *server's* intermediaries, not
//! cryptographically strong for a test client (RFC 6455 §10.3 is about browsers).

/// xorshift64* (Vigna).
#[derive(Clone, Debug)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        // Zero is the one state xorshift never leaves.
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15 | 1)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub(crate) fn mask(&mut self) -> [u8; 4] {
        let v = self.next_u64().to_le_bytes();
        [v[0], v[1], v[2], v[3]]
    }

    pub(crate) fn nonce(&mut self) -> [u8; 16] {
        let mut out = [0; 16];
        out[..8].copy_from_slice(&self.next_u64().to_le_bytes());
        out[8..].copy_from_slice(&self.next_u64().to_le_bytes());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_keys_vary() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        assert_eq!(a.mask(), b.mask());
        let keys: std::collections::BTreeSet<[u8; 4]> = (0..100).map(|_| a.mask()).collect();
        assert!(keys.len() > 95);
        assert_ne!(Rng::new(0).next_u64(), 0);
    }
}
