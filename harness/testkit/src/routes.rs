//! Which response a request gets: resources, methods and status codes.
//!
//! The switches `body-on-304`, `short-content-length`, `no-allow-on-405`,
//! `ignore-range`, `wrong-content-range` and `preconditions-on-404` act here.

use std::borrow::Cow;

use crate::conditional::{self, Precondition, RangeOutcome};
use crate::echo;
use crate::framing::Request;
use crate::request::Field;
use crate::resources::{self, Resource, LAST_MODIFIED};
use crate::response::Response;
use crate::switches::{Switch, Switches};

/// `Allow` of the static resources.
const STATIC_ALLOW: &str = "GET, HEAD, OPTIONS";

/// The methods of RFC 9110 §9 and PATCH (RFC 5789).
const KNOWN_METHODS: &[&str] = &[
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
];

/// Answers `request`, whose body has been read.
pub(crate) fn respond(
    request: &Request,
    body: &[u8],
    trailers: &[Field],
    switches: Switches,
) -> Response {
    let method = request.head.method.as_str();
    if method == "CONNECT" {
        // No tunnels (RFC 9110 §9.3.6); close so nothing is taken as one.
        let mut response = Response::text(501, "CONNECT is not implemented by this server");
        response.close = true;
        return response;
    }
    if request.path == "*" {
        return options();
    }
    if request.path == "/echo" {
        return Response::new(200, echo::reflect(&request.head, body, trailers))
            .with("Content-Type", "application/json");
    }
    if !KNOWN_METHODS.contains(&method) {
        // RFC 9110 §9.1: an unrecognised method gets 501.
        return Response::text(501, "the method is not implemented by this server");
    }
    let Some(resource) = resources::lookup(&request.path) else {
        if switches.on(Switch::PreconditionsOn404) && conditional::none_match_star(&request.head) {
            // If-None-Match evaluated before the lookup: `*` "matches".
            let mut response = Response::new(304, &b""[..]);
            response.body = None;
            return response;
        }
        return Response::text(
            404,
            "not a resource of this server (try /, /hello.txt, /large.txt or /echo)",
        );
    };
    if method == "OPTIONS" {
        return options();
    }
    if method != "GET" && method != "HEAD" {
        // RFC 9110 §15.5.6: a 405 MUST carry Allow.
        let response = Response::text(405, "the static resources allow GET, HEAD and OPTIONS");
        return if switches.on(Switch::NoAllowOn405) {
            response
        } else {
            response.with("Allow", STATIC_ALLOW)
        };
    }
    serve_static(request, &resource, switches)
}

/// The answer to OPTIONS on a static resource or `*` (RFC 9110 §9.3.7).
fn options() -> Response {
    Response::new(200, &b""[..]).with("Allow", STATIC_ALLOW)
}

/// GET or HEAD of a static resource, with conditionals and ranges.
fn serve_static(request: &Request, resource: &Resource, switches: Switches) -> Response {
    let get = request.head.method == "GET";
    match conditional::preconditions(&request.head, resource, switches) {
        Precondition::Proceed => {}
        Precondition::Failed => return Response::text(412, "a precondition is false"),
        Precondition::NotModified => {
            // RFC 9110 §15.4.5: ETag and Date, no content.
            let mut response = Response::new(304, &b""[..]).with("ETag", resource.etag);
            response.body = if switches.on(Switch::BodyOn304) {
                Some(Cow::Borrowed(resource.body))
            } else {
                None
            };
            return response;
        }
    }
    let outcome = if get && !switches.on(Switch::IgnoreRange) {
        conditional::range(&request.head, resource, switches)
    } else {
        RangeOutcome::Full
    };
    let len = resource.body.len();
    match outcome {
        RangeOutcome::Full => {
            let mut response = representation(200, resource, resource.body);
            if get && switches.on(Switch::ShortContentLength) && resource.path == "/hello.txt" {
                response.declared_length = Some(len - 1);
            }
            response
        }
        RangeOutcome::Partial(first, last) => {
            let end = if switches.on(Switch::WrongContentRange) {
                last + 1
            } else {
                last
            };
            representation(206, resource, &resource.body[first..=last])
                .with("Content-Range", format!("bytes {first}-{end}/{len}"))
        }
        RangeOutcome::Unsatisfiable => Response::text(416, "no satisfiable range")
            .with("Content-Range", format!("bytes */{len}")),
    }
}

/// A 200 or 206 carrying `body` from `resource`, with its metadata.
fn representation(status: u16, resource: &Resource, body: &'static [u8]) -> Response {
    Response::new(status, body)
        .with("Content-Type", resource.content_type)
        .with("ETag", resource.etag)
        .with("Last-Modified", LAST_MODIFIED)
        .with("Accept-Ranges", "bytes")
}
