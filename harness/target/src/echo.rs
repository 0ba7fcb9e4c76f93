//! `/echo`: reflects the request as the server parsed it, as JSON.
//!
//! The point is to let cases see what a conformant parser made of their
//! bytes: the method, the request-target, the version, the field lines and
//! the decoded content.
//!
//! Field names are lowercase, because hyper normalises them. Field lines
//! are listed in the order hyper's `HeaderMap` yields them: grouped by
//! name in order of each name's first appearance, and within a name in
//! received order. Every line is a separate `[name, value]` pair, so
//! duplicates are kept. (hyper does not expose the exact interleaving of
//! different names on the wire.)

use hyper::body::Incoming;
use hyper::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use hyper::http::request::Parts;
use hyper::{Response, StatusCode, Version};
use serde::Serialize;

use crate::base64;
use crate::request_body::{self, BodyError, ReadBody, MAX_BODY_LEN};
use crate::response::{self, Body};

/// The JSON document `/echo` answers with; field order is the wire order.
#[derive(Debug, Serialize)]
struct Echo<'a> {
    /// The method token, case preserved.
    method: &'a str,
    /// The request-target as received: origin-form path and query, or the
    /// full URI for absolute-form, or `*`.
    target: String,
    /// `HTTP/1.0` or `HTTP/1.1`.
    version: &'static str,
    /// `[name, value]` pairs; values decoded as lossy UTF-8.
    headers: Vec<(String, String)>,
    /// The content as lossy UTF-8.
    body: String,
    /// The content as standard padded base64, exact even for binary data.
    body_base64: String,
    /// The content length in bytes after removing chunked framing.
    body_len: usize,
    /// Trailer fields of a chunked request (RFC 9112 §7.1.2).
    trailers: Vec<(String, String)>,
}

/// Reads the request content and answers with the reflection.
///
/// Content above [`MAX_BODY_LEN`] gets `413` (RFC 9110 §15.5.14) and the
/// connection is closed, since the rest of the content was not read.
pub(crate) async fn respond(parts: Parts, body: Incoming) -> Response<Body> {
    let ReadBody { data, trailers } = match request_body::read_to_end(body).await {
        Ok(read) => read,
        Err(BodyError::TooLarge) => {
            let mut response = response::text(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("413 Content Too Large: /echo accepts at most {MAX_BODY_LEN} bytes\n"),
            );
            response::close_after(&mut response);
            return response;
        }
        Err(BodyError::Malformed) => {
            let mut response = response::bad_request("the request content could not be read");
            response::close_after(&mut response);
            return response;
        }
    };

    let echo = Echo {
        method: parts.method.as_str(),
        target: parts.uri.to_string(),
        version: version_name(parts.version),
        headers: field_pairs(&parts.headers),
        body: String::from_utf8_lossy(&data).into_owned(),
        body_base64: base64::encode(&data),
        body_len: data.len(),
        trailers: field_pairs(&trailers),
    };
    match serde_json::to_vec(&echo) {
        Ok(json) => {
            let mut response = response::with_body(StatusCode::OK, json);
            response
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            response
        }
        Err(error) => response::text(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("500 Internal Server Error: could not encode the echo: {error}\n"),
        ),
    }
}

/// The protocol version as it appears on an HTTP/1 request line.
fn version_name(version: Version) -> &'static str {
    match version {
        Version::HTTP_09 => "HTTP/0.9",
        Version::HTTP_10 => "HTTP/1.0",
        Version::HTTP_11 => "HTTP/1.1",
        Version::HTTP_2 => "HTTP/2",
        Version::HTTP_3 => "HTTP/3",
        _ => "unknown",
    }
}

/// Every field line as a `(name, value)` pair, duplicates kept.
fn field_pairs(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect()
}
