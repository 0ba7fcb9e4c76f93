//! permessage-deflate negotiation (RFC 7692 §5, §7.1): the offers we send and the strict
//! check of the server's Sec-WebSocket-Extensions answer against them.

use super::error::DeflateError;

/// The extension name (RFC 7692 §7).
pub const EXTENSION: &str = "permessage-deflate";

/// One permessage-deflate offer of ours (RFC 7692 §7.1), as sent in Sec-WebSocket-Extensions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeflateOffer {
    /// Ask the server not to keep its context between messages (§7.1.1.1).
    pub server_no_context_takeover: bool,
    /// Tell the server we will not keep ours (§7.1.1.2).
    pub client_no_context_takeover: bool,
    /// Limit the server's window (§7.1.2.1).
    pub server_max_window_bits: Option<u8>,
    /// Allow the server to limit our window (§7.1.2.2): `Some(None)` sends the parameter
    /// without a value, `Some(Some(n))` also says we will use at most `n`.
    pub client_max_window_bits: Option<Option<u8>>,
}

impl DeflateOffer {
    /// The offer as an extension element, e.g.
    /// `permessage-deflate; client_no_context_takeover; client_max_window_bits`.
    pub fn header_value(&self) -> String {
        let mut out = String::from(EXTENSION);
        if self.server_no_context_takeover {
            out.push_str("; server_no_context_takeover");
        }
        if self.client_no_context_takeover {
            out.push_str("; client_no_context_takeover");
        }
        if let Some(bits) = self.server_max_window_bits {
            out.push_str(&format!("; server_max_window_bits={bits}"));
        }
        match self.client_max_window_bits {
            Some(Some(bits)) => out.push_str(&format!("; client_max_window_bits={bits}")),
            Some(None) => out.push_str("; client_max_window_bits"),
            None => {}
        }
        out
    }
}

