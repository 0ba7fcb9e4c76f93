//! Watching one TCP connection, whatever the case's expectations are about: the requests the
//! harness sent (counted from the bytes, so raw pipelined sends count too), the responses
//! that came back, and how and when the connection ended relative to the last response.
//!
//! Sans-I/O: it is fed the bytes and events the runner reports, stamped with the time since
//! the case started, and turns them into a [`ConnectionRecord`].

use std::time::Duration;

use crate::result::{human_us, ConnectionEnd, ConnectionRecord};
use crate::wire::http1::{ChunkedDecoder, DecodeLimits, Progress, ResponseDecoder};

/// Largest request head the scanner frames; past it, counting stops.
const MAX_HEAD: usize = 64 * 1024;
/// Most request methods remembered for pairing responses to HEAD.
const MAX_METHODS: usize = 100_000;

/// Where the request stream is.
#[derive(Debug)]
enum ReqState {
    /// Between requests (empty lines before a request-line are skipped, RFC 9112 §2.2).
    Between,
    /// Inside a head; its bytes are in `head`.
    Head,
    /// Inside a body framed by Content-Length; bytes still owed.
    Body(u64),
    /// Inside a chunked body.
    Chunked(Box<ChunkedDecoder>),
    /// The harness sent something it cannot frame itself (a framing-error case).
    Unframed,
}

/// Frames the bytes the harness sends into requests, to count them.
#[derive(Debug)]
pub(crate) struct RequestScanner {
    state: ReqState,
    head: Vec<u8>,
    /// A chunked-body line cut between two writes.
    pending: Vec<u8>,
    /// Bytes of the request in progress (head and body so far).
    in_progress: u64,
    /// Whether each complete request head was a HEAD request, in order.
    heads: Vec<bool>,
    /// Complete request heads.
    pub(crate) complete: u32,
    /// A request had a Content-Length the scanner could not use (counted as no body).
    pub(crate) approximate: bool,
}

impl Default for RequestScanner {
    fn default() -> Self {
        RequestScanner {
            state: ReqState::Between,
            head: Vec::new(),
            pending: Vec::new(),
            in_progress: 0,
            heads: Vec::new(),
            complete: 0,
            approximate: false,
        }
    }
}

/// How a request body is framed, from its head.
enum BodyFraming {
    None,
    Length(u64),
    Chunked,
    /// Content-Length values that cannot be parsed or disagree: counted as no body (the
    /// server must reject the request anyway, RFC 9112 §6.3), and the count is approximate.
    BadLength,
    /// A transfer coding other than chunked last: nothing after it can be framed.
    Unknown,
}

