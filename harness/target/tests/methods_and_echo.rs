//! Method handling, OPTIONS, 404, /status/{code} and the /echo reflector.

mod support;

use serde_json::Value;
use support::{get, start, Client};

#[tokio::test]
async fn post_to_a_static_file_is_405_with_allow() {
    let target = start().await;
    let mut client = Client::connect(&target).await;
    let response = client
        .exchange("POST /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
        .await;
    assert_eq!(response.status, 405);
    assert_eq!(response.header("allow"), Some("GET, HEAD, OPTIONS"));
    assert!(!response.body.is_empty());
    // The content was consumed, so the connection is still usable.
    let next = client.exchange(&get("/hello.txt")).await;
    assert_eq!(next.status, 200);
    target.shutdown().await;
}

#[tokio::test]
async fn unknown_methods_are_501() {
    let target = start().await;
    let mut client = Client::connect(&target).await;
    for request in [
        "FOO /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n",
        "get /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n",
        "FOO /nowhere HTTP/1.1\r\nHost: x\r\n\r\n",
    ] {
        let response = client.exchange(request).await;
        assert_eq!(response.status, 501, "{request:?}");
        assert!(!response.body.is_empty());
    }
    target.shutdown().await;
}

#[tokio::test]
async fn unknown_path_is_404_text() {
    let target = start().await;
    let mut client = Client::connect(&target).await;
    let response = client.exchange(&get("/no/such/thing")).await;
    assert_eq!(response.status, 404);
    assert_eq!(
        response.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert!(response.text().contains("/no/such/thing"));
    target.shutdown().await;
}

#[tokio::test]
async fn options_lists_allowed_methods() {
    let target = start().await;
    let mut client = Client::connect(&target).await;
    for (request_target, allow) in [
        ("*", "GET, HEAD, OPTIONS"),
        ("/hello.txt", "GET, HEAD, OPTIONS"),
        ("/anything", "GET, HEAD, OPTIONS"),
        ("/echo", "GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS"),
    ] {
        let response = client
            .exchange(&format!(
                "OPTIONS {request_target} HTTP/1.1\r\nHost: x\r\n\r\n"
            ))
            .await;
        assert_eq!(response.status, 200, "{request_target}");
        assert_eq!(response.header("allow"), Some(allow), "{request_target}");
        assert_eq!(response.header("content-length"), Some("0"));
    }
    target.shutdown().await;
}

#[tokio::test]
async fn status_route_produces_the_requested_status() {
    let target = start().await;
    let mut client = Client::connect(&target).await;

    let teapot = client.exchange(&get("/status/418")).await;
    assert_eq!(teapot.status, 418);
    assert!(teapot.text().starts_with("418"));

    for code in [204, 304] {
        let response = client.exchange(&get(&format!("/status/{code}"))).await;
        assert_eq!(response.status, code);
        assert_eq!(response.header("content-length"), None, "{code}");
        assert_eq!(response.header("transfer-encoding"), None, "{code}");
    }
    client.expect_silence().await;

    for bad in ["/status/101", "/status/abc", "/status/700"] {
        assert_eq!(client.exchange(&get(bad)).await.status, 400, "{bad}");
    }
    target.shutdown().await;
}

/// Parses an /echo response body.
fn json(response: &support::Response) -> Value {
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("application/json"));
    serde_json::from_slice(&response.body).expect("echo JSON")
}

#[tokio::test]
async fn echo_reflects_a_post() {
    let target = start().await;
    let mut client = Client::connect(&target).await;
    let response = client
        .exchange(
            "POST /echo?x=1 HTTP/1.1\r\nHost: 127.0.0.1:1234\r\nX-Dup: a\r\n\
             Content-Length: 5\r\nX-Dup: b\r\n\r\nhello",
        )
        .await;
    let echo = json(&response);
    assert_eq!(echo["method"], "POST");
    assert_eq!(echo["target"], "/echo?x=1");
    assert_eq!(echo["version"], "HTTP/1.1");
    assert_eq!(echo["body"], "hello");
    assert_eq!(echo["body_base64"], "aGVsbG8=");
    assert_eq!(echo["body_len"], 5);
    assert_eq!(
        echo["headers"],
        serde_json::json!([
            ["host", "127.0.0.1:1234"],
            ["x-dup", "a"],
            ["x-dup", "b"],
            ["content-length", "5"],
        ])
    );
    assert_eq!(echo["trailers"], serde_json::json!([]));
    target.shutdown().await;
}

#[tokio::test]
async fn echo_decodes_chunked_content_and_trailers() {
    let target = start().await;
    let mut client = Client::connect(&target).await;
    client
        .send(
            b"PUT /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\
              3\r\nabc\r\n2;ext=1\r\n\xffz\r\n0\r\nX-Trailer: done\r\n\r\n",
        )
        .await;
    let response = client.read_response(false).await;
    let echo = json(&response);
    assert_eq!(echo["method"], "PUT");
    assert_eq!(echo["body_len"], 5);
    assert_eq!(echo["body"], "abc\u{fffd}z");
    assert_eq!(echo["body_base64"], "YWJj/3o=");
    assert_eq!(echo["trailers"], serde_json::json!([["x-trailer", "done"]]));
    target.shutdown().await;
}

#[tokio::test]
async fn echo_reflects_head_and_extension_methods() {
    let target = start().await;
    let mut client = Client::connect(&target).await;
    let got = client.exchange(&get("/echo")).await;
    let head = client
        .exchange("HEAD /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await;
    assert!(head.body.is_empty());
    // Same request apart from the method name, which is as long.
    assert_eq!(
        head.header("content-length")
            .map(|len| len.parse::<usize>().ok()),
        Some(Some(got.body.len() + 1))
    );
    let custom = client
        .exchange("FOO /echo HTTP/1.1\r\nHost: x\r\n\r\n")
        .await;
    assert_eq!(json(&custom)["method"], "FOO");
    target.shutdown().await;
}

#[tokio::test]
async fn echo_refuses_oversized_content_with_413() {
    let target = start().await;
    let mut client = Client::connect(&target).await;
    let response = client
        .exchange("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n")
        .await;
    assert_eq!(response.status, 413);
    assert_eq!(response.header("connection"), Some("close"));
    client.expect_closed().await;
    target.shutdown().await;
}

#[tokio::test]
async fn unknown_transfer_coding_under_chunked_is_501_and_close() {
    let target = start().await;
    for request in [
        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: pigeons, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "POST /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    ] {
        let mut client = Client::connect(&target).await;
        let response = client.exchange(request).await;
        assert_eq!(response.status, 501, "{request:?}");
        assert_eq!(response.header("connection"), Some("close"), "{request:?}");
    }
    // `chunked` alone, in any case and with empty list members, is still served.
    let mut client = Client::connect(&target).await;
    let response = client
        .exchange("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: , Chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n")
        .await;
    assert_eq!(response.status, 200);
    target.shutdown().await;
}
