//! Status- and field-semantics rules of RFC 9110 §8-§15: what particular responses must
//! carry, and how a response must agree with the request it answers and with the other
//! responses of the same case. Each function pushes `(rule id, message)` pairs.

use super::lint;
use crate::wire::http1::{Framing, RequestInfo, Response};

/// A response with the request it answers, when the scanner could tell.
#[derive(Clone, Copy, Debug)]
pub struct Exchange<'a> {
    /// The request, if known (see [`crate::wire::http1::RequestScanner`]).
    pub request: Option<&'a RequestInfo>,
    /// The final response.
    pub response: &'a Response,
    /// A 100 (Continue) arrived on the connection after the previous final response, before
    /// this one.
    pub continued: bool,
}

type Out<'o> = &'o mut dyn FnMut(&'static str, String);

fn value(resp: &Response, name: &str) -> Option<Vec<u8>> {
    let mut lines = resp.header_values(name);
    let first = lines.next()?;
    let mut v = first.to_vec();
    for l in lines {
        v.extend_from_slice(b", ");
        v.extend_from_slice(l);
    }
    Some(v)
}

fn date_secs(v: &[u8]) -> Option<u64> {
    let s = std::str::from_utf8(v).ok()?;
    let t = httpdate::parse_http_date(s).ok()?;
    t.duration_since(std::time::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_secs())
}

/// Rules on one response (and its request, if known).
pub(crate) fn one(resp: &Response, req: Option<&RequestInfo>, out: Out<'_>) {
    let status = resp.status;
    let has = |n: &str| resp.header_values(n).next().is_some();
    if status == 405 {
        match value(resp, "allow") {
            None => out(
                "allow-on-405",
                "405 response has no Allow header field".into(),
            ),
            Some(allow) => {
                if let Some(req) = req {
                    let listed = String::from_utf8_lossy(&allow)
                        .split(',')
                        .any(|m| m.trim() == req.method);
                    if listed {
                        out(
                            "allow-on-405",
                            format!(
                                "405 refused {} but its Allow ({:?}) lists {}",
                                req.method,
                                String::from_utf8_lossy(&allow),
                                req.method
                            ),
                        );
                    }
                }
            }
        }
    }
    if status == 401 && !has("www-authenticate") {
        out(
            "www-authenticate-on-401",
            "401 response has no WWW-Authenticate header field".into(),
        );
    }
    if matches!(status, 301 | 302 | 303 | 307 | 308) && !has("location") {
        out(
            "location-on-redirect",
            format!("{status} response has no Location header field"),
        );
    }
    if (status == 101 || status == 426) && !has("upgrade") {
        out(
            "upgrade-on-101-426",
            format!("{status} response has no Upgrade header field"),
        );
    }
    if status == 101 {
        if let (Some(req), Some(up)) = (req, value(resp, "upgrade")) {
            let offered: Vec<String> = req
                .header("upgrade")
                .unwrap_or_default()
                .split(',')
                .map(|p| p.trim().to_ascii_lowercase())
                .collect();
            for p in String::from_utf8_lossy(&up).split(',') {
                let p = p.trim().to_ascii_lowercase();
                if !p.is_empty() && !offered.contains(&p) {
                    out(
                        "upgrade-on-101-426",
                        format!("101 switches to {p:?}, which the request's Upgrade did not offer"),
                    );
                    break;
                }
            }
        }
    }
    if status == 205 && resp.body_len > 0 {
        out(
            "content-on-205",
            format!("205 response carries {} bytes of content", resp.body_len),
        );
    }
    if let Some(req) = req {
        if req.method == "CONNECT" && (200..300).contains(&status) {
            let which: Vec<&str> = ["Content-Length", "Transfer-Encoding"]
                .into_iter()
                .filter(|n| has(n))
                .collect();
            if !which.is_empty() {
                out(
                    "framing-on-connect-2xx",
                    format!(
                        "{status} response to CONNECT carries {}",
                        which.join(" and ")
                    ),
                );
            }
        }
        if req.is_before_1_1() && has("transfer-encoding") {
            out(
                "te-to-http10",
                format!(
                    "response to an {} request carries Transfer-Encoding",
                    req.version
                ),
            );
        }
    }
    if let (Some(lm), Some(date)) = (value(resp, "last-modified"), value(resp, "date")) {
        if let (Some(lm_s), Some(date_s)) = (date_secs(&lm), date_secs(&date)) {
            if lm_s > date_s {
                out(
                    "last-modified-after-date",
                    format!(
                        "Last-Modified {:?} is {} s after Date {:?}",
                        String::from_utf8_lossy(&lm),
                        lm_s - date_s,
                        String::from_utf8_lossy(&date)
                    ),
                );
            }
        }
    }
    if status == 206 {
        if let Err(why) = partial_parts(resp) {
            out("content-range-206", why);
        }
        if let (Some(req), Some(ct)) = (req, value(resp, "content-type")) {
            let single = req.header("range").is_some_and(|r| !r.contains(','));
            if single && is_multipart_byteranges(&ct) {
                out(
                    "multipart-for-single-range",
                    "a request for a single range was answered with multipart/byteranges".into(),
                );
            }
        }
    }
    lints(resp, out);
}

fn lints(resp: &Response, out: Out<'_>) {
    let cc: Vec<&[u8]> = resp.header_values("cache-control").collect();
    if !cc.is_empty() {
        let joined = cc.join(&b", "[..]);
        if let Some(why) = lint::cache_control_problem(&joined) {
            out("cache-control-syntax", format!("Cache-Control: {why}"));
        }
    }
    for name in ["Expires", "Last-Modified"] {
        for v in resp.header_values(name) {
            if !lint::is_imf_fixdate(v) {
                out(
                    "http-date-fields",
                    format!(
                        "{name} {:?} is not an IMF-fixdate",
                        String::from_utf8_lossy(v)
                    ),
                );
            }
        }
    }
    for v in resp.header_values("etag") {
        if let Some(why) = lint::etag_problem(v) {
            out("etag-syntax", format!("ETag: {why}"));
        }
    }
    for v in resp.header_values("age") {
        if let Some(why) = lint::age_problem(v) {
            out("age-syntax", format!("Age: {why}"));
        }
    }
    for v in resp.header_values("set-cookie") {
        if let Some(why) = lint::set_cookie_problem(v) {
            out("set-cookie-syntax", format!("Set-Cookie: {why}"));
        }
    }
}

fn is_multipart_byteranges(ct: &[u8]) -> bool {
    let ct = String::from_utf8_lossy(ct).to_ascii_lowercase();
    ct.split(';')
        .next()
        .is_some_and(|t| t.trim() == "multipart/byteranges")
}

/// A parsed `Content-Range` (RFC 9110 §14.4) for a satisfied byte range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ByteRange {
    first: u64,
    last: u64,
    complete: Option<u64>,
}

