//! With no switch on, the server is conformant.

mod common;

use std::time::Duration;

use tokio::io::AsyncWriteExt as _;

use common::{crlf_only, get, is_imf_fixdate, start, Client, Ending, QUIET};

const HELLO: &str = "Hello, wirecheck!\n";
const ALLOW: &str = "GET, HEAD, OPTIONS";
const INDEX: &str = "<!doctype html>\n<html><head><title>wirecheck target</title></head><body><p>wirecheck embedded target</p></body></html>\n";

#[tokio::test]
async fn get_serves_the_static_resources_on_one_connection() {
    let server = start(&[]).await;
    let mut client = Client::connect(&server).await;

    let hello = client.exchange(get("/hello.txt")).await;
    assert_eq!((hello.version.as_str(), hello.status), ("HTTP/1.1", 200));
    assert!(hello.raw_head.starts_with(b"HTTP/1.1 200 OK\r\n"));
    assert!(crlf_only(&hello.raw_head));
    assert_eq!(hello.text(), HELLO);
    assert_eq!(hello.header("Content-Length"), Some("18"));
    assert_eq!(
        hello.header("Content-Type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(hello.header("ETag"), Some("\"hello-v1\""));
    assert_eq!(
        hello.header("Last-Modified"),
        Some("Sat, 01 Nov 2025 00:00:00 GMT")
    );
    assert_eq!(hello.header("Server"), Some("wirecheck-broken"));
    assert!(is_imf_fixdate(hello.header("Date").expect("Date")));
    assert_eq!(hello.count("Transfer-Encoding"), 0);
    assert_eq!(hello.header("Connection"), None);

    for path in ["/", "/index.html"] {
        let index = client.exchange(get(path)).await;
        assert_eq!(index.status, 200);
        assert_eq!(
            index.header("Content-Type"),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(index.text(), INDEX);
    }

    let large = client.exchange(get("/large.txt")).await;
    assert_eq!(large.status, 200);
    assert_eq!(large.body.len(), 1 << 20);
    assert_eq!(large.body, b"0123456789abcdef".repeat(65_536));

    // Absolute-form targets are routed by their path.
    let absolute = client
        .exchange("GET http://localhost/hello.txt?x=1 HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await;
    assert_eq!(absolute.text(), HELLO);
    assert_eq!(client.ending(QUIET).await, Ending::Open);
    server.shutdown().await;
}

#[tokio::test]
async fn head_has_the_get_headers_and_no_body() {
    let server = start(&[]).await;
    let mut client = Client::connect(&server).await;
    let head = client
        .exchange("HEAD /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await;
    assert_eq!(head.status, 200);
    assert_eq!(head.header("Content-Length"), Some("18"));
    assert_eq!(head.header("ETag"), Some("\"hello-v1\""));
    assert_eq!(client.ending(QUIET).await, Ending::Open);
    assert!(client.buf.is_empty(), "HEAD response carried content");
    // The connection is still positioned at a response boundary.
    assert_eq!(client.exchange(get("/hello.txt")).await.text(), HELLO);
}

#[tokio::test]
async fn status_codes_for_paths_and_methods() {
    let server = start(&[]).await;
    let mut client = Client::connect(&server).await;
    let missing = client.exchange(get("/nope")).await;
    assert_eq!(missing.status, 404);
    assert!(!missing.body.is_empty());

    for method in ["POST", "PUT", "DELETE", "PATCH", "TRACE"] {
        let request =
            format!("{method} /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        let response = client.exchange(request).await;
        assert_eq!(response.status, 405, "{method}");
        assert_eq!(response.header("Allow"), Some(ALLOW), "{method}");
    }
    for target in ["/hello.txt", "*"] {
        let request = format!("OPTIONS {target} HTTP/1.1\r\nHost: x\r\n\r\n");
        let options = client.exchange(request).await;
        assert_eq!(options.status, 200, "{target}");
        assert_eq!(options.header("Allow"), Some(ALLOW), "{target}");
        assert_eq!(options.header("Content-Length"), Some("0"));
    }
    // Methods are case-sensitive: `get` is an unrecognised method (501).
    for method in ["BREW", "get"] {
        let request = format!("{method} /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
        assert_eq!(client.exchange(request).await.status, 501, "{method}");
    }
    assert_eq!(client.ending(QUIET).await, Ending::Open);
    // ... and /echo reflects any method, case kept.
    let echo = client
        .exchange("get /echo HTTP/1.1\r\nHost: x\r\n\r\n")
        .await;
    assert_eq!(echo.json()["method"], "get");
}

#[tokio::test]
async fn pipelined_requests_are_answered_in_order() {
    let server = start(&[]).await;
    let mut client = Client::connect(&server).await;
    client
        .send(format!("{}{}{}", get("/hello.txt"), get("/nope"), get("/")))
        .await;
    assert_eq!(client.response().await.text(), HELLO);
    assert_eq!(client.response().await.status, 404);
    assert_eq!(client.response().await.text(), INDEX);
    assert_eq!(client.ending(QUIET).await, Ending::Open);
}

#[tokio::test]
async fn connection_close_is_honoured_with_a_fin() {
    let server = start(&[]).await;
    let mut client = Client::connect(&server).await;
    let response = client
        .exchange("GET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await;
    assert_eq!(response.text(), HELLO);
    assert_eq!(response.header("Connection"), Some("close"));
    assert_eq!(client.closed().await, Ending::Fin);
    assert!(client.buf.is_empty());
}

#[tokio::test]
async fn http10_closes_unless_keep_alive() {
    let server = start(&[]).await;
    let mut client = Client::connect(&server).await;
    let kept = client
        .exchange("GET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        .await;
    assert_eq!(kept.version, "HTTP/1.1");
    assert_eq!(kept.header("Connection"), Some("keep-alive"));
    let closing = client.exchange("GET /hello.txt HTTP/1.0\r\n\r\n").await;
    assert_eq!(closing.header("Connection"), Some("close"));
    assert_eq!(client.closed().await, Ending::Fin);
}

/// Sends `request` on a fresh connection; expects `status` and a close.
async fn rejected(request: &[u8], status: u16) {
    let server = start(&[]).await;
    let mut client = Client::connect(&server).await;
    let response = client.exchange(request).await;
    let shown = String::from_utf8_lossy(request);
    assert_eq!(response.status, status, "{shown:?}");
    assert_eq!(response.header("Connection"), Some("close"), "{shown:?}");
    assert_eq!(client.closed().await, Ending::Fin, "{shown:?}");
}

#[tokio::test]
async fn host_requirements() {
    rejected(b"GET / HTTP/1.1\r\n\r\n", 400).await;
    rejected(b"GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400).await;
    for host in ["a b", "a/b", "a@b", "a,b"] {
        rejected(
            format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes(),
            400,
        )
        .await;
    }
}

#[tokio::test]
async fn malformed_field_lines_are_rejected() {
    rejected(b"GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400).await;
    rejected(
        b"GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  folded\r\n\r\n",
        400,
    )
    .await;
    rejected(b"GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\n\r\n", 400).await;
    rejected(b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n", 400).await;
    rejected(b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n", 400).await;
}

#[tokio::test]
async fn request_line_errors() {
    rejected(b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505).await;
    rejected(b"GET / HTTP/1\r\nHost: x\r\n\r\n", 400).await;
    let long = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(9000));
    rejected(long.as_bytes(), 414).await;
    let big = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(17_000)
    );
    rejected(big.as_bytes(), 431).await;
}

#[tokio::test]
async fn framing_errors_are_rejected_and_close() {
    let smuggle = b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n";
    rejected(smuggle, 400).await;
    rejected(
        b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabc",
        400,
    )
    .await;
    rejected(
        b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\nabc",
        400,
    )
    .await;
    rejected(
        b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
        501,
    )
    .await;
    rejected(
        b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        400,
    )
    .await;
    rejected(
        b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX",
        400,
    )
    .await;
    rejected(
        b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n",
        413,
    )
    .await;
    let overflow =
        b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 18446744073709551621\r\n\r\n";
    rejected(overflow, 400).await;
}

#[tokio::test]
async fn chunked_post_is_decoded_and_echoed() {
    let server = start(&[]).await;
    let mut client = Client::connect(&server).await;
    let request = "POST /echo?q=1 HTTP/1.1\r\nHost: x\r\nX-Mixed-Case: a \"b\"\r\nTransfer-Encoding: chunked\r\n\r\n\
                   5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n";
    let response = client.exchange(request).await;
    assert_eq!(response.status, 200);
    assert_eq!(response.header("Content-Type"), Some("application/json"));
    let echo = response.json();
    assert_eq!(echo["method"], "POST");
    assert_eq!(echo["target"], "/echo?q=1");
    assert_eq!(echo["version"], "HTTP/1.1");
    assert_eq!(echo["body"], "hello, world");
    assert_eq!(echo["body_len"], 12);
    assert_eq!(
        echo["headers"][1],
        serde_json::json!(["X-Mixed-Case", "a \"b\""])
    );
    assert_eq!(echo["trailers"][0], serde_json::json!(["X-Trailer", "t"]));
    // The body was consumed exactly: the connection carries on.
    assert_eq!(client.exchange(get("/hello.txt")).await.text(), HELLO);
}

#[tokio::test]
async fn expect_100_continue_is_answered_before_the_body() {
    let server = start(&[]).await;
    let mut client = Client::connect(&server).await;
    client
        .send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
        .await;
    let interim = client.response().await;
    assert_eq!(interim.status, 100);
    assert!(interim.raw_head.starts_with(b"HTTP/1.1 100 Continue\r\n"));
    client.send("hello").await;
    let response = client.final_response().await;
    assert_eq!(response.json()["body"], "hello");
}

#[tokio::test]
async fn conditional_requests_get_304() {
    let server = start(&[]).await;
    let mut client = Client::connect(&server).await;
    for condition in [
        "\"hello-v1\"",
        "W/\"hello-v1\"",
        "*",
        "\"other\", \"hello-v1\"",
    ] {
        let request =
            format!("GET /hello.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: {condition}\r\n\r\n");
        let response = client.exchange(request).await;
        assert_eq!(response.status, 304, "{condition}");
        assert_eq!(response.header("ETag"), Some("\"hello-v1\""));
        assert!(is_imf_fixdate(response.header("Date").expect("Date")));
        assert_eq!(response.header("Content-Length"), None);
    }
    assert_eq!(client.ending(QUIET).await, Ending::Open);
    assert!(client.buf.is_empty(), "304 carried content");
    let changed = "GET /hello.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"other\"\r\n\r\n";
    assert_eq!(client.exchange(changed).await.status, 200);
}

#[tokio::test]
async fn byte_ranges() {
    let server = start(&[]).await;
    let mut client = Client::connect(&server).await;
    let range = |spec: &str| format!("GET /hello.txt HTTP/1.1\r\nHost: x\r\nRange: {spec}\r\n\r\n");
    for (spec, body, content_range) in [
        ("bytes=0-4", "Hello", "bytes 0-4/18"),
        ("bytes=7-", "wirecheck!\n", "bytes 7-17/18"),
        ("bytes=-6", "heck!\n", "bytes 12-17/18"),
    ] {
        let response = client.exchange(range(spec)).await;
        assert_eq!(response.status, 206, "{spec}");
        assert_eq!(response.text(), body);
        assert_eq!(response.header("Content-Range"), Some(content_range));
    }
    let unsatisfiable = client.exchange(range("bytes=100-")).await;
    assert_eq!(unsatisfiable.status, 416);
    assert_eq!(unsatisfiable.header("Content-Range"), Some("bytes */18"));
    assert_eq!(client.exchange(range("lines=0-1")).await.status, 200);
    let large = "GET /large.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=16-31\r\n\r\n";
    assert_eq!(client.exchange(large).await.text(), "0123456789abcdef");
}

#[tokio::test]
async fn incomplete_request_then_half_close_just_closes() {
    let server = start(&[]).await;
    let mut client = Client::connect(&server).await;
    client.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n").await;
    client.stream.shutdown().await.unwrap();
    assert_eq!(client.closed().await, Ending::Fin);
    assert!(
        client.buf.is_empty(),
        "no response to an incomplete request"
    );
}

#[tokio::test]
async fn idle_keep_alive_connections_close_after_five_seconds() {
    let server = start(&[]).await;
    let mut client = Client::connect(&server).await;
    assert_eq!(client.exchange(get("/hello.txt")).await.text(), HELLO);
    let started = tokio::time::Instant::now();
    assert_eq!(client.ending(Duration::from_secs(8)).await, Ending::Fin);
    let idle = started.elapsed();
    assert!(idle >= Duration::from_millis(4500), "{idle:?}");
}
