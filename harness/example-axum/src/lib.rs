//! A small axum application, standing in for "your server": a home page, a text file, and
//! 404 for everything else (no `/echo`, ranges or validators, so the cases that need those
//! are ignored). `tests/conformance.rs` runs wirecheck's HTTP/1.1 library against
//! it as cargo tests; `expectations.yaml` lists what axum/hyper does differently, with why.

use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::Router;

/// The text wirecheck's cases expect at `/hello.txt` (18 bytes).
pub const HELLO: &str = "Hello, wirecheck!\n";

/// The routes. `get` also answers HEAD (axum strips the body) and answers other methods with
/// 405 and an `Allow` header.
pub fn app() -> Router {
    Router::new()
        .route("/", get(index))
        .route("/index.html", get(index))
        .route("/hello.txt", get(hello))
}

/// The library's cases look for this title in the home page (as every target serves it:
/// the embedded one, and nginx's generated docroot in `ci/nginx.sh`).
async fn index() -> Html<&'static str> {
    Html("<!doctype html>\n<html><head><title>wirecheck target</title></head><body><p>An axum server tested by wirecheck.</p></body></html>\n")
}

async fn hello() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], HELLO)
}
