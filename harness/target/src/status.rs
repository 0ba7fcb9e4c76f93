//! `/status/{code}`: a response with an arbitrary final status code, so
//! that cases can exercise framing rules that depend on the status (for
//! example that `204` and `304` carry no content, RFC 9112 §6.3).

use hyper::body::Body as _;
use hyper::header::{
    HeaderValue, ALLOW, CONTENT_RANGE, LOCATION, PROXY_AUTHENTICATE, UPGRADE, WWW_AUTHENTICATE,
};
use hyper::{Response, StatusCode};

use crate::response::{self, formatted_value, Body};

/// Answers `/status/{code}`; `code` is the path segment after `/status/`.
///
/// `code` must be three digits in 200–599. 1xx codes are refused with
/// `400`: an interim response cannot end an exchange (RFC 9110 §15.2), and
/// hyper would not send one as a final response anyway.
pub(crate) fn respond(code: &str) -> Response<Body> {
    // RFC 9110 §15 defines the classes 1xx-5xx only; `http` would also
    // accept 600-999.
    let parsed = (code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()))
        .then(|| code.parse::<u16>().ok())
        .flatten()
        .filter(|code| (100..=599).contains(code))
        .and_then(|code| StatusCode::from_u16(code).ok());
    let Some(status) = parsed else {
        return response::bad_request("/status/{code} needs a three-digit status code in 200-599");
    };
    if status.is_informational() {
        return response::bad_request(
            "1xx status codes are interim responses and cannot be a final response (RFC 9110 §15.2)",
        );
    }

    // RFC 9110 §15.3.5, §15.3.6, §15.4.5: no content for 204, 205, 304.
    let no_content = matches!(
        status,
        StatusCode::NO_CONTENT | StatusCode::RESET_CONTENT | StatusCode::NOT_MODIFIED
    );
    let mut response = if no_content {
        response::empty(status)
    } else {
        let reason = status.canonical_reason().unwrap_or("Unknown Status");
        response::text(status, format!("{} {reason}\n", status.as_u16()))
    };
    add_required_fields(&mut response);
    response
}

/// Adds the fields RFC 9110 requires (MUST) or recommends (SHOULD) for
/// particular status codes, so that these responses are themselves
/// conformant.
fn add_required_fields(response: &mut Response<Body>) {
    let status = response.status();
    let body_len = response.body().size_hint().exact().unwrap_or(0);
    let headers = response.headers_mut();
    match status {
        // §15.4: a redirect SHOULD carry Location.
        StatusCode::MOVED_PERMANENTLY
        | StatusCode::FOUND
        | StatusCode::SEE_OTHER
        | StatusCode::TEMPORARY_REDIRECT
        | StatusCode::PERMANENT_REDIRECT => {
            headers.insert(LOCATION, HeaderValue::from_static("/"));
        }
        // §15.5.2: 401 MUST carry WWW-Authenticate.
        StatusCode::UNAUTHORIZED => {
            headers.insert(
                WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"wirecheck\""),
            );
        }
        // §15.5.6: 405 MUST carry Allow; this resource allows nothing,
        // which an empty Allow says (§10.2.1).
        StatusCode::METHOD_NOT_ALLOWED => {
            headers.insert(ALLOW, HeaderValue::from_static(""));
        }
        // §15.5.8: 407 MUST carry Proxy-Authenticate.
        StatusCode::PROXY_AUTHENTICATION_REQUIRED => {
            headers.insert(
                PROXY_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"wirecheck\""),
            );
        }
        // §15.5.17: 416 SHOULD carry an unsatisfied-range Content-Range.
        StatusCode::RANGE_NOT_SATISFIABLE => {
            headers.insert(
                CONTENT_RANGE,
                formatted_value(format!("bytes */{body_len}")),
            );
        }
        // §15.5.22: 426 MUST carry Upgrade.
        StatusCode::UPGRADE_REQUIRED => {
            headers.insert(UPGRADE, HeaderValue::from_static("HTTP/2.0"));
        }
        _ => {}
    }
}