/// `Content-Range = range-unit SP ( range-resp / unsatisfied-range )`,
/// `range-resp = incl-range "/" ( complete-length / "*" )`; only `bytes` is understood.
pub(crate) fn parse_content_range(v: &[u8]) -> Result<ByteRange, String> {
    let s = std::str::from_utf8(v).map_err(|_| "Content-Range is not ASCII".to_string())?;
    let bad = || format!("Content-Range {s:?} is not `bytes first-last/length`");
    let rest = s
        .strip_prefix("bytes ")
        .or_else(|| s.strip_prefix("BYTES "))
        .ok_or_else(bad)?;
    let (range, len) = rest.split_once('/').ok_or_else(bad)?;
    let (first, last) = range.split_once('-').ok_or_else(bad)?;
    let num = |t: &str| {
        (!t.is_empty() && t.len() <= 19 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse::<u64>().ok())
            .flatten()
    };
    let (first, last) = (num(first).ok_or_else(bad)?, num(last).ok_or_else(bad)?);
    let complete = if len == "*" {
        None
    } else {
        Some(num(len).ok_or_else(bad)?)
    };
    if first > last {
        return Err(format!("Content-Range {s:?}: first-pos is after last-pos"));
    }
    if complete.is_some_and(|c| last >= c) {
        return Err(format!(
            "Content-Range {s:?}: last-pos is not below the complete length"
        ));
    }
    Ok(ByteRange {
        first,
        last,
        complete,
    })
}

/// The ranges a 206 encloses, with their bytes (`None` when the body was not all kept).
type Parts<'r> = Vec<(ByteRange, Option<&'r [u8]>)>;

