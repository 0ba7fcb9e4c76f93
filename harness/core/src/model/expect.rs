//! Raw expectations → validated expectations.

use std::time::Duration;

use super::duration::parse_duration;
use super::raw::{
    RawCloseHow, RawExpectClose, RawExpectIdleClose, RawExpectOpen, RawExpectResponse, RawInterim,
    RawStatus, RawStatusItem, S,
};
use super::steps::template;
use super::validate::{loc, Ctx};
use crate::check::{
    BodyCheck, CloseExpect, CloseHow, HeaderCheck, IdleCloseExpect, Interim, OpenExpect,
    ResponseExpect, StatusItem, StatusSpec,
};

fn status(raw: &RawStatus) -> StatusSpec {
    let item = |i: &RawStatusItem| match *i {
        RawStatusItem::Code(c) => StatusItem::Code(c),
        RawStatusItem::Range(lo, hi) => StatusItem::Range(lo, hi),
    };
    match raw {
        RawStatus::One(i) => StatusSpec {
            items: vec![item(i)],
        },
        RawStatus::Any(items) => StatusSpec {
            items: items.iter().map(item).collect(),
        },
    }
}

fn timeout(ctx: &mut Ctx, raw: &Option<S<String>>) -> Option<Duration> {
    raw.as_ref().and_then(|t| {
        parse_duration(&t.value)
            .map_err(|m| ctx.err(loc(t), m))
            .ok()
    })
}

pub(crate) fn build_response(
    ctx: &mut Ctx,
    raw: &RawExpectResponse,
    to_head: bool,
) -> (ResponseExpect, Option<Duration>) {
    let mut exp = ResponseExpect {
        to_head,
        to_connect: raw
            .method
            .as_ref()
            .is_some_and(|m| m.value.eq_ignore_ascii_case("CONNECT")),
        ..ResponseExpect::default()
    };
    if let Some(s) = &raw.status {
        let spec = status(&s.value);
        if spec
            .items
            .iter()
            // 101 ends the HTTP exchange of an upgrade (RFC 9110 §15.2.2), so it can be final.
            .all(|i| matches!(i, StatusItem::Code(c) if *c < 200 && *c != 101))
        {
            ctx.err(
                loc(s),
                "a final response cannot be 1xx (except 101); use `interim:` for 1xx responses",
            );
        }
        exp.status = Some(spec);
    }
    if let Some(v) = &raw.version {
        if !(v.value.starts_with("HTTP/") && v.value.len() == 8) {
            ctx.err(
                loc(v),
                format!("`{}` is not an HTTP version like HTTP/1.1", v.value),
            );
        }
        exp.version = Some(v.value.clone());
    }
    exp.reason = raw.reason.as_ref().map(|r| r.value.clone());
    if let Some(i) = &raw.interim {
        exp.interim = match &i.value {
            RawInterim::None => Interim::None,
            RawInterim::Seen(s) => {
                let spec = status(s);
                if spec.items.iter().any(|it| match *it {
                    StatusItem::Code(c) => c >= 200,
                    StatusItem::Range(lo, _) => lo >= 200,
                }) {
                    ctx.err(loc(i), "interim statuses are 1xx");
                }
                Interim::Seen(spec)
            }
        };
    }
    for (name, m) in raw.headers.iter().flatten() {
        let at = loc(m);
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic() && b != b':') {
            ctx.err(at, format!("`{name}` is not a header field name"));
        }
        let m = &m.value;
        let matches = m.matches.as_ref().and_then(|r| {
            regex::Regex::new(&r.value)
                .map_err(|e| ctx.err(loc(r), format!("invalid regex: {e}")))
                .ok()
        });
        let check = HeaderCheck {
            name: name.clone(),
            present: m.present,
            equals: m
                .equals
                .as_ref()
                .map(|s| template(ctx, &s.value, loc(s), false)),
            contains: m
                .contains
                .as_ref()
                .map(|s| template(ctx, &s.value, loc(s), false)),
            matches,
            list_contains: m
                .list_contains
                .as_ref()
                .map(|s| template(ctx, &s.value, loc(s), false)),
            count: m.count,
        };
        let has_value_check = check.equals.is_some()
            || check.contains.is_some()
            || check.matches.is_some()
            || check.list_contains.is_some();
        if check.present == Some(false) && (has_value_check || check.count.is_some_and(|c| c > 0)) {
            ctx.err(
                at,
                "`present: false` contradicts the value checks beside it",
            );
        }
        if check.present.is_none() && !has_value_check && check.count.is_none() {
            ctx.err(at, "a header expectation needs at least one of present, equals, contains, matches, list_contains, count");
        }
        exp.headers.push(check);
    }
    if let Some(b) = &raw.body {
        let at = loc(b);
        let m = &b.value;
        let matches = m.matches.as_ref().and_then(|r| {
            regex::bytes::Regex::new(&r.value)
                .map_err(|e| ctx.err(loc(r), format!("invalid regex: {e}")))
                .ok()
        });
        let body = BodyCheck {
            equals: m
                .equals
                .as_ref()
                .map(|s| template(ctx, &s.value, loc(s), true)),
            contains: m
                .contains
                .as_ref()
                .map(|s| template(ctx, &s.value, loc(s), true)),
            matches,
            length: m.length,
            empty: m.empty,
        };
        if body.equals.is_none()
            && body.contains.is_none()
            && body.matches.is_none()
            && body.length.is_none()
            && body.empty.is_none()
        {
            ctx.err(
                at,
                "a body expectation needs at least one of equals, contains, matches, length, empty",
            );
        }
        if to_head && (body.empty == Some(false) || body.length.is_some_and(|l| l > 0)) {
            ctx.err(
                at,
                "a response to HEAD has no body (RFC 9112 §6.3); this expectation can never hold",
            );
        }
        exp.body = Some(body);
    }
    for (name, var) in raw.capture.iter().flatten() {
        let at = loc(var);
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic() && b != b':') {
            ctx.err(at, format!("`{name}` is not a header field name"));
        }
        let v = &var.value;
        let ident = v
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
            && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !ident {
            ctx.err(
                at,
                format!("`{v}` is not a variable name (letters, digits and _)"),
            );
        } else if super::load::TARGET_VARS.contains(&v.as_str()) || ctx.cell.contains_key(v) {
            ctx.err(
                at,
                format!("capturing into `{v}` would hide a target or matrix variable"),
            );
        }
        ctx.known.insert(v.clone());
        exp.capture.push((name.clone(), v.clone()));
    }
    (exp, timeout(ctx, &raw.timeout))
}

