//! Rules checked on every response of every case, whatever the case is about. A case can
//! switch a rule off (`validators: {skip: [date]}`) when it deliberately provokes the
//! behaviour; the report says so.

use std::time::{Duration, UNIX_EPOCH};

use super::semantics::{self, Exchange};
use crate::model::Level;
use crate::result::Finding;
use crate::wire::http1::{RequestInfo, Response};

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
    Rule {
        id: "allow-on-405",
        level: Level::Must,
        citation: "RFC 9110 §15.5.6",
        text: "The origin server MUST generate an Allow header field in a 405 response containing a list of the target resource's currently supported methods (so not the refused one).",
    },
    Rule {
        id: "www-authenticate-on-401",
        level: Level::Must,
        citation: "RFC 9110 §15.5.2, §11.6.1",
        text: "The server generating a 401 response MUST send a WWW-Authenticate header field containing at least one challenge applicable to the target resource.",
    },
    Rule {
        id: "location-on-redirect",
        level: Level::Should,
        citation: "RFC 9110 §15.4, §10.2.2",
        text: "The server SHOULD generate a Location header field in a 301, 302, 303, 307 or 308 response containing a preferred URI reference for the new resource.",
    },
    Rule {
        id: "upgrade-on-101-426",
        level: Level::Must,
        citation: "RFC 9110 §15.2.2, §15.5.22, §7.8",
        text: "The server MUST generate an Upgrade header field in a 101 (naming the protocol(s) switched to, which the client offered) and MUST send one in a 426 response.",
    },
    Rule {
        id: "continue-before-101",
        level: Level::Must,
        citation: "RFC 9110 §7.8",
        text: "If a server receives both an Upgrade and an Expect header field with the \"100-continue\" expectation, the server MUST send a 100 (Continue) response before sending a 101 (Switching Protocols) response.",
    },
    Rule {
        id: "content-on-205",
        level: Level::Must,
        citation: "RFC 9110 §15.3.6",
        text: "Since the 205 status code implies that no additional content will be provided, a server MUST NOT generate content in a 205 response.",
    },
    Rule {
        id: "framing-on-connect-2xx",
        level: Level::Must,
        citation: "RFC 9110 §8.6, §9.3.6; RFC 9112 §6.1",
        text: "A server MUST NOT send any Transfer-Encoding or Content-Length header fields in a 2xx (Successful) response to CONNECT.",
    },
    Rule {
        id: "te-to-http10",
        level: Level::Must,
        citation: "RFC 9112 §6.1",
        text: "A server MUST NOT send a response containing Transfer-Encoding unless the corresponding request indicates HTTP/1.1 (or later minor revisions).",
    },
    Rule {
        id: "last-modified-after-date",
        level: Level::Must,
        citation: "RFC 9110 §8.8.2.1",
        text: "An origin server with a clock MUST NOT generate a Last-Modified date that is later than the server's time of message origination (Date).",
    },
    Rule {
        id: "content-range-206",
        level: Level::Must,
        citation: "RFC 9110 §15.3.7, §14.4, §14.6",
        text: "A single-part 206 MUST carry a Content-Range describing the enclosed range (bytes first-last/length, its length equal to the content); a multipart/byteranges 206 MUST NOT carry Content-Range in its header section, and each part carries its own.",
    },
    Rule {
        id: "multipart-for-single-range",
        level: Level::Must,
        citation: "RFC 9110 §15.3.7.2",
        text: "A server MUST NOT generate a multipart response to a request for a single range, since a client that does not request multiple parts might not support multipart responses.",
    },
    Rule {
        id: "partial-content-fields",
        level: Level::Must,
        citation: "RFC 9110 §15.3.7",
        text: "The server generating a 206 response MUST generate the following header fields, in addition to those required in the subsections below, if the field would have been sent in a 200 (OK) response to the same request: Date, Cache-Control, ETag, Expires, Content-Location, and Vary.",
    },
    Rule {
        id: "partial-content-matches",
        level: Level::Must,
        citation: "RFC 9110 §14.4, §15.3.7",
        text: "The 206 content is the range of the selected representation that its Content-Range names (compared with a 200 for the same target in the same case, when the validators agree).",
    },
    Rule {
        id: "not-modified-validators",
        level: Level::Must,
        citation: "RFC 9110 §15.4.5",
        text: "The server generating a 304 response MUST generate any of the following header fields that would have been sent in a 200 (OK) response to the same request: Content-Location, Date, ETag, and Vary; Cache-Control and Expires.",
    },
    Rule {
        id: "content-length-bodiless",
        level: Level::Must,
        citation: "RFC 9110 §8.6",
        text: "A server MUST NOT send Content-Length in a response to HEAD or in a 304 unless its field value equals the number of octets that would have been sent in the content of a 200 response to the same (GET) request.",
    },
    Rule {
        id: "cache-control-syntax",
        level: Level::Should,
        citation: "RFC 9111 §5.2, §5.2.2",
        text: "Cache-Control = #( token [ \"=\" ( token / quoted-string ) ] ); max-age, s-maxage, stale-while-revalidate and stale-if-error take delta-seconds in token form.",
    },
    Rule {
        id: "http-date-fields",
        level: Level::Should,
        citation: "RFC 9110 §5.6.7, §8.8.2; RFC 9111 §5.3",
        text: "Expires and Last-Modified are HTTP-dates, which a sender MUST generate as IMF-fixdate (reported as a lint: recipients must treat an invalid Expires as a time in the past).",
    },
    Rule {
        id: "etag-syntax",
        level: Level::Should,
        citation: "RFC 9110 §8.8.3",
        text: "entity-tag = [ W/ ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text.",
    },
    Rule {
        id: "age-syntax",
        level: Level::Should,
        citation: "RFC 9111 §5.1",
        text: "Age = delta-seconds: a non-negative integer number of seconds.",
    },
    Rule {
        id: "set-cookie-syntax",
        level: Level::Should,
        citation: "RFC 6265 §4.1.1",
        text: "Servers SHOULD NOT send Set-Cookie header fields that fail to conform to the grammar (cookie-name=cookie-value of cookie-octets, then \"; \"-separated attributes).",
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
    validate_exchange(resp, None, ctx, skip)
}

