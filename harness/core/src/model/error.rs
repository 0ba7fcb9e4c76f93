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

fn snippet(source: &str, line: u32, col: u32) -> Option<String> {
    let text = source.lines().nth(line.checked_sub(1)? as usize)?;
    let shown: String = text
        .chars()
        .take(160)
        .map(|c| if c.is_control() && c != '\t' { '?' } else { c })
        .collect();
    let gutter = line.to_string();
    let pad: String = shown
        .chars()
        .take(col.saturating_sub(1) as usize)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    Some(format!(
        "{blank} |\n{gutter} | {shown}\n{blank} | {pad}^",
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
}
