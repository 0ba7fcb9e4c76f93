//! Small constructors for the responses the routes build.
//!
//! Responses are built by mutating a `Response` rather than through
//! `Response::builder()`, whose `Result` would need unwrapping even though
//! every field value used here is a valid constant.

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Body as _;
use hyper::header::{HeaderValue, ALLOW, CONNECTION, CONTENT_LENGTH, CONTENT_TYPE};
use hyper::{Method, Response, StatusCode};

/// The response body type: every response is fully buffered, so hyper
/// always knows its length and frames it with `Content-Length`.
pub(crate) type Body = Full<Bytes>;

/// `Content-Type` of the short explanatory bodies.
const TEXT_PLAIN: &str = "text/plain; charset=utf-8";

/// A response with the given status and body and no other fields.
pub(crate) fn with_body(status: StatusCode, body: impl Into<Bytes>) -> Response<Body> {
    let mut response = Response::new(Full::new(body.into()));
    *response.status_mut() = status;
    response
}

/// A response with no content.
pub(crate) fn empty(status: StatusCode) -> Response<Body> {
    with_body(status, Bytes::new())
}

/// A `text/plain` response with a short human-readable explanation.
pub(crate) fn text(status: StatusCode, body: impl Into<Bytes>) -> Response<Body> {
    let mut response = with_body(status, body);
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(TEXT_PLAIN));
    response
}

/// A successful `OPTIONS` answer listing `allow` (RFC 9110 §9.3.7).
///
/// `200` with `Content-Length: 0` rather than `204`: §9.3.7 asks for
/// `Content-Length: 0` when an OPTIONS response has no content, and §8.6
/// forbids `Content-Length` on `204`, so `200` satisfies both.
pub(crate) fn options(allow: &'static str) -> Response<Body> {
    let mut response = empty(StatusCode::OK);
    let headers = response.headers_mut();
    headers.insert(ALLOW, HeaderValue::from_static(allow));
    headers.insert(CONTENT_LENGTH, HeaderValue::from(0u32));
    response
}

/// `405 Method Not Allowed`, which must carry `Allow` (RFC 9110 §15.5.6).
pub(crate) fn method_not_allowed(method: &Method, allow: &'static str) -> Response<Body> {
    let mut response = text(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("405 Method Not Allowed: {method} is not supported here; allowed: {allow}\n"),
    );
    response
        .headers_mut()
        .insert(ALLOW, HeaderValue::from_static(allow));
    response
}

/// `501 Not Implemented` for a method the server does not recognise
/// (RFC 9110 §9.1, §15.6.2).
pub(crate) fn not_implemented(method: &Method) -> Response<Body> {
    text(
        StatusCode::NOT_IMPLEMENTED,
        format!("501 Not Implemented: method {method} is not implemented by this server\n"),
    )
}

/// `400 Bad Request` with an explanation.
pub(crate) fn bad_request(reason: &str) -> Response<Body> {
    text(
        StatusCode::BAD_REQUEST,
        format!("400 Bad Request: {reason}\n"),
    )
}

/// Marks `response` as the last on its connection (RFC 9112 §9.6), used
/// when the request content was not (or could not be) fully read, so the
/// connection cannot be safely reused.
pub(crate) fn close_after(response: &mut Response<Body>) {
    response
        .headers_mut()
        .insert(CONNECTION, HeaderValue::from_static("close"));
}

/// Turns a GET response into the matching HEAD response: same status and
/// fields, including the `Content-Length` the GET content would have
/// (RFC 9110 §9.3.2, §8.6), but no content.
///
/// hyper would drop a HEAD response's body on its own; doing it here keeps
/// the rule visible and independent of that behaviour.
pub(crate) fn strip_body_for_head(response: &mut Response<Body>) {
    let status = response.status();
    let may_carry_length = !(status.is_informational()
        || status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED);
    if may_carry_length && !response.headers().contains_key(CONTENT_LENGTH) {
        if let Some(len) = response.body().size_hint().exact() {
            response
                .headers_mut()
                .insert(CONTENT_LENGTH, HeaderValue::from(len));
        }
    }
    *response.body_mut() = Full::new(Bytes::new());
}

/// Builds a field value from text this crate formatted itself.
///
/// Only used for values made of digits, ASCII letters and punctuation,
/// which are always valid field-value bytes.
pub(crate) fn formatted_value(value: String) -> HeaderValue {
    HeaderValue::try_from(value).expect("formatted field values contain only visible ASCII")
}
