//! `wirecheck expectations update`: bring an expectations file in line with a run.
//!
//! What changes, entry by entry (the file is read again, not the `expected` fields the JSON
//! report recorded, so edits made since the run are respected):
//!
//! * an exact entry whose case now **passes** is removed;
//! * an exact entry whose case got a verdict the entry does not list gets that verdict (its
//!   reason and link are kept: they are the part a person wrote);
//! * an entry whose case was **skipped**, or that matched no case of the run (not selected,
//!   another shard, a stale id), is left as it is: the run says nothing about it;
//! * a glob entry is removed when every case it matched passes; a case under a glob whose
//!   verdict the glob does not list gets an exact entry of its own (exact entries win over
//!   globs); a case that passes while the glob is still needed by others is only reported;
//! * a case with no entry and a verdict other than `pass` and `skip` gets a new entry with the
//!   reason `TODO: explain`.
//!
//! The file is edited as text so comments and layout survive: removed entries are cut out,
//! changed verdicts are rewritten in place, new entries are appended under a comment. When the
//! file has no entry to edit (or the edited text would not parse), it is written anew (leading
//! comments kept) and [`Update::rewritten`] says so.

use wirecheck_core::expectations::{Entry, Expectations};
use wirecheck_core::model::ModelError;
use wirecheck_core::result::{RunReport, Verdict};

/// The placeholder reason of a new entry.
pub const TODO_REASON: &str = "TODO: explain";

/// The updated file and what changed.
#[derive(Debug, Default)]
pub struct Update {
    /// The new text of the file.
    pub text: String,
    /// New entries: case id and verdict.
    pub added: Vec<(String, Verdict)>,
    /// Removed entries (their cases pass now): pattern and reason.
    pub removed: Vec<(String, String)>,
    /// Entries whose verdict changed: pattern, old verdicts, new verdict.
    pub changed: Vec<(String, Vec<Verdict>, Verdict)>,
    /// Entries left alone because the run did not evaluate them: pattern and why.
    pub untouched: Vec<(String, String)>,
    /// Cases that pass but stay covered by a glob other cases still need.
    pub glob_passes: Vec<(String, String)>,
    /// True when the file was written anew (comments inside the entry list are lost).
    pub rewritten: bool,
}

