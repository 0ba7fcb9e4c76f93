//! `xss-server`: an HTTP/1.1 server whose every response is an attempt to inject markup into
//! wirecheck's reports, so `ci/html-report-test.sh` can prove in a real browser that the HTML
//! report escapes what servers send.
//!
//! ```text
//! xss-server [--listen 127.0.0.1:0]    # prints http://ADDR once listening
//! ```
//!
//! Each request gets the next of several response shapes, so a library run reaches every
//! place a server's bytes can surface in a report: the status reason, header names (invalid
//! tokens, so the response reader's error quotes them), header values (quoted by failed
//! expectations and validator findings), bodies (text, binary for the hex view, and large
//! enough to be cut), chunk extensions and plain garbage instead of a status line. The
//! payloads are the classics: `<script>`, `"><img src=x onerror=…>`, `</textarea>`,
//! `javascript:` URLs, `<svg onload>`, `<iframe srcdoc>`, `<base href>`, a refresh `<meta>`,
//! template syntax, comment and CDATA breakers, and Unicode controls. Every script payload
//! would set `document.title` to a string starting `XSS-`, which the browser test checks.
//!
//!
//! A WebSocket upgrade request gets one of three answers in turn: a valid 101 followed by the
//! payloads as text frames, a binary frame, a ping and a close frame whose reason is markup
//! (`…XSS-close-reason…`); the same with markup in `Sec-WebSocket-Protocol` and
//! `Sec-WebSocket-Extensions`; or a refusal whose reason phrase and body are markup.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Markup a report must show as text.
const PAYLOADS: &[&str] = &[
    "<script>document.title='XSS-script'</script>",
    "\"><img src=x onerror=\"document.title='XSS-img'\">",
    "'><svg onload=document.title='XSS-svg'>",
    "</textarea><script>document.title='XSS-textarea'</script>",
    "</title></style></pre><script>document.title='XSS-close'</script>",
    "javascript:document.title='XSS-js'",
    "<a href=\"javascript:document.title='XSS-href'\">click</a>",
    "<iframe srcdoc=\"<script>parent.document.title='XSS-iframe'</script>\"></iframe>",
    "<base href=\"http://xss.invalid/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:document.title='XSS-meta'\">",
    "<details open ontoggle=document.title='XSS-toggle'>",
    "<object data=\"javascript:document.title='XSS-object'\"></object>",
    "{{7*7}} ${7*7} <%= 7*7 %> {% raw %}",
    "<!-- --> ]]> <![CDATA[ x",
    "\u{202e}evil\u{2028}line\u{0}nul",
];

/// One hostile payload, chosen by `n`.
fn payload(n: usize) -> &'static str {
    PAYLOADS[n % PAYLOADS.len()]
}

/// Header-value-safe form of a payload (no CR, LF or NUL, which would end the field).
fn field(n: usize) -> String {
    payload(n).replace(['\r', '\n', '\0'], " ")
}

/// The response to request number `n`.
fn response(n: usize) -> Vec<u8> {
    let p = |k: usize| field(n + k);
    let body = |extra: &str| {
        format!(
            "{}\n{}\n{}\n{extra}",
            payload(n),
            payload(n + 1),
            payload(n + 2)
        )
    };
    let date = httpdate::fmt_http_date(std::time::SystemTime::now());
    match n % 8 {
        // The status reason, header values and the body.
        0 => {
            let b = body("");
            format!(
                "HTTP/1.1 200 {}\r\nDate: {date}\r\nContent-Type: text/html; x=\"{}\"\r\nX-Evil: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{b}",
                p(0), p(1), p(2), b.len()
            )
            .into_bytes()
        }
        // Values of headers that checks quote: ETag, Last-Modified, Date, Allow, Location.
        1 => format!(
            "HTTP/1.1 404 {}\r\nDate: {}\r\nETag: \"{}\"\r\nLast-Modified: {}\r\nAllow: {}\r\nLocation: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            p(1), p(2), p(3), p(4), p(5), payload(5).replace(['\r', '\n', '\0'], " ")
        )
        .into_bytes(),
        // A header name that is not a token: the response reader's error quotes it.
        2 => format!(
            "HTTP/1.1 200 OK\r\nDate: {date}\r\n{}: 1\r\nContent-Length: 0\r\n\r\n",
            p(0)
        )
        .into_bytes(),
        // Garbage instead of a status line.
        3 => format!("{}\r\n{}\r\n\r\n", payload(n), payload(n + 1)).into_bytes(),
        // A chunked body with a hostile chunk extension and chunk.
        4 => {
            let chunk = payload(n + 3);
            format!(
                "HTTP/1.1 200 {}\r\nDate: {date}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x};{}\r\n{chunk}\r\n0\r\n\r\n",
                p(0), chunk.len(), p(1)
            )
            .into_bytes()
        }
        // A binary body with markup inside: the report's hex view.
        5 => {
            let mut b: Vec<u8> = (0u8..=255).collect();
            b.extend_from_slice(payload(n).as_bytes());
            b.extend((0u8..=255).rev());
            let mut r = format!(
                "HTTP/1.1 200 {}\r\nDate: {date}\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                p(1),
                b.len()
            )
            .into_bytes();
            r.extend(b);
            r
        }
        // A large body: the report cuts it with sizes and a digest, markup on both sides.
        6 => {
            let b = body(&payload(n + 4).repeat(2000));
            format!(
                "HTTP/1.1 200 {}\r\nDate: {date}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{b}",
                p(2),
                b.len()
            )
            .into_bytes()
        }
        // Two responses to one request, the second all markup.
        _ => format!(
            "HTTP/1.1 204 {}\r\nDate: {date}\r\n\r\nHTTP/1.1 200 {}\r\nX-{}: {}\r\n\r\n",
            p(0), p(1), p(2).replace([' ', ':'], "_"), p(3)
        )
        .into_bytes(),
    }
}

