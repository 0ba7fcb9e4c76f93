//! Raw steps → validated steps.

use std::collections::VecDeque;
use std::time::Duration;

use super::duration::parse_duration;
use super::expect::{build_close, build_idle_close, build_open, build_response};
use super::raw::{
    RawExpectResponses, RawPayload, RawPiece, RawRequest, RawSend, RawSplit, RawStep, S,
};
use super::scenario::{
    Alternative, Body, Expect, ExpectGroup, ExpectKind, Loc, Payload, Piece, RequestSpec, Send,
    SendWhat, Split, Step, StepKind,
};
use super::validate::{loc, loc_or, pinpoint, Ctx};
use crate::text::Template;

/// Most bytes one `repeat` piece may produce.
const MAX_REPEAT_BYTES: u64 = 256 * 1024 * 1024;

/// Builds the steps of a case (or of one `any_of` alternative when `in_alternative`).
pub(crate) fn build_steps(ctx: &mut Ctx, raw: &[S<RawStep>], in_alternative: bool) -> Vec<Step> {
    let mut methods = VecDeque::new();
    build_with_methods(ctx, raw, in_alternative, &mut methods)
}

/// `methods` queues, for each request sent and not yet answered, whether it was HEAD: a
/// response to HEAD has no body (RFC 9112 §6.3), so its expectation must know.
fn build_with_methods(
    ctx: &mut Ctx,
    raw: &[S<RawStep>],
    in_alternative: bool,
    methods: &mut VecDeque<bool>,
) -> Vec<Step> {
    let mut steps = Vec::new();
    for s in raw {
        let at = loc(s);
        if in_alternative && !is_expectation(&s.value) {
            ctx.err(at, "`any_of` alternatives may contain only expect_* steps (they are checked against the same bytes)");
            continue;
        }
        let kind = match &s.value {
            RawStep::Connect => StepKind::Connect,
            RawStep::ConnectPlain => StepKind::ConnectWith(super::tls::Transport::Plain),
            RawStep::TlsConnect(t) => StepKind::ConnectWith(super::tls::Transport::Tls(Box::new(
                super::tls::build_tls_connect(ctx, t),
            ))),
            RawStep::ExpectTls(t) => {
                let exp = super::tls::build_expect_tls(ctx, t);
                let timeout = t.within.as_ref().and_then(|w| {
                    parse_duration(&w.value)
                        .map_err(|m| ctx.err(loc(w), m))
                        .ok()
                });
                single(at, ExpectKind::Tls(exp), timeout)
            }
            RawStep::HalfClose => StepKind::HalfClose,
            RawStep::Sleep(d) => match parse_duration(&d.value) {
                Ok(d) => StepKind::Sleep(d),
                Err(m) => {
                    ctx.err(loc(d), m);
                    continue;
                }
            },
            RawStep::Send(send) => {
                let sent = build_send(ctx, &send.value, loc_or(send, at));
                if let Some(m) = &send.value.method {
                    methods.push_back(m.value.eq_ignore_ascii_case("HEAD"));
                }
                StepKind::Send(sent)
            }
            RawStep::Request(req) => {
                let (sent, is_head) = build_request(ctx, req, at);
                methods.push_back(is_head);
                StepKind::Send(sent)
            }
            RawStep::AnyOf(alts) | RawStep::Either(alts) => {
                let equal = matches!(&s.value, RawStep::Either(_));
                if alts.len() < 2 {
                    let key = if equal { "either" } else { "any_of" };
                    ctx.err(at, format!("`{key}` needs at least two alternatives"));
                }
                let mut alternatives = Vec::new();
                let mut after: Option<VecDeque<bool>> = None;
                for alt in alts {
                    let mut queue = methods.clone();
                    let inner = build_with_methods(ctx, &alt.value, true, &mut queue);
                    if alt.value.is_empty() {
                        ctx.err(loc(alt), "an empty alternative would always pass");
                    }
                    let expects = inner.into_iter().flat_map(|st| match st.kind {
                        StepKind::Expect(g) => g
                            .alternatives
                            .into_iter()
                            .flat_map(|a| a.steps)
                            .collect::<Vec<_>>(),
                        _ => Vec::new(),
                    });
                    alternatives.push(Alternative {
                        loc: loc(alt),
                        steps: expects.collect(),
                    });
                    after.get_or_insert(queue);
                }
                *methods = after.unwrap_or_default();
                StepKind::Expect(ExpectGroup {
                    alternatives,
                    equal,
                })
            }
            RawStep::ExpectResponse(r) => {
                let to_head = head_for(ctx, r.method.as_ref(), methods);
                let (exp, timeout) = build_response(ctx, r, to_head);
                single(at, ExpectKind::Response(Box::new(exp)), timeout)
            }
            RawStep::ExpectResponses(list) => {
                let items: Vec<&S<super::raw::RawExpectResponse>> = match list.as_ref() {
                    RawExpectResponses::List(items) => items.iter().collect(),
                    RawExpectResponses::Count { count, each } => {
                        if count.value == 0 || count.value > 1000 {
                            ctx.err(loc(count), "count must be between 1 and 1000");
                        }
                        std::iter::repeat_n(each.as_ref(), count.value.min(1000) as usize).collect()
                    }
                };
                if items.is_empty() {
                    ctx.err(at, "expect_responses needs at least one response");
                }
                let steps = items
                    .into_iter()
                    .map(|r| {
                        let to_head = head_for(ctx, r.value.method.as_ref(), methods);
                        let (exp, timeout) = build_response(ctx, &r.value, to_head);
                        Expect {
                            loc: loc(r),
                            kind: ExpectKind::Response(Box::new(exp)),
                            timeout,
                        }
                    })
                    .collect();
                StepKind::Expect(ExpectGroup {
                    alternatives: vec![Alternative { loc: at, steps }],
                    equal: false,
                })
            }
            RawStep::ExpectClose(c) => {
                let (exp, timeout) = build_close(ctx, c);
                single(at, ExpectKind::Close(exp), timeout)
            }
            RawStep::ExpectIdleClose(c) => {
                let (exp, timeout) = build_idle_close(ctx, c);
                single(at, ExpectKind::IdleClose(exp), timeout)
            }
            RawStep::ExpectOpen(o) => {
                let exp = build_open(ctx, o);
                single(at, ExpectKind::Open(exp), None)
            }
        };
        steps.push(Step { loc: at, kind });
    }
    steps
}

