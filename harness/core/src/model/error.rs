//! Load and validation errors, each located at `file:line:col` with a snippet.

use std::fmt;

/// A scenario file that cannot be loaded, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelError {
    /// The file as given to the loader.
    pub file: String,
    /// 1-based line (0 when unknown, e.g. an unreadable file).
    pub line: u32,
    /// 1-based column.
    pub col: u32,
    /// What is wrong, as a lowercase fragment.
    pub message: String,
    /// The offending source line with a caret under the column.
    pub snippet: Option<String>,
}

impl ModelError {
    /// An error at a position; the snippet is cut from `source` when given.
    pub fn at(
        file: &str,
        source: Option<&str>,
        line: u32,
        col: u32,
        message: impl Into<String>,
    ) -> Self {
        let snippet = source.and_then(|src| snippet(src, line, col));
        ModelError {
            file: file.to_string(),
            line,
            col,
            message: message.into(),
            snippet,
        }
    }
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.col, self.message
        )?;
        if let Some(s) = &self.snippet {
            write!(f, "\n{s}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ModelError {}

/// Widest part of a source line a snippet shows, in characters.
const SNIPPET_WIDTH: usize = 160;

/// Line `line` (1-based) of `source`, counted as YAML counts them: a line ends at LF, CRLF or a
/// lone CR. (`str::lines` does not split at a lone CR, so old-Mac files lost their snippet.) A
/// leading BOM is not part of line 1: the parser does not count it as a column either.
pub(crate) fn source_line(source: &str, line: u32) -> Option<&str> {
    let mut rest = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut n = 1;
    loop {
        let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        if n == line {
            return Some(&rest[..end]);
        }
        if end == rest.len() {
            return None;
        }
        let skip = if rest[end..].starts_with("\r\n") {
            2
        } else {
            1
        };
        rest = &rest[end + skip..];
        n += 1;
    }
}

fn snippet(source: &str, line: u32, col: u32) -> Option<String> {
    let text = source_line(source, line)?;
    let col0 = col.saturating_sub(1) as usize;
    // On a long line (a 1 MiB payload on one line) show a window that contains the column,
    // so the caret stays under the character it points at.
    let start = (col0 + 20).saturating_sub(SNIPPET_WIDTH);
    let marker = if start > 0 { "..." } else { "" };
    let visible = |c: char| if c.is_control() && c != '\t' { '?' } else { c };
    let shown: String = text
        .chars()
        .skip(start)
        .take(SNIPPET_WIDTH)
        .map(visible)
        .collect();
    let gutter = line.to_string();
    let pad: String = " ".repeat(marker.len())
        + &text
            .chars()
            .skip(start)
            .take(col0 - start)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect::<String>();
    Some(format!(
        "{blank} |\n{gutter} | {marker}{shown}\n{blank} | {pad}^",
        blank = " ".repeat(gutter.len())
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_and_caret() {
        let e = ModelError::at("a.yaml", Some("x: 1\nsteps: oops\n"), 2, 8, "bad steps");
        assert_eq!(
            e.to_string(),
            "a.yaml:2:8: bad steps\n  |\n2 | steps: oops\n  |        ^"
        );
    }

    #[test]
    fn lines_end_at_lf_crlf_and_lone_cr() {
        let src = "\u{feff}a\r\nb\rc\nd";
        let lines: Vec<_> = (1..=5).map(|n| source_line(src, n)).collect();
        assert_eq!(lines, [Some("a"), Some("b"), Some("c"), Some("d"), None]);
    }

    #[test]
    fn long_lines_are_windowed_around_the_column() {
        let line = format!("x: '{}\\q'", "a".repeat(1000));
        let e = ModelError::at("a.yaml", Some(&line), 1, 1005, "bad escape");
        let shown = e.snippet.unwrap();
        let rows: Vec<&str> = shown.lines().collect();
        let caret = rows[2].find('^').unwrap();
        assert_eq!(&rows[1][caret..caret + 2], "\\q", "{shown}");
    }
}
