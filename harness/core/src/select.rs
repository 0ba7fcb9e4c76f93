//! Which cases a run includes: id globs, tags, and shards.

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
