//! `Upgrade: websocket` on any path: an echo server like Autobahn's (text back as text, binary
//! as binary), so `wirecheck run` with no target can play the WebSocket library too. The
//! handshake checks are ours (RFC 6455 §4.2.1); frames are tokio-tungstenite's.

use futures_util::{SinkExt, StreamExt};
use hyper::body::Incoming;
use hyper::header::{HeaderMap, HeaderValue};
use hyper::{Method, Request, Response, StatusCode, Version};
use hyper_util::rt::TokioIo;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};
use tokio_tungstenite::WebSocketStream;

use crate::response::{self, Body};

/// Autobahn 9.x sends 16 MiB messages; leave room.
const MAX_MESSAGE: usize = 32 << 20;

fn has_token(headers: &HeaderMap, name: &str, token: &str) -> bool {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim().eq_ignore_ascii_case(token))
}

/// True when the request asks for a WebSocket (it may still be refused).
pub(crate) fn is_upgrade(request: &Request<Incoming>) -> bool {
    has_token(request.headers(), "upgrade", "websocket")
}

fn refuse(status: StatusCode, why: &str) -> Response<Body> {
    let mut r = response::text(status, format!("{why}\n"));
    response::close_after(&mut r);
    r
}

/// Answers an upgrade request: 101 and an echo task, or the error RFC 6455 §4.2.1/§4.4 asks for.
pub(crate) fn respond(mut request: Request<Incoming>) -> Response<Body> {
    let headers = request.headers();
    // Host rules hold for an upgrade like any request (RFC 9112 §3.2).
    if let Err(problem) = crate::host::validate(
        request.version(),
        headers,
        request.uri().authority().is_some(),
    ) {
        return refuse(StatusCode::BAD_REQUEST, problem);
    }
    if request.method() != Method::GET || request.version() != Version::HTTP_11 {
        return refuse(
            StatusCode::BAD_REQUEST,
            "a WebSocket handshake is an HTTP/1.1 GET",
        );
    }
    if !has_token(headers, "connection", "upgrade") {
        return refuse(
            StatusCode::BAD_REQUEST,
            "Connection lacks the Upgrade token",
        );
    }
    let version_ok = headers
        .get("sec-websocket-version")
        .is_some_and(|v| v.as_bytes() == b"13");
    if !version_ok {
        // §4.4: answer with the versions we speak.
        let mut r = refuse(StatusCode::UPGRADE_REQUIRED, "only version 13 is supported");
        r.headers_mut()
            .insert("sec-websocket-version", HeaderValue::from_static("13"));
        // RFC 9110 §15.5.22: a 426 MUST carry Upgrade; §7.8: a sender of Upgrade MUST also
        // send the "upgrade" connection option (next to "close").
        r.headers_mut().insert(
            hyper::header::UPGRADE,
            HeaderValue::from_static("websocket"),
        );
        r.headers_mut().insert(
            hyper::header::CONNECTION,
            HeaderValue::from_static("upgrade, close"),
        );
        return r;
    }
    let key = match headers
        .get_all("sec-websocket-key")
        .iter()
        .collect::<Vec<_>>()[..]
    {
        [k] if is_16_byte_base64(k.as_bytes()) => k.clone(),
        _ => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "Sec-WebSocket-Key must be one base64 value of 16 bytes",
            )
        }
    };
    let accept = derive_accept_key(key.as_bytes());
    let upgrade = hyper::upgrade::on(&mut request);
    tokio::spawn(async move {
        let Ok(upgraded) = upgrade.await else { return };
        let config = WebSocketConfig::default()
            .max_message_size(Some(MAX_MESSAGE))
            .max_frame_size(Some(MAX_MESSAGE));
        let ws =
            WebSocketStream::from_raw_socket(TokioIo::new(upgraded), Role::Server, Some(config))
                .await;
        echo(ws).await;
    });
    let mut r = response::empty(StatusCode::SWITCHING_PROTOCOLS);
    let h = r.headers_mut();
    h.insert("upgrade", HeaderValue::from_static("websocket"));
    h.insert("connection", HeaderValue::from_static("Upgrade"));
    if let Ok(v) = HeaderValue::from_str(&accept) {
        h.insert("sec-websocket-accept", v);
    }
    r
}

/// §4.2.1 item 5: "when decoded, is 16 bytes in length": 22 base64 characters and `==`.
fn is_16_byte_base64(k: &[u8]) -> bool {
    let alphabet = |b: &u8| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/';
    k.len() == 24 && k[22..] == *b"==" && k[..22].iter().all(alphabet)
}

async fn echo<S>(mut ws: WebSocketStream<S>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    while let Some(Ok(msg)) = ws.next().await {
        if (msg.is_text() || msg.is_binary()) && ws.send(msg).await.is_err() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_must_decode_to_16_bytes() {
        assert!(is_16_byte_base64(b"dGhlIHNhbXBsZSBub25jZQ=="));
        assert!(!is_16_byte_base64(b"dGhlIHNhbXBsZQ=="));
        assert!(!is_16_byte_base64(b"dGhlIHNhbXBsZSBub25jZ!=="));
    }
}