/// Several offers in preference order, as one header value (§5: "the offers ... ordered by
/// preference").
pub fn offers_header_value(offers: &[DeflateOffer]) -> String {
    offers
        .iter()
        .map(DeflateOffer::header_value)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What both sides use after a successful negotiation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeflateAgreement {
    /// The server resets its compression context after each message.
    pub server_no_context_takeover: bool,
    /// We reset ours after each message (asked by the server, or promised in our offer).
    pub client_no_context_takeover: bool,
    /// The server's window, 15 when absent.
    pub server_max_window_bits: u8,
    /// Our window, 15 when absent.
    pub client_max_window_bits: u8,
}

/// The parameters of the server's permessage-deflate element.
#[derive(Default)]
struct Response {
    server_no_context_takeover: bool,
    client_no_context_takeover: bool,
    server_max_window_bits: Option<u8>,
    client_max_window_bits: Option<u8>,
}

/// Parses the server's Sec-WebSocket-Extensions value(s) (already joined with ", ") and
/// checks it against what was offered (RFC 7692 §5, §7.1). `Ok(None)` when the server did not
/// accept permessage-deflate; `Err` names the rule broken. With several offers, the first one
/// the response is a valid acceptance of is used; when it fits none, the error is the one for
/// the first offer.
pub fn negotiate(
    response_value: Option<&str>,
    offers: &[DeflateOffer],
) -> Result<Option<DeflateAgreement>, DeflateError> {
    let Some(value) = response_value else {
        return Ok(None);
    };
    let mut accepted = None;
    for element in parse_extensions(value)? {
        // Extension tokens are compared case-insensitively, like other HTTP tokens.
        if !element.name.eq_ignore_ascii_case(EXTENSION) || offers.is_empty() {
            return Err(DeflateError::UnofferedExtension(element.name));
        }
        if accepted.is_some() {
            return Err(DeflateError::MultipleElements);
        }
        accepted = Some(response_params(element.params)?);
    }
    let Some(response) = accepted else {
        return Ok(None);
    };
    let mut first_error = None;
    for offer in offers {
        match agreement(offer, &response) {
            Ok(agreed) => return Ok(Some(agreed)),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or(DeflateError::UnofferedExtension(EXTENSION.into())))
}

fn response_params(params: Vec<(String, Option<String>)>) -> Result<Response, DeflateError> {
    let mut seen: Vec<String> = Vec::new();
    let mut r = Response::default();
    for (name, value) in params {
        let lower = name.to_ascii_lowercase();
        if seen.contains(&lower) {
            return Err(DeflateError::DuplicateParameter(name));
        }
        seen.push(lower.clone());
        match lower.as_str() {
            "server_no_context_takeover" | "client_no_context_takeover" => {
                // §7.1.1: "This extension parameter has no value."
                if let Some(value) = value {
                    return Err(DeflateError::InvalidValue { param: name, value });
                }
                if lower.starts_with("server") {
                    r.server_no_context_takeover = true;
                } else {
                    r.client_no_context_takeover = true;
                }
            }
            "server_max_window_bits" | "client_max_window_bits" => {
                // §7.1.2.2 allows a bare client_max_window_bits only in an offer; in a
                // response both parameters carry a value.
                let bits =
                    window_bits(value.as_deref()).ok_or_else(|| DeflateError::InvalidValue {
                        param: name.clone(),
                        value: value.clone().unwrap_or_default(),
                    })?;
                if lower.starts_with("server") {
                    r.server_max_window_bits = Some(bits);
                } else {
                    r.client_max_window_bits = Some(bits);
                }
            }
            _ => return Err(DeflateError::UnknownParameter(name)),
        }
    }
    Ok(r)
}

/// §7.1.2: "a decimal integer value without leading zeroes between 8 to 15, inclusive".
fn window_bits(value: Option<&str>) -> Option<u8> {
    match value? {
        "8" => Some(8),
        "9" => Some(9),
        "10" => Some(10),
        "11" => Some(11),
        "12" => Some(12),
        "13" => Some(13),
        "14" => Some(14),
        "15" => Some(15),
        _ => None,
    }
}

/// Whether `response` is a valid acceptance of `offer`, and what it agrees.
fn agreement(offer: &DeflateOffer, response: &Response) -> Result<DeflateAgreement, DeflateError> {
    // A server may add server_no_context_takeover, server_max_window_bits and
    // client_no_context_takeover unasked (§7.1.1.1, §7.1.2.1, §7.1.1.2), but must honour what
    // the offer asked for.
    if offer.server_no_context_takeover && !response.server_no_context_takeover {
        return Err(DeflateError::ServerContextTakeoverIgnored);
    }
    if let Some(offered) = offer.server_max_window_bits {
        match response.server_max_window_bits {
            None => return Err(DeflateError::ServerWindowIgnored { offered }),
            Some(got) if got > offered => {
                return Err(DeflateError::ServerWindowTooLarge { offered, got })
            }
            Some(_) => {}
        }
    }
    if response.client_max_window_bits.is_some() && offer.client_max_window_bits.is_none() {
        return Err(DeflateError::ClientWindowNotOffered);
    }
    // Our own promise in the offer binds us as much as the server's request.
    let promised = offer.client_max_window_bits.flatten().unwrap_or(15);
    Ok(DeflateAgreement {
        server_no_context_takeover: response.server_no_context_takeover,
        client_no_context_takeover: response.client_no_context_takeover
            || offer.client_no_context_takeover,
        server_max_window_bits: response.server_max_window_bits.unwrap_or(15),
        client_max_window_bits: response.client_max_window_bits.unwrap_or(15).min(promised),
    })
}

/// One element of an extension list: a name and its parameters.
struct Element {
    name: String,
    params: Vec<(String, Option<String>)>,
}

/// Parses RFC 6455 §9.1 `1#extension`, with `extension = extension-token *( ";"
/// extension-param )` and `extension-param = token [ "=" (token | quoted-string) ]`. Optional
/// whitespace is allowed around separators (the RFC's ABNF uses RFC 2616's implied *LWS);
/// empty list elements are skipped, as RFC 9110 §5.6.1 tells recipients to.
fn parse_extensions(value: &str) -> Result<Vec<Element>, DeflateError> {
    let mut p = Cursor {
        s: value.as_bytes(),
        at: 0,
    };
    let mut out = Vec::new();
    loop {
        p.skip_ows();
        match p.peek() {
            None => return Ok(out),
            Some(b',') => {
                p.at += 1;
                continue;
            }
            Some(_) => {}
        }
        let name = p.token("an extension name")?;
        let mut params = Vec::new();
        p.skip_ows();
        while p.peek() == Some(b';') {
            p.at += 1;
            p.skip_ows();
            let param = p.token("a parameter name")?;
            p.skip_ows();
            let mut value = None;
            if p.peek() == Some(b'=') {
                p.at += 1;
                p.skip_ows();
                value = Some(if p.peek() == Some(b'"') {
                    p.quoted()?
                } else {
                    p.token("a parameter value")?
                });
                p.skip_ows();
            }
            params.push((param, value));
        }
        match p.peek() {
            None | Some(b',') => out.push(Element { name, params }),
            Some(_) => return Err(p.error("expected ';', ',' or the end")),
        }
    }
}

struct Cursor<'a> {
    s: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.at).copied()
    }

    fn skip_ows(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
    }

    fn token(&mut self, what: &str) -> Result<String, DeflateError> {
        let start = self.at;
        while self.peek().is_some_and(is_tchar) {
            self.at += 1;
        }
        if self.at == start {
            return Err(self.error(&format!("expected {what}")));
        }
        Ok(String::from_utf8_lossy(&self.s[start..self.at]).into_owned())
    }

    /// A quoted-string whose unescaped value must be a token (RFC 6455 §9.1: "the value after
    /// quoted-string unescaping MUST conform to the 'token' ABNF").
    fn quoted(&mut self) -> Result<String, DeflateError> {
        self.at += 1;
        let mut value = Vec::new();
        loop {
            match self.peek() {
                None => return Err(self.error("unterminated quoted-string")),
                Some(b'"') => {
                    self.at += 1;
                    break;
                }
                Some(b'\\') => {
                    self.at += 1;
                    let Some(b) = self.peek() else {
                        return Err(self.error("unterminated quoted-string"));
                    };
                    value.push(b);
                    self.at += 1;
                }
                Some(b) => {
                    value.push(b);
                    self.at += 1;
                }
            }
        }
        if value.is_empty() || !value.iter().copied().all(is_tchar) {
            return Err(self.error("quoted value is not a token"));
        }
        Ok(String::from_utf8_lossy(&value).into_owned())
    }

    fn error(&self, what: &str) -> DeflateError {
        DeflateError::Syntax(format!("{what} at byte {}", self.at))
    }
}