impl Update {
    /// True when the file does not change.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// What happens to one existing entry.
#[derive(Clone, Debug, PartialEq)]
enum Fate {
    Keep,
    Remove,
    SetVerdict(Verdict),
}

/// Updates `existing` (`(file name, text)`, or `None` for a new file) from `report`.
pub fn update(
    existing: Option<(&str, &str)>,
    report: &RunReport,
) -> Result<Update, Vec<ModelError>> {
    let (name, text) = existing.unwrap_or(("expectations", ""));
    let parsed = if text.trim().is_empty() {
        Expectations::default()
    } else {
        Expectations::parse(name, text)?
    };
    let entries = &parsed.entries;
    let mut up = Update::default();
    let mut fates = vec![Fate::Keep; entries.len()];
    let mut matched: Vec<Vec<(&str, Verdict)>> = vec![Vec::new(); entries.len()];
    let mut new_entries: Vec<(String, Verdict)> = Vec::new();

    for case in &report.cases {
        match parsed.lookup(&case.id) {
            Some(e) => {
                let i = index_of(entries, e);
                matched[i].push((&case.id, case.verdict));
            }
            None if !matches!(case.verdict, Verdict::Pass | Verdict::Skip) => {
                new_entries.push((case.id.clone(), case.verdict))
            }
            None => {}
        }
    }

    for (i, e) in entries.iter().enumerate() {
        let cases = &matched[i];
        let is_glob = e.pattern.contains(['*', '?']);
        if cases.is_empty() {
            up.untouched
                .push((e.pattern.clone(), "matched no case of this run".into()));
            continue;
        }
        if !is_glob {
            let (_, v) = cases[0];
            match v {
                Verdict::Pass => {
                    fates[i] = Fate::Remove;
                    up.removed.push((e.pattern.clone(), e.reason.clone()));
                }
                Verdict::Skip => up
                    .untouched
                    .push((e.pattern.clone(), "the case was skipped".into())),
                v if e.verdicts.contains(&v) => {}
                v => {
                    fates[i] = Fate::SetVerdict(v);
                    up.changed.push((e.pattern.clone(), e.verdicts.clone(), v));
                }
            }
            continue;
        }
        if cases.iter().all(|(_, v)| *v == Verdict::Pass) {
            fates[i] = Fate::Remove;
            up.removed.push((e.pattern.clone(), e.reason.clone()));
            continue;
        }
        for (id, v) in cases {
            match v {
                Verdict::Pass => up.glob_passes.push((id.to_string(), e.pattern.clone())),
                Verdict::Skip => {}
                v if e.verdicts.contains(v) => {}
                v => new_entries.push((id.to_string(), *v)),
            }
        }
    }
    up.added = new_entries;

    let edited = if entries.is_empty() {
        None
    } else {
        Some(edit(text, entries, &fates, &up.added, report))
    };
    up.text = match edited.filter(|t| Expectations::parse(name, t).is_ok()) {
        Some(t) => t,
        None => {
            up.rewritten = !entries.is_empty();
            rewrite(text, entries, &fates, &up.added, report)
        }
    };
    Ok(up)
}

fn index_of(entries: &[Entry], e: &Entry) -> usize {
    entries
        .iter()
        .position(|x| x.line == e.line && x.pattern == e.pattern)
        .expect("lookup returns one of the entries")
}

/// Line ranges (0-based, end exclusive) of each entry: from its `- case:` line to the next
/// entry, without the blank and comment lines before the next one (they introduce it).
fn blocks(lines: &[&str], entries: &[Entry]) -> Vec<(usize, usize)> {
    let starts: Vec<usize> = entries.iter().map(|e| e.line as usize - 1).collect();
    starts
        .iter()
        .enumerate()
        .map(|(i, &start)| {
            let mut end = starts.get(i + 1).copied().unwrap_or(lines.len());
            while end > start + 1 && is_blank_or_comment(lines[end - 1]) {
                end -= 1;
            }
            (start, end)
        })
        .collect()
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// The file with the fates applied and `added` appended, layout and comments kept.
fn edit(
    text: &str,
    entries: &[Entry],
    fates: &[Fate],
    added: &[(String, Verdict)],
    report: &RunReport,
) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let spans = blocks(&lines, entries);
    let indent: String = lines
        .get(spans[0].0)
        .map(|l| l.chars().take_while(|c| *c == ' ').collect())
        .unwrap_or_default();
    let mut out = String::with_capacity(text.len() + added.len() * 80);
    let mut next = 0;
    for ((start, end), (fate, e)) in spans.iter().zip(fates.iter().zip(entries)) {
        for l in &lines[next..*start] {
            out.push_str(l);
        }
        next = *end;
        match fate {
            Fate::Keep => lines[*start..*end].iter().for_each(|l| out.push_str(l)),
            Fate::Remove => {}
            Fate::SetVerdict(v) => {
                let block = &lines[*start..*end];
                match set_verdict_line(block, *v) {
                    Some(b) => out.push_str(&b),
                    None => {
                        let own: String = block[0].chars().take_while(|c| *c == ' ').collect();
                        out.push_str(&entry_text(
                            &own,
                            &e.pattern,
                            &[*v],
                            &e.reason,
                            e.link.as_deref(),
                        ));
                    }
                }
            }
        }
    }
    for l in &lines[next..] {
        out.push_str(l);
    }
    if !added.is_empty() {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&format!(
            "{indent}# Added by `wirecheck expectations update` from the run against {} at {}:\n\
             {indent}# replace each `{TODO_REASON}` with the reason.\n",
            one_line(&report.target),
            one_line(&report.started_at)
        ));
        for (id, v) in added {
            out.push_str(&entry_text(&indent, id, &[*v], TODO_REASON, None));
        }
    }
    out
}

