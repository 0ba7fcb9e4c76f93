//! A seeded pseudo-random byte source (SplitMix64), so `random-bytes` sends the same bytes on
//! every run without a dependency.

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and good enough for junk bytes.
pub(super) struct SplitMix64(u64);

impl SplitMix64 {
    pub(super) fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Fills `buf` with the next bytes of the sequence.
    pub(super) fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_bytes() {
        let (mut a, mut b) = ([0u8; 13], [0u8; 13]);
        SplitMix64::new(7).fill(&mut a);
        SplitMix64::new(7).fill(&mut b);
        assert_eq!(a, b);
        assert_ne!(a, [0u8; 13]);
    }
}