pub(crate) fn build_close(ctx: &mut Ctx, raw: &RawExpectClose) -> (CloseExpect, Option<Duration>) {
    let how = match raw.how.as_ref().map(|h| h.value) {
        None | Some(RawCloseHow::Any) => CloseHow::Any,
        Some(RawCloseHow::Fin) => CloseHow::Fin,
        Some(RawCloseHow::Reset) => CloseHow::Reset,
    };
    (
        CloseExpect {
            how,
            allow_data: raw.allow_data,
        },
        timeout(ctx, &raw.within),
    )
}

pub(crate) fn build_idle_close(
    ctx: &mut Ctx,
    raw: &RawExpectIdleClose,
) -> (IdleCloseExpect, Option<Duration>) {
    let how = match raw.how.as_ref().map(|h| (h.value, h)) {
        None | Some((RawCloseHow::Fin, _)) => CloseHow::Fin,
        Some((RawCloseHow::Any, _)) => CloseHow::Any,
        Some((RawCloseHow::Reset, h)) => {
            ctx.err(
                loc(h),
                "an idle close is expected to be graceful (RFC 9112 §9.5); use `fin` or `any`",
            );
            CloseHow::Any
        }
    };
    let within = parse_duration(&raw.within.value).unwrap_or_else(|m| {
        ctx.err(loc(&raw.within), m);
        Duration::ZERO
    });
    (
        IdleCloseExpect {
            how,
            allow_data: raw.allow_data,
        },
        Some(within),
    )
}

pub(crate) fn build_open(ctx: &mut Ctx, raw: &RawExpectOpen) -> OpenExpect {
    let duration = parse_duration(&raw.duration.value).unwrap_or_else(|m| {
        ctx.err(loc(&raw.duration), m);
        Duration::ZERO
    });
    OpenExpect {
        duration,
        allow_data: raw.allow_data,
    }
}
