//! The expectations file: known results of a target, with a reason for each.
//!
//! ```yaml
//! expectations:
//!   - case: http1/methods/405-allow        # an id, or a glob (`*` matches anything)
//!     verdict: fail                        # or a list: [fail, non-strict]
//!     reason: nginx 1.22 sends 405 without an Allow header
//!     link: https://trac.nginx.org/...     # optional
//! ```
//! A case whose verdict is listed is not a problem; a case matched by an entry whose verdict
//! differs (an unexpected pass included) is. Exact ids win over globs; among globs the first
//! entry in the file wins.

use globset::{GlobBuilder, GlobMatcher};
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::model::ModelError;
use crate::result::{CaseResult, ExpectedOutcome, RunReport, Verdict};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    expectations: Vec<Spanned<RawEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    case: Spanned<String>,
    verdict: Spanned<RawVerdicts>,
    reason: Spanned<String>,
    link: Option<String>,
}

/// `verdict: fail` or `verdict: [fail, non-strict]`.
enum RawVerdicts {
    One(String),
    Many(Vec<String>),
}

impl<'de> Deserialize<'de> for RawVerdicts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RawVerdicts;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a verdict word or a list of them")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawVerdicts, E> {
                Ok(RawVerdicts::One(v.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                seq: A,
            ) -> Result<RawVerdicts, A::Error> {
                let items =
                    Vec::<String>::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
                Ok(RawVerdicts::Many(items))
            }
        }
        d.deserialize_any(V)
    }
}

/// One entry.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The id or glob as written.
    pub pattern: String,
    matcher: Option<GlobMatcher>,
    /// Accepted verdicts.
    pub verdicts: Vec<Verdict>,
    /// Why.
    pub reason: String,
    /// Optional link.
    pub link: Option<String>,
    /// Line in the file.
    pub line: u32,
}

/// A parsed expectations file.
#[derive(Clone, Debug, Default)]
pub struct Expectations {
    /// Entries in file order.
    pub entries: Vec<Entry>,
}

impl Expectations {
    /// Layers `over` on top of `self`: its entries are looked up first, so a second file can
    /// restate or add to a first one (a TLS run of nginx = nginx's file + the TLS deltas).
    pub fn layered(self, over: Expectations) -> Expectations {
        let mut entries = over.entries;
        entries.extend(self.entries);
        Expectations { entries }
    }

    /// Parses the text of an expectations file; errors are located.
    pub fn parse(file: &str, text: &str) -> Result<Self, Vec<ModelError>> {
        let options = serde_saphyr::options! { duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error, strict_booleans: true };
        let raw: RawFile = serde_saphyr::from_str_with_options(text, options).map_err(|e| {
            let (line, col) = e
                .location()
                .map_or((1, 1), |l| (l.line() as u32, l.column() as u32));
            let msg = e.without_snippet().to_string();
            let msg = msg.lines().next().unwrap_or("invalid YAML").to_string();
            vec![ModelError::at(file, Some(text), line, col, msg)]
        })?;
        let mut errors = Vec::new();
        let mut entries = Vec::new();
        for e in raw.expectations {
            let line = e.referenced.line() as u32;
            let at =
                |s: &Spanned<String>| (s.referenced.line() as u32, s.referenced.column() as u32);
            let e = e.value;
            let words = match e.verdict.value {
                RawVerdicts::One(w) => vec![w],
                RawVerdicts::Many(ws) => ws,
            };
            let mut verdicts = Vec::new();
            for w in words {
                match Verdict::parse(&w) {
                    Some(v) => verdicts.push(v),
                    None => errors.push(ModelError::at(
                        file,
                        Some(text),
                        e.verdict.referenced.line() as u32,
                        e.verdict.referenced.column() as u32,
                        format!("unknown verdict `{w}` (pass, non-strict, info, fail, error, skip, unimplemented)"),
                    )),
                }
            }
            if e.reason.value.trim().is_empty() {
                let (l, c) = at(&e.reason);
                errors.push(ModelError::at(
                    file,
                    Some(text),
                    l,
                    c,
                    "every expectation needs a reason",
                ));
            }
            let pattern = e.case.value.clone();
            let matcher = if pattern.contains(['*', '?']) {
                match GlobBuilder::new(&pattern)
                    .literal_separator(false)
                    .backslash_escape(true)
                    .build()
                {
                    Ok(g) => Some(g.compile_matcher()),
                    Err(err) => {
                        let (l, c) = at(&e.case);
                        errors.push(ModelError::at(
                            file,
                            Some(text),
                            l,
                            c,
                            format!("invalid glob: {err}"),
                        ));
                        None
                    }
                }
            } else {
                None
            };
            entries.push(Entry {
                pattern,
                matcher,
                verdicts,
                reason: e.reason.value,
                link: e.link,
                line,
            });
        }
        if errors.is_empty() {
            Ok(Expectations { entries })
        } else {
            Err(errors)
        }
    }

    /// The entry for `id`: an entry spelling it exactly first (even one that would also read
    /// as a glob: matrix ids such as `x[value=*]` contain glob characters), else the first
    /// matching glob.
    pub fn lookup(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.pattern == id).or_else(|| {
            self.entries
                .iter()
                .find(|e| e.matcher.as_ref().is_some_and(|m| m.is_match(id)))
        })
    }

    /// Annotates every case of `report` with its entry, then recomputes the summary.
    pub fn apply(&self, report: &mut RunReport) {
        for case in &mut report.cases {
            self.annotate(case);
        }
        report.summarize();
    }

    /// Annotates one case with its entry (or none): what was predicted and whether its
    /// verdict is among the predicted ones.
    pub fn annotate(&self, case: &mut CaseResult) {
        case.expected = self.lookup(&case.id).map(|e| ExpectedOutcome {
            verdicts: e.verdicts.clone(),
            reason: e.reason.clone(),
            link: e.link.clone(),
            pattern: e.pattern.clone(),
            matched: e.verdicts.contains(&case.verdict),
        });
    }

    /// Entries that matched no case of `report` (stale, or for cases not selected).
    pub fn unused<'a>(&'a self, report: &RunReport) -> Vec<&'a Entry> {
        self.entries
            .iter()
            .filter(|e| {
                !report
                    .cases
                    .iter()
                    .any(|c| c.expected.as_ref().is_some_and(|x| x.pattern == e.pattern))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_with_glob_characters_matches_itself_exactly_first() {
        let text = "expectations:\n  - case: 'a/b[v=*]'\n    verdict: fail\n    reason: r1\n  - case: 'a/*'\n    verdict: non-strict\n    reason: r2\n";
        let e = Expectations::parse("e.yaml", text).unwrap();
        assert_eq!(e.lookup("a/b[v=*]").unwrap().reason, "r1");
        assert_eq!(e.lookup("a/b[v=x]").unwrap().reason, "r2");
        let layered = e.clone().layered(
            Expectations::parse(
                "f.yaml",
                "expectations:\n  - case: 'a/c'\n    verdict: pass\n    reason: r3\n",
            )
            .unwrap(),
        );
        assert_eq!(layered.lookup("a/c").unwrap().reason, "r3");
        assert_eq!(layered.lookup("a/b[v=*]").unwrap().reason, "r1");
    }
}