fn is_expectation(step: &RawStep) -> bool {
    matches!(
        step,
        RawStep::ExpectResponse(_)
            | RawStep::ExpectResponses(_)
            | RawStep::ExpectClose(_)
            | RawStep::ExpectIdleClose(_)
            | RawStep::ExpectOpen(_)
            | RawStep::ExpectTls(_)
    )
}

fn single(at: Loc, kind: ExpectKind, timeout: Option<Duration>) -> StepKind {
    StepKind::Expect(ExpectGroup {
        alternatives: vec![Alternative {
            loc: at,
            steps: vec![Expect {
                loc: at,
                kind,
                timeout,
            }],
        }],
        equal: false,
    })
}

/// Whether the next response answers a HEAD: an explicit `method:` wins, otherwise the oldest
/// unanswered request decides.
fn head_for(ctx: &mut Ctx, explicit: Option<&S<String>>, methods: &mut VecDeque<bool>) -> bool {
    let queued = methods.pop_front();
    match explicit {
        Some(m) => {
            if !is_token(&m.value) {
                ctx.err(loc(m), format!("`{}` is not a method token", m.value));
            }
            m.value.eq_ignore_ascii_case("HEAD")
        }
        None => queued.unwrap_or(false),
    }
}

fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

pub(crate) fn template(ctx: &mut Ctx, value: &str, at: Loc, escapes: bool) -> Template {
    let known = ctx.known.clone();
    match Template::parse(value, escapes, &|n| known.contains(n)) {
        Ok(t) => t.bind(&ctx.cell),
        Err(e) => {
            let vars: Vec<&str> = known.iter().map(String::as_str).collect();
            let hint = if e.message.starts_with("unknown variable") {
                format!(" (known: {})", vars.join(", "))
            } else {
                String::new()
            };
            // Point at the character itself when the source shows it; otherwise at the
            // string, with the character's position in the message.
            match pinpoint(ctx.source, at, value, e.offset) {
                Some(exact) => ctx.err(exact, format!("{}{hint}", e.message)),
                None => ctx.err(
                    at,
                    format!("{} at character {}{hint}", e.message, e.offset + 1),
                ),
            }
            Template::literal(Vec::new())
        }
    }
}

