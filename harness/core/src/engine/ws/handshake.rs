//! The opening handshake: our upgrade request (RFC 6455 §4.1) and the checks a client must
//! make of the server's answer before it may use the connection (§4.1, "the client MUST
//! _Fail the WebSocket Connection_" if any of these fail; §4.2.2 for the server side).

use crate::model::WsHandshake;
use crate::text::Vars;
use crate::wire::http1::Response;
use crate::wire::ws::{accept_for, negotiate, DeflateAgreement};

/// The request bytes.
pub(crate) fn request(h: &WsHandshake, vars: &Vars, key: &str) -> Vec<u8> {
    let mut path = h.path.render_text(vars);
    if path.is_empty() {
        path.push('/');
    }
    let host = vars.get("authority").cloned().unwrap_or_default();
    let mut out = format!(
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
    )
    .into_bytes();
    if !h.protocols.is_empty() {
        out.extend_from_slice(
            format!("Sec-WebSocket-Protocol: {}\r\n", h.protocols.join(", ")).as_bytes(),
        );
    }
    if !h.deflate.is_empty() {
        let offers: Vec<String> = h.deflate.iter().map(|o| o.header_value()).collect();
        out.extend_from_slice(
            format!("Sec-WebSocket-Extensions: {}\r\n", offers.join(", ")).as_bytes(),
        );
    }
    if let Some(o) = &h.origin {
        out.extend_from_slice(b"Origin: ");
        out.extend_from_slice(&o.render(vars));
        out.extend_from_slice(b"\r\n");
    }
    for line in &h.headers {
        out.extend_from_slice(&line.render(vars));
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(
        concat!(
            "User-Agent: wirecheck/",
            env!("CARGO_PKG_VERSION"),
            "\r\n\r\n"
        )
        .as_bytes(),
    );
    out
}

/// What the handshake settled.
#[derive(Debug, Default)]
pub(crate) struct Negotiated {
    pub(crate) protocol: Option<String>,
    pub(crate) extensions: Option<String>,
    pub(crate) deflate: Option<DeflateAgreement>,
}

/// Checks the server's answer; `Err` says which rule it broke.
pub(crate) fn check(h: &WsHandshake, key: &str, r: &Response) -> Result<Negotiated, String> {
    if r.status != 101 {
        return Err(format!(
            "the server answered the upgrade with {} {}, not 101 Switching Protocols",
            r.status, r.reason
        ));
    }
    // §4.1 client requirement 2: "If the response lacks an |Upgrade| header field or the
    // |Upgrade| header field contains a value that is not an ASCII case-insensitive match for
    // the value "websocket", the client MUST _Fail the WebSocket Connection_."
    match r.header("upgrade") {
        Some(v) if v.trim().eq_ignore_ascii_case("websocket") => {}
        Some(v) => {
            return Err(format!(
                "101 with `Upgrade: {v}`, not `websocket` (RFC 6455 §4.1)"
            ))
        }
        None => return Err("101 without an `Upgrade` header field (RFC 6455 §4.1)".into()),
    }
    // Requirement 3: Connection must contain the token "Upgrade" (case-insensitive).
    if !r.list_contains("connection", "upgrade") {
        return Err(format!(
            "101 whose `Connection` ({}) lacks the `Upgrade` token (RFC 6455 §4.1)",
            r.header("connection").unwrap_or_else(|| "absent".into())
        ));
    }
    // Requirement 4: Sec-WebSocket-Accept is base64(SHA-1(key + GUID)), compared exactly.
    let want = accept_for(key);
    match r.header("sec-websocket-accept") {
        Some(v) if v.trim() == want => {}
        Some(v) => {
            return Err(format!(
            "`Sec-WebSocket-Accept: {v}` is wrong for key {key}: expected {want} (RFC 6455 §4.2.2)"
        ))
        }
        None => return Err("101 without `Sec-WebSocket-Accept` (RFC 6455 §4.1)".into()),
    }
    // Requirement 6: a subprotocol not offered, or one when none was offered, fails.
    let protocols: Vec<Vec<u8>> = r
        .header_values("sec-websocket-protocol")
        .map(<[u8]>::to_vec)
        .collect();
    let protocol = match protocols.as_slice() {
        [] => None,
        [one] => {
            let p = String::from_utf8_lossy(one).trim().to_string();
            if !h.protocols.contains(&p) {
                return Err(if h.protocols.is_empty() {
                    format!(
                        "`Sec-WebSocket-Protocol: {p}` although none was offered (RFC 6455 §4.1)"
                    )
                } else {
                    format!(
                        "`Sec-WebSocket-Protocol: {p}` is not one of those offered ({}) (RFC 6455 §4.1)",
                        h.protocols.join(", ")
                    )
                });
            }
            Some(p)
        }
        _ => {
            return Err(
                "more than one `Sec-WebSocket-Protocol` field in the 101 (RFC 6455 §4.2.2)".into(),
            )
        }
    };
    // Requirement 5: an extension not offered fails; RFC 7692 §5 for deflate's parameters.
    let ext_values: Vec<String> = r
        .header_values("sec-websocket-extensions")
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .collect();
    let extensions = (!ext_values.is_empty()).then(|| ext_values.join(", "));
    let deflate = if h.deflate.is_empty() {
        if let Some(e) = &extensions {
            if !e.trim().is_empty() {
                return Err(format!(
                    "`Sec-WebSocket-Extensions: {e}` although no extension was offered (RFC 6455 §4.1)"
                ));
            }
        }
        None
    } else {
        negotiate(extensions.as_deref(), &h.deflate).map_err(|e| e.to_string())?
    };
    Ok(Negotiated {
        protocol,
        extensions,
        deflate,
    })
}
