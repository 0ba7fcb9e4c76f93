//! A response expectation: status, version, interim responses, headers, body.

use super::body::BodyCheck;
use super::header::HeaderCheck;
use super::mismatch::Mismatch;
use super::status::StatusSpec;
use crate::text::Vars;
use crate::wire::http1::Response;

/// What interim (1xx) responses must precede the final one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Interim {
    /// Whatever arrives is fine.
    #[default]
    Any,
    /// None may arrive.
    None,
    /// At least one matching this must arrive.
    Seen(StatusSpec),
}

/// Expectations on one final response.
#[derive(Clone, Debug, Default)]
pub struct ResponseExpect {
    /// Accepted statuses (`None`: any).
    pub status: Option<StatusSpec>,
    /// Exact version, e.g. `HTTP/1.1`.
    pub version: Option<String>,
    /// Exact reason phrase.
    pub reason: Option<String>,
    /// The request was HEAD, so the response has no body (RFC 9112 §6.3).
    pub to_head: bool,
    /// The request was CONNECT (given as `method: CONNECT`): a 2xx has no content.
    pub to_connect: bool,
    /// Interim responses.
    pub interim: Interim,
    /// Header checks, in the order written.
    pub headers: Vec<HeaderCheck>,
    /// Body checks.
    pub body: Option<BodyCheck>,
    /// Header fields whose value the response must carry and later steps may use:
    /// `(field name, variable name)`.
    pub capture: Vec<(String, String)>,
}

impl ResponseExpect {
    /// Checks a final response and the interim responses that preceded it.
    pub fn check(
        &self,
        interims: &[Response],
        resp: &Response,
        vars: &Vars,
    ) -> Result<(), Mismatch> {
        let statuses = || {
            interims
                .iter()
                .map(|r| r.status.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        match &self.interim {
            Interim::Any => {}
            Interim::None if !interims.is_empty() => {
                return Err(Mismatch::new("interim responses", "none", statuses()));
            }
            Interim::None => {}
            Interim::Seen(spec) => {
                if !interims.iter().any(|r| spec.matches(r.status)) {
                    let seen = if interims.is_empty() {
                        "none".to_string()
                    } else {
                        statuses()
                    };
                    return Err(Mismatch::new(
                        "interim responses",
                        format!("a {spec}"),
                        seen,
                    ));
                }
            }
        }
        if let Some(spec) = &self.status {
            if !spec.matches(resp.status) {
                return Err(Mismatch::new(
                    "status",
                    spec.to_string(),
                    format!("{} {}", resp.status, resp.reason),
                ));
            }
        }
        if let Some(v) = &self.version {
            if &resp.version != v {
                return Err(Mismatch::new("version", v.clone(), resp.version.clone()));
            }
        }
        if let Some(r) = &self.reason {
            if &resp.reason != r {
                return Err(Mismatch::new(
                    "reason phrase",
                    format!("{r:?}"),
                    format!("{:?}", resp.reason),
                ));
            }
        }
        for h in &self.headers {
            h.check(resp, vars)?;
        }
        if let Some(b) = &self.body {
            b.check(resp, vars)?;
        }
        Ok(())
    }
}
