//! GET, HEAD, conditional and range requests on the static resources.

mod support;

use support::{get, start, Client};

const HELLO: &str = "Hello, wirecheck!\n";
const INDEX: &str = "<!doctype html>\n<html><head><title>wirecheck target</title></head><body><p>wirecheck embedded target</p></body></html>\n";
const LAST_MODIFIED: &str = "Sat, 01 Nov 2025 00:00:00 GMT";

#[tokio::test]
async fn get_hello_txt_has_exact_body_and_headers() {
    let target = start().await;
    let mut client = Client::connect(&target).await;
    let response = client.exchange(&get("/hello.txt")).await;

    assert_eq!(response.status, 200);
    assert_eq!(response.text(), HELLO);
    assert_eq!(response.header("content-length"), Some("18"));
    assert_eq!(
        response.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(response.header("accept-ranges"), Some("bytes"));
    assert_eq!(response.header("last-modified"), Some(LAST_MODIFIED));
    let etag = response.header("etag").expect("ETag");
    assert!(
        etag.len() == 18 && etag.starts_with('"') && etag.ends_with('"'),
        "strong ETag with 16 hex digits: {etag}"
    );
    let date = response.header("date").expect("Date");
    assert!(httpdate::parse_http_date(date).is_ok(), "Date {date}");
    target.shutdown().await;
}

#[tokio::test]
async fn root_and_index_serve_the_same_html() {
    let target = start().await;
    let mut client = Client::connect(&target).await;
    for path in ["/", "/index.html"] {
        let response = client.exchange(&get(path)).await;
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(response.text(), INDEX, "{path}");
        assert_eq!(
            response.header("content-type"),
            Some("text/html; charset=utf-8")
        );
    }
    target.shutdown().await;
}

#[tokio::test]
async fn large_txt_is_one_mebibyte_of_the_pattern() {
    let target = start().await;
    let mut client = Client::connect(&target).await;
    let response = client.exchange(&get("/large.txt")).await;
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("text/plain"));
    assert_eq!(response.body.len(), 1 << 20);
    assert!(response
        .body
        .chunks(16)
        .all(|unit| unit == b"0123456789abcdef"));
    target.shutdown().await;
}

#[tokio::test]
async fn static_files_api_matches_what_is_served() {
    let files = wirecheck_target::static_files();
    let paths: Vec<&str> = files.iter().map(|(path, _)| *path).collect();
    assert_eq!(paths, ["/index.html", "/hello.txt", "/large.txt"]);

    let target = start().await;
    let mut client = Client::connect(&target).await;
    for (path, bytes) in &files {
        let response = client.exchange(&get(path)).await;
        assert_eq!(response.body, bytes.as_ref(), "{path}");
    }
    target.shutdown().await;
}

