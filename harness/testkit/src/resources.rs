//! The static resources, byte for byte the same as the embedded target's.

use std::sync::OnceLock;

/// Body of `/` and `/index.html`.
const INDEX_HTML: &[u8] = b"<!doctype html>\n<html><head><title>wirecheck target</title></head><body><p>wirecheck embedded target</p></body></html>\n";

/// Body of `/hello.txt` (18 bytes).
pub(crate) const HELLO_TXT: &[u8] = b"Hello, wirecheck!\n";

/// `Last-Modified` of every static resource.
pub(crate) const LAST_MODIFIED: &str = "Sat, 01 Nov 2025 00:00:00 GMT";

/// One static representation.
#[derive(Debug)]
pub(crate) struct Resource {
    /// The canonical path.
    pub(crate) path: &'static str,
    /// The `Content-Type` value.
    pub(crate) content_type: &'static str,
    /// The strong entity tag, quotes included.
    pub(crate) etag: &'static str,
    /// The representation data.
    pub(crate) body: &'static [u8],
}

/// The 1 MiB body of `/large.txt`: `0123456789abcdef` × 65536.
fn large_body() -> &'static [u8] {
    static LARGE: OnceLock<Vec<u8>> = OnceLock::new();
    LARGE.get_or_init(|| b"0123456789abcdef".repeat(65_536))
}

/// The resource at `path`, if any (`/` is `/index.html`).
pub(crate) fn lookup(path: &str) -> Option<Resource> {
    let resource = match path {
        "/" | "/index.html" => Resource {
            path: "/index.html",
            content_type: "text/html; charset=utf-8",
            etag: "\"index-v1\"",
            body: INDEX_HTML,
        },
        "/hello.txt" => Resource {
            path: "/hello.txt",
            content_type: "text/plain; charset=utf-8",
            etag: "\"hello-v1\"",
            body: HELLO_TXT,
        },
        "/large.txt" => Resource {
            path: "/large.txt",
            content_type: "text/plain",
            etag: "\"large-v1\"",
            body: large_body(),
        },
        _ => return None,
    };
    Some(resource)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(lookup("/hello.txt").unwrap().body.len(), 18);
        assert_eq!(lookup("/large.txt").unwrap().body.len(), 1 << 20);
        assert_eq!(lookup("/").unwrap().path, "/index.html");
        assert!(lookup("/nope").is_none());
    }

    #[test]
    fn last_modified_is_an_http_date() {
        let parsed = httpdate::parse_http_date(LAST_MODIFIED).unwrap();
        assert_eq!(httpdate::fmt_http_date(parsed), LAST_MODIFIED);
    }
}
