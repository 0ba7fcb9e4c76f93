//! Rules checked on every response of every case, whatever the case is about. A case can
//! switch a rule off (`validators: {skip: [date]}`) when it deliberately provokes the
//! behaviour; the report says so.

use std::time::{Duration, UNIX_EPOCH};

use crate::model::Level;
use crate::result::Finding;
use crate::wire::http1::Response;

/// A response rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable id, used in `validators.skip` and in reports.
    pub id: &'static str,
    /// Requirement level.
    pub level: Level,
    /// Where the rule is written.
    pub citation: &'static str,
    /// The rule, quoted or closely paraphrased.
    pub text: &'static str,
}

/// Every rule, in report order.
pub const RULES: &[Rule] = &[
    // TLS rules, checked on every TLS connection the case made.
    Rule {
        id: "tls-close-notify",
        level: Level::Must,
        citation: "RFC 8446 §6.1",
        text: "Each party MUST send a \"close_notify\" alert before closing its write side of the connection, unless it has already sent some error alert.",
    },
    Rule {
        id: "tls-cert-name",
        level: Level::Should,
        citation: "RFC 9110 §4.3.4",
        text: "A client MUST verify the service identity, so a server presents a certificate whose subjectAltName names the target host (only seen when verification is off: otherwise the handshake fails).",
    },
    Rule {
        id: "tls-cert-expiry",
        level: Level::May,
        citation: "RFC 5280 §4.1.2.5",
        text: "The certificate is within its validity period, with more than 7 days left (informational).",
    },
    Rule {
        id: "date",
        level: Level::Must,
        citation: "RFC 9110 §6.6.1",
        text: "An origin server with a clock MUST generate a Date header field in all 2xx, 3xx and 4xx responses.",
    },
    Rule {
        id: "date-format",
        level: Level::Must,
        citation: "RFC 9110 §5.6.7",
        text: "A sender that generates HTTP-date values MUST generate them in the IMF-fixdate format.",
    },
    Rule {
        id: "date-skew",
        level: Level::Should,
        citation: "RFC 9110 §6.6.1",
        text: "The Date value is the best available approximation of the date and time of message generation (checked within 60 s of the harness clock).",
    },
    Rule {
        id: "cl-with-te",
        level: Level::Must,
        citation: "RFC 9112 §6.2",
        text: "A sender MUST NOT send a Content-Length header field in any message that contains a Transfer-Encoding header field.",
    },
    Rule {
        id: "framing-on-1xx-204",
        level: Level::Must,
        citation: "RFC 9110 §8.6, RFC 9112 §6.1",
        text: "A server MUST NOT send a Content-Length or Transfer-Encoding header field in any response with a status code of 1xx or 204.",
    },
    Rule {
        id: "no-content",
        level: Level::Must,
        citation: "RFC 9112 §6.3, RFC 9110 §9.3.2",
        text: "Responses to HEAD and 1xx, 204 and 304 responses end at the header section; any bytes after it belong to the next message.",
    },
    Rule {
        id: "connection-close",
        level: Level::Must,
        citation: "RFC 9112 §9.6",
        text: "A server that sends a \"close\" connection option MUST initiate a close of the connection after it sends the response containing it.",
    },
    Rule {
        id: "strict-syntax",
        level: Level::Should,
        citation: "RFC 9112 §2.2, §4, §5",
        text: "Messages are generated in the strict grammar: CRLF line endings, status-line = HTTP-version SP status-code SP [reason-phrase], no obs-fold or whitespace before the colon.",
    },
    Rule {
        id: "idle-timeout",
        level: Level::May,
        citation: "RFC 9112 §9.5",
        text: "A client, server, or proxy MAY close the transport connection at any time. ... When a client or server wishes to time out, it SHOULD issue a graceful close on the connection. (Information: how long the server kept an idle connection, measured by expect_idle_close.)",
    },
];

/// Looks a rule up by id.
pub(crate) fn rule(id: &str) -> &'static Rule {
    RULES
        .iter()
        .find(|r| r.id == id)
        .expect("rule ids are static")
}

