//! `{{name}}` templates on string leaves.
//!
//! Templates are parsed once, after YAML parsing, so a `{{` inside a YAML value can never change
//! the structure of the document (the venom failure mode). Unknown names are load errors: the
//! validator knows every variable a case can see (target variables plus its matrix parameters).

use std::collections::BTreeMap;
use std::fmt;

use super::escape::decode_escapes;

/// Values for template variables, by name.
pub type Vars = BTreeMap<String, String>;

/// One piece of a template.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Literal(Vec<u8>),
    Var(String),
}

/// A parsed template: literal bytes interleaved with variable references.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
}

/// A malformed template or an unknown variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateError {
    /// Character offset within the string.
    pub offset: usize,
    /// What is wrong, as a lowercase fragment.
    pub message: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TemplateError {}

impl Template {
    /// Parses `s`. With `escapes`, literal text is decoded with [`decode_escapes`] (payloads);
    /// without, it is kept as UTF-8 (header values, regexes, ids). Every variable name must be
    /// in `known`.
    pub fn parse(
        s: &str,
        escapes: bool,
        known: &dyn Fn(&str) -> bool,
    ) -> Result<Self, TemplateError> {
        let mut parts = Vec::new();
        let mut rest = s;
        let mut consumed_chars = 0usize;
        while let Some(start) = rest.find("{{") {
            let literal = &rest[..start];
            push_literal(&mut parts, literal, escapes, consumed_chars)?;
            let after = &rest[start + 2..];
            let open_at = consumed_chars + literal.chars().count();
            let Some(end) = after.find("}}") else {
                return Err(TemplateError {
                    offset: open_at,
                    message: "`{{` is not closed by `}}` (write `\\x7b\\x7b` for literal braces in payloads)".into(),
                });
            };
            let name = after[..end].trim();
            if !is_identifier(name) {
                return Err(TemplateError {
                    offset: open_at,
                    message: format!(
                        "`{{{{{name}}}}}` is not a variable name (letters, digits, `_`)"
                    ),
                });
            }
            if !known(name) {
                return Err(TemplateError {
                    offset: open_at,
                    message: format!("unknown variable `{name}`"),
                });
            }
            parts.push(Part::Var(name.to_string()));
            consumed_chars = open_at + 2 + after[..end].chars().count() + 2;
            rest = &after[end + 2..];
        }
        push_literal(&mut parts, rest, escapes, consumed_chars)?;
        Ok(Template { parts })
    }

    /// A template that is only the given bytes.
    pub fn literal(bytes: impl Into<Vec<u8>>) -> Self {
        Template {
            parts: vec![Part::Literal(bytes.into())],
        }
    }

    /// Replaces the variables present in `vars` by their values (used to bind matrix
    /// parameters at expansion time); the others stay for [`Template::render`].
    pub fn bind(&self, vars: &Vars) -> Template {
        let mut parts: Vec<Part> = Vec::with_capacity(self.parts.len());
        for part in &self.parts {
            let part = match part {
                Part::Var(name) => match vars.get(name) {
                    Some(value) => Part::Literal(value.as_bytes().to_vec()),
                    None => part.clone(),
                },
                Part::Literal(_) => part.clone(),
            };
            match (parts.last_mut(), part) {
                (Some(Part::Literal(prev)), Part::Literal(next)) => prev.extend_from_slice(&next),
                (_, part) => parts.push(part),
            }
        }
        Template { parts }
    }

    /// Renders to bytes. A variable missing from `vars` renders as nothing; validation has
    /// already proven every name is provided by the runner.
    pub fn render(&self, vars: &Vars) -> Vec<u8> {
        let mut out = Vec::new();
        for part in &self.parts {
            match part {
                Part::Literal(bytes) => out.extend_from_slice(bytes),
                Part::Var(name) => {
                    out.extend_from_slice(vars.get(name).map(String::as_bytes).unwrap_or_default())
                }
            }
        }
        out
    }

    /// Renders to text, replacing invalid UTF-8 (only possible through `\xNN` escapes).
    pub fn render_text(&self, vars: &Vars) -> String {
        String::from_utf8_lossy(&self.render(vars)).into_owned()
    }

    /// True when the template has no variables left.
    pub fn is_literal(&self) -> bool {
        self.parts.iter().all(|p| matches!(p, Part::Literal(_)))
    }

    /// Literal length in bytes when the template has no variables.
    pub fn literal_len(&self) -> Option<usize> {
        self.is_literal().then(|| self.render(&Vars::new()).len())
    }
}

fn push_literal(
    parts: &mut Vec<Part>,
    literal: &str,
    escapes: bool,
    base: usize,
) -> Result<(), TemplateError> {
    if literal.is_empty() {
        return Ok(());
    }
    let bytes = if escapes {
        decode_escapes(literal).map_err(|e| TemplateError {
            offset: base + e.offset,
            message: e.message,
        })?
    } else {
        literal.as_bytes().to_vec()
    };
    parts.push(Part::Literal(bytes));
    Ok(())
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn any(_: &str) -> bool {
        true
    }

    #[test]
    fn renders_variables_and_escapes() {
        let t = Template::parse(
            r"GET {{base}}/ HTTP/1.1\r\nHost: {{ authority }}\r\n",
            true,
            &any,
        )
        .unwrap();
        let vars = Vars::from([
            ("base".into(), "/p".into()),
            ("authority".into(), "h:1".into()),
        ]);
        assert_eq!(t.render(&vars), b"GET /p/ HTTP/1.1\r\nHost: h:1\r\n");
    }

    #[test]
    fn unknown_variable_is_an_error_at_its_offset() {
        let err = Template::parse("ab{{nope}}", false, &|n| n == "host").unwrap_err();
        assert_eq!(err.offset, 2);
        assert!(err.message.contains("unknown variable `nope`"));
    }

    #[test]
    fn bind_keeps_unbound_names() {
        let t = Template::parse("{{len}}-{{host}}", false, &any).unwrap();
        let bound = t.bind(&Vars::from([("len".into(), "3".into())]));
        assert!(!bound.is_literal());
        assert_eq!(
            bound.render(&Vars::from([("host".into(), "h".into())])),
            b"3-h"
        );
    }

    #[test]
    fn unclosed_braces_are_rejected() {
        assert!(Template::parse("a{{b", false, &any).is_err());
        assert!(Template::parse("a{{b c}}", false, &any).is_err());
    }
}