impl RequestScanner {
    /// Consumes bytes the harness wrote.
    pub(crate) fn feed(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            match &mut self.state {
                ReqState::Unframed => return,
                ReqState::Between => {
                    let skip = data
                        .iter()
                        .position(|&b| b != b'\r' && b != b'\n')
                        .unwrap_or(data.len());
                    data = &data[skip..];
                    if !data.is_empty() {
                        self.state = ReqState::Head;
                        self.head.clear();
                        self.in_progress = 0;
                    }
                }
                ReqState::Head => {
                    // Byte by byte: heads are small, and the end must be found exactly.
                    let mut used = 0;
                    let mut ended = false;
                    for &b in data {
                        used += 1;
                        self.head.push(b);
                        if b == b'\n'
                            && (self.head.ends_with(b"\n\n") || self.head.ends_with(b"\n\r\n"))
                        {
                            ended = true;
                            break;
                        }
                        if self.head.len() > MAX_HEAD {
                            break;
                        }
                    }
                    self.in_progress += used as u64;
                    data = &data[used..];
                    if ended {
                        self.end_head();
                    } else if self.head.len() > MAX_HEAD {
                        self.state = ReqState::Unframed;
                    }
                }
                ReqState::Body(owed) => {
                    let take = (*owed).min(data.len() as u64);
                    *owed -= take;
                    self.in_progress += take;
                    data = &data[take as usize..];
                    if *owed == 0 {
                        self.state = ReqState::Between;
                        self.in_progress = 0;
                    }
                }
                ReqState::Chunked(dec) => {
                    // The chunked decoder consumes whole lines only: a line cut between two
                    // writes waits in `pending` for the rest.
                    let mut buf = std::mem::take(&mut self.pending);
                    let from_pending = buf.len();
                    buf.extend_from_slice(data);
                    match dec.feed(&buf, &mut |_| {}) {
                        Ok(p) if p.done => {
                            let used = p.consumed.saturating_sub(from_pending).min(data.len());
                            data = &data[used..];
                            self.state = ReqState::Between;
                            self.in_progress = 0;
                        }
                        Ok(p) => {
                            self.in_progress += data.len() as u64;
                            self.pending = buf[p.consumed.min(buf.len())..].to_vec();
                            return;
                        }
                        Err(_) => {
                            self.state = ReqState::Unframed;
                            return;
                        }
                    }
                }
            }
        }
    }

    fn end_head(&mut self) {
        let framing = body_framing(&self.head);
        let is_head = self.head.starts_with(b"HEAD ");
        self.complete = self.complete.saturating_add(1);
        if self.heads.len() < MAX_METHODS {
            self.heads.push(is_head);
        }
        self.head.clear();
        self.state = match framing {
            BodyFraming::None | BodyFraming::Length(0) => {
                self.in_progress = 0;
                ReqState::Between
            }
            BodyFraming::BadLength => {
                self.approximate = true;
                self.in_progress = 0;
                ReqState::Between
            }
            BodyFraming::Length(n) => ReqState::Body(n),
            BodyFraming::Chunked => {
                self.pending.clear();
                ReqState::Chunked(Box::default())
            }
            BodyFraming::Unknown => ReqState::Unframed,
        };
    }

    /// Whether request `i` (0-based) was a HEAD request.
    pub(crate) fn was_head(&self, i: u32) -> bool {
        self.heads.get(i as usize).copied().unwrap_or(false)
    }

    /// True when counting stopped at bytes the scanner could not frame.
    pub(crate) fn uncounted(&self) -> bool {
        matches!(self.state, ReqState::Unframed)
    }

    /// Bytes of a request not yet complete, and the body bytes it still owes when known.
    pub(crate) fn incomplete(&self) -> (u64, Option<u64>) {
        match &self.state {
            ReqState::Between | ReqState::Unframed => (0, None),
            ReqState::Head | ReqState::Chunked(_) => (self.in_progress, None),
            ReqState::Body(owed) => (self.in_progress, Some(*owed)),
        }
    }
}

/// The body framing a request head announces (RFC 9112 §6.1, §6.3): Transfer-Encoding wins;
/// several differing or invalid Content-Length values cannot be framed.
fn body_framing(head: &[u8]) -> BodyFraming {
    let mut te: Option<String> = None;
    let mut cl: Option<u64> = None;
    let mut bad_cl = false;
    for line in head.split(|&b| b == b'\n').skip(1) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let name = String::from_utf8_lossy(&line[..colon]);
        let value = String::from_utf8_lossy(&line[colon + 1..]);
        let name = name.trim();
        if name.eq_ignore_ascii_case("transfer-encoding") {
            let t = te.get_or_insert_with(String::new);
            t.push(',');
            t.push_str(&value);
        } else if name.eq_ignore_ascii_case("content-length") {
            for v in value.split(',').map(str::trim) {
                match v.parse::<u64>() {
                    Ok(n) if v.bytes().all(|b| b.is_ascii_digit()) && cl.is_none_or(|c| c == n) => {
                        cl = Some(n)
                    }
                    _ => bad_cl = true,
                }
            }
        }
    }
    if let Some(te) = te {
        let last = te
            .rsplit(',')
            .map(str::trim)
            .find(|s| !s.is_empty())
            .unwrap_or("");
        return if last.eq_ignore_ascii_case("chunked") {
            BodyFraming::Chunked
        } else {
            BodyFraming::Unknown
        };
    }
    match (cl, bad_cl) {
        (_, true) => BodyFraming::BadLength,
        (Some(n), false) => BodyFraming::Length(n),
        (None, false) => BodyFraming::None,
    }
}