fn payload(ctx: &mut Ctx, raw: &RawPayload, at: Loc) -> Payload {
    let RawPayload::Pieces(pieces) = raw;
    let mut out = Vec::new();
    for p in pieces {
        let at = loc_or(p, at);
        match &p.value {
            RawPiece::Text(s) => out.push(Piece::Bytes(template(ctx, s, at, true))),
            RawPiece::Repeat { text, times } => {
                let bytes = template(ctx, &text.value, loc_or(text, at), true);
                let unit = bytes.literal_len().unwrap_or(1).max(1) as u64;
                if unit.saturating_mul(*times) > MAX_REPEAT_BYTES {
                    ctx.err(
                        at,
                        format!("repeat produces more than {MAX_REPEAT_BYTES} bytes"),
                    );
                }
                out.push(Piece::Repeat {
                    bytes,
                    times: *times,
                });
            }
        }
    }
    Payload { pieces: out }
}

fn split(ctx: &mut Ctx, raw: Option<&S<RawSplit>>) -> Split {
    let Some(raw) = raw else { return Split::Whole };
    let at = loc(raw);
    let pause = match &raw.value.pause {
        Some(p) => parse_duration(&p.value).unwrap_or_else(|m| {
            ctx.err(loc(p), m);
            Duration::ZERO
        }),
        None => Duration::ZERO,
    };
    match (&raw.value.size, &raw.value.at) {
        (Some(size), None) if size.value > 0 => Split::Every {
            size: size.value,
            pause,
        },
        (None, Some(sizes)) if !sizes.value.is_empty() && sizes.value.iter().all(|&s| s > 0) => {
            Split::At {
                sizes: sizes.value.clone(),
                pause,
            }
        }
        (Some(_), Some(_)) => {
            ctx.err(at, "give either `size` or `at`, not both");
            Split::Whole
        }
        _ => {
            ctx.err(
                at,
                "split needs `size: N` (N > 0) or `at: [N, ...]` (all > 0)",
            );
            Split::Whole
        }
    }
}

fn build_send(ctx: &mut Ctx, send: &RawSend, at: Loc) -> Send {
    if let Some(m) = &send.method {
        if !is_token(&m.value) {
            ctx.err(loc(m), format!("`{}` is not a method token", m.value));
        }
    }
    Send {
        what: SendWhat::Raw(payload(ctx, &send.data.value, loc_or(&send.data, at))),
        split: split(ctx, send.split.as_ref()),
    }
}

fn build_request(ctx: &mut Ctx, req: &RawRequest, at: Loc) -> (Send, bool) {
    let field = |ctx: &mut Ctx, v: &Option<S<String>>, default: &str| match v {
        Some(s) => template(ctx, &s.value, loc(s), true),
        None => template(ctx, default, at, true),
    };
    let method = field(ctx, &req.method, "GET");
    let target = field(ctx, &req.target, "{{base}}/");
    let version = field(ctx, &req.version, "HTTP/1.1");
    let is_head = req.method.as_ref().is_some_and(|m| m.value == "HEAD");
    let headers = req
        .headers
        .iter()
        .flatten()
        .map(|h| template(ctx, &h.value, loc(h), true))
        .collect();
    let body = match (&req.body, &req.chunked) {
        (Some(_), Some(c)) => {
            ctx.err(loc(c), "give either `body` or `chunked`, not both");
            Body::None
        }
        (Some(b), None) => Body::Plain(payload(ctx, &b.value, loc(b))),
        (None, Some(chunks)) => {
            let list = chunks
                .value
                .iter()
                .map(|c| payload(ctx, &c.value, loc(c)))
                .collect();
            let trailers = req
                .trailers
                .iter()
                .map(|t| template(ctx, &t.value, loc(t), true))
                .collect();
            Body::Chunked {
                chunks: list,
                trailers,
            }
        }
        (None, None) => {
            if let Some(t) = req.trailers.first() {
                ctx.err(loc(t), "trailers need a `chunked` body");
            }
            Body::None
        }
    };
    let spec = RequestSpec {
        method,
        target,
        version,
        headers,
        auto_headers: req.auto_headers,
        body,
    };
    (
        Send {
            what: SendWhat::Request(Box::new(spec)),
            split: split(ctx, req.split.as_ref()),
        },
        is_head,
    )
}