/// The close reason: markup that fits the 123 bytes a close frame allows.
const CLOSE_REASON: &str = "\"><img src=x onerror=\"document.title='XSS-close-reason'\">";

/// The text frames' extra payload, so the report of a WebSocket run can be checked for it.
const FRAME_PAYLOAD: &str = "<script>document.title='XSS-frame'</script>";

/// The value of header `name` (lowercase) in a request head.
fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.split("\r\n").skip(1).find_map(|line| {
        let (n, v) = line.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// One unmasked frame from the server.
fn frame(opcode: u8, payload: &[u8]) -> Vec<u8> {
    let mut f = vec![0x80 | opcode];
    match payload.len() {
        n @ 0..=125 => f.push(n as u8),
        n => {
            f.push(126);
            f.extend_from_slice(&(n as u16).to_be_bytes());
        }
    }
    f.extend_from_slice(payload);
    f
}

/// The answer to WebSocket upgrade number `n` with key `key`.
fn ws_response(n: usize, key: &str) -> Vec<u8> {
    let mut sha = sha1_smol::Sha1::new();
    sha.update(key.as_bytes());
    sha.update(b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    let accept = base64::engine::general_purpose::STANDARD.encode(sha.digest().bytes());
    let mut r = match n % 3 {
        2 => {
            let body = format!("{}\n{}", payload(n), payload(n + 1));
            return format!(
                "HTTP/1.1 403 {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                field(n),
                body.len()
            )
            .into_bytes();
        }
        1 => format!(
            "HTTP/1.1 101 {}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\nSec-WebSocket-Protocol: {}\r\nSec-WebSocket-Extensions: {}\r\n\r\n",
            field(n),
            field(n + 1),
            field(n + 2)
        ),
        _ => format!(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"
        ),
    }
    .into_bytes();
    for k in 0..4 {
        r.extend(frame(0x1, payload(n + k).as_bytes()));
    }
    r.extend(frame(0x1, FRAME_PAYLOAD.as_bytes()));
    let mut binary: Vec<u8> = (0u8..32).collect();
    binary.extend_from_slice(payload(n + 1).as_bytes());
    r.extend(frame(0x2, &binary));
    r.extend(frame(
        0x9,
        &payload(n + 2).as_bytes()[..payload(n + 2).len().min(125)],
    ));
    let mut close = 1000u16.to_be_bytes().to_vec();
    close.extend_from_slice(CLOSE_REASON.as_bytes());
    r.extend(frame(0x8, &close));
    r
}

/// Reads one request head (the body, if any, is ignored: every response closes).
async fn read_head(stream: &mut TcpStream) -> std::io::Result<String> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 64 * 1024 {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

async fn serve(mut stream: TcpStream, counter: Arc<AtomicUsize>, ws_counter: Arc<AtomicUsize>) {
    let read = tokio::time::timeout(Duration::from_secs(5), read_head(&mut stream)).await;
    let Ok(Ok(head)) = read else {
        return;
    };
    let upgrade = header(&head, "upgrade").is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    match header(&head, "sec-websocket-key").filter(|_| upgrade) {
        Some(key) => {
            let n = ws_counter.fetch_add(1, Ordering::Relaxed);
            let _ = stream.write_all(&ws_response(n, key)).await;
            // Let the client answer the close (or give up) before the connection goes.
            let mut sink = [0u8; 4096];
            let drain = async { while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {} };
            let _ = tokio::time::timeout(Duration::from_secs(2), drain).await;
        }
        None => {
            let n = counter.fetch_add(1, Ordering::Relaxed);
            let _ = stream.write_all(&response(n)).await;
        }
    }
    let _ = stream.shutdown().await;
}

fn parse_args() -> Result<SocketAddr, String> {
    let mut addr = SocketAddr::from(([127, 0, 0, 1], 0));
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--listen" => {
                let v = args.next().ok_or("--listen needs a value")?;
                addr = v
                    .parse()
                    .map_err(|_| format!("--listen: {v:?} is not IP:PORT"))?;
            }
            "-h" | "--help" => return Err("usage: xss-server [--listen IP:PORT]".into()),
            other => return Err(format!("unexpected argument {other:?}")),
        }
    }
    Ok(addr)
}

#[tokio::main]
async fn main() -> ExitCode {
    let addr = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("xss-server: {e}");
            return ExitCode::from(2);
        }
    };
    let listener = match TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("xss-server: cannot listen on {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let local = listener.local_addr().expect("bound socket has an address");
    println!("http://{local}");
    let counter = Arc::new(AtomicUsize::new(0));
    let ws_counter = Arc::new(AtomicUsize::new(0));
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    tokio::spawn(serve(stream, counter.clone(), ws_counter.clone()));
                }
            }
            _ = tokio::signal::ctrl_c() => return ExitCode::SUCCESS,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn websocket_answers_accept_the_key_and_close_with_markup() {
        let r = ws_response(0, "dGhlIHNhbXBsZSBub25jZQ==");
        let text = String::from_utf8_lossy(&r);
        assert!(text.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
        assert!(text.contains(FRAME_PAYLOAD) && text.ends_with(CLOSE_REASON));
        assert!(CLOSE_REASON.len() <= 123);
        assert!(String::from_utf8_lossy(&ws_response(2, "x")).starts_with("HTTP/1.1 403 '><svg"));
    }

    #[test]
    fn every_shape_carries_markup() {
        for n in 0..16 {
            let r = String::from_utf8_lossy(&response(n)).into_owned();
            assert!(
                r.contains('<') || r.contains("javascript:") || r.contains("{{"),
                "{n}: {r}"
            );
        }
    }
}
