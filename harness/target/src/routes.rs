//! Request dispatch: which resource, which method, which status.

use hyper::body::{Body as _, Incoming};
use hyper::header::{HeaderMap, EXPECT, TRANSFER_ENCODING};
use hyper::http::request::Parts;
use hyper::{Method, Request, Response, StatusCode};

use crate::echo;
use crate::host;
use crate::request_body::{self, BodyError};
use crate::response::{self, Body};
use crate::static_files;
use crate::static_response;
use crate::status;
use crate::store;
use crate::websocket;

/// `Allow` for the static resources (and `OPTIONS *`).
const STATIC_ALLOW: &str = "GET, HEAD, OPTIONS";

/// `Allow` for `/echo` and `/status/{code}`. `/echo` also reflects
/// extension methods, which no `Allow` list could enumerate.
const DYNAMIC_ALLOW: &str = "GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS";

/// Longest request-target the router parses (RFC 9112 §3 recommends
/// supporting at least 8000 octets).
const MAX_TARGET: usize = 16 * 1024;

/// Answers one request.
pub(crate) async fn handle(request: Request<Incoming>) -> Response<Body> {
    // RFC 9110 §7.8: with both Upgrade and `Expect: 100-continue`, a 100 must precede the 101.
    // hyper sends a 100 only when request content is read, so such an upgrade is declined
    // (Upgrade ignored, as §7.8 allows) and the request is served as plain HTTP.
    if websocket::is_upgrade(&request) && !expects_continue(request.headers()) {
        return websocket::respond(request);
    }
    let is_head = request.method() == Method::HEAD;
    let mut response = dispatch(request).await;
    if is_head {
        response::strip_body_for_head(&mut response);
    }
    response
}

/// Routes the request; HEAD is answered as GET here.
async fn dispatch(request: Request<Incoming>) -> Response<Body> {
    let (parts, body) = request.into_parts();

    // "A server that receives a request-target longer than any URI it
    // wishes to parse MUST respond with a 414 (URI Too Long) status code"
    // (RFC 9112 §3). The content is left unread, so the connection closes.
    if parts.uri.to_string().len() > MAX_TARGET {
        let mut response =
            response::text(StatusCode::URI_TOO_LONG, "414 URI Too Long\n".to_string());
        response::close_after(&mut response);
        return response;
    }

    // The request-target grammar (RFC 9112 §3.2, RFC 3986) has no octets
    // above 0x7F, but hyper passes them through: "Recipients of an invalid
    // request-line SHOULD respond with either a 400 (Bad Request) error or a
    // 301 (Moved Permanently) redirect" (RFC 9112 §3).
    if !parts.uri.to_string().is_ascii() {
        let mut response = response::bad_request("the request-target is not ASCII");
        response::close_after(&mut response);
        return response;
    }

    // A request with a missing, repeated or invalid Host is rejected
    // whatever it targets (RFC 9112 §3.2). Its content is left unread, so
    // the connection closes.
    let absolute_form = parts.uri.authority().is_some();
    if let Err(problem) = host::validate(parts.version, &parts.headers, absolute_form) {
        let mut response = response::bad_request(problem);
        response::close_after(&mut response);
        return response;
    }

    // CONNECT asks for a tunnel, which an origin server need not provide
    // (RFC 9110 §9.3.6); answering before anything else also keeps a 2xx
    // from being taken as an established tunnel.
    if parts.method == Method::CONNECT {
        // "A server MUST reject a CONNECT request that targets an empty or
        // invalid port number, typically by responding with a 400 (Bad
        // Request) status code" (RFC 9110 §9.3.6).
        let mut response = if parts.uri.authority().and_then(|a| a.port_u16()).is_none() {
            response::bad_request("CONNECT needs a target of the form host:port")
        } else {
            response::not_implemented(&parts.method)
        };
        response::close_after(&mut response);
        return response;
    }

    // hyper frames any Transfer-Encoding whose final coding is chunked as
    // chunked and hands over the content still encoded by the codings
    // before it; the target implements none of them, so: "A server that
    // receives a request message with a transfer coding it does not
    // understand SHOULD respond with 501 (Not Implemented)" (RFC 9112
    // §6.1). The content is left unread, so the connection closes.
    if has_unknown_transfer_coding(&parts.headers) {
        let mut response = response::text(
            StatusCode::NOT_IMPLEMENTED,
            "501 Not Implemented: the only transfer coding understood is chunked\n".to_string(),
        );
        response::close_after(&mut response);
        return response;
    }

    if parts.uri.path() == "/echo" && parts.method != Method::OPTIONS {
        return echo::respond(parts, body).await;
    }

    if let Some(name) = parts.uri.path().strip_prefix("/store/") {
        if parts.method != Method::OPTIONS && is_known_method(&parts.method) {
            let name = name.to_string();
            return store::respond(parts, body, &name).await;
        }
    }

    // Read and drop any content before answering, so that a persistent
    // connection is positioned at the next request (RFC 9112 §9.3). With
    // `Expect: 100-continue` the client may not send the content at all,
    // so instead answer at once and close (RFC 9110 §10.1.1); the same
    // when the content is too large to be worth reading.
    let left_unread = if expects_continue(&parts.headers) && !body.is_end_stream() {
        true
    } else {
        match request_body::discard(body).await {
            Ok(()) => false,
            Err(BodyError::TooLarge) => true,
            Err(BodyError::Malformed) => {
                let mut response = response::bad_request("the request content could not be read");
                response::close_after(&mut response);
                return response;
            }
        }
    };
    let mut response = route(&parts);
    if left_unread {
        response::close_after(&mut response);
    }
    response
}

