//! The response model and its serialisation (RFC 9112 §4, §6).
//!
//! Routes build a [`Response`]; [`encode`] turns it into bytes, adding
//! `Date`, `Server`, `Content-Length` and `Connection`. The switches that
//! break the wire format (`no-date`, `bad-date-format`, `body-on-head`,
//! `cl-and-te`, `lf-line-endings`, `wrong-version`) act here.

use std::borrow::Cow;
use std::time::SystemTime;

use crate::switches::{Switch, Switches};

/// A response before serialisation.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    /// The status code.
    pub(crate) status: u16,
    /// Fields other than Date, Server, Content-Length and Connection.
    pub(crate) fields: Vec<(&'static str, String)>,
    /// The content; `None` for a response that has neither content nor
    /// `Content-Length` (304).
    pub(crate) body: Option<Cow<'static, [u8]>>,
    /// A `Content-Length` to declare instead of the body's length.
    pub(crate) declared_length: Option<usize>,
    /// Whether the connection must close after this response.
    pub(crate) close: bool,
}

impl Response {
    /// A response with `status` and `body`, no other fields.
    pub(crate) fn new(status: u16, body: impl Into<Cow<'static, [u8]>>) -> Response {
        Response {
            status,
            fields: Vec::new(),
            body: Some(body.into()),
            declared_length: None,
            close: false,
        }
    }

    /// A short `text/plain` response: the status line's text and `detail`.
    pub(crate) fn text(status: u16, detail: &str) -> Response {
        let body = format!("{status} {}: {detail}\n", reason(status));
        Response::new(status, body.into_bytes()).with("Content-Type", "text/plain; charset=utf-8")
    }

    /// The response with one more field.
    pub(crate) fn with(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.fields.push((name, value.into()));
        self
    }
}

/// How the response relates to its request and connection.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Context {
    /// Whether the request was HEAD (no content is sent).
    pub(crate) head_request: bool,
    /// The `Connection` value to send, if any.
    pub(crate) connection: Option<&'static str>,
}

/// The reason phrase for `status`.
pub(crate) fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        101 => "Switching Protocols",
        200 => "OK",
        206 => "Partial Content",
        304 => "Not Modified",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        416 => "Range Not Satisfiable",
        426 => "Upgrade Required",
        431 => "Request Header Fields Too Large",
        501 => "Not Implemented",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}

/// The line ending of response heads.
fn eol(switches: Switches) -> &'static str {
    if switches.on(Switch::LfLineEndings) {
        "\n"
    } else {
        "\r\n"
    }
}

/// The `100 Continue` interim response (RFC 9110 §15.2.1).
pub(crate) fn continue_bytes(switches: Switches) -> Vec<u8> {
    let eol = eol(switches);
    let length = if switches.on(Switch::ContentLengthOn1xx) {
        format!("Content-Length: 0{eol}")
    } else {
        String::new()
    };
    format!("HTTP/1.1 100 Continue{eol}{length}{eol}").into_bytes()
}

/// Serialises `response`.
pub(crate) fn encode(response: &Response, context: Context, switches: Switches) -> Vec<u8> {
    let eol = eol(switches);
    let version = if switches.on(Switch::WrongVersion) {
        "HTTP/1.0"
    } else {
        "HTTP/1.1"
    };
    let status = response.status;
    let mut head = format!("{version} {status} {}{eol}", reason(status));
    let mut field = |name: &str, value: &str| {
        head.push_str(name);
        head.push_str(": ");
        head.push_str(value);
        head.push_str(eol);
    };
    let skip_date =
        switches.on(Switch::NoDate) || (switches.on(Switch::NoDateOnError) && status >= 400);
    if !skip_date {
        let date = if switches.on(Switch::BadDateFormat) {
            rfc850_date(SystemTime::now())
        } else {
            httpdate::fmt_http_date(SystemTime::now())
        };
        field("Date", &date);
    }
    field("Server", "wirecheck-broken");
    for (name, value) in &response.fields {
        field(name, value);
    }
    let chunked = switches.on(Switch::ClAndTe) && response.body.is_some();
    if let Some(body) = &response.body {
        let length = response.declared_length.unwrap_or(body.len());
        field("Content-Length", &length.to_string());
        if chunked {
            field("Transfer-Encoding", "chunked");
        }
    }
    if let Some(connection) = context.connection {
        field("Connection", connection);
    }
    head.push_str(eol);

    let mut bytes = head.into_bytes();
    let send_body = !context.head_request || switches.on(Switch::BodyOnHead);
    if let (Some(body), true) = (&response.body, send_body) {
        if chunked {
            if !body.is_empty() {
                bytes.extend_from_slice(format!("{:x}\r\n", body.len()).as_bytes());
                bytes.extend_from_slice(body);
                bytes.extend_from_slice(b"\r\n");
            }
            bytes.extend_from_slice(b"0\r\n\r\n");
        } else {
            bytes.extend_from_slice(body);
        }
    }
    bytes
}

/// `now` in the obsolete RFC 850 format (RFC 9110 §5.6.7), e.g.
/// `Sunday, 06-Nov-94 08:49:37 GMT`.
pub(crate) fn rfc850_date(now: SystemTime) -> String {
    // "Sun, 06 Nov 1994 08:49:37 GMT"
    let imf = httpdate::fmt_http_date(now);
    let day = match &imf[..3] {
        "Mon" => "Monday",
        "Tue" => "Tuesday",
        "Wed" => "Wednesday",
        "Thu" => "Thursday",
        "Fri" => "Friday",
        "Sat" => "Saturday",
        _ => "Sunday",
    };
    format!(
        "{day}, {}-{}-{} {} GMT",
        &imf[5..7],
        &imf[8..11],
        &imf[14..16],
        &imf[17..25]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn plain() -> Context {
        Context {
            head_request: false,
            connection: None,
        }
    }

    #[test]
    fn rfc850_format() {
        let when = UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(rfc850_date(when), "Sunday, 06-Nov-94 08:49:37 GMT");
    }

    #[test]
    fn encodes_a_correct_head() {
        let response = Response::new(200, &b"abc"[..]).with("X-A", "1");
        let bytes = encode(&response, plain(), Switches::default());
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with("HTTP/1.1 200 OK\r\nDate: "));
        assert!(text
            .ends_with("\r\nServer: wirecheck-broken\r\nX-A: 1\r\nContent-Length: 3\r\n\r\nabc"));
    }

    #[test]
    fn cl_and_te_sends_chunked_body() {
        let response = Response::new(200, &b"abc"[..]);
        let switches = Switches::new(&[Switch::ClAndTe]);
        let text = String::from_utf8(encode(&response, plain(), switches)).unwrap();
        assert!(text.contains("Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"));
        assert!(text.ends_with("\r\n\r\n3\r\nabc\r\n0\r\n\r\n"));
    }

    #[test]
    fn head_and_304_have_no_body() {
        let response = Response::new(200, &b"abc"[..]);
        let head = Context {
            head_request: true,
            connection: Some("close"),
        };
        let text = String::from_utf8(encode(&response, head, Switches::default())).unwrap();
        assert!(text.ends_with("Content-Length: 3\r\nConnection: close\r\n\r\n"));
        let not_modified = Response {
            body: None,
            ..Response::new(304, &b""[..])
        };
        let text = String::from_utf8(encode(&not_modified, plain(), Switches::default())).unwrap();
        assert!(!text.contains("Content-Length"));
    }
}
