//! The static resources the target serves, and their validators.
//!
//! The bytes are fixed (tests and the nginx CI docroot compare them), and so
//! are the validators: the `ETag` is derived from the bytes and
//! `Last-Modified` is a constant date, so that a conditional request built
//! from one run's response stays valid against another run.

use std::borrow::Cow;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hyper::header::HeaderValue;

/// Body of `/` and `/index.html`.
const INDEX_HTML: &[u8] = b"<!doctype html>\n<html><head><title>wirecheck target</title></head><body><p>wirecheck embedded target</p></body></html>\n";

/// Body of `/hello.txt` (18 bytes).
const HELLO_TXT: &[u8] = b"Hello, wirecheck!\n";

/// The 16-byte unit that `/large.txt` repeats.
const LARGE_UNIT: &[u8; 16] = b"0123456789abcdef";

/// How often [`LARGE_UNIT`] repeats: 16 × 65536 = 1 MiB.
const LARGE_REPEAT: usize = 65_536;

/// `Last-Modified` of every static resource: `Sat, 01 Nov 2025 00:00:00 GMT`.
///
/// A fixed instant rather than the process start time, so validators are
/// stable across restarts and across the embedded target and nginx setups.
const LAST_MODIFIED_UNIX_SECS: u64 = 1_761_955_200;

/// [`LAST_MODIFIED_UNIX_SECS`] as an IMF-fixdate (RFC 9110 §5.6.7); a unit
/// test keeps the two in step.
const LAST_MODIFIED_HTTP_DATE: &str = "Sat, 01 Nov 2025 00:00:00 GMT";

/// One static representation with its metadata.
#[derive(Debug)]
pub(crate) struct StaticFile {
    /// The file's own URL path (aliases such as `/` are resolved in [`lookup`]).
    pub(crate) path: &'static str,
    /// The `Content-Type` field value.
    pub(crate) content_type: &'static str,
    /// The representation data.
    pub(crate) body: &'static [u8],
    /// The strong entity tag, quotes included (RFC 9110 §8.8.3).
    pub(crate) etag: HeaderValue,
}

/// The `Last-Modified` instant shared by all static resources.
pub(crate) fn last_modified() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(LAST_MODIFIED_UNIX_SECS)
}

/// The `Last-Modified` field value shared by all static resources.
pub(crate) fn last_modified_value() -> HeaderValue {
    HeaderValue::from_static(LAST_MODIFIED_HTTP_DATE)
}

/// The 1 MiB body of `/large.txt`, built on first use and kept for the
/// process lifetime (it is not committed to the repository).
fn large_body() -> &'static [u8] {
    static LARGE: OnceLock<Vec<u8>> = OnceLock::new();
    LARGE.get_or_init(|| LARGE_UNIT.repeat(LARGE_REPEAT))
}

/// The table of static files, built once.
fn table() -> &'static [StaticFile] {
    static TABLE: OnceLock<Vec<StaticFile>> = OnceLock::new();
    TABLE.get_or_init(|| {
        [
            ("/index.html", "text/html; charset=utf-8", INDEX_HTML),
            ("/hello.txt", "text/plain; charset=utf-8", HELLO_TXT),
            ("/large.txt", "text/plain", large_body()),
        ]
        .into_iter()
        .map(|(path, content_type, body)| StaticFile {
            path,
            content_type,
            body,
            etag: strong_etag(body),
        })
        .collect()
    })
}

/// Finds the static file for a request path; `/` is an alias of `/index.html`.
pub(crate) fn lookup(path: &str) -> Option<&'static StaticFile> {
    let path = if path == "/" { "/index.html" } else { path };
    table().iter().find(|file| file.path == path)
}

/// The static files the target serves, as (URL path, bytes).
///
/// The nginx CI setup writes these same files into its docroot so both
/// targets serve identical bytes. Only real file paths are listed: `/` is
/// an alias of `/index.html` and does not appear separately.
pub fn static_files() -> Vec<(&'static str, Cow<'static, [u8]>)> {
    table()
        .iter()
        .map(|file| (file.path, Cow::Borrowed(file.body)))
        .collect()
}

/// A strong entity tag for `bytes`: 16 hex digits of their 64-bit FNV-1a
/// hash, in quotes.
///
/// FNV-1a is not cryptographic, which is fine: an ETag only has to change
/// when the bytes change (RFC 9110 §8.8.3), and these bytes are fixed.
pub(crate) fn strong_etag(bytes: &[u8]) -> HeaderValue {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let hash = bytes.iter().fold(OFFSET_BASIS, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(PRIME)
    });
    HeaderValue::try_from(format!("\"{hash:016x}\""))
        .expect("quotes and hex digits are valid field-value bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_have_the_documented_sizes() {
        assert_eq!(lookup("/hello.txt").map(|f| f.body.len()), Some(18));
        assert_eq!(lookup("/large.txt").map(|f| f.body.len()), Some(1 << 20));
        assert_eq!(
            lookup("/").map(|f| f.path),
            lookup("/index.html").map(|f| f.path)
        );
        assert!(lookup("/nope").is_none());
    }

    #[test]
    fn last_modified_is_the_documented_date() {
        assert_eq!(
            httpdate::fmt_http_date(last_modified()),
            "Sat, 01 Nov 2025 00:00:00 GMT"
        );
        assert_eq!(last_modified_value(), LAST_MODIFIED_HTTP_DATE);
    }

    #[test]
    fn etags_are_strong_and_distinct() {
        let tags: Vec<&[u8]> = static_files()
            .iter()
            .filter_map(|(path, _)| lookup(path).map(|f| f.etag.as_bytes()))
            .collect();
        assert_eq!(tags.len(), 3);
        for tag in &tags {
            assert_eq!(tag.len(), 18);
            assert!(tag.starts_with(b"\"") && tag.ends_with(b"\""));
        }
        assert_ne!(tags[0], tags[1]);
        assert_ne!(tags[1], tags[2]);
    }
}
