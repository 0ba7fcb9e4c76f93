//! Body expectations, on the decoded body (chunked coding removed).

use regex::bytes::Regex;

use super::mismatch::Mismatch;
use crate::text::{display_bytes, Template, Vars};
use crate::wire::http1::Response;

/// Checks on a response body.
#[derive(Clone, Debug, Default)]
pub struct BodyCheck {
    /// Exactly these bytes.
    pub equals: Option<Template>,
    /// Contains these bytes.
    pub contains: Option<Template>,
    /// Matches this regex.
    pub matches: Option<Regex>,
    /// Exactly this many bytes.
    pub length: Option<u64>,
    /// `Some(true)`: no content; `Some(false)`: some content.
    pub empty: Option<bool>,
}

/// How much of a body a mismatch message shows.
const SHOWN: usize = 200;

impl BodyCheck {
    /// Applies every given check; the first miss is reported.
    pub fn check(&self, resp: &Response, vars: &Vars) -> Result<(), Mismatch> {
        let actual = || {
            let cut = &resp.body[..resp.body.len().min(SHOWN)];
            let more = if resp.body_len as usize > cut.len() {
                format!("… ({} bytes)", resp.body_len)
            } else {
                String::new()
            };
            format!("{:?}{more}", display_bytes(cut))
        };
        if let Some(n) = self.length {
            if resp.body_len != n {
                return Err(Mismatch::new(
                    "body length",
                    format!("{n} bytes"),
                    format!("{} bytes", resp.body_len),
                ));
            }
        }
        if let Some(empty) = self.empty {
            if empty != (resp.body_len == 0) {
                let expected = if empty { "empty" } else { "not empty" };
                return Err(Mismatch::new("body", expected, actual()));
            }
        }
        let complete = resp.body_len as usize == resp.body.len();
        if let Some(e) = &self.equals {
            let e = e.render(vars);
            if !complete || resp.body != e {
                return Err(Mismatch::new(
                    "body",
                    format!("{:?} ({} bytes)", display_bytes(&e), e.len()),
                    actual(),
                ));
            }
        }
        if let Some(c) = &self.contains {
            let c = c.render(vars);
            if !c.is_empty() && !resp.body.windows(c.len()).any(|w| w == c.as_slice()) {
                return Err(Mismatch::new(
                    "body",
                    format!("containing {:?}", display_bytes(&c)),
                    actual(),
                ));
            }
        }
        if let Some(re) = &self.matches {
            if !re.is_match(&resp.body) {
                return Err(Mismatch::new(
                    "body",
                    format!("matching /{}/", re.as_str()),
                    actual(),
                ));
            }
        }
        Ok(())
    }
}