/// One open connection being watched.
pub(crate) struct ConnWatch {
    index: u32,
    opened: Duration,
    requests: RequestScanner,
    /// Received bytes not yet framed into a response.
    recv: Vec<u8>,
    decoder: Option<ResponseDecoder>,
    limits: DecodeLimits,
    /// Final responses read.
    finals: u32,
    last_final_end: Option<Duration>,
    last_activity: Duration,
    half_closed: Option<Duration>,
    /// The first write that failed, and when.
    write_failed: Option<(Duration, String)>,
    /// The received bytes stopped parsing as responses (or switched protocols).
    unparsed: bool,
}

impl ConnWatch {
    pub(crate) fn new(index: u32, now: Duration, limits: DecodeLimits) -> Self {
        ConnWatch {
            index,
            opened: now,
            requests: RequestScanner::default(),
            recv: Vec::new(),
            decoder: None,
            limits: DecodeLimits {
                max_body_kept: 0,
                ..limits
            },
            finals: 0,
            last_final_end: None,
            last_activity: now,
            half_closed: None,
            write_failed: None,
            unparsed: false,
        }
    }

    /// Bytes the harness wrote.
    pub(crate) fn sent(&mut self, now: Duration, data: &[u8]) {
        self.last_activity = self.last_activity.max(now);
        self.requests.feed(data);
    }

    /// Bytes the server sent.
    pub(crate) fn received(&mut self, now: Duration, data: &[u8]) {
        self.last_activity = self.last_activity.max(now);
        if self.unparsed {
            return;
        }
        self.recv.extend_from_slice(data);
        self.decode(now, false);
    }

    pub(crate) fn half_closed(&mut self, now: Duration) {
        self.half_closed.get_or_insert(now);
    }

    /// A write failed: often the first sign that the server reset the connection or stopped
    /// reading.
    pub(crate) fn write_failed(&mut self, now: Duration, why: &str) {
        self.write_failed.get_or_insert((now, why.to_string()));
    }

    /// How long nothing has moved either way.
    pub(crate) fn idle(&self, now: Duration) -> Duration {
        now.saturating_sub(self.last_activity)
    }

    fn decode(&mut self, now: Duration, eof: bool) {
        while !self.unparsed && (!self.recv.is_empty() || (eof && self.decoder.is_some())) {
            let to_head = self.requests.was_head(self.finals);
            let limits = self.limits;
            let decoder = self
                .decoder
                .get_or_insert_with(|| ResponseDecoder::new(limits, to_head));
            match decoder.feed(&self.recv, eof) {
                Ok(Progress::Done { consumed, response }) => {
                    self.recv.drain(..consumed);
                    self.decoder = None;
                    if response.status == 101 {
                        // Another protocol follows: nothing more to frame as HTTP/1.1.
                        self.finals += 1;
                        self.last_final_end = Some(now);
                        self.unparsed = true;
                    } else if !response.is_interim() {
                        self.finals += 1;
                        self.last_final_end = Some(now);
                    }
                }
                Ok(Progress::NeedMore { consumed }) => {
                    self.recv.drain(..consumed);
                    return;
                }
                // The end cut the response short: keep the decoder, which says how far it got.
                Err(e) if eof && e.is_cut_short() => return,
                Err(_) => {
                    self.unparsed = true;
                    self.recv = Vec::new();
                    self.decoder = None;
                }
            }
        }
    }

