//! GitHub Actions workflow commands: `::error file=…,line=…,title=…::message` annotations that
//! point at the YAML line of each unexpected result, so the failure shows on the case file in
//! the run summary and in pull-request diffs.
//!
//! GitHub shows at most 10 error annotations per step (and 50 per job) and drops the rest
//! silently, so callers pass a maximum (10) and the last line says how many were left out.
//! New failures come first, then unexpected passes, each in report order. Every value is
//! escaped as the runner expects (`%`, CR and LF in messages; also `:` and `,` in properties),
//! so text from a server can neither end the command early nor start a new one.

use wirecheck_core::result::{CaseResult, RunReport};

use crate::{detail, outcome};

/// The annotation lines for `report`, at most `max` errors plus one notice for the rest.
pub fn annotations(report: &RunReport, max: usize) -> Vec<String> {
    let failures = outcome::new_failures(report);
    let passes = outcome::unexpected_passes(report);
    let all: Vec<&CaseResult> = failures.into_iter().chain(passes).collect();
    let mut lines: Vec<String> = all.iter().take(max).map(|c| annotation(c)).collect();
    if all.len() > max {
        lines.push(format!(
            "::notice title=wirecheck::{}",
            data(&format!(
                "{} more unexpected results are not annotated (GitHub shows 10 per step); see the reports",
                all.len() - max
            ))
        ));
    }
    lines
}

fn annotation(c: &CaseResult) -> String {
    let what = match &c.expected {
        Some(e) if !e.matched => detail::unexpected_message(c, e),
        _ => c
            .failure
            .as_ref()
            .map(|f| f.message.clone())
            .or_else(|| c.message.clone())
            .unwrap_or_else(|| c.verdict.to_string()),
    };
    let mut message = format!("{}\n{}", detail::requirement(c), what);
    if let Some(f) = &c.failure {
        message.push_str(&format!(
            "\nexpected: {}\nactual:   {}",
            f.expected, f.actual
        ));
    }
    format!(
        "::error file={},line={},title={}::{}",
        property(&c.file),
        detail::line(c),
        property(&format!("wirecheck {}: {}", c.verdict, c.id)),
        data(&detail::printable(&message))
    )
}

/// A message: `%`, CR and LF escaped.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: as a message, plus `:` and `,`.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_keep_commands_on_one_line() {
        assert_eq!(data("50%\r\n::set-output"), "50%25%0D%0A::set-output");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
