//! GET and HEAD on a static resource: preconditions, then ranges.

use bytes::Bytes;
use hyper::header::{
    HeaderMap, HeaderValue, ACCEPT_RANGES, CONTENT_RANGE, CONTENT_TYPE, ETAG, LAST_MODIFIED,
};
use hyper::{Method, Response, StatusCode};

use crate::conditional::{self, Precondition, Validators};
use crate::range::{self, RangeOutcome};
use crate::response::{self, formatted_value, Body};
use crate::static_files::{last_modified, last_modified_value, StaticFile};

/// Answers a GET or HEAD for `file` (the caller strips the body for HEAD).
///
/// Preconditions are evaluated before Range, as RFC 9110 §13.2.2 orders
/// them, and Range only applies to GET (§14.2).
pub(crate) fn respond(file: &StaticFile, method: &Method, headers: &HeaderMap) -> Response<Body> {
    let validators = Validators {
        etag: file.etag.as_bytes(),
        last_modified: last_modified(),
    };
    match conditional::evaluate(method, headers, validators) {
        Precondition::Proceed => {}
        Precondition::NotModified => return not_modified(file),
        Precondition::Failed => {
            return response::text(
                StatusCode::PRECONDITION_FAILED,
                "412 Precondition Failed: a conditional request header did not match\n",
            )
        }
    }

    let len = file.body.len() as u64;
    let outcome = if method == Method::GET {
        range::evaluate(headers, len, validators.etag, validators.last_modified)
    } else {
        RangeOutcome::Full
    };
    match outcome {
        RangeOutcome::Full => {
            let mut response = response::with_body(StatusCode::OK, Bytes::from_static(file.body));
            add_representation_fields(response.headers_mut(), file);
            response
        }
        RangeOutcome::Partial { first, last } => partial(file, first, last),
        RangeOutcome::Unsatisfiable => {
            // §15.5.17: a 416 for a byte range should say the current length.
            let mut response = response::text(
                StatusCode::RANGE_NOT_SATISFIABLE,
                "416 Range Not Satisfiable: no requested range overlaps the representation\n",
            );
            let headers = response.headers_mut();
            headers.insert(CONTENT_RANGE, formatted_value(format!("bytes */{len}")));
            headers.insert(ACCEPT_RANGES, HeaderValue::from_static("bytes"));
            response
        }
    }
}

/// `206 Partial Content` for the inclusive range `first..=last`, with
/// `Content-Range` (RFC 9110 §14.4, §15.3.7).
fn partial(file: &StaticFile, first: u64, last: u64) -> Response<Body> {
    let len = file.body.len();
    // `range::evaluate` only yields positions inside the representation;
    // clamp anyway so a logic error cannot turn into a panic.
    let start = usize::try_from(first).map_or(len, |first| first.min(len));
    let end = usize::try_from(last).map_or(len, |last| last.saturating_add(1).min(len));
    let slice = &file.body[start..end.max(start)];
    let mut response = response::with_body(StatusCode::PARTIAL_CONTENT, Bytes::from_static(slice));
    let headers = response.headers_mut();
    add_representation_fields(headers, file);
    headers.insert(
        CONTENT_RANGE,
        formatted_value(format!("bytes {first}-{last}/{len}")),
    );
    response
}

/// `304 Not Modified`: no content, but the validators a 200 would carry
/// (RFC 9110 §15.4.5; hyper adds `Date`).
fn not_modified(file: &StaticFile) -> Response<Body> {
    let mut response = response::empty(StatusCode::NOT_MODIFIED);
    let headers = response.headers_mut();
    headers.insert(ETAG, file.etag.clone());
    headers.insert(LAST_MODIFIED, last_modified_value());
    response
}

/// The fields every 200/206 for a static file carries. `Content-Length`
/// is left to hyper, which derives it from the buffered body.
fn add_representation_fields(headers: &mut HeaderMap, file: &StaticFile) {
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(file.content_type));
    headers.insert(ETAG, file.etag.clone());
    headers.insert(LAST_MODIFIED, last_modified_value());
    headers.insert(ACCEPT_RANGES, HeaderValue::from_static("bytes"));
}
