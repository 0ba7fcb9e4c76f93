//! `/store/{name}`: a small writable resource (the `put` feature), so that cases can check
//! PUT (RFC 9110 §9.3.4), DELETE and preconditions on state-changing methods (§13.1, §13.2).
//!
//! Representations live in memory for the life of the process, shared by all connections:
//! cases use names of their own. GET and HEAD return the stored bytes with a strong ETag and
//! Last-Modified; PUT creates (201) or replaces (204); DELETE removes (204). Preconditions are
//! evaluated as for the static files, against the current representation; with none,
//! `If-Match` fails (412) and `If-None-Match: *` holds (§13.1.1, §13.1.2).

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use hyper::body::Incoming;
use hyper::header::{HeaderValue, CONTENT_TYPE, ETAG, IF_MATCH, LAST_MODIFIED};
use hyper::http::request::Parts;
use hyper::{Method, Response, StatusCode};

use crate::conditional::{self, Precondition, Validators};
use crate::request_body::{self, BodyError};
use crate::response::{self, Body};
use crate::static_files::strong_etag;

/// `Allow` of a store resource.
pub(crate) const ALLOW: &str = "GET, HEAD, PUT, DELETE, OPTIONS";

/// Largest representation stored.
const MAX_ENTRY: usize = 1024 * 1024;
/// Most representations stored at once.
const MAX_ENTRIES: usize = 1024;

#[derive(Clone)]
struct Entry {
    body: Bytes,
    etag: HeaderValue,
    last_modified: SystemTime,
}

static STORE: LazyLock<Mutex<HashMap<String, Entry>>> = LazyLock::new(Default::default);

/// Whether `name` is a valid store name: 1-64 of `A-Z a-z 0-9 . _ -`.
fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

fn now_seconds() -> SystemTime {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs();
    UNIX_EPOCH + Duration::from_secs(secs)
}

fn precondition_failed() -> Response<Body> {
    response::text(
        StatusCode::PRECONDITION_FAILED,
        "412 Precondition Failed: a conditional request header did not match\n",
    )
}

fn with_validators(mut r: Response<Body>, e: &Entry) -> Response<Body> {
    let headers = r.headers_mut();
    headers.insert(ETAG, e.etag.clone());
    headers.insert(
        LAST_MODIFIED,
        response::formatted_value(httpdate::fmt_http_date(e.last_modified)),
    );
    r
}

/// Answers any method but OPTIONS on `/store/{name}`; `name` is the rest of the path.
pub(crate) async fn respond(parts: Parts, body: Incoming, name: &str) -> Response<Body> {
    if !valid_name(name) {
        let _ = request_body::discard(body).await;
        return response::text(
            StatusCode::NOT_FOUND,
            "404 Not Found: store names are 1-64 of A-Z a-z 0-9 . _ -\n",
        );
    }
    let method = &parts.method;
    // The content is read first, whatever the outcome, so the connection stays positioned at
    // the next request (RFC 9112 §9.3); only PUT keeps it.
    let data = if *method == Method::PUT {
        match request_body::read_to_end(body).await {
            Ok(b) if b.data.len() <= MAX_ENTRY => b.data,
            Ok(_) => return body_error(BodyError::TooLarge),
            Err(e) => return body_error(e),
        }
    } else {
        if let Err(e) = request_body::discard(body).await {
            return body_error(e);
        }
        Bytes::new()
    };
    let current = STORE.lock().map(|s| s.get(name).cloned()).unwrap_or(None);
    let precondition = |e: &Entry| {
        conditional::evaluate(
            method,
            &parts.headers,
            Validators {
                etag: e.etag.as_bytes(),
                last_modified: e.last_modified,
            },
        )
    };
    match *method {
        Method::GET | Method::HEAD => {
            // §13.2.1: without a current representation the answer would be 404, so the
            // preconditions are ignored.
            let Some(e) = current else {
                return response::text(
                    StatusCode::NOT_FOUND,
                    format!("404 Not Found: /store/{name} is empty\n"),
                );
            };
            match precondition(&e) {
                Precondition::Proceed => {
                    let mut r = response::with_body(StatusCode::OK, e.body.clone());
                    r.headers_mut().insert(
                        CONTENT_TYPE,
                        HeaderValue::from_static("application/octet-stream"),
                    );
                    with_validators(r, &e)
                }
                Precondition::NotModified => {
                    with_validators(response::empty(StatusCode::NOT_MODIFIED), &e)
                }
                Precondition::Failed => precondition_failed(),
            }
        }
        Method::PUT => {
            let ok = match &current {
                Some(e) => precondition(e) == Precondition::Proceed,
                // §13.1.1: If-Match is false without a current representation; If-None-Match
                // ("*" or a list) is true, and If-(Un)Modified-Since need a current one.
                None => !parts.headers.contains_key(IF_MATCH),
            };
            if !ok {
                return precondition_failed();
            }
            let entry = Entry {
                etag: strong_etag(&data),
                body: data,
                last_modified: now_seconds(),
            };
            let Ok(mut store) = STORE.lock() else {
                return response::text(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "500 store unavailable\n",
                );
            };
            if current.is_none() && store.len() >= MAX_ENTRIES {
                return response::text(
                    StatusCode::INSUFFICIENT_STORAGE,
                    "507 Insufficient Storage: the store is full\n",
                );
            }
            store.insert(name.to_string(), entry.clone());
            // §9.3.4: 201 when a representation was created, 204 when one was replaced; the
            // bytes are stored unchanged, so the validators may be sent.
            let status = if current.is_some() {
                StatusCode::NO_CONTENT
            } else {
                StatusCode::CREATED
            };
            with_validators(response::empty(status), &entry)
        }
        Method::DELETE => {
            let Some(e) = current else {
                return response::text(
                    StatusCode::NOT_FOUND,
                    format!("404 Not Found: /store/{name} is empty\n"),
                );
            };
            if precondition(&e) != Precondition::Proceed {
                return precondition_failed();
            }
            if let Ok(mut store) = STORE.lock() {
                store.remove(name);
            }
            response::empty(StatusCode::NO_CONTENT)
        }
        _ => response::method_not_allowed(method, ALLOW),
    }
}

fn body_error(e: BodyError) -> Response<Body> {
    let mut r = match e {
        BodyError::TooLarge => response::text(
            StatusCode::PAYLOAD_TOO_LARGE,
            "413 Content Too Large: store representations are at most 1 MiB\n",
        ),
        BodyError::Malformed => response::bad_request("the request content could not be read"),
    };
    response::close_after(&mut r);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(valid_name("m9-create.1"));
        assert!(!valid_name(""));
        assert!(!valid_name("a/b"));
        assert!(!valid_name(&"a".repeat(65)));
    }
}