    /// The connection ended `how` at `now` (`reset`: the error text of a reset).
    pub(crate) fn finish(
        mut self,
        how: ConnectionEnd,
        now: Duration,
        reset: Option<String>,
    ) -> ConnectionRecord {
        if how == ConnectionEnd::Fin {
            // A response delimited by the close is complete now.
            self.decode(now, true);
        }
        let us = |d: Duration| d.as_micros() as u64;
        let requests_sent = self.requests.complete;
        let unanswered = requests_sent.saturating_sub(self.finals);
        let (incomplete, owed) = self.requests.incomplete();
        let after = self.last_final_end.map(|t| us(now.saturating_sub(t)));
        // A response the end cut short (its head read, its body not complete).
        let cut_short = match &self.decoder {
            _ if self.unparsed => None,
            Some(d) if d.has_head() => d.body_progress(),
            _ if !self.recv.is_empty() => Some(format!("{} bytes of its head", self.recv.len())),
            _ => None,
        };
        let mut rec = ConnectionRecord {
            index: self.index,
            opened_at_us: us(self.opened),
            end: how,
            ended_at_us: us(now),
            reset,
            after_last_response_us: after,
            idle_us: us(self.idle(now)),
            half_closed_at_us: self.half_closed.map(us),
            write_failed_at_us: self.write_failed.as_ref().map(|(t, _)| us(*t)),
            write_error: self.write_failed.map(|(_, why)| why),
            requests_sent,
            responses: self.finals,
            unanswered,
            incomplete_request_bytes: incomplete,
            requests_uncounted: self.requests.uncounted(),
            requests_approximate: self.requests.approximate,
            responses_unparsed: self.unparsed,
            cut_short,
            summary: String::new(),
        };
        rec.summary = summarize(&rec, owed);
        rec
    }
}

/// "closed by the server (FIN) 3.1 ms after response 1 ended; every request answered".
fn summarize(rec: &ConnectionRecord, owed: Option<u64>) -> String {
    let how = match rec.end {
        ConnectionEnd::Fin => "closed by the server (FIN)".to_string(),
        ConnectionEnd::Reset => format!(
            "reset ({})",
            rec.reset.as_deref().unwrap_or("connection reset")
        ),
        ConnectionEnd::Harness => "still open".to_string(),
    };
    let when = match (&rec.cut_short, rec.after_last_response_us) {
        (Some(progress), _) => format!(
            "in the middle of response {} ({progress})",
            rec.responses + 1
        ),
        (None, after) => when_after(rec, after),
    };
    finish_summary(rec, how, when, owed)
}

fn when_after(rec: &ConnectionRecord, after: Option<u64>) -> String {
    match after {
        Some(gap) => {
            let which = if rec.responses == 1 {
                "the response".to_string()
            } else {
                format!("response {}", rec.responses)
            };
            format!("{} after {which} ended", human_us(gap))
        }
        None if rec.requests_sent == 0 && rec.incomplete_request_bytes == 0 => {
            format!(
                "{} after connecting, before any request",
                human_us(rec.ended_at_us.saturating_sub(rec.opened_at_us),)
            )
        }
        None => "before any response".to_string(),
    }
}