/// RFC 9110 §5.6.2 tchar.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer_default() -> DeflateOffer {
        DeflateOffer {
            client_no_context_takeover: true,
            client_max_window_bits: Some(None),
            ..DeflateOffer::default()
        }
    }

    fn agreed(s: &str, offers: &[DeflateOffer]) -> DeflateAgreement {
        negotiate(Some(s), offers)
            .unwrap_or_else(|e| panic!("{s}: {e}"))
            .unwrap_or_else(|| panic!("{s}: not accepted"))
    }

    #[test]
    fn offer_values() {
        assert_eq!(
            offer_default().header_value(),
            "permessage-deflate; client_no_context_takeover; client_max_window_bits"
        );
        let all = DeflateOffer {
            server_no_context_takeover: true,
            client_no_context_takeover: false,
            server_max_window_bits: Some(9),
            client_max_window_bits: Some(Some(12)),
        };
        assert_eq!(
            offers_header_value(&[all, DeflateOffer::default()]),
            "permessage-deflate; server_no_context_takeover; server_max_window_bits=9; \
             client_max_window_bits=12, permessage-deflate"
        );
    }

    #[test]
    fn accepted_responses() {
        let offers = [offer_default()];
        assert_eq!(negotiate(None, &offers), Ok(None));
        assert_eq!(negotiate(Some(""), &offers), Ok(None));
        assert_eq!(negotiate(Some(" , "), &offers), Ok(None));
        let a = agreed("permessage-deflate", &offers);
        assert_eq!(
            a,
            DeflateAgreement {
                server_no_context_takeover: false,
                client_no_context_takeover: true,
                server_max_window_bits: 15,
                client_max_window_bits: 15,
            }
        );
        let a = agreed(
            "permessage-deflate;server_no_context_takeover ; client_max_window_bits=\"9\"; \
             server_max_window_bits=10",
            &offers,
        );
        assert!(a.server_no_context_takeover);
        assert_eq!(
            (a.server_max_window_bits, a.client_max_window_bits),
            (10, 9)
        );
        // Our own promise of 10 bits binds us even if the server allows more.
        let promise = DeflateOffer {
            client_max_window_bits: Some(Some(10)),
            ..DeflateOffer::default()
        };
        assert_eq!(
            agreed("permessage-deflate", &[promise]).client_max_window_bits,
            10
        );
    }

    #[test]
    fn first_fitting_offer_wins() {
        // Autobahn 13.7: [(True, 9), (True, 0), (False, 0)].
        let offers = [
            DeflateOffer {
                server_no_context_takeover: true,
                server_max_window_bits: Some(9),
                ..DeflateOffer::default()
            },
            DeflateOffer {
                server_no_context_takeover: true,
                ..DeflateOffer::default()
            },
            DeflateOffer::default(),
        ];
        let a = agreed("permessage-deflate", &offers);
        assert!(!a.server_no_context_takeover);
        let a = agreed("permessage-deflate; server_no_context_takeover", &offers);
        assert_eq!(a.server_max_window_bits, 15);
        let a = agreed(
            "permessage-deflate; server_no_context_takeover; server_max_window_bits=9",
            &offers,
        );
        assert_eq!(a.server_max_window_bits, 9);
    }

    #[test]
    fn refused_responses() {
        let offers = [offer_default()];
        let err = |s: &str, offers: &[DeflateOffer]| negotiate(Some(s), offers).unwrap_err();
        assert_eq!(
            err("permessage-deflate, permessage-deflate", &offers),
            DeflateError::MultipleElements
        );
        assert_eq!(
            err("x-webkit-deflate-frame", &offers),
            DeflateError::UnofferedExtension("x-webkit-deflate-frame".into())
        );
        assert_eq!(
            err("permessage-deflate", &[]),
            DeflateError::UnofferedExtension("permessage-deflate".into())
        );
        assert_eq!(
            err("permessage-deflate; foo", &offers),
            DeflateError::UnknownParameter("foo".into())
        );
        assert_eq!(
            err(
                "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
                &offers
            ),
            DeflateError::DuplicateParameter("server_no_context_takeover".into())
        );
        for bad in ["7", "16", "08", "", "x"] {
            let s = format!("permessage-deflate; server_max_window_bits={bad}");
            assert!(
                matches!(
                    negotiate(Some(&s), &offers),
                    Err(DeflateError::InvalidValue { .. } | DeflateError::Syntax(_))
                ),
                "{s}"
            );
        }
        assert!(matches!(
            err("permessage-deflate; client_max_window_bits", &offers),
            DeflateError::InvalidValue { .. }
        ));
        assert!(matches!(
            err("permessage-deflate; client_no_context_takeover=1", &offers),
            DeflateError::InvalidValue { .. }
        ));
        assert_eq!(
            err(
                "permessage-deflate; client_max_window_bits=10",
                &[DeflateOffer::default()]
            ),
            DeflateError::ClientWindowNotOffered
        );
        let strict = [DeflateOffer {
            server_no_context_takeover: true,
            server_max_window_bits: Some(10),
            ..DeflateOffer::default()
        }];
        assert_eq!(
            err("permessage-deflate; server_max_window_bits=10", &strict),
            DeflateError::ServerContextTakeoverIgnored
        );
        assert_eq!(
            err("permessage-deflate; server_no_context_takeover", &strict),
            DeflateError::ServerWindowIgnored { offered: 10 }
        );
        assert_eq!(
            err(
                "permessage-deflate; server_no_context_takeover; server_max_window_bits=11",
                &strict
            ),
            DeflateError::ServerWindowTooLarge {
                offered: 10,
                got: 11
            }
        );
        for bad in [
            "permessage-deflate;",
            "permessage-deflate; a=\"b",
            "permessage-deflate x",
            "permessage-deflate; a=\"b c\"",
        ] {
            assert!(
                matches!(err(bad, &offers), DeflateError::Syntax(_)),
                "{bad}"
            );
        }
    }
}