/// What the validators need to know besides the response.
#[derive(Clone, Copy, Debug, Default)]
pub struct ResponseContext {
    /// Wall-clock time the response arrived, seconds since the Unix epoch (from the runner).
    pub received_unix: Option<u64>,
}

/// Applies the per-response rules, skipping those in `skip`.
pub fn validate_response(resp: &Response, ctx: ResponseContext, skip: &[String]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut add = |id: &str, message: String| {
        if !skip.iter().any(|s| s == id) {
            out.push(Finding::from_rule(rule(id), message));
        }
    };
    let status = resp.status;
    let date = resp.header("date");
    if (200..500).contains(&status) && date.is_none() {
        add(
            "date",
            format!("{status} response has no Date header field"),
        );
    }
    if let Some(date) = &date {
        match httpdate::parse_http_date(date) {
            Ok(t) if httpdate::fmt_http_date(t) == *date => {
                let secs = t
                    .duration_since(UNIX_EPOCH)
                    .unwrap_or(Duration::ZERO)
                    .as_secs();
                if let Some(now) = ctx.received_unix {
                    if secs.abs_diff(now) > 60 {
                        add(
                            "date-skew",
                            format!(
                                "Date {date:?} is {} s away from the harness clock",
                                secs.abs_diff(now)
                            ),
                        );
                    }
                }
            }
            _ => add(
                "date-format",
                format!(
                    "Date {date:?} is not an IMF-fixdate (e.g. \"Sun, 06 Nov 1994 08:49:37 GMT\")"
                ),
            ),
        }
    }
    let has_cl = resp.header_values("content-length").next().is_some();
    let has_te = resp.header_values("transfer-encoding").next().is_some();
    if has_cl && has_te {
        add(
            "cl-with-te",
            "response carries both Content-Length and Transfer-Encoding".into(),
        );
    }
    if (resp.is_interim() || status == 204) && (has_cl || has_te) {
        let which = if has_cl {
            "Content-Length"
        } else {
            "Transfer-Encoding"
        };
        add(
            "framing-on-1xx-204",
            format!("{status} response carries {which}"),
        );
    }
    if !resp.leniencies.is_empty() {
        let why: Vec<&str> = resp.leniencies.iter().map(|l| l.explain()).collect();
        add("strict-syntax", why.join("; "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::http1::{DecodeLimits, Progress, ResponseDecoder};

    fn resp(raw: &[u8]) -> Response {
        match ResponseDecoder::new(DecodeLimits::default(), false)
            .feed(raw, true)
            .unwrap()
        {
            Progress::Done { response, .. } => *response,
            Progress::NeedMore { .. } => panic!("incomplete"),
        }
    }

    fn ids(raw: &[u8], now: Option<u64>) -> Vec<String> {
        validate_response(&resp(raw), ResponseContext { received_unix: now }, &[])
            .into_iter()
            .map(|f| f.rule)
            .collect()
    }

    #[test]
    fn good_response_has_no_findings() {
        let raw =
            b"HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 0\r\n\r\n";
        assert!(ids(raw, Some(784111777)).is_empty());
    }

    #[test]
    fn each_rule_fires() {
        assert_eq!(
            ids(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", None),
            ["date"]
        );
        assert_eq!(ids(b"HTTP/1.1 500 OK\r\nDate: Sunday, 06-Nov-94 08:49:37 GMT\r\nContent-Length: 0\r\n\r\n", None), ["date-format"]);
        assert_eq!(ids(b"HTTP/1.1 500 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 0\r\n\r\n", Some(0)), ["date-skew"]);
        assert_eq!(ids(b"HTTP/1.1 500 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", None), ["cl-with-te"]);
        assert_eq!(ids(b"HTTP/1.1 204 No Content\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 0\r\n\r\n", None), ["framing-on-1xx-204"]);
        assert_eq!(
            ids(b"HTTP/1.1 500\r\nContent-Length: 0\r\n\r\n", None),
            ["strict-syntax"]
        );
    }
}