fn finish_summary(rec: &ConnectionRecord, how: String, when: String, owed: Option<u64>) -> String {
    let mut pending = Vec::new();
    let at_least = if rec.requests_uncounted {
        "at least "
    } else {
        ""
    };
    match rec.unanswered {
        0 if rec.requests_sent > 0 && !rec.requests_uncounted => {
            pending.push(if rec.requests_sent == 1 {
                "the request was answered".to_string()
            } else {
                format!("all {} requests answered", rec.requests_sent)
            });
        }
        0 => {}
        n => pending.push(format!(
            "{at_least}{n} {}request{} unanswered (of {} sent)",
            if n > 1 || rec.responses > 0 {
                "pipelined "
            } else {
                ""
            },
            if n == 1 { "" } else { "s" },
            rec.requests_sent
        )),
    }
    if rec.incomplete_request_bytes > 0 {
        pending.push(match owed {
            Some(owed) => format!(
                "a request body still {owed} bytes short ({} bytes of that request sent)",
                rec.incomplete_request_bytes
            ),
            None => format!(
                "an incomplete request ({} bytes sent)",
                rec.incomplete_request_bytes
            ),
        });
    }
    if rec.requests_uncounted {
        pending.push(format!(
            "{} response{} to {} request{} framed before bytes the harness cannot frame",
            rec.responses,
            if rec.responses == 1 { "" } else { "s" },
            rec.requests_sent,
            if rec.requests_sent == 1 { "" } else { "s" },
        ));
    }
    if rec.requests_approximate && !rec.requests_uncounted {
        pending
            .push("requests counted as if an unparseable Content-Length meant no body".to_string());
    }
    if let (Some(at), Some(why)) = (rec.write_failed_at_us, &rec.write_error) {
        pending.push(format!(
            "a write had failed {} earlier ({why})",
            human_us(rec.ended_at_us.saturating_sub(at))
        ));
    }
    if rec.responses_unparsed {
        pending.push("the bytes received stopped parsing as responses".to_string());
    }
    if let Some(h) = rec.half_closed_at_us {
        pending.push(format!(
            "the harness had half-closed {} earlier",
            human_us(rec.ended_at_us.saturating_sub(h))
        ));
    }
    let mut s = format!("{how} {when}");
    if rec.end == ConnectionEnd::Harness {
        s.push_str(", then closed by the harness");
    }
    if !pending.is_empty() {
        s.push_str("; ");
        s.push_str(&pending.join("; "));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn scan(parts: &[&[u8]]) -> RequestScanner {
        let mut s = RequestScanner::default();
        for p in parts {
            s.feed(p);
        }
        s
    }

    #[test]
    fn pipelined_requests_are_counted_from_raw_bytes() {
        let s = scan(&[b"GET / HTTP/1.1\r\nHost: a\r\n\r\nHEAD /x HTTP/1.1\r\nHost: a\r\n\r\nGET /y HTTP/1.1\r\n\r\n"]);
        assert_eq!(s.complete, 3);
        assert!(!s.was_head(0) && s.was_head(1) && !s.was_head(2));
        assert_eq!(s.incomplete(), (0, None));
    }

    #[test]
    fn bodies_are_skipped_by_content_length_and_chunked_even_across_writes() {
        let s = scan(&[
            b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhel",
            b"loGET / HTTP/1.1\r\n\r\n",
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r",
            b"\nhello\r\n0\r\n\r\n\r\nGET /last HTTP/1.1\r\n\r\n",
        ]);
        assert_eq!(s.complete, 4);
        assert!(!s.uncounted() && !s.approximate);
    }

    #[test]
    fn an_incomplete_head_or_body_is_reported() {
        let s = scan(&[b"GET / HTTP/1.1\r\nHost: a\r\nX-Slow: wa"]);
        assert_eq!((s.complete, s.incomplete()), (0, (35, None)));
        let s = scan(&[b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc"]);
        assert_eq!(s.complete, 1);
        assert_eq!(s.incomplete(), (42, Some(7)));
    }

    #[test]
    fn bad_content_length_counts_as_no_body_and_unknown_coding_stops_counting() {
        let s = scan(&[b"POST / HTTP/1.1\r\nContent-Length: 5, 6\r\n\r\nGET / HTTP/1.1\r\n\r\n"]);
        assert_eq!(s.complete, 2);
        assert!(s.approximate);
        let s =
            scan(&[b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\nGET / HTTP/1.1\r\n\r\n"]);
        assert_eq!(s.complete, 1);
        assert!(s.uncounted());
    }

    const OK: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    #[test]
    fn fin_after_the_response_is_timed_from_its_end() {
        let mut w = ConnWatch::new(1, ms(0), DecodeLimits::default());
        w.sent(
            ms(1),
            b"GET / HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\nGET /3 HTTP/1.1\r\n\r\n",
        );
        w.received(ms(10), OK);
        let rec = w.finish(ConnectionEnd::Fin, ms(13), None);
        assert_eq!(rec.after_last_response_us, Some(3_000));
        assert_eq!(
            (rec.requests_sent, rec.responses, rec.unanswered),
            (3, 1, 2)
        );
        assert_eq!(
            rec.summary,
            "closed by the server (FIN) 3.0 ms after the response ended; 2 pipelined requests unanswered (of 3 sent)"
        );
    }

    #[test]
    fn a_reset_mid_body_names_the_response_it_cut() {
        let mut w = ConnWatch::new(1, ms(0), DecodeLimits::default());
        w.sent(ms(1), b"GET /large.txt HTTP/1.1\r\n\r\n");
        w.received(
            ms(5),
            b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789",
        );
        let rec = w.finish(
            ConnectionEnd::Reset,
            ms(6),
            Some("connection reset by peer".into()),
        );
        assert_eq!(rec.responses, 0);
        assert_eq!(
            rec.cut_short.as_deref(),
            Some("10 of 100 body bytes (Content-Length)")
        );
        assert!(
            rec.summary.starts_with(
                "reset (connection reset by peer) in the middle of response 1 (10 of 100 body bytes"
            ),
            "{}",
            rec.summary
        );
    }

    #[test]
    fn a_fin_mid_body_is_a_cut_response_not_garbage() {
        let mut w = ConnWatch::new(1, ms(0), DecodeLimits::default());
        w.sent(ms(1), b"GET / HTTP/1.1\r\n\r\n");
        w.received(ms(2), b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
        let rec = w.finish(ConnectionEnd::Fin, ms(3), None);
        assert!(!rec.responses_unparsed);
        assert_eq!(
            rec.cut_short.as_deref(),
            Some("3 of 10 body bytes (Content-Length)")
        );
        assert!(rec
            .summary
            .starts_with("closed by the server (FIN) in the middle of response 1"));
        let mut w = ConnWatch::new(1, ms(0), DecodeLimits::default());
        w.sent(ms(1), b"GET / HTTP/1.1\r\n\r\n");
        w.received(ms(2), b"HTTP/1.1 200 OK\r\nConte");
        let rec = w.finish(
            ConnectionEnd::Reset,
            ms(3),
            Some("connection reset by peer".into()),
        );
        assert_eq!(rec.cut_short.as_deref(), Some("22 bytes of its head"));
    }

    #[test]
    fn a_close_delimited_response_completes_at_the_fin_and_interims_do_not_count() {
        let mut w = ConnWatch::new(1, ms(0), DecodeLimits::default());
        w.sent(ms(1), b"GET / HTTP/1.0\r\n\r\n");
        w.received(
            ms(2),
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 200 OK\r\n\r\nbody...",
        );
        let rec = w.finish(ConnectionEnd::Fin, ms(4), None);
        assert_eq!((rec.responses, rec.unanswered), (1, 0));
        assert_eq!(rec.after_last_response_us, Some(0));
    }

    #[test]
    fn a_head_response_has_no_body_even_with_content_length() {
        let mut w = ConnWatch::new(1, ms(0), DecodeLimits::default());
        w.sent(ms(1), b"HEAD / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n");
        w.received(ms(2), b"HTTP/1.1 200 OK\r\nContent-Length: 1048576\r\n\r\n");
        w.received(ms(3), OK);
        let rec = w.finish(ConnectionEnd::Harness, ms(50), None);
        assert_eq!((rec.responses, rec.unanswered), (2, 0));
        assert_eq!(
            rec.summary,
            "still open 47 ms after response 2 ended, then closed by the harness; all 2 requests answered"
        );
    }

    #[test]
    fn idle_time_counts_from_the_last_byte_either_way() {
        let mut w = ConnWatch::new(1, ms(0), DecodeLimits::default());
        w.sent(ms(1), b"GET / HTTP/1.1\r\n\r\n");
        w.received(ms(9), OK);
        assert_eq!(w.idle(ms(5009)), ms(5000));
        w.half_closed(ms(20));
        w.write_failed(ms(30), "Broken pipe (os error 32)");
        let rec = w.finish(ConnectionEnd::Fin, ms(5009), None);
        assert_eq!(rec.idle_us, 5_000_000);
        assert!(rec
            .summary
            .contains("a write had failed 5.0 s earlier (Broken pipe (os error 32))"));
        assert!(rec
            .summary
            .contains("the harness had half-closed 5.0 s earlier"));
    }

    #[test]
    fn bytes_that_are_not_responses_stop_the_count() {
        let mut w = ConnWatch::new(1, ms(0), DecodeLimits::default());
        w.sent(ms(1), b"GET / HTTP/1.1\r\n\r\n");
        w.received(ms(2), b"SSH-2.0-OpenSSH\r\n\r\n");
        let rec = w.finish(ConnectionEnd::Fin, ms(3), None);
        assert!(rec.responses_unparsed);
        assert_eq!(rec.responses, 0);
        assert!(rec.summary.contains("stopped parsing as responses"));
    }
}