/// The block with its one-line `verdict:` value replaced, or `None` when the verdict is not
/// written on one line (a block list), in which case the entry is written anew.
fn set_verdict_line(block: &[&str], v: Verdict) -> Option<String> {
    let mut out = String::new();
    let mut done = false;
    for l in block {
        let body = l.trim_start().trim_start_matches("- ");
        if !done && body.starts_with("verdict:") {
            let value = body["verdict:".len()..].trim();
            if value.is_empty() || value.starts_with('#') {
                return None;
            }
            let prefix = &l[..l.len() - body.len()];
            out.push_str(&format!("{prefix}verdict: {v}\n"));
            done = true;
        } else {
            out.push_str(l);
        }
    }
    done.then_some(out)
}

/// The whole file written anew: leading comments, `expectations:`, every kept entry, then the
/// new ones.
fn rewrite(
    text: &str,
    entries: &[Entry],
    fates: &[Fate],
    added: &[(String, Verdict)],
    report: &RunReport,
) -> String {
    let mut out = String::new();
    let header: Vec<&str> = text
        .lines()
        .take_while(|l| is_blank_or_comment(l))
        .filter(|l| !l.trim().is_empty())
        .collect();
    if header.is_empty() {
        out.push_str(&format!(
            "# Known results of {} (written by `wirecheck expectations update`).\n\
             # Each entry needs a reason: replace every `{TODO_REASON}`.\n",
            one_line(&report.target)
        ));
    } else {
        for l in header {
            out.push_str(l);
            out.push('\n');
        }
    }
    out.push_str("expectations:\n");
    let mut any = false;
    for (e, fate) in entries.iter().zip(fates) {
        let verdicts = match fate {
            Fate::Remove => continue,
            Fate::Keep => e.verdicts.clone(),
            Fate::SetVerdict(v) => vec![*v],
        };
        out.push_str(&entry_text(
            "  ",
            &e.pattern,
            &verdicts,
            &e.reason,
            e.link.as_deref(),
        ));
        any = true;
    }
    for (id, v) in added {
        out.push_str(&entry_text("  ", id, &[*v], TODO_REASON, None));
        any = true;
    }
    if !any {
        out = out.replace("expectations:\n", "expectations: []\n");
    }
    out
}

fn entry_text(
    indent: &str,
    pattern: &str,
    verdicts: &[Verdict],
    reason: &str,
    link: Option<&str>,
) -> String {
    let verdict = match verdicts {
        [one] => one.to_string(),
        many => format!(
            "[{}]",
            many.iter()
                .map(|v| v.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut s = format!(
        "{indent}- case: {}\n{indent}  verdict: {verdict}\n{indent}  reason: {}\n",
        scalar(pattern),
        scalar(reason)
    );
    if let Some(link) = link {
        s.push_str(&format!("{indent}  link: {}\n", scalar(link)));
    }
    s
}

/// A YAML scalar: plain when it is a simple word or id, double-quoted otherwise.
fn scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '_' | '-'))
        && !s.starts_with(['-', '.'])
        && !matches!(
            s,
            "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "~"
        );
    if plain {
        return s.to_string();
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_quote_what_yaml_would_misread() {
        assert_eq!(scalar("http1/host/missing"), "http1/host/missing");
        assert_eq!(scalar("TODO: explain"), "\"TODO: explain\"");
        assert_eq!(scalar("a[b=c:1]"), "\"a[b=c:1]\"");
        assert_eq!(scalar("no"), "\"no\"");
        assert_eq!(scalar("say \"hi\"\n"), "\"say \\\"hi\\\"\\n\"");
    }
}
