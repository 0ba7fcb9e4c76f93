//! Header-field expectations. Names compare case-insensitively (RFC 9110 §5.1); repeated
//! field lines are combined with ", " (RFC 9110 §5.3) before `equals`, `contains` or
//! `matches` look at them; `count` counts the lines.

use regex::Regex;

use super::mismatch::Mismatch;
use crate::text::{Template, Vars};
use crate::wire::http1::Response;

/// Checks on one header field.
#[derive(Clone, Debug)]
pub struct HeaderCheck {
    /// Field name as written in the case.
    pub name: String,
    /// `Some(true)`: must be present; `Some(false)`: must be absent.
    pub present: Option<bool>,
    /// Combined value equals this exactly.
    pub equals: Option<Template>,
    /// Combined value contains this.
    pub contains: Option<Template>,
    /// Combined value matches this regex (unanchored; anchor with `^…$`).
    pub matches: Option<Regex>,
    /// A list member equals this token, case-insensitively.
    pub list_contains: Option<Template>,
    /// Number of field lines.
    pub count: Option<u32>,
}

impl HeaderCheck {
    /// Applies every given check in a fixed order; the first miss is reported.
    pub fn check(&self, resp: &Response, vars: &Vars) -> Result<(), Mismatch> {
        let what = format!("header {}", self.name);
        let value = resp.header(&self.name);
        let shown = || {
            value
                .clone()
                .map_or("absent".to_string(), |v| format!("{v:?}"))
        };
        if let Some(n) = self.count {
            let got = resp.header_values(&self.name).count();
            if got != n as usize {
                return Err(Mismatch::new(
                    what,
                    format!("{n} field line(s)"),
                    format!("{got} field line(s)"),
                ));
            }
        }
        match (self.present, &value) {
            (Some(false), Some(_)) => return Err(Mismatch::new(what, "absent", shown())),
            (Some(false), None) => return Ok(()),
            _ => {}
        }
        let needs_value = self.present == Some(true)
            || self.equals.is_some()
            || self.contains.is_some()
            || self.matches.is_some()
            || self.list_contains.is_some();
        let Some(v) = value.as_deref() else {
            return if needs_value {
                Err(Mismatch::new(what, "present", "absent"))
            } else {
                Ok(())
            };
        };
        if let Some(e) = &self.equals {
            let e = e.render_text(vars);
            if v != e {
                return Err(Mismatch::new(what, format!("equal to {e:?}"), shown()));
            }
        }
        if let Some(c) = &self.contains {
            let c = c.render_text(vars);
            if !v.contains(&c) {
                return Err(Mismatch::new(what, format!("containing {c:?}"), shown()));
            }
        }
        if let Some(re) = &self.matches {
            if !re.is_match(v) {
                return Err(Mismatch::new(
                    what,
                    format!("matching /{}/", re.as_str()),
                    shown(),
                ));
            }
        }
        if let Some(t) = &self.list_contains {
            let t = t.render_text(vars);
            if !resp.list_contains(&self.name, &t) {
                return Err(Mismatch::new(
                    what,
                    format!("a list containing {t:?}"),
                    shown(),
                ));
            }
        }
        Ok(())
    }
}