/// Chooses the response for a request whose content has been dealt with.
fn route(parts: &Parts) -> Response<Body> {
    let method = &parts.method;
    let path = parts.uri.path();

    // asterisk-form is only defined for OPTIONS (RFC 9112 §3.2.4).
    if path == "*" {
        return if method == Method::OPTIONS {
            response::options(STATIC_ALLOW)
        } else {
            response::bad_request("the asterisk-form request-target is only valid for OPTIONS")
        };
    }
    if path == "/echo" {
        // Every other method was sent to echo::respond already.
        return response::options(DYNAMIC_ALLOW);
    }

    // RFC 9110 §9.1: an unrecognised method gets 501, whatever the target.
    if !is_known_method(method) {
        return response::not_implemented(method);
    }

    if path.starts_with("/store/") {
        // Every other known method was sent to store::respond already.
        return response::options(store::ALLOW);
    }

    if let Some(code) = path.strip_prefix("/status/") {
        return if method == Method::OPTIONS {
            response::options(DYNAMIC_ALLOW)
        } else {
            status::respond(code)
        };
    }

    if let Some(file) = static_files::lookup(path) {
        return match *method {
            Method::GET | Method::HEAD => static_response::respond(file, method, &parts.headers),
            Method::OPTIONS => response::options(STATIC_ALLOW),
            // A known method this resource does not support: 405 with
            // Allow (RFC 9110 §15.5.6).
            _ => response::method_not_allowed(method, STATIC_ALLOW),
        };
    }

    if method == Method::OPTIONS {
        return response::options(STATIC_ALLOW);
    }
    response::text(
        StatusCode::NOT_FOUND,
        format!(
            "404 Not Found: {path} is not a resource of the wirecheck target \
             (try /, /hello.txt, /large.txt, /echo or /status/{{code}})\n"
        ),
    )
}

/// Whether `method` is one of the methods defined by RFC 9110 §9 or PATCH
/// (RFC 5789). Methods are case-sensitive (§9.1), so `get` is not GET.
fn is_known_method(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET
            | Method::HEAD
            | Method::POST
            | Method::PUT
            | Method::DELETE
            | Method::CONNECT
            | Method::OPTIONS
            | Method::TRACE
            | Method::PATCH
    )
}

/// Whether the request carries `Expect: 100-continue` (RFC 9110 §10.1.1;
/// the expectation is case-insensitive).
fn expects_continue(headers: &HeaderMap) -> bool {
    headers
        .get_all(EXPECT)
        .iter()
        .any(|value| value.as_bytes().eq_ignore_ascii_case(b"100-continue"))
}

/// Whether Transfer-Encoding lists a coding other than `chunked` (empty
/// list members ignored, RFC 9110 §5.6.1.2).
fn has_unknown_transfer_coding(headers: &HeaderMap) -> bool {
    headers
        .get_all(TRANSFER_ENCODING)
        .iter()
        .flat_map(|value| value.as_bytes().split(|&b| b == b','))
        .map(<[u8]>::trim_ascii)
        .any(|coding| !coding.is_empty() && !coding.eq_ignore_ascii_case(b"chunked"))
}
