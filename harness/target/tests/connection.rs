//! Connection management: persistence, pipelining, errors, shutdown.

mod support;

use support::{get, start, Client, READ_TIMEOUT};
use tokio::net::TcpStream;

#[tokio::test]
async fn pipelined_requests_are_answered_in_order() {
    let target = start().await;
    let mut client = Client::connect(&target).await;
    let pipeline = [get("/hello.txt"), get("/"), get("/missing")].concat();
    client.send(pipeline.as_bytes()).await;

    let first = client.read_response(false).await;
    assert_eq!((first.status, first.text()), (200, "Hello, wirecheck!\n"));
    let second = client.read_response(false).await;
    assert_eq!(second.status, 200);
    assert!(second.text().starts_with("<!doctype html>"));
    let third = client.read_response(false).await;
    assert_eq!(third.status, 404);
    client.expect_silence().await;
    target.shutdown().await;
}

#[tokio::test]
async fn connection_close_is_honoured() {
    let target = start().await;
    let mut client = Client::connect(&target).await;
    let response = client
        .exchange("GET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await;
    assert_eq!(response.status, 200);
    client.expect_closed().await;
    target.shutdown().await;
}

#[tokio::test]
async fn http_1_0_without_keep_alive_is_closed() {
    let target = start().await;
    let mut client = Client::connect(&target).await;
    let response = client.exchange("GET /hello.txt HTTP/1.0\r\n\r\n").await;
    assert_eq!(response.status, 200);
    assert_eq!(response.body, b"Hello, wirecheck!\n");
    // hyper answers an HTTP/1.0 request with an HTTP/1.0 status line,
    // where RFC 9110 §6.2 recommends (SHOULD) HTTP/1.1; pinned here so a
    // change in hyper is noticed.
    assert_eq!(response.version, "HTTP/1.0");
    client.expect_closed().await;
    target.shutdown().await;
}

#[tokio::test]
async fn complete_response_is_sent_while_the_next_request_is_partial() {
    let target = start().await;
    let mut client = Client::connect(&target).await;
    let first_and_a_half = get("/hello.txt") + "GET /hello.txt HTTP/1.1\r\nHo";
    client.send(first_and_a_half.as_bytes()).await;
    let first = client.read_response(false).await;
    assert_eq!(first.status, 200);
    client.send(b"st: x\r\n\r\n").await;
    let second = client.read_response(false).await;
    assert_eq!(second.status, 200);
    target.shutdown().await;
}

#[tokio::test]
async fn host_must_be_present_once_and_valid() {
    let target = start().await;
    for request in [
        "GET /hello.txt HTTP/1.1\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost: a b\r\n\r\n",
    ] {
        let mut client = Client::connect(&target).await;
        let response = client.exchange(request).await;
        assert_eq!(response.status, 400, "{request:?}");
        client.expect_closed().await;
    }
    target.shutdown().await;
}

#[tokio::test]
async fn malformed_request_gets_400_and_close() {
    let target = start().await;
    let mut client = Client::connect(&target).await;
    let response = client
        .exchange("GET /hello.txt HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n")
        .await;
    assert_eq!(response.status, 400);
    client.expect_closed().await;

    let mut client = Client::connect(&target).await;
    let response = client.exchange("GET  /hello.txt HTTP/1.1\r\n\r\n").await;
    assert_eq!(response.status, 400);
    client.expect_closed().await;
    target.shutdown().await;
}

#[tokio::test]
async fn shutdown_stops_accepting() {
    let target = start().await;
    let addr = target.local_addr();
    let mut client = Client::connect(&target).await;
    assert_eq!(client.exchange(&get("/hello.txt")).await.status, 200);
    target.shutdown().await;

    let connected = tokio::time::timeout(READ_TIMEOUT, TcpStream::connect(addr))
        .await
        .expect("connect attempt timed out");
    assert!(
        connected.is_err(),
        "listener still accepting after shutdown"
    );
}
