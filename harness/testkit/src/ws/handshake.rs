//! The server's opening handshake (RFC 6455 §4.2): checking the client's upgrade request
//! and building the 101 (or the 400/426 that refuses it).
//!
//! The switches `ws-wrong-accept`, `ws-no-upgrade-header`, `ws-unoffered-protocol` and
//! `ws-accept-bad-version` act here.

use base64::Engine as _;

use crate::framing::{Framing, Request};
use crate::request::{trim_ows, Version};
use crate::response::Response;
use crate::switches::{Switch, Switches};
use crate::ws::deflate::{self, DeflateParams};

/// The GUID appended to the key before hashing (§1.3, §4.2.2).
const GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// The subprotocols this server speaks, in its order of preference for nothing: the first
/// one the client offers wins.
pub(crate) const SUBPROTOCOLS: &[&str] = &["chat", "superchat"];

/// The only WebSocket version spoken (§4.1, §4.4).
const VERSION: &str = "13";

/// A handshake the server accepts: the 101 to send and what was negotiated.
#[derive(Debug)]
pub(crate) struct Accepted {
    /// The 101 (its `Connection: Upgrade` is added when it is encoded).
    pub(crate) response: Response,
    /// permessage-deflate, if negotiated.
    pub(crate) deflate: Option<DeflateParams>,
}

/// Checks the upgrade request `request` (§4.2.1) and answers it (§4.2.2): `Ok` with the 101,
/// or `Err` with the 400 or 426 to send before closing the connection.
pub(crate) fn accept(request: &Request, switches: Switches) -> Result<Accepted, Response> {
    let head = &request.head;
    if head.method != "GET" || head.version != Version::Http11 {
        return Err(bad("a WebSocket handshake is a GET in HTTP/1.1 or later"));
    }
    if request.framing != Framing::Empty {
        return Err(bad("a WebSocket handshake has no content"));
    }
    if !head.has_token("Upgrade", "websocket") {
        return Err(bad("a WebSocket handshake carries Upgrade: websocket"));
    }
    if !head.has_token("Connection", "Upgrade") {
        return Err(bad("a WebSocket handshake carries Connection: Upgrade"));
    }
    let mut keys = head.values("Sec-WebSocket-Key");
    let key = match (keys.next(), keys.next()) {
        (Some(key), None) if is_valid_key(key) => key,
        _ => {
            return Err(bad(
                "Sec-WebSocket-Key must be one base64 value of 16 bytes",
            ))
        }
    };
    let versions: Vec<&[u8]> = head.values("Sec-WebSocket-Version").collect();
    match versions[..] {
        [] => return Err(bad("a WebSocket handshake carries Sec-WebSocket-Version")),
        [version] if version == VERSION.as_bytes() => {}
        [b"8"] if switches.on(Switch::WsAcceptBadVersion) => {}
        _ => {
            return Err(
                // RFC 9110 §15.5.22: a 426 MUST carry Upgrade; §7.8: with the
                // "upgrade" connection option.
                Response::text(426, "this server speaks WebSocket version 13 only")
                    .with("Sec-WebSocket-Version", VERSION)
                    .with("Upgrade", "websocket")
                    .with("Connection", "upgrade"),
            );
        }
    }

    let accept = if switches.on(Switch::WsWrongAccept) {
        // A plausible bug: the hash of the key alone, without the GUID.
        digest(key, b"")
    } else {
        accept_value(key)
    };
    let mut response = Response {
        body: None,
        ..Response::new(101, &b""[..])
    };
    if !switches.on(Switch::WsNoUpgradeHeader) {
        response = response.with("Upgrade", "websocket");
    }
    response = response.with("Sec-WebSocket-Accept", accept);
    let protocol = select_protocol(head.values("Sec-WebSocket-Protocol"));
    let protocol = match protocol {
        None if switches.on(Switch::WsUnofferedProtocol) => Some(SUBPROTOCOLS[0]),
        other => other,
    };
    if let Some(protocol) = protocol {
        response = response.with("Sec-WebSocket-Protocol", protocol);
    }
    let deflate = deflate::negotiate(head.values("Sec-WebSocket-Extensions"));
    if let Some(params) = &deflate {
        response = response.with("Sec-WebSocket-Extensions", params.response_value());
    }
    Ok(Accepted { response, deflate })
}

/// `Sec-WebSocket-Accept` for `key` (§4.2.2 step 5.4): base64 of the SHA-1 of the key, as
/// sent, followed by the GUID.
pub(crate) fn accept_value(key: &[u8]) -> String {
    digest(key, GUID.as_bytes())
}

/// base64(SHA-1(`key` + `suffix`)).
fn digest(key: &[u8], suffix: &[u8]) -> String {
    let mut sha1 = sha1_smol::Sha1::new();
    sha1.update(key);
    sha1.update(suffix);
    base64::engine::general_purpose::STANDARD.encode(sha1.digest().bytes())
}

/// A 400 saying `detail`.
fn bad(detail: &str) -> Response {
    Response::text(400, detail)
}

/// §4.1: the key is a base64-encoded (§4 of RFC 4648) 16-byte value.
fn is_valid_key(key: &[u8]) -> bool {
    base64::engine::general_purpose::STANDARD
        .decode(key)
        .is_ok_and(|nonce| nonce.len() == 16)
}

/// The first subprotocol offered (in the client's order, over every field line) that the
/// server speaks.
fn select_protocol<'a>(offers: impl Iterator<Item = &'a [u8]>) -> Option<&'static str> {
    offers
        .flat_map(|value| value.split(|&b| b == b','))
        .map(trim_ows)
        .find_map(|offer| {
            SUBPROTOCOLS
                .iter()
                .copied()
                .find(|supported| supported.as_bytes() == offer)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_value_of_the_rfc_example() {
        // §1.3.
        assert_eq!(
            accept_value(b"dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
    }

    #[test]
    fn keys_must_be_16_bytes_of_base64() {
        assert!(is_valid_key(b"dGhlIHNhbXBsZSBub25jZQ=="));
        assert!(!is_valid_key(b"dGhlIHNhbXBsZSBub25jZQ")); // no padding
        assert!(!is_valid_key(b"dGhlIHNhbXBsZSBub25jZSE=")); // 17 bytes
        assert!(!is_valid_key(b"AAAAAAAAAAAAAAAAAAAA")); // 15 bytes
        assert!(!is_valid_key(b"dGhlIHNhbXBsZSBub25j!Q=="));
        assert!(!is_valid_key(b""));
    }

    #[test]
    fn selects_the_first_offered_supported_protocol() {
        let pick = |lines: &[&str]| select_protocol(lines.iter().map(|l| l.as_bytes()));
        assert_eq!(pick(&[]), None);
        assert_eq!(pick(&["foo, bar"]), None);
        assert_eq!(pick(&["foo, superchat, chat"]), Some("superchat"));
        assert_eq!(pick(&["foo", "chat"]), Some("chat"));
        assert_eq!(pick(&["Chat"]), None);
    }
}
