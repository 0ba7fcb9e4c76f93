//! One test per switch: the default server gets the targeted behaviour
//! right, the switched one gets it wrong, and the rest stays correct.

mod common;

use common::{crlf_only, get, is_imf_fixdate, start, Client, Ending, QUIET};
use wirecheck_testkit::Switch;

const HELLO: &str = "Hello, wirecheck!\n";

/// A client on a fresh server with `switches` (the server lives as long as
/// the runtime).
async fn client(switches: &[Switch]) -> Client {
    let server = start(switches).await;
    let client = Client::connect(&server).await;
    // Forgotten rather than dropped: dropping would end the connection.
    // The runtime ends the server when the test ends.
    std::mem::forget(server);
    client
}

#[test]
fn every_switch_has_a_kebab_case_name_and_a_requirement() {
    assert!(Switch::ALL.len() >= 19);
    for &switch in Switch::ALL {
        let name = switch.name();
        assert!(name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
        assert_eq!(Switch::parse(name), Some(switch));
        let rfc = if name.starts_with("ws-") {
            "RFC 6455 §"
        } else {
            "RFC 911"
        };
        assert!(switch.requirement().starts_with(rfc), "{name}");
    }
}

#[tokio::test]
async fn no_date() {
    for (switches, has_date) in [(&[][..], true), (&[Switch::NoDate][..], false)] {
        let response = client(switches).await.exchange(get("/hello.txt")).await;
        assert_eq!(response.header("Date").is_some(), has_date);
        assert_eq!((response.status, response.text()), (200, HELLO.to_owned()));
        assert_eq!(response.header("Server"), Some("wirecheck-broken"));
    }
}

#[tokio::test]
async fn bad_date_format() {
    let good = client(&[]).await.exchange(get("/hello.txt")).await;
    assert!(is_imf_fixdate(good.header("Date").unwrap()));
    let bad = client(&[Switch::BadDateFormat])
        .await
        .exchange(get("/hello.txt"))
        .await;
    let date = bad.header("Date").expect("Date is still sent");
    assert!(!is_imf_fixdate(date), "{date}");
    // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT".
    let (day, rest) = date.split_once(", ").unwrap();
    assert!(
        day.ends_with("day") && rest.len() == 22 && rest.ends_with(" GMT"),
        "{date}"
    );
    assert!(httpdate::parse_http_date(date).is_ok());
    assert_eq!(bad.text(), HELLO);
}

#[tokio::test]
async fn body_on_head() {
    for (switches, extra) in [(&[][..], 0), (&[Switch::BodyOnHead][..], 18)] {
        let mut client = client(switches).await;
        let head = client
            .exchange("HEAD /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n")
            .await;
        assert_eq!(head.header("Content-Length"), Some("18"));
        assert_eq!(client.ending(QUIET).await, Ending::Open);
        assert_eq!(client.buf.len(), extra);
    }
}

#[tokio::test]
async fn body_on_304() {
    let request = "GET /hello.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"hello-v1\"\r\n\r\n";
    for (switches, length) in [(&[][..], None), (&[Switch::BodyOn304][..], Some("18"))] {
        let mut client = client(switches).await;
        let response = client.exchange(request).await;
        assert_eq!(response.status, 304);
        assert_eq!(response.header("ETag"), Some("\"hello-v1\""));
        assert_eq!(response.header("Content-Length"), length);
        assert_eq!(client.ending(QUIET).await, Ending::Open);
        assert_eq!(client.buf.len(), if length.is_some() { 18 } else { 0 });
    }
}

#[tokio::test]
async fn short_content_length() {
    for (switches, declared, spill) in [
        (&[][..], "18", &b""[..]),
        (&[Switch::ShortContentLength][..], "17", &b"\n"[..]),
    ] {
        let mut client = client(switches).await;
        let response = client.exchange(get("/hello.txt")).await;
        assert_eq!(response.header("Content-Length"), Some(declared));
        assert_eq!(client.ending(QUIET).await, Ending::Open);
        assert_eq!(client.buf, spill, "bytes after the declared content");
        client.buf.clear();
        // Other resources keep a correct length.
        let large = client.exchange(get("/large.txt")).await;
        assert_eq!(large.body.len(), 1 << 20);
        assert_eq!(client.ending(QUIET).await, Ending::Open);
        assert!(client.buf.is_empty());
    }
}

#[tokio::test]
async fn cl_and_te() {
    let good = client(&[]).await.exchange(get("/hello.txt")).await;
    assert_eq!(good.header("Transfer-Encoding"), None);
    let mut client = client(&[Switch::ClAndTe]).await;
    client.send(get("/hello.txt")).await;
    assert_eq!(client.ending(QUIET).await, Ending::Open);
    let text = String::from_utf8(client.buf.clone()).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    assert!(head.contains("\r\nContent-Length: 18\r\n"), "{head}");
    assert!(head.ends_with("\r\nTransfer-Encoding: chunked"), "{head}");
    assert_eq!(body, "12\r\nHello, wirecheck!\n\r\n0\r\n\r\n");
}

#[tokio::test]
async fn ignore_connection_close() {
    let request = "GET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    let mut good = client(&[]).await;
    assert_eq!(
        good.exchange(request).await.header("Connection"),
        Some("close")
    );
    assert_eq!(good.closed().await, Ending::Fin);

    let mut bad = client(&[Switch::IgnoreConnectionClose]).await;
    let response = bad.exchange(request).await;
    assert_eq!(response.header("Connection"), Some("close"));
    assert_eq!(bad.ending(QUIET).await, Ending::Open);
    assert_eq!(bad.exchange(get("/hello.txt")).await.text(), HELLO);
}

/// A request the default server rejects and `switch` serves.
async fn accepted_only_with(switch: Switch, request: &str) -> Client {
    let mut good = client(&[]).await;
    let response = good.exchange(request).await;
    assert_eq!(response.status, 400, "{switch:?}");
    assert_eq!(good.closed().await, Ending::Fin);
    let mut bad = client(&[switch]).await;
    let response = bad.exchange(request).await;
    assert_eq!(response.status, 200, "{switch:?}");
    assert_eq!(response.header("Connection"), None);
    bad
}

#[tokio::test]
async fn accept_missing_host() {
    let mut bad =
        accepted_only_with(Switch::AcceptMissingHost, "GET /hello.txt HTTP/1.1\r\n\r\n").await;
    assert_eq!(bad.ending(QUIET).await, Ending::Open);
    // Only the missing-Host rule is off: duplicates are still refused.
    let duplicate = "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n";
    assert_eq!(bad.exchange(duplicate).await.status, 400);
}

#[tokio::test]
async fn accept_duplicate_host() {
    let request = "GET /hello.txt HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n";
    let mut bad = accepted_only_with(Switch::AcceptDuplicateHost, request).await;
    assert_eq!(bad.exchange("GET / HTTP/1.1\r\n\r\n").await.status, 400);
}

#[tokio::test]
async fn accept_space_before_colon() {
    let request = "GET /hello.txt HTTP/1.1\r\nHost : x\r\n\r\n";
    let mut bad = accepted_only_with(Switch::AcceptSpaceBeforeColon, request).await;
    let folded = "GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n folded\r\n\r\n";
    assert_eq!(bad.exchange(folded).await.status, 400);
}

#[tokio::test]
async fn accept_conflicting_content_length() {
    let request =
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabc";
    let mut bad = client(&[Switch::AcceptConflictingContentLength]).await;
    let response = bad.exchange(request).await;
    assert_eq!(response.json()["body"], "abc");
    assert_eq!(bad.ending(QUIET).await, Ending::Open);
    let mut good = client(&[]).await;
    assert_eq!(good.exchange(request).await.status, 400);
    assert_eq!(good.closed().await, Ending::Fin);
}

#[tokio::test]
async fn accept_cl_with_te() {
    let request = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 15\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
    let mut good = client(&[]).await;
    assert_eq!(good.exchange(request).await.status, 400);
    assert_eq!(good.closed().await, Ending::Fin);
    let mut bad = client(&[Switch::AcceptClWithTe]).await;
    let echo = bad.exchange(request).await.json();
    assert_eq!(
        echo["body"], "5\r\nhello\r\n0\r\n\r\n",
        "framed by Content-Length"
    );
    assert_eq!(echo["body_len"], 15);
    assert_eq!(bad.ending(QUIET).await, Ending::Open);
}

#[tokio::test]
async fn no_allow_on_405() {
    let request = "POST /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";
    for (switches, allow) in [
        (&[][..], Some("GET, HEAD, OPTIONS")),
        (&[Switch::NoAllowOn405][..], None),
    ] {
        let response = client(switches).await.exchange(request).await;
        assert_eq!(response.status, 405);
        assert_eq!(response.header("Allow"), allow);
    }
}

#[tokio::test]
async fn no_100_continue() {
    let head =
        "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n";
    for (switches, interim) in [(&[][..], true), (&[Switch::No100Continue][..], false)] {
        let mut client = client(switches).await;
        client.send(head).await;
        assert_eq!(client.ending(QUIET).await, Ending::Open);
        assert_eq!(
            client.buf.starts_with(b"HTTP/1.1 100 Continue\r\n\r\n"),
            interim
        );
        assert_eq!(client.buf.is_empty(), !interim);
        client.send("hello").await;
        assert_eq!(client.final_response().await.json()["body"], "hello");
    }
}

#[tokio::test]
async fn lf_line_endings() {
    let good = client(&[]).await.exchange(get("/hello.txt")).await;
    assert!(crlf_only(&good.raw_head));
    let bad = client(&[Switch::LfLineEndings])
        .await
        .exchange(get("/hello.txt"))
        .await;
    assert!(!bad.raw_head.contains(&b'\r'));
    assert!(bad.raw_head.starts_with(b"HTTP/1.1 200 OK\n") && bad.raw_head.ends_with(b"\n\n"));
    assert_eq!(bad.text(), HELLO);
}

#[tokio::test]
async fn pipeline_drop() {
    let three = format!("{}{}{}", get("/hello.txt"), get("/"), get("/nope"));
    for (switches, answered) in [(&[][..], 3), (&[Switch::PipelineDrop][..], 1)] {
        let mut client = client(switches).await;
        client.send(&three).await;
        for _ in 0..answered {
            client.response().await;
        }
        assert_eq!(client.ending(QUIET).await, Ending::Open);
        assert!(client.buf.is_empty(), "more responses than expected");
        // A request in a later read is still answered.
        assert_eq!(client.exchange(get("/hello.txt")).await.text(), HELLO);
    }
}

#[tokio::test]
async fn wrong_version() {
    for (switches, version) in [
        (&[][..], "HTTP/1.1"),
        (&[Switch::WrongVersion][..], "HTTP/1.0"),
    ] {
        let response = client(switches).await.exchange(get("/hello.txt")).await;
        assert_eq!(response.version, version);
        assert_eq!((response.status, response.text()), (200, HELLO.to_owned()));
    }
}

#[tokio::test]
async fn ignore_range() {
    let request = "GET /hello.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=0-4\r\n\r\n";
    let good = client(&[]).await.exchange(request).await;
    assert_eq!((good.status, good.text()), (206, "Hello".to_owned()));
    let bad = client(&[Switch::IgnoreRange]).await.exchange(request).await;
    assert_eq!((bad.status, bad.text()), (200, HELLO.to_owned()));
    assert_eq!(bad.header("Content-Range"), None);
}

#[tokio::test]
async fn reset_on_close() {
    let request = "GET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    let mut good = client(&[]).await;
    good.send(request).await;
    assert_eq!(good.closed().await, Ending::Fin);
    assert!(good.buf.ends_with(HELLO.as_bytes()));
    let mut bad = client(&[Switch::ResetOnClose]).await;
    bad.send(request).await;
    assert_eq!(bad.closed().await, Ending::Reset);
    // Keep-alive requests are unaffected.
    let mut kept = client(&[Switch::ResetOnClose]).await;
    assert_eq!(kept.exchange(get("/hello.txt")).await.text(), HELLO);
    assert_eq!(kept.ending(QUIET).await, Ending::Open);
}

#[tokio::test]
async fn reset_on_close_after_http10_and_errors() {
    for request in [
        "GET /hello.txt HTTP/1.0\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
    ] {
        let mut good = client(&[]).await;
        good.send(request).await;
        assert_eq!(good.closed().await, Ending::Fin, "{request:?}");
        let mut bad = client(&[Switch::ResetOnClose]).await;
        bad.send(request).await;
        assert_eq!(bad.closed().await, Ending::Reset, "{request:?}");
    }
}

#[tokio::test]
async fn drop_on_half_close() {
    use tokio::io::AsyncWriteExt;
    for (switches, answered) in [(&[][..], true), (&[Switch::DropOnHalfClose][..], false)] {
        let mut client = client(switches).await;
        client.send(get("/hello.txt")).await;
        client.stream.shutdown().await.expect("half-close");
        assert_eq!(client.closed().await, Ending::Fin);
        assert_eq!(client.buf.ends_with(HELLO.as_bytes()), answered);
        assert_eq!(client.buf.is_empty(), !answered);
    }
    // Without the half-close the switched server answers as usual.
    let mut kept = client(&[Switch::DropOnHalfClose]).await;
    assert_eq!(kept.exchange(get("/hello.txt")).await.text(), HELLO);
    assert_eq!(kept.exchange(get("/hello.txt")).await.text(), HELLO);
}

/// The `X-A` value `/echo` reflects for `request` with `switch` on; the
/// default server answers the request with 400.
async fn echoed_x_a(switch: Switch, request: &str) -> String {
    let mut good = client(&[]).await;
    assert_eq!(good.exchange(request).await.status, 400, "{switch:?}");
    let response = client(&[switch]).await.exchange(request).await;
    assert_eq!(response.status, 200, "{switch:?}");
    let headers = response.json()["headers"].clone();
    let pair = headers
        .as_array()
        .unwrap()
        .iter()
        .find(|pair| pair[0] == "X-A")
        .cloned()
        .expect("X-A echoed");
    pair[1].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn accept_obs_fold() {
    let request = "GET /echo HTTP/1.1\r\nHost: x\r\nX-A: one\r\n  two\r\n\r\n";
    assert_eq!(
        echoed_x_a(Switch::AcceptObsFold, request).await,
        "one\r\n  two"
    );
}

#[tokio::test]
async fn accept_bare_cr() {
    let request = "GET /echo HTTP/1.1\r\nHost: x\r\nX-A: one\rtwo\r\n\r\n";
    assert_eq!(echoed_x_a(Switch::AcceptBareCr, request).await, "one\rtwo");
    // NUL is still refused.
    let mut bad = client(&[Switch::AcceptBareCr]).await;
    let nul = "GET /echo HTTP/1.1\r\nHost: x\r\nX-A: one\0two\r\n\r\n";
    assert_eq!(bad.exchange(nul).await.status, 400);
}

#[tokio::test]
async fn accept_nul_in_value() {
    let request = "GET /echo HTTP/1.1\r\nHost: x\r\nX-A: one\0two\r\n\r\n";
    assert_eq!(
        echoed_x_a(Switch::AcceptNulInValue, request).await,
        "one\0two"
    );
}

#[tokio::test]
async fn case_insensitive_method() {
    let request = "get /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n";
    for (switches, status) in [(&[][..], 501), (&[Switch::CaseInsensitiveMethod][..], 200)] {
        let response = client(switches).await.exchange(request).await;
        assert_eq!(response.status, status);
    }
}

#[tokio::test]
async fn lenient_content_length() {
    for (value, body) in [
        ("+5", "hello"),
        ("0x5", "hello"),
        ("5_0", "hello"),
        ("abc", ""),
    ] {
        let request =
            format!("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: {value}\r\n\r\nhello");
        let mut good = client(&[]).await;
        assert_eq!(good.exchange(&request).await.status, 400, "{value}");
        assert_eq!(good.closed().await, Ending::Fin);
        let mut bad = client(&[Switch::LenientContentLength]).await;
        let response = bad.exchange(&request).await;
        assert_eq!(response.status, 200, "{value}");
        assert_eq!(response.json()["body"], body, "{value}");
    }
}

#[tokio::test]
async fn keep_open_after_framing_error() {
    let request =
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!";
    let mut good = client(&[]).await;
    let response = good.exchange(request).await;
    assert_eq!(response.header("Connection"), Some("close"));
    assert_eq!(good.closed().await, Ending::Fin);
    let mut bad = client(&[Switch::KeepOpenAfterFramingError]).await;
    let response = bad.exchange(request).await;
    assert_eq!(
        (response.status, response.header("Connection")),
        (400, None)
    );
    assert_eq!(bad.ending(QUIET).await, Ending::Open);
    assert_eq!(bad.exchange(get("/hello.txt")).await.text(), HELLO);
    // Other rejections still end the connection.
    assert_eq!(bad.exchange("GET / HTTP/1.1\r\n\r\n").await.status, 400);
    assert_eq!(bad.closed().await, Ending::Fin);
}

#[tokio::test]
async fn continue_to_http10() {
    let head = "POST /echo HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n";
    for (switches, interim) in [(&[][..], false), (&[Switch::ContinueToHttp10][..], true)] {
        let mut client = client(switches).await;
        client.send(head).await;
        assert_eq!(client.ending(QUIET).await, Ending::Open);
        assert_eq!(
            client.buf.starts_with(b"HTTP/1.1 100 Continue\r\n"),
            interim
        );
        client.send("hello").await;
        assert_eq!(client.final_response().await.json()["body"], "hello");
    }
}

#[tokio::test]
async fn content_length_on_1xx() {
    let head =
        "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n";
    for (switches, interim) in [
        (&[][..], &b"HTTP/1.1 100 Continue\r\n\r\n"[..]),
        (
            &[Switch::ContentLengthOn1xx][..],
            &b"HTTP/1.1 100 Continue\r\nContent-Length: 0\r\n\r\n"[..],
        ),
    ] {
        let mut client = client(switches).await;
        client.send(head).await;
        assert_eq!(client.ending(QUIET).await, Ending::Open);
        assert_eq!(client.buf, interim);
        client.buf.clear();
        client.send("hello").await;
        assert_eq!(client.response().await.json()["body"], "hello");
    }
}

#[tokio::test]
async fn wrong_content_range() {
    let request = "GET /hello.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=0-4\r\n\r\n";
    for (switches, range) in [
        (&[][..], "bytes 0-4/18"),
        (&[Switch::WrongContentRange][..], "bytes 0-5/18"),
    ] {
        let response = client(switches).await.exchange(request).await;
        assert_eq!(
            (response.status, response.text()),
            (206, "Hello".to_owned())
        );
        assert_eq!(response.header("Content-Range"), Some(range));
    }
}

#[tokio::test]
async fn range_any_unit() {
    let request = "GET /hello.txt HTTP/1.1\r\nHost: x\r\nRange: items=0-1\r\n\r\n";
    for (switches, status, body) in [
        (&[][..], 200, HELLO),
        (&[Switch::RangeAnyUnit][..], 206, "He"),
    ] {
        let response = client(switches).await.exchange(request).await;
        assert_eq!(
            (response.status, response.text()),
            (status, body.to_owned())
        );
    }
}

#[tokio::test]
async fn ignore_if_none_match_star() {
    let star = "GET /hello.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: *\r\n\r\n";
    let tag = "GET /hello.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"hello-v1\"\r\n\r\n";
    for (switches, status) in [(&[][..], 304), (&[Switch::IgnoreIfNoneMatchStar][..], 200)] {
        let mut client = client(switches).await;
        assert_eq!(client.exchange(star).await.status, status);
        assert_eq!(client.exchange(tag).await.status, 304);
    }
}

#[tokio::test]
async fn no_date_on_error() {
    let mut client = client(&[Switch::NoDateOnError]).await;
    let found = client.exchange(get("/hello.txt")).await;
    assert!(found.header("Date").is_some());
    let missing = client.exchange(get("/nope")).await;
    assert_eq!((missing.status, missing.header("Date")), (404, None));
}

#[tokio::test]
async fn get_body_as_next_request() {
    let request = "GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
    let mut good = client(&[]).await;
    assert_eq!(good.exchange(request).await.text(), HELLO);
    assert_eq!(good.exchange(get("/hello.txt")).await.text(), HELLO);
    let mut bad = client(&[Switch::GetBodyAsNextRequest]).await;
    assert_eq!(bad.exchange(request).await.text(), HELLO);
    // `hello` is taken as the start of the next request-line.
    assert_eq!(bad.exchange(get("/hello.txt")).await.status, 501);
}

#[tokio::test]
async fn close_only_exact() {
    let request = "GET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: , close\r\n\r\n";
    let mut good = client(&[]).await;
    assert_eq!(
        good.exchange(request).await.header("Connection"),
        Some("close")
    );
    assert_eq!(good.closed().await, Ending::Fin);
    let mut bad = client(&[Switch::CloseOnlyExact]).await;
    assert_eq!(bad.exchange(request).await.header("Connection"), None);
    assert_eq!(bad.ending(QUIET).await, Ending::Open);
    let exact = "GET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    assert_eq!(
        bad.exchange(exact).await.header("Connection"),
        Some("close")
    );
    assert_eq!(bad.closed().await, Ending::Fin);
}

#[tokio::test]
async fn ignore_if_match() {
    let request = "GET /hello.txt HTTP/1.1\r\nHost: x\r\nIf-Match: \"nope\"\r\n\r\n";
    for (switches, status) in [(&[][..], 412), (&[Switch::IgnoreIfMatch][..], 200)] {
        let response = client(switches).await.exchange(request).await;
        assert_eq!(response.status, status);
    }
}

#[tokio::test]
async fn preconditions_on_404() {
    let request = "GET /nope HTTP/1.1\r\nHost: x\r\nIf-None-Match: *\r\n\r\n";
    for (switches, status) in [(&[][..], 404), (&[Switch::PreconditionsOn404][..], 304)] {
        let mut client = client(switches).await;
        client.send(request).await;
        let response = client.response_to(status == 304).await;
        assert_eq!(response.status, status);
        assert_eq!(client.ending(QUIET).await, Ending::Open);
        assert!(client.buf.is_empty());
    }
}