#[tokio::test]
async fn head_has_the_get_headers_and_no_body() {
    let target = start().await;
    let mut client = Client::connect(&target).await;
    let got = client.exchange(&get("/hello.txt")).await;
    let head = client
        .exchange("HEAD /hello.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await;
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    for name in [
        "content-length",
        "content-type",
        "etag",
        "last-modified",
        "accept-ranges",
    ] {
        assert_eq!(head.header(name), got.header(name), "{name}");
    }
    // Had the HEAD response carried content, it would be read as the start
    // of this response and fail to parse.
    client.expect_silence().await;
    let after = client.exchange(&get("/hello.txt")).await;
    assert_eq!(after.text(), HELLO);
    target.shutdown().await;
}

/// Sends a GET for /hello.txt with one extra field line.
async fn get_hello_with(client: &mut Client, field: &str) -> support::Response {
    client
        .exchange(&format!(
            "GET /hello.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n{field}\r\n\r\n"
        ))
        .await
}

#[tokio::test]
async fn byte_ranges_give_206_with_content_range() {
    let target = start().await;
    let mut client = Client::connect(&target).await;

    let first = get_hello_with(&mut client, "Range: bytes=0-4").await;
    assert_eq!(first.status, 206);
    assert_eq!(first.text(), "Hello");
    assert_eq!(first.header("content-range"), Some("bytes 0-4/18"));
    assert_eq!(first.header("content-length"), Some("5"));

    let open = get_hello_with(&mut client, "Range: bytes=7-").await;
    assert_eq!(open.status, 206);
    assert_eq!(open.text(), "wirecheck!\n");
    assert_eq!(open.header("content-range"), Some("bytes 7-17/18"));

    let suffix = get_hello_with(&mut client, "Range: bytes=-6").await;
    assert_eq!(suffix.status, 206);
    assert_eq!(suffix.text(), "heck!\n");
    assert_eq!(suffix.header("content-range"), Some("bytes 12-17/18"));
    target.shutdown().await;
}

#[tokio::test]
async fn unsatisfiable_range_gives_416() {
    let target = start().await;
    let mut client = Client::connect(&target).await;
    let response = get_hello_with(&mut client, "Range: bytes=100-200").await;
    assert_eq!(response.status, 416);
    assert_eq!(response.header("content-range"), Some("bytes */18"));
    target.shutdown().await;
}

#[tokio::test]
async fn ignored_ranges_give_the_full_200() {
    let target = start().await;
    let mut client = Client::connect(&target).await;
    for field in [
        "Range: items=0-4",
        "Range: bytes=0-1,4-5",
        "Range: bytes=5-1",
    ] {
        let response = get_hello_with(&mut client, field).await;
        assert_eq!(response.status, 200, "{field}");
        assert_eq!(response.text(), HELLO, "{field}");
    }
    // HEAD ignores Range (RFC 9110 §14.2).
    let head = client
        .exchange("HEAD /hello.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=0-4\r\n\r\n")
        .await;
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-length"), Some("18"));
    target.shutdown().await;
}

#[tokio::test]
async fn if_range_decides_between_206_and_200() {
    let target = start().await;
    let mut client = Client::connect(&target).await;
    let etag = client
        .exchange(&get("/hello.txt"))
        .await
        .header("etag")
        .map(str::to_owned);
    let etag = etag.expect("ETag");

    let matching = get_hello_with(
        &mut client,
        &format!("Range: bytes=0-4\r\nIf-Range: {etag}"),
    )
    .await;
    assert_eq!(matching.status, 206);
    let by_date = get_hello_with(
        &mut client,
        &format!("Range: bytes=0-4\r\nIf-Range: {LAST_MODIFIED}"),
    )
    .await;
    assert_eq!(by_date.status, 206);
    let stale = get_hello_with(&mut client, "Range: bytes=0-4\r\nIf-Range: \"stale\"").await;
    assert_eq!(stale.status, 200);
    assert_eq!(stale.text(), HELLO);
    target.shutdown().await;
}

#[tokio::test]
async fn if_none_match_gives_304_without_body() {
    let target = start().await;
    let mut client = Client::connect(&target).await;
    let etag = client
        .exchange(&get("/hello.txt"))
        .await
        .header("etag")
        .map(str::to_owned);
    let etag = etag.expect("ETag");

    let response = get_hello_with(&mut client, &format!("If-None-Match: \"x\", W/{etag}")).await;
    assert_eq!(response.status, 304);
    assert!(response.body.is_empty());
    assert_eq!(response.header("etag"), Some(etag.as_str()));
    assert_eq!(response.header("last-modified"), Some(LAST_MODIFIED));
    assert!(response.header("date").is_some());
    assert_eq!(response.header("content-length"), None);
    client.expect_silence().await;

    let other = get_hello_with(&mut client, "If-None-Match: \"other\"").await;
    assert_eq!(other.status, 200);
    target.shutdown().await;
}

#[tokio::test]
async fn if_modified_since_gives_304_and_if_match_412() {
    let target = start().await;
    let mut client = Client::connect(&target).await;

    let not_modified =
        get_hello_with(&mut client, &format!("If-Modified-Since: {LAST_MODIFIED}")).await;
    assert_eq!(not_modified.status, 304);
    let asctime = get_hello_with(&mut client, "If-Modified-Since: Sat Nov  1 00:00:00 2025").await;
    assert_eq!(asctime.status, 304);
    let modified = get_hello_with(
        &mut client,
        "If-Modified-Since: Fri, 31 Oct 2025 00:00:00 GMT",
    )
    .await;
    assert_eq!(modified.status, 200);

    let failed = get_hello_with(&mut client, "If-Match: \"other\"").await;
    assert_eq!(failed.status, 412);
    let unmodified_since = get_hello_with(
        &mut client,
        "If-Unmodified-Since: Fri, 31 Oct 2025 00:00:00 GMT",
    )
    .await;
    assert_eq!(unmodified_since.status, 412);
    target.shutdown().await;
}
