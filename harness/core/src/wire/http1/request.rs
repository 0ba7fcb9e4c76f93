//! The request encoder. It writes exactly what the case describes, including what a library
//! would refuse (odd header spellings, duplicate fields, malformed versions).

use crate::model::{Body, Payload, RequestSpec};
use crate::text::Vars;

/// Encodes `req` with `vars` bound.
///
/// With `auto_headers`, a `Host` line is added first when the case wrote none (RFC 9112 §3.2:
/// a client MUST send Host in every HTTP/1.1 request), and `Content-Length` or
/// `Transfer-Encoding: chunked` is added when the case gave a body but no framing field.
pub fn encode_request(req: &RequestSpec, vars: &Vars) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    out.extend(req.method.render(vars));
    out.push(b' ');
    out.extend(req.target.render(vars));
    out.push(b' ');
    out.extend(req.version.render(vars));
    out.extend_from_slice(b"\r\n");
    let lines: Vec<Vec<u8>> = req.headers.iter().map(|h| h.render(vars)).collect();
    let has = |name: &str| {
        lines
            .iter()
            .any(|l| field_name(l).eq_ignore_ascii_case(name.as_bytes()))
    };
    if req.auto_headers && !has("host") {
        out.extend_from_slice(b"Host: ");
        out.extend_from_slice(
            vars.get("authority")
                .map(String::as_bytes)
                .unwrap_or_default(),
        );
        out.extend_from_slice(b"\r\n");
    }
    for line in &lines {
        out.extend_from_slice(line);
        out.extend_from_slice(b"\r\n");
    }
    let framed = has("content-length") || has("transfer-encoding");
    match &req.body {
        Body::None => out.extend_from_slice(b"\r\n"),
        Body::Plain(payload) => {
            let body = render_payload(payload, vars);
            if req.auto_headers && !framed {
                out.extend_from_slice(format!("Content-Length: {}\r\n", body.len()).as_bytes());
            }
            out.extend_from_slice(b"\r\n");
            out.extend(body);
        }
        Body::Chunked { chunks, trailers } => {
            if req.auto_headers && !framed {
                out.extend_from_slice(b"Transfer-Encoding: chunked\r\n");
            }
            out.extend_from_slice(b"\r\n");
            for chunk in chunks {
                let data = render_payload(chunk, vars);
                out.extend_from_slice(format!("{:x}\r\n", data.len()).as_bytes());
                out.extend(data);
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(b"0\r\n");
            for t in trailers {
                out.extend(t.render(vars));
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(b"\r\n");
        }
    }
    out
}

/// Renders a payload's pieces in order.
pub fn render_payload(payload: &Payload, vars: &Vars) -> Vec<u8> {
    let mut out = Vec::new();
    for piece in &payload.pieces {
        match piece {
            crate::model::Piece::Bytes(t) => out.extend(t.render(vars)),
            crate::model::Piece::Repeat { bytes, times } => {
                // Doubling copies rather than one copy per repetition: a 16 MiB
                // `{repeat: 'a'}` took seconds to build a byte at a time in a debug build,
                // most of a case's timeout before the first byte was written.
                let unit = bytes.render(vars);
                let times = usize::try_from(*times).unwrap_or(usize::MAX);
                let total = unit.len().saturating_mul(times);
                let start = out.len();
                out.reserve(total);
                if total > 0 {
                    out.extend_from_slice(&unit);
                    while out.len() - start < total {
                        let have = out.len() - start;
                        out.extend_from_within(start..start + have.min(total - have));
                    }
                }
            }
        }
    }
    out
}

/// The field name of a raw header line: bytes before the first colon, trimmed of spaces and
/// tabs (so `Host : x` counts as a Host line when deciding whether to add one).
fn field_name(line: &[u8]) -> &[u8] {
    let end = line.iter().position(|&b| b == b':').unwrap_or(line.len());
    let name = &line[..end];
    let start = name
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(name.len());
    let stop = name
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    &name[start..stop]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Piece;
    use crate::text::Template;

    fn t(s: &str) -> Template {
        Template::parse(s, true, &|_| true).unwrap()
    }

    fn req(headers: &[&str], body: Body) -> RequestSpec {
        RequestSpec {
            method: t("POST"),
            target: t("{{base}}/echo"),
            version: t("HTTP/1.1"),
            headers: headers.iter().map(|h| t(h)).collect(),
            auto_headers: true,
            body,
        }
    }

    fn vars() -> Vars {
        Vars::from([
            ("authority".into(), "h:1".into()),
            ("base".into(), "".into()),
        ])
    }

    #[test]
    fn adds_host_and_length() {
        let body = Body::Plain(Payload {
            pieces: vec![Piece::Bytes(t("hello"))],
        });
        let got = encode_request(&req(&["X: y"], body), &vars());
        assert_eq!(
            got,
            b"POST /echo HTTP/1.1\r\nHost: h:1\r\nX: y\r\nContent-Length: 5\r\n\r\nhello"
        );
    }

    #[test]
    fn keeps_written_framing_and_odd_host() {
        let body = Body::Plain(Payload {
            pieces: vec![Piece::Bytes(t("hello"))],
        });
        let got = encode_request(&req(&["Host : a", "Content-Length: 3"], body), &vars());
        assert_eq!(
            got,
            b"POST /echo HTTP/1.1\r\nHost : a\r\nContent-Length: 3\r\n\r\nhello"
        );
    }

    #[test]
    fn chunked_with_trailers() {
        let body = Body::Chunked {
            chunks: vec![Payload {
                pieces: vec![Piece::Repeat {
                    bytes: t("ab"),
                    times: 8,
                }],
            }],
            trailers: vec![t("X-T: 1")],
        };
        let got = encode_request(&req(&[], body), &vars());
        assert!(got.ends_with(
            b"Transfer-Encoding: chunked\r\n\r\n10\r\nabababababababab\r\n0\r\nX-T: 1\r\n\r\n"
        ));
    }
    #[test]
    fn repeats_are_exact_after_other_pieces() {
        for times in [0u64, 1, 2, 3, 7, 1000] {
            let p = Payload {
                pieces: vec![
                    Piece::Bytes(t("x")),
                    Piece::Repeat {
                        bytes: t("abc"),
                        times,
                    },
                    Piece::Bytes(t("y")),
                ],
            };
            let want = format!("x{}y", "abc".repeat(times as usize));
            assert_eq!(
                render_payload(&p, &vars()),
                want.as_bytes(),
                "times {times}"
            );
        }
    }
}
