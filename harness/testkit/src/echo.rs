//! `/echo`: the request as this server parsed it, as JSON.
//!
//! `{"method","target","version","headers","body","body_base64","body_len","trailers"}`,
//! with header names as received and every field line a `[name, value]`
//! pair in received order. Values and the body are lossy UTF-8;
//! `body_base64` is exact.

use crate::request::{Field, Head};

/// The JSON reflection of a request with `body` and `trailers`.
pub(crate) fn reflect(head: &Head, body: &[u8], trailers: &[Field]) -> Vec<u8> {
    let mut json = String::from("{\"method\":");
    push_string(&mut json, &head.method);
    json.push_str(",\"target\":");
    push_string(&mut json, &head.target);
    json.push_str(",\"version\":");
    push_string(&mut json, head.version.as_str());
    json.push_str(",\"headers\":");
    push_fields(&mut json, &head.fields);
    json.push_str(",\"body\":");
    push_string(&mut json, &String::from_utf8_lossy(body));
    json.push_str(",\"body_base64\":");
    push_string(&mut json, &base64(body));
    json.push_str(&format!(",\"body_len\":{}", body.len()));
    json.push_str(",\"trailers\":");
    push_fields(&mut json, trailers);
    json.push('}');
    json.into_bytes()
}

/// Appends `[[name, value], ...]`.
fn push_fields(json: &mut String, fields: &[Field]) {
    json.push('[');
    for (index, field) in fields.iter().enumerate() {
        if index > 0 {
            json.push(',');
        }
        json.push('[');
        push_string(json, &field.name);
        json.push(',');
        push_string(json, &String::from_utf8_lossy(&field.value));
        json.push(']');
    }
    json.push(']');
}

/// Appends `text` as a JSON string literal (RFC 8259 §7).
fn push_string(json: &mut String, text: &str) {
    json.push('"');
    for c in text.chars() {
        match c {
            '"' => json.push_str("\\\""),
            '\\' => json.push_str("\\\\"),
            '\n' => json.push_str("\\n"),
            '\r' => json.push_str("\\r"),
            '\t' => json.push_str("\\t"),
            c if u32::from(c) < 0x20 || c == '\u{7f}' => {
                json.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => json.push(c),
        }
    }
    json.push('"');
}

/// Standard padded base64 (RFC 4648 §4).
fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for group in data.chunks(3) {
        let bits = group
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= group.len() {
                let index = (bits >> (18 - 6 * i)) & 0x3f;
                out.push(char::from(ALPHABET[index as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Version;

    #[test]
    fn base64_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn escapes_json() {
        let head = Head {
            method: "POST".into(),
            target: "/echo?\"q\"".into(),
            version: Version::Http11,
            fields: vec![Field {
                name: "X-A".into(),
                value: b"a\\b\tc".to_vec(),
            }],
        };
        let json = String::from_utf8(reflect(&head, b"x\ny\x01", &[])).unwrap();
        assert_eq!(
            json,
            r#"{"method":"POST","target":"/echo?\"q\"","version":"HTTP/1.1","headers":[["X-A","a\\b\tc"]],"body":"x\ny\u0001","body_base64":"eAp5AQ==","body_len":4,"trailers":[]}"#
        );
    }
}
