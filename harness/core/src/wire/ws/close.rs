//! Close frame payloads (RFC 6455 §5.5.1) and which status codes may appear in them (§7.4).

use super::error::CloseError;
use super::utf8::Utf8Validator;

/// Whether a status code may appear in a close frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeClass {
    /// May be sent and received: 1000–1003, 1007–1014 and 3000–4999.
    Valid,
    /// A receiver must fail the connection on it: 0–999 (§7.4.2 "not used"), 1004 (reserved),
    /// 1005, 1006 and 1015 (§7.4.1 "MUST NOT be set as a status code in a Close control frame
    /// by an endpoint"), 1016–2999 (reserved for future revisions) and 5000 and above.
    Invalid,
}

/// The class of a close status code, per RFC 6455 §7.4 and the IANA "WebSocket Close Code
/// Number" registry, where 1012 (Service Restart), 1013 (Try Again Later) and 1014 (Bad
/// Gateway) are registered and therefore valid.
pub fn close_code_class(code: u16) -> CodeClass {
    match code {
        1000..=1003 | 1007..=1014 | 3000..=4999 => CodeClass::Valid,
        _ => CodeClass::Invalid,
    }
}

/// A close payload: the code in network byte order, then the reason. No validation: any code
/// and any reason bytes can be sent; with no code the reason alone is written (a malformed body
/// when the reason is not empty, which is how a case sends one).
pub fn encode_close_payload(code: Option<u16>, reason: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(2 + reason.len());
    if let Some(code) = code {
        out.extend_from_slice(&code.to_be_bytes());
    }
    out.extend_from_slice(reason);
    out
}

/// Reads a received close payload strictly: empty (no code), or a valid code followed by a
/// UTF-8 reason.
pub fn parse_close_payload(payload: &[u8]) -> Result<(Option<u16>, &[u8]), CloseError> {
    match payload {
        [] => Ok((None, &[])),
        [_] => Err(CloseError::OneByte),
        [hi, lo, reason @ ..] => {
            let code = u16::from_be_bytes([*hi, *lo]);
            if close_code_class(code) == CodeClass::Invalid {
                return Err(CloseError::InvalidCode { code });
            }
            let mut utf8 = Utf8Validator::new();
            utf8.feed(reason)
                .and_then(|()| utf8.finish())
                .map_err(CloseError::ReasonNotUtf8)?;
            Ok((Some(code), reason))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_classes() {
        let valid = [
            1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999,
            4000, 4999,
        ];
        let invalid = [
            0, 1, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535,
        ];
        for code in valid {
            assert_eq!(close_code_class(code), CodeClass::Valid, "{code}");
        }
        for code in invalid {
            assert_eq!(close_code_class(code), CodeClass::Invalid, "{code}");
        }
    }

    #[test]
    fn payloads() {
        assert_eq!(encode_close_payload(Some(1000), b"bye"), b"\x03\xE8bye");
        assert_eq!(encode_close_payload(None, b""), b"");
        assert_eq!(encode_close_payload(Some(1005), b""), b"\x03\xED");
        assert_eq!(parse_close_payload(b""), Ok((None, &b""[..])));
        assert_eq!(parse_close_payload(b"\x03\xE8"), Ok((Some(1000), &b""[..])));
        assert_eq!(
            parse_close_payload(&[b"\x0F\xA0", "Grüße".as_bytes()].concat()),
            Ok((Some(4000), "Grüße".as_bytes()))
        );
        assert_eq!(parse_close_payload(b"\x03"), Err(CloseError::OneByte));
        assert_eq!(
            parse_close_payload(b"\x03\xED"),
            Err(CloseError::InvalidCode { code: 1005 })
        );
        let err = parse_close_payload(b"\x03\xE8ok\xCE\xBA\xE1").unwrap_err();
        let CloseError::ReasonNotUtf8(e) = err else {
            panic!("{err:?}")
        };
        assert!(e.incomplete);
        assert_eq!(e.offset, 4);
    }
}