/// Keeps the first finding of each rule not in `skip`, in [`RULES`] order.
fn ordered(found: Vec<(&'static str, String)>, skip: &[String]) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    for r in RULES {
        if skip.iter().any(|s| s == r.id) {
            continue;
        }
        if let Some((_, message)) = found.iter().find(|(id, _)| *id == r.id) {
            out.push(Finding::from_rule(r, message.clone()));
        }
    }
    out
}

/// Applies the per-response rules to a response and, when known, the request it answers
/// (rules that need the request say nothing without it), skipping those in `skip`.
pub fn validate_exchange(
    resp: &Response,
    request: Option<&RequestInfo>,
    ctx: ResponseContext,
    skip: &[String],
) -> Vec<Finding> {
    let mut found: Vec<(&'static str, String)> = Vec::new();
    let mut add = |id: &'static str, message: String| found.push((id, message));
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
    semantics::one(resp, request, &mut add);
    ordered(found, skip)
}

/// Applies the rules that compare the responses of one case (304, 206 and HEAD responses
/// against a 200 to a GET of the same target), skipping those in `skip`.
pub fn validate_exchanges(exchanges: &[Exchange<'_>], skip: &[String]) -> Vec<Finding> {
    let mut found: Vec<(&'static str, String)> = Vec::new();
    semantics::across(exchanges, &mut |id, message| found.push((id, message)));
    ordered(found, skip)
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

    const D: &str = "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n";

    fn with_request(raw: &str, req: Option<&RequestInfo>) -> Vec<String> {
        let raw = raw.replace("{D}", D);
        validate_exchange(&resp(raw.as_bytes()), req, ResponseContext::default(), &[])
            .into_iter()
            .map(|f| f.rule)
            .collect()
    }

    fn req(method: &str, target: &str, version: &str, headers: &[(&str, &str)]) -> RequestInfo {
        RequestInfo {
            method: method.into(),
            target: target.into(),
            version: version.into(),
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn status_rules_fire_and_hold() {
        let put = req("PUT", "/hello.txt", "HTTP/1.1", &[]);
        let cases: &[(&str, Option<&RequestInfo>, &[&str])] = &[
            ("HTTP/1.1 405 X\r\n{D}Content-Length: 0\r\n\r\n", None, &["allow-on-405"]),
            ("HTTP/1.1 405 X\r\n{D}Allow: GET, HEAD\r\nContent-Length: 0\r\n\r\n", Some(&put), &[]),
            ("HTTP/1.1 405 X\r\n{D}Allow: GET, PUT\r\nContent-Length: 0\r\n\r\n", Some(&put), &["allow-on-405"]),
            ("HTTP/1.1 405 X\r\n{D}Allow: \r\nContent-Length: 0\r\n\r\n", Some(&put), &[]),
            ("HTTP/1.1 401 X\r\n{D}Content-Length: 0\r\n\r\n", None, &["www-authenticate-on-401"]),
            ("HTTP/1.1 401 X\r\n{D}WWW-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n", None, &[]),
            ("HTTP/1.1 308 X\r\n{D}Content-Length: 0\r\n\r\n", None, &["location-on-redirect"]),
            ("HTTP/1.1 302 X\r\n{D}Location: /\r\nContent-Length: 0\r\n\r\n", None, &[]),
            ("HTTP/1.1 300 X\r\n{D}Content-Length: 0\r\n\r\n", None, &[]),
            ("HTTP/1.1 426 X\r\n{D}Content-Length: 0\r\n\r\n", None, &["upgrade-on-101-426"]),
            ("HTTP/1.1 205 X\r\n{D}Content-Length: 2\r\n\r\nhi", None, &["content-on-205"]),
            ("HTTP/1.1 205 X\r\n{D}Content-Length: 0\r\n\r\n", None, &[]),
            ("HTTP/1.1 200 X\r\n{D}Last-Modified: Sun, 06 Nov 1994 08:49:38 GMT\r\nContent-Length: 0\r\n\r\n", None, &["last-modified-after-date"]),
            ("HTTP/1.1 200 X\r\n{D}Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 0\r\n\r\n", None, &[]),
            ("HTTP/1.1 206 X\r\n{D}Content-Range: bytes 0-4/18\r\nContent-Length: 5\r\n\r\nHello", None, &[]),
            ("HTTP/1.1 206 X\r\n{D}Content-Range: bytes 0-4/18\r\nContent-Length: 4\r\n\r\nHell", None, &["content-range-206"]),
            ("HTTP/1.1 206 X\r\n{D}Content-Length: 5\r\n\r\nHello", None, &["content-range-206"]),
            ("HTTP/1.1 206 X\r\n{D}Content-Range: bytes 0-4/3\r\nContent-Length: 5\r\n\r\nHello", None, &["content-range-206"]),
            ("HTTP/1.1 200 X\r\n{D}Cache-Control: max-age=\"5\"\r\nContent-Length: 0\r\n\r\n", None, &["cache-control-syntax"]),
            ("HTTP/1.1 200 X\r\n{D}Expires: 0\r\nContent-Length: 0\r\n\r\n", None, &["http-date-fields"]),
            ("HTTP/1.1 200 X\r\n{D}ETag: abc\r\nContent-Length: 0\r\n\r\n", None, &["etag-syntax"]),
            ("HTTP/1.1 200 X\r\n{D}Age: -1\r\nContent-Length: 0\r\n\r\n", None, &["age-syntax"]),
            ("HTTP/1.1 200 X\r\n{D}Set-Cookie: a=b c\r\nContent-Length: 0\r\n\r\n", None, &["set-cookie-syntax"]),
            ("HTTP/1.1 200 X\r\n{D}Set-Cookie: a=b; Expires=Wed, 09 Jun 2021 10:18:14 GMT\r\nSet-Cookie: c=d\r\nContent-Length: 0\r\n\r\n", None, &[]),
        ];
        for (raw, req, want) in cases {
            assert_eq!(with_request(raw, *req), *want, "{raw}");
        }
        let old = req("GET", "/", "HTTP/1.0", &[]);
        let chunked = "HTTP/1.1 200 X\r\n{D}Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
        assert_eq!(with_request(chunked, Some(&old)), ["te-to-http10"]);
        assert!(with_request(chunked, Some(&req("GET", "/", "HTTP/1.1", &[]))).is_empty());
        assert!(with_request(chunked, None).is_empty());
        let connect = req("CONNECT", "h:1", "HTTP/1.1", &[]);
        let tunnel = "HTTP/1.1 200 X\r\n{D}\r\n";
        assert!(with_request(tunnel, Some(&connect)).is_empty());
        let framed = "HTTP/1.1 200 X\r\n{D}Content-Length: 0\r\n\r\n";
        assert_eq!(
            with_request(framed, Some(&connect)),
            ["framing-on-connect-2xx"]
        );
        assert!(with_request(framed, Some(&req("GET", "/", "HTTP/1.1", &[]))).is_empty());
        let one_range = req("GET", "/", "HTTP/1.1", &[("Range", "bytes=0-1")]);
        let multi = "HTTP/1.1 206 X\r\n{D}Content-Type: multipart/byteranges; boundary=B\r\nContent-Length: 47\r\n\r\n--B\r\nContent-Range: bytes 0-1/18\r\n\r\nHe\r\n--B--\r\n";
        assert!(with_request(multi, None).is_empty());
        assert_eq!(
            with_request(multi, Some(&one_range)),
            ["multipart-for-single-range"]
        );
        let up = req("GET", "/", "HTTP/1.1", &[("Upgrade", "websocket")]);
        let switch =
            |p: &str| format!("HTTP/1.1 101 X\r\nUpgrade: {p}\r\nConnection: upgrade\r\n\r\n");
        assert!(with_request(&switch("websocket"), Some(&up)).is_empty());
        assert_eq!(
            with_request(&switch("h2c"), Some(&up)),
            ["upgrade-on-101-426"]
        );
    }

    #[test]
    fn rules_across_responses() {
        let get = req("GET", "/hello.txt", "HTTP/1.1", &[]);
        let head = req("HEAD", "/hello.txt", "HTTP/1.1", &[]);
        let other = req("GET", "/other", "HTTP/1.1", &[]);
        let full = resp(format!("HTTP/1.1 200 OK\r\n{D}ETag: \"e1\"\r\nCache-Control: max-age=5\r\nContent-Length: 18\r\n\r\nHello, wirecheck!\n").as_bytes());
        let across = |rs: &[(&RequestInfo, &Response)]| -> Vec<String> {
            let ex: Vec<Exchange<'_>> = rs
                .iter()
                .map(|(q, r)| Exchange {
                    request: Some(q),
                    response: r,
                    continued: false,
                })
                .collect();
            validate_exchanges(&ex, &[])
                .into_iter()
                .map(|f| f.rule)
                .collect()
        };
        let nm = |extra: &str| {
            let mut d = ResponseDecoder::new(DecodeLimits::default(), false);
            match d
                .feed(
                    format!("HTTP/1.1 304 Not Modified\r\n{D}{extra}\r\n").as_bytes(),
                    true,
                )
                .unwrap()
            {
                Progress::Done { response, .. } => *response,
                _ => panic!(),
            }
        };
        let good = nm("ETag: \"e1\"\r\nCache-Control: max-age=5\r\n");
        assert!(across(&[(&get, &full), (&get, &good)]).is_empty());
        let bare = nm("");
        assert_eq!(
            across(&[(&get, &full), (&get, &bare)]),
            ["not-modified-validators"]
        );
        assert!(across(&[(&get, &full), (&other, &bare)]).is_empty());
        assert!(across(&[(&get, &bare)]).is_empty());
        let bad_cl = nm("ETag: \"e1\"\r\nCache-Control: max-age=5\r\nContent-Length: 3\r\n");
        assert_eq!(
            across(&[(&get, &full), (&get, &bad_cl)]),
            ["content-length-bodiless"]
        );
        let head_resp = |cl: u32| match ResponseDecoder::new(DecodeLimits::default(), true)
            .feed(
                format!("HTTP/1.1 200 OK\r\n{D}Content-Length: {cl}\r\n\r\n").as_bytes(),
                true,
            )
            .unwrap()
        {
            Progress::Done { response, .. } => *response,
            _ => panic!(),
        };
        assert!(across(&[(&get, &full), (&head, &head_resp(18))]).is_empty());
        assert_eq!(
            across(&[(&head, &head_resp(17)), (&get, &full)]),
            ["content-length-bodiless"]
        );
        let part = |cr: &str, body: &str| {
            resp(
                format!(
                    "HTTP/1.1 206 P\r\n{D}ETag: \"e1\"\r\nCache-Control: max-age=5\r\nContent-Range: {cr}\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                )
                .as_bytes(),
            )
        };
        assert!(across(&[(&get, &full), (&get, &part("bytes 0-4/18", "Hello"))]).is_empty());
        assert!(across(&[(&get, &part("bytes 13-17/18", "eck!\n")), (&get, &full)]).is_empty());
        assert_eq!(
            across(&[(&get, &full), (&get, &part("bytes 0-4/18", "Jello"))]),
            ["partial-content-matches"]
        );
        assert_eq!(
            across(&[(&get, &full), (&get, &part("bytes 0-4/19", "Hello"))]),
            ["partial-content-matches"]
        );
        // Another representation (different ETag) is not compared.
        let changed = resp(format!("HTTP/1.1 206 P\r\n{D}ETag: \"e2\"\r\nContent-Range: bytes 0-4/18\r\nContent-Length: 5\r\n\r\nJello").as_bytes());
        assert!(across(&[(&get, &full), (&get, &changed)]).is_empty());
        // A 206 lacks the ETag and Cache-Control of the 200 (RFC 9110 §15.3.7).
        let bare = resp(format!("HTTP/1.1 206 P\r\n{D}Content-Range: bytes 0-4/18\r\nContent-Length: 5\r\n\r\nHello").as_bytes());
        assert_eq!(
            across(&[(&get, &full), (&get, &bare)]),
            ["partial-content-fields"]
        );
        let full_fields = resp(format!("HTTP/1.1 206 P\r\n{D}ETag: \"e1\"\r\nCache-Control: max-age=5\r\nContent-Range: bytes 0-4/18\r\nContent-Length: 5\r\n\r\nHello").as_bytes());
        assert!(across(&[(&get, &full), (&get, &full_fields)]).is_empty());
        // A 101 to Upgrade + Expect: 100-continue needs a 100 first (RFC 9110 §7.8).
        let up = req(
            "GET",
            "/",
            "HTTP/1.1",
            &[("Upgrade", "websocket"), ("Expect", "100-continue")],
        );
        let switched = resp(b"HTTP/1.1 101 S\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n");
        let ex = |continued| {
            let e = [Exchange {
                request: Some(&up),
                response: &switched,
                continued,
            }];
            validate_exchanges(&e, &[])
                .into_iter()
                .map(|f| f.rule)
                .collect::<Vec<_>>()
        };
        assert_eq!(ex(false), ["continue-before-101"]);
        assert!(ex(true).is_empty());
    }
}
