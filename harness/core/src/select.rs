//! Which cases a run includes: id globs, tags, and shards ([`Partition`]).

use globset::{GlobBuilder, GlobMatcher};

use crate::model::Case;

/// A selection of cases. Empty lists select everything.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    filters: Vec<GlobMatcher>,
    tags: Vec<String>,
}

impl Selection {
    /// Builds a selection from `--filter` globs (`*` matches anything, `/` included; an id
    /// without glob characters also matches every id it is a prefix of, so `http1/host`
    /// selects the whole folder) and `--tag` words.
    pub fn new(filters: &[String], tags: &[String]) -> Result<Self, String> {
        let mut matchers = Vec::new();
        for f in filters {
            let pattern = if f.contains(['*', '?', '[']) {
                f.clone()
            } else {
                format!("{}*", f.trim_end_matches('/'))
            };
            let glob = GlobBuilder::new(&pattern)
                .literal_separator(false)
                .backslash_escape(true)
                .build()
                .map_err(|e| format!("invalid filter `{f}`: {e}"))?;
            matchers.push(glob.compile_matcher());
        }
        Ok(Selection {
            filters: matchers,
            tags: tags.to_vec(),
        })
    }

    /// True when `case` is selected: it matches a filter (if any) and has a tag (if any).
    pub fn includes(&self, case: &Case) -> bool {
        let by_id = self.filters.is_empty() || self.filters.iter().any(|m| m.is_match(&case.id));
        let by_tag = self.tags.is_empty() || self.tags.iter().any(|t| case.tags.contains(t));
        by_id && by_tag
    }
}

/// A shard of a run: `--partition hash:M/N` keeps the cases whose id hashes to shard M of N.
///
/// The hash is FNV-1a (64-bit) of the case id's UTF-8 bytes, taken modulo N: it depends on the
/// id alone, so a case stays in its shard when other cases are added, removed or filtered out,
/// and the N shards of any selection are disjoint and together hold every case. (std's
/// `DefaultHasher` is not used: it is not guaranteed to be stable across Rust releases.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Partition {
    /// The shard kept, 1-based.
    pub shard: u64,
    /// How many shards there are.
    pub count: u64,
}

impl Partition {
    /// Parses `hash:M/N` with 1 ≤ M ≤ N.
    pub fn parse(s: &str) -> Result<Self, String> {
        let usage = || format!("invalid partition `{s}`: expected hash:M/N, e.g. hash:1/4");
        let rest = s.strip_prefix("hash:").ok_or_else(|| {
            format!("invalid partition `{s}`: only hash:M/N is supported (shards by case id)")
        })?;
        let (m, n) = rest.split_once('/').ok_or_else(usage)?;
        let shard: u64 = m.trim().parse().map_err(|_| usage())?;
        let count: u64 = n.trim().parse().map_err(|_| usage())?;
        if count == 0 || shard == 0 || shard > count {
            return Err(format!(
                "invalid partition `{s}`: M must be between 1 and N, and N at least 1"
            ));
        }
        Ok(Partition { shard, count })
    }

    /// True when the case with this id belongs to the shard.
    pub fn includes(&self, id: &str) -> bool {
        fnv1a64(id.as_bytes()) % self.count == self.shard - 1
    }
}

impl std::fmt::Display for Partition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "hash:{}/{}", self.shard, self.count)
    }
}

/// FNV-1a, 64-bit.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a64_matches_the_reference_vectors() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn partitions_parse_strictly() {
        assert_eq!(
            Partition::parse("hash:2/4"),
            Ok(Partition { shard: 2, count: 4 })
        );
        for bad in [
            "hash:0/4",
            "hash:5/4",
            "hash:1/0",
            "count:1/2",
            "hash:1",
            "hash:a/b",
        ] {
            assert!(Partition::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Partition::parse("hash:3/7").unwrap().to_string(),
            "hash:3/7"
        );
    }

    #[test]
    fn shards_are_disjoint_and_cover_every_id() {
        let ids: Vec<String> = (0..1000).map(|i| format!("http1/x/case-{i}")).collect();
        for n in 1..=7 {
            let mut seen = vec![0u32; ids.len()];
            for m in 1..=n {
                let p = Partition { shard: m, count: n };
                for (i, id) in ids.iter().enumerate() {
                    if p.includes(id) {
                        seen[i] += 1;
                    }
                }
            }
            assert!(seen.iter().all(|&k| k == 1), "n = {n}");
        }
    }
}