/// Checks the shape of a 206 (RFC 9110 §15.3.7) and returns its parts.
pub(crate) fn partial_parts(resp: &Response) -> Result<Parts<'_>, String> {
    if resp.framing == Framing::NoBody {
        // A 206 to HEAD: only the header field can be checked.
        return match value(resp, "content-range") {
            Some(cr) => parse_content_range(&cr).map(|r| vec![(r, None)]),
            None if value(resp, "content-type").is_some_and(|c| is_multipart_byteranges(&c)) => {
                Ok(Vec::new())
            }
            None => Err("206 response to HEAD has no Content-Range".into()),
        };
    }
    let kept = (resp.body.len() as u64 == resp.body_len).then_some(resp.body.as_slice());
    let ct = value(resp, "content-type");
    if ct.as_deref().is_some_and(is_multipart_byteranges) {
        if resp.header_values("content-range").next().is_some() {
            return Err(
                "multipart/byteranges 206 carries a Content-Range in its header section".into(),
            );
        }
        let Some(body) = kept else {
            return Ok(Vec::new());
        };
        let ct = String::from_utf8_lossy(ct.as_deref().unwrap_or_default()).into_owned();
        let boundary = ct
            .split(';')
            .skip(1)
            .filter_map(|p| p.split_once('='))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case("boundary"))
            .map(|(_, v)| v.trim().trim_matches('"').to_string())
            .ok_or("multipart/byteranges 206 has no boundary parameter")?;
        return multipart(body, boundary.as_bytes());
    }
    let cr = value(resp, "content-range")
        .ok_or("206 response has neither Content-Range nor multipart/byteranges content")?;
    let r = parse_content_range(&cr)?;
    let want = r.last - r.first + 1;
    if resp.body_len != want {
        return Err(format!(
            "Content-Range {:?} encloses {want} bytes but the content is {} bytes",
            String::from_utf8_lossy(&cr),
            resp.body_len
        ));
    }
    Ok(vec![(r, kept)])
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Splits a multipart/byteranges body (RFC 2046 §5.1, RFC 9110 §14.6) into its parts.
fn multipart<'b>(body: &'b [u8], boundary: &[u8]) -> Result<Parts<'b>, String> {
    if boundary.is_empty() {
        return Err("multipart/byteranges 206 has an empty boundary".into());
    }
    let mut delim = b"--".to_vec();
    delim.extend_from_slice(boundary);
    let bad = |why: &str| format!("multipart/byteranges content: {why}");
    let mut pos = find(body, &delim, 0).ok_or_else(|| bad("no boundary delimiter"))?;
    let mut parts = Vec::new();
    loop {
        pos += delim.len();
        if body[pos..].starts_with(b"--") {
            break;
        }
        let head_start =
            find(body, b"\r\n", pos).ok_or_else(|| bad("delimiter line not ended"))? + 2;
        let head_end = find(body, b"\r\n\r\n", head_start - 2)
            .ok_or_else(|| bad("part header section not ended"))?;
        let head = &body[head_start.min(head_end)..head_end];
        let data_start = head_end + 4;
        let mut close = delim.clone();
        close.splice(0..0, *b"\r\n");
        let data_end =
            find(body, &close, data_start).ok_or_else(|| bad("part not closed by a delimiter"))?;
        let cr = head
            .split(|&b| b == b'\n')
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
            .find_map(|l| {
                let colon = l.iter().position(|&b| b == b':')?;
                l[..colon]
                    .eq_ignore_ascii_case(b"content-range")
                    .then(|| lint_trim(&l[colon + 1..]))
            })
            .ok_or_else(|| bad("a part has no Content-Range"))?;
        let r = parse_content_range(cr)?;
        let data = &body[data_start..data_end];
        if data.len() as u64 != r.last - r.first + 1 {
            return Err(bad(&format!(
                "part {:?} holds {} bytes",
                String::from_utf8_lossy(cr),
                data.len()
            )));
        }
        parts.push((r, Some(data)));
        pos = data_end + 2;
        if parts.len() > 10_000 {
            break;
        }
    }
    if parts.is_empty() {
        return Err(bad("no parts"));
    }
    Ok(parts)
}

