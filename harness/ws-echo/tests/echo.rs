//! The `ws-echo` binary: prints its address, echoes text as text and binary as binary,
//! answers pings, completes the close handshake, and exits on SIGTERM.

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::{SinkExt as _, StreamExt as _};
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;

const BIN: &str = env!("CARGO_BIN_EXE_ws-echo");
const STEP: Duration = Duration::from_secs(10);

/// A running `ws-echo`, killed when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Server {
    let mut child = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("ws-echo runs");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .expect("reads the first line");
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    Server {
        child,
        url: format!("ws://{addr}/any/path"),
    }
}

async fn next(
    ws: &mut (impl futures_util::Stream<Item = tokio_tungstenite::tungstenite::Result<Message>> + Unpin),
) -> Message {
    timeout(STEP, ws.next())
        .await
        .expect("a message in time")
        .expect("not the end")
        .expect("no error")
}

#[tokio::test]
async fn echoes_text_binary_and_pings_then_closes() {
    let server = start();
    // The client's own frame limit is raised too (tungstenite's default is 16 MiB).
    let config = WebSocketConfig::default().max_frame_size(Some(64 << 20));
    let connect =
        tokio_tungstenite::connect_async_with_config(server.url.as_str(), Some(config), true);
    let (mut ws, response) = timeout(STEP, connect)
        .await
        .expect("handshake in time")
        .expect("handshake");
    assert_eq!(response.status(), 101);
    assert!(response.headers().get("sec-websocket-extensions").is_none());

    ws.send(Message::text("Hello, wirecheck! µ")).await.unwrap();
    assert_eq!(next(&mut ws).await, Message::text("Hello, wirecheck! µ"));
    ws.send(Message::binary(vec![0u8, 0xfe, 0xff]))
        .await
        .unwrap();
    assert_eq!(next(&mut ws).await, Message::binary(vec![0u8, 0xfe, 0xff]));
    ws.send(Message::Ping(b"p".to_vec().into())).await.unwrap();
    assert_eq!(next(&mut ws).await, Message::Pong(b"p".to_vec().into()));
    // Larger than tungstenite's default 16 MiB frame limit.
    let big = vec![7u8; 20 << 20];
    ws.send(Message::binary(big.clone())).await.unwrap();
    assert_eq!(next(&mut ws).await, Message::binary(big));

    ws.close(None).await.unwrap();
    assert!(matches!(next(&mut ws).await, Message::Close(_)));
    let end = timeout(STEP, ws.next())
        .await
        .expect("the server drops TCP");
    assert!(end.is_none() || end.is_some_and(|r| r.is_err()));
}

#[cfg(unix)]
#[test]
fn exits_on_sigterm() {
    let mut server = start();
    let status = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let deadline = Instant::now() + STEP;
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            return;
        }
        assert!(Instant::now() < deadline, "ws-echo did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn bad_arguments_are_a_usage_error() {
    let output = Command::new(BIN).arg("--bogus").output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
}
