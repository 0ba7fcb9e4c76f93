//! `ws-echo`: a WebSocket echo server on tokio-tungstenite, one of the real servers CI runs
//! the WebSocket cases against (like Autobahn's echo servers).
//!
//! ```text
//! ws-echo --listen 127.0.0.1:0
//! ```
//!
//! Every text message is echoed as text and every binary message as binary, on any path.
//! Pings are answered by tungstenite itself, and so is a Close; the server then drops the
//! TCP connection first (RFC 6455 §7.1.1). tungstenite has no permessage-deflate, so none is
//! negotiated. Messages and frames up to [`MAX_SIZE`] are accepted (Autobahn 9.x sends
//! 16 MiB messages).

use std::io::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;

use futures_util::{SinkExt as _, StreamExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;

/// Largest message and largest frame accepted.
const MAX_SIZE: usize = 64 * 1024 * 1024;

/// The usage text.
const USAGE: &str = "usage: ws-echo [--listen ADDR]

Serves a WebSocket echo on ADDR (default 127.0.0.1:0), any path; prints
`listening on ADDR` on stdout once bound and serves until SIGTERM or ctrl-c.";

/// Parses the arguments after the program name: the address to bind, or `None` for help.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<SocketAddr>, String> {
    let mut addr = SocketAddr::from(([127, 0, 0, 1], 0));
    while let Some(arg) = args.next() {
        let text = match arg.as_str() {
            "--listen" => args.next().ok_or("--listen needs a value")?,
            "-h" | "--help" => return Ok(None),
            other => match other.strip_prefix("--listen=") {
                Some(value) => value.to_owned(),
                None => return Err(format!("unexpected argument {other:?}")),
            },
        };
        addr = text
            .parse()
            .map_err(|_| format!("--listen: {text:?} is not an IP:PORT address"))?;
    }
    Ok(Some(addr))
}

/// The tungstenite configuration: limits raised to [`MAX_SIZE`], everything else default.
fn config() -> WebSocketConfig {
    WebSocketConfig::default()
        .max_message_size(Some(MAX_SIZE))
        .max_frame_size(Some(MAX_SIZE))
}

/// Serves one connection: handshake, then echo until the peer closes or the stream fails.
async fn serve(stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let Ok(mut ws) = tokio_tungstenite::accept_async_with_config(stream, Some(config())).await
    else {
        return;
    };
    while let Some(Ok(message)) = ws.next().await {
        let echo = match message {
            Message::Text(_) | Message::Binary(_) => message,
            // Pongs to pings and the reply to a Close are sent by tungstenite.
            Message::Ping(_) | Message::Pong(_) | Message::Close(_) | Message::Frame(_) => continue,
        };
        if ws.send(echo).await.is_err() {
            return;
        }
    }
}

/// Completes on SIGTERM or ctrl-c; installed before the address is printed so that a
/// supervisor's signal is never missed.
#[cfg(unix)]
fn termination() -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => {}
            _ = interrupt.recv() => {}
        }
    })
}

/// Elsewhere only ctrl-c ends the server.
#[cfg(not(unix))]
fn termination() -> std::io::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    let addr = match parse_args(std::env::args().skip(1)) {
        Ok(Some(addr)) => addr,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("ws-echo: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let terminated = match termination() {
        Ok(terminated) => terminated,
        Err(error) => {
            eprintln!("ws-echo: cannot install signal handlers: {error}");
            return ExitCode::FAILURE;
        }
    };
    let listener = match TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("ws-echo: cannot listen on {addr}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let local = listener.local_addr().unwrap_or(addr);
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "listening on {local}")
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    drop(stdout);
    tokio::pin!(terminated);
    loop {
        tokio::select! {
            () = &mut terminated => return ExitCode::SUCCESS,
            accepted = listener.accept() => {
                if let Ok((stream, _peer)) = accepted {
                    tokio::spawn(serve(stream));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Option<SocketAddr>, String> {
        parse_args(list.iter().map(|s| (*s).to_owned()))
    }

    #[test]
    fn parses_listen() {
        assert_eq!(args(&[]), Ok(Some("127.0.0.1:0".parse().unwrap())));
        let addr = Some("127.0.0.1:9001".parse().unwrap());
        assert_eq!(args(&["--listen", "127.0.0.1:9001"]), Ok(addr));
        assert_eq!(args(&["--listen=127.0.0.1:9001"]), Ok(addr));
        assert_eq!(args(&["--help"]), Ok(None));
        assert!(args(&["--listen"]).is_err());
        assert!(args(&["--listen", "nope"]).is_err());
        assert!(args(&["--bogus"]).is_err());
    }

    #[test]
    fn limits_are_raised() {
        let config = config();
        assert!(config.max_message_size >= Some(32 << 20));
        assert!(config.max_frame_size >= Some(32 << 20));
    }
}