fn lint_trim(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

/// Rules that compare responses of one case: each 304, 206 or HEAD response against a 200
/// to a GET of the same target.
pub(crate) fn across(exchanges: &[Exchange<'_>], out: Out<'_>) {
    // The full representations: 200 responses to GET, all of whose content was kept.
    let full: Vec<(&RequestInfo, &Response)> = exchanges
        .iter()
        .filter_map(|e| Some((e.request?, e.response)))
        .filter(|(q, r)| {
            q.method == "GET"
                && r.status == 200
                && r.framing != Framing::NoBody
                && r.body.len() as u64 == r.body_len
        })
        .collect();
    for e in exchanges {
        let Some(req) = e.request else { continue };
        let resp = e.response;
        let expects_continue = req.header("expect").is_some_and(|v| {
            v.split(',')
                .any(|m| m.trim().eq_ignore_ascii_case("100-continue"))
        });
        if resp.status == 101 && expects_continue && !e.continued {
            out(
                "continue-before-101",
                "a request with both Upgrade and `Expect: 100-continue` got a 101 without a 100 (Continue) first".into(),
            );
        }
        let same = |r: &Response| {
            // Another representation (changed between the requests) proves nothing.
            ["etag", "last-modified"]
                .iter()
                .all(|n| match (value(resp, n), value(r, n)) {
                    (Some(a), Some(b)) => a == b || resp.status == 304 && *n == "last-modified",
                    _ => true,
                })
        };
        let Some((_, full_resp)) = full
            .iter()
            .find(|(q, r)| q.target == req.target && (resp.status == 304 || same(r)))
        else {
            continue;
        };
        if resp.status == 304 && matches!(req.method.as_str(), "GET" | "HEAD") {
            for name in [
                "ETag",
                "Cache-Control",
                "Content-Location",
                "Expires",
                "Vary",
            ] {
                if value(full_resp, name).is_some() && value(resp, name).is_none() {
                    out(
                        "not-modified-validators",
                        format!("304 for {} lacks the {name} its 200 carried", req.target),
                    );
                }
            }
        }
        if (resp.status == 304 && matches!(req.method.as_str(), "GET" | "HEAD"))
            || (req.method == "HEAD" && resp.status == 200)
        {
            if let Some(cl) = value(resp, "content-length") {
                if cl != full_resp.body_len.to_string().as_bytes() {
                    out(
                        "content-length-bodiless",
                        format!(
                            "{} {} response for {} says Content-Length {:?}, but the 200 to GET had {} bytes",
                            req.method,
                            resp.status,
                            req.target,
                            String::from_utf8_lossy(&cl),
                            full_resp.body_len
                        ),
                    );
                }
            }
        }
        if resp.status == 206 && req.method == "GET" {
            for name in [
                "ETag",
                "Cache-Control",
                "Content-Location",
                "Expires",
                "Vary",
            ] {
                if value(full_resp, name).is_some() && value(resp, name).is_none() {
                    out(
                        "partial-content-fields",
                        format!("206 for {} lacks the {name} its 200 carried", req.target),
                    );
                }
            }
            let Ok(parts) = partial_parts(resp) else {
                continue;
            };
            let rep = &full_resp.body;
            for (r, data) in parts {
                if r.complete.is_some_and(|c| c != rep.len() as u64) {
                    out(
                        "partial-content-matches",
                        format!(
                            "206 for {} gives complete length {}, but the 200 had {} bytes",
                            req.target,
                            r.complete.unwrap_or_default(),
                            rep.len()
                        ),
                    );
                    break;
                }
                let Some(data) = data else { continue };
                let expected = usize::try_from(r.first)
                    .ok()
                    .zip(usize::try_from(r.last).ok())
                    .and_then(|(a, b)| rep.get(a..=b));
                if expected != Some(data) {
                    out(
                        "partial-content-matches",
                        format!(
                            "206 for {}: bytes {}-{} differ from those of the 200 representation",
                            req.target, r.first, r.last
                        ),
                    );
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_parsing() {
        assert_eq!(
            parse_content_range(b"bytes 0-4/18"),
            Ok(ByteRange {
                first: 0,
                last: 4,
                complete: Some(18)
            })
        );
        assert!(parse_content_range(b"bytes 0-4/*").is_ok());
        for bad in [
            &b"bytes 4-0/18"[..],
            b"bytes 0-18/18",
            b"bytes */18",
            b"bytes 0-4",
            b"bytes=0-4/18",
            b"bytes -4/18",
            b"bytes 0-4/x",
            b"bytes  0-4/18",
            b"",
            b"bytes 99999999999999999999-1/2",
        ] {
            assert!(parse_content_range(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn multipart_parts() {
        let body = b"\r\n--XYZ\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-1/18\r\n\r\nHe\r\n--XYZ\r\nContent-Range: bytes 3-4/18\r\n\r\nlo\r\n--XYZ--\r\n";
        let parts = multipart(body, b"XYZ").unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[1].1, Some(&b"lo"[..]));
        let short = b"--XYZ\r\nContent-Range: bytes 0-2/18\r\n\r\nHe\r\n--XYZ--";
        assert!(multipart(short, b"XYZ").is_err());
        let no_cr = b"--XYZ\r\n\r\nHe\r\n--XYZ--";
        assert!(multipart(no_cr, b"XYZ").is_err());
        assert!(multipart(b"junk", b"XYZ").is_err());
        assert!(multipart(b"--XYZ", b"XYZ").is_err());
        assert!(multipart(b"--XYZ\r\n", b"XYZ").is_err());
    }
}
