//! Property tests of the per-response validators (`check::validators`) and header checks:
//! the Date / IMF-fixdate rule agrees with the `httpdate` crate plus the IMF-fixdate grammar
//! of RFC 9110 §5.6.7 on generated and mutated dates, and no validator panics on any header
//! value.

use std::time::{Duration, UNIX_EPOCH};

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use regex::Regex;
use wirecheck_core::check::{
    validate_exchange, validate_exchanges, validate_response, Exchange, HeaderCheck,
    ResponseContext, RULES,
};
use wirecheck_core::text::{Template, Vars};
use wirecheck_core::wire::http1::{Framing, Leniency, RequestInfo, RequestScanner, Response};

/// Failing seeds go to `harness/core/proptest-regressions/tests/validators.txt` (committed).
fn config() -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if config.failure_persistence.is_some() {
        config.failure_persistence = Some(Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/proptest-regressions/tests/validators.txt"
        ))));
    }
    config
}

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const LONG_DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
/// First second of the year 10000: httpdate formats only up to the end of 9999.
const END_OF_9999: u64 = 253_402_300_800;

fn response(status: u16, headers: Vec<(String, Vec<u8>)>, leniencies: Vec<Leniency>) -> Response {
    Response {
        version: "HTTP/1.1".into(),
        status,
        reason: "Reason".into(),
        headers,
        body: Vec::new(),
        body_len: 0,
        framing: Framing::ContentLength(0),
        trailers: Vec::new(),
        leniencies,
        head_len: 0,
    }
}

fn rules_of(resp: &Response, received_unix: Option<u64>, skip: &[String]) -> Vec<String> {
    validate_response(resp, ResponseContext { received_unix }, skip)
        .into_iter()
        .map(|f| f.rule)
        .collect()
}

/// Whether our `date-format` rule accepts `date` as the Date of a 200 response.
fn we_accept(date: &str) -> bool {
    let resp = response(
        200,
        vec![("Date".into(), date.as_bytes().to_vec())],
        Vec::new(),
    );
    let rules = rules_of(&resp, None, &[]);
    assert!(
        !rules.iter().any(|r| r == "date"),
        "a Date was sent: {rules:?}"
    );
    !rules.iter().any(|r| r == "date-format")
}

/// The IMF-fixdate grammar (RFC 9110 §5.6.7), case-sensitive as its `%s"..."` strings are:
/// `day-name "," SP 2DIGIT SP month SP 4DIGIT SP 2DIGIT ":" 2DIGIT ":" 2DIGIT SP "GMT"`.
fn imf_fixdate_grammar(s: &str) -> bool {
    let digits = |r: std::ops::Range<usize>| s.as_bytes()[r].iter().all(u8::is_ascii_digit);
    s.is_ascii()
        && s.len() == 29
        && DAYS.contains(&&s[0..3])
        && &s[3..5] == ", "
        && digits(5..7)
        && &s[7..8] == " "
        && MONTHS.contains(&&s[8..11])
        && &s[11..12] == " "
        && digits(12..16)
        && &s[16..17] == " "
        && digits(17..19)
        && &s[19..20] == ":"
        && digits(20..22)
        && &s[22..23] == ":"
        && digits(23..25)
        && &s[25..] == " GMT"
}

/// What the date-format rule must say: the value is an HTTP-date httpdate accepts (a real
/// calendar date and time with the right weekday, 1970..9999) written as an IMF-fixdate.
fn oracle(date: &str) -> bool {
    httpdate::parse_http_date(date).is_ok() && imf_fixdate_grammar(date)
}

/// The fields of a date, for writing it in other forms.
#[derive(Clone, Copy, Debug)]
struct Fields {
    /// 0 = Monday.
    wday: usize,
    day: u32,
    /// 0 = January.
    mon: usize,
    year: u32,
    hms: (u32, u32, u32),
}

/// Reads back what httpdate formatted (a valid IMF-fixdate).
fn fields(imf: &str) -> Fields {
    let num = |r: std::ops::Range<usize>| imf[r].parse::<u32>().unwrap();
    Fields {
        wday: DAYS.iter().position(|d| *d == &imf[0..3]).unwrap(),
        day: num(5..7),
        mon: MONTHS.iter().position(|m| *m == &imf[8..11]).unwrap(),
        year: num(12..16),
        hms: (num(17..19), num(20..22), num(23..25)),
    }
}

fn time() -> impl Strategy<Value = u64> {
    prop_oneof![
        4 => 0..END_OF_9999,
        // Around now, the epoch, the last representable second, and leap days.
        2 => 1_600_000_000u64..1_900_000_000,
        1 => prop::sample::select(vec![
            0u64,
            59,
            86_399,
            86_400,
            951_782_400, // 2000-02-29
            4_107_542_400, // 2100-03-01 (2100 is not a leap year)
            END_OF_9999 - 1,
        ]),
    ]
}

fn format(secs: u64) -> String {
    httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(secs))
}

/// Ways to turn a valid IMF-fixdate into something that is not one.
#[derive(Clone, Copy, Debug)]
enum Mutation {
    /// `Sunday, 06-Nov-94 08:49:37 GMT` (obsolete, RFC 850).
    Rfc850,
    /// `Sun Nov  6 08:49:37 1994` (obsolete, ANSI C asctime).
    Asctime,
    /// Another day-name (1..=6 days off).
    WrongWeekday(usize),
    LowercaseMonth,
    UppercaseMonth,
    LowercaseDayName,
    /// The date without ` GMT`.
    GmtMissing,
    /// Another zone name or offset in place of `GMT`.
    OtherZone(&'static str),
    /// `6` for `06`, or `014` for `14`.
    WrongDayWidth,
    TwoDigitYear,
    /// Surrounding or doubled whitespace.
    Padded(&'static str, &'static str),
    DoubleSpace,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        Just(Mutation::Rfc850),
        Just(Mutation::Asctime),
        (1usize..7).prop_map(Mutation::WrongWeekday),
        Just(Mutation::LowercaseMonth),
        Just(Mutation::UppercaseMonth),
        Just(Mutation::LowercaseDayName),
        Just(Mutation::GmtMissing),
        prop::sample::select(vec!["UTC", "gmt", "Z", "+0000", "GMT+0", "UT"])
            .prop_map(Mutation::OtherZone),
        Just(Mutation::WrongDayWidth),
        Just(Mutation::TwoDigitYear),
        prop::sample::select(vec![(" ", ""), ("", " "), ("\t", ""), ("", "\t")])
            .prop_map(|(a, b)| Mutation::Padded(a, b)),
        Just(Mutation::DoubleSpace),
    ]
}

fn mutate(imf: &str, m: Mutation) -> String {
    let f = fields(imf);
    let (h, mi, s) = f.hms;
    let time = format!("{h:02}:{mi:02}:{s:02}");
    let (day, mon, year) = (f.day, MONTHS[f.mon], f.year);
    match m {
        Mutation::Rfc850 => format!(
            "{}, {day:02}-{mon}-{:02} {time} GMT",
            LONG_DAYS[f.wday],
            year % 100
        ),
        Mutation::Asctime => format!("{} {mon} {day:>2} {time} {year}", DAYS[f.wday]),
        Mutation::WrongWeekday(k) => format!("{}{}", DAYS[(f.wday + k) % 7], &imf[3..]),
        Mutation::LowercaseMonth => imf.replacen(mon, &mon.to_ascii_lowercase(), 1),
        Mutation::UppercaseMonth => imf.replacen(mon, &mon.to_ascii_uppercase(), 1),
        Mutation::LowercaseDayName => {
            imf.to_string().to_ascii_lowercase()[..3].to_string() + &imf[3..]
        }
        Mutation::GmtMissing => imf.trim_end_matches(" GMT").to_string(),
        Mutation::OtherZone(z) => format!("{} {z}", imf.trim_end_matches(" GMT")),
        Mutation::WrongDayWidth if day < 10 => {
            format!("{}, {day} {mon} {year} {time} GMT", DAYS[f.wday])
        }
        Mutation::WrongDayWidth => format!("{}, 0{day} {mon} {year} {time} GMT", DAYS[f.wday]),
        Mutation::TwoDigitYear => format!(
            "{}, {day:02} {mon} {:02} {time} GMT",
            DAYS[f.wday],
            year % 100
        ),
        Mutation::Padded(a, b) => format!("{a}{imf}{b}"),
        Mutation::DoubleSpace => imf.replacen(' ', "  ", 1),
    }
}

/// Date-shaped strings from independently chosen parts, most of them invalid somewhere.
fn date_like() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "sun", "SUN", "Sunday", "Xyz",
        ]),
        prop_oneof![
            (0u32..40).prop_map(|d| format!("{d:02}")),
            (0u32..10).prop_map(|d| d.to_string())
        ],
        prop::sample::select(vec![
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            "jan", "FEB", "Sept", "Foo",
        ]),
        prop_oneof![1960u32..10_001, 1968u32..1972, 9998u32..10_000],
        (0u32..26, 0u32..62, 0u32..62),
        prop::sample::select(vec![" GMT", "", " UTC", " gmt", "GMT"]),
    )
        .prop_map(|(wday, day, mon, year, (h, m, s), zone)| {
            format!("{wday}, {day} {mon} {year:04} {h:02}:{m:02}:{s:02}{zone}")
        })
}

fn rule_ids() -> Vec<String> {
    RULES.iter().map(|r| r.id.to_string()).collect()
}

fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "Date", "date", "DATE", "Content-Length", "content-length", "Transfer-Encoding",
            "Connection", "X-Other", "ETag", "Cache-Control", "Set-Cookie", "Age", "Expires",
            "Last-Modified", "Content-Range", "Content-Type", "Allow", "Location", "Upgrade",
        ])
        .prop_map(str::to_string),
        1 => "[!-~]{1,12}",
    ]
}

fn header_value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..40),
        ".{0,40}".prop_map(String::into_bytes),
        time().prop_map(|t| format(t).into_bytes()),
        date_like().prop_map(String::into_bytes),
        prop::sample::select(vec![
            "chunked",
            "0",
            "close",
            "-1",
            "1, 2",
            "\u{0}",
            "\"x\"",
            "W/\"x\"",
            "max-age=5",
            "no-cache=\"a, b\"",
            "a=b; Path=/",
            "bytes 0-4/18",
            "bytes 9-1/3",
            "multipart/byteranges; boundary=B",
            "multipart/byteranges",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
    ]
}

fn leniencies() -> impl Strategy<Value = Vec<Leniency>> {
    prop::sample::subsequence(
        vec![
            Leniency::BareLf,
            Leniency::NoSpaceAfterStatus,
            Leniency::LenientHeaders,
        ],
        0..=3,
    )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn httpdate_formatted_dates_pass(secs in time()) {
        let date = format(secs);
        prop_assert!(imf_fixdate_grammar(&date), "httpdate wrote {:?}", date);
        prop_assert!(we_accept(&date), "{:?} rejected", date);
        // And the date-skew rule measures the distance to the harness clock.
        let resp = response(200, vec![("Date".into(), date.into_bytes())], Vec::new());
        prop_assert!(rules_of(&resp, Some(secs), &[]).is_empty());
        prop_assert!(rules_of(&resp, Some(secs + 60), &[]).is_empty());
        prop_assert_eq!(rules_of(&resp, Some(secs + 61), &[]), vec!["date-skew".to_string()]);
        if secs >= 61 {
            prop_assert_eq!(rules_of(&resp, Some(secs - 61), &[]), vec!["date-skew".to_string()]);
        }
    }

    #[test]
    fn mutated_dates_are_classified_as_httpdate_and_the_grammar_say(
        secs in time(),
        m in mutation(),
    ) {
        let date = mutate(&format(secs), m);
        prop_assert!(!imf_fixdate_grammar(&date) || httpdate::parse_http_date(&date).is_err(),
            "{:?} ({:?}) should not be an IMF-fixdate", date, m);
        prop_assert_eq!(we_accept(&date), oracle(&date), "{:?} ({:?})", date, m);
        prop_assert!(!we_accept(&date), "{:?} ({:?}) accepted", date, m);
        // The obsolete forms are still HTTP-dates: recipients must accept them (RFC 9110
        // §5.6.7), only senders must not generate them.
        let year = fields(&format(secs)).year;
        if matches!(m, Mutation::Asctime)
            || matches!(m, Mutation::Rfc850) && (1970..2070).contains(&year)
        {
            prop_assert!(httpdate::parse_http_date(&date).is_ok(), "{:?}", date);
        }
    }

    #[test]
    fn date_like_strings_agree_with_httpdate_and_the_grammar(date in date_like()) {
        prop_assert_eq!(we_accept(&date), oracle(&date), "{:?}", date);
    }

    #[test]
    fn validators_never_panic_on_any_header_values(
        status in prop_oneof![any::<u16>(), 100u16..600],
        headers in prop::collection::vec((header_name(), header_value()), 0..8),
        lenient in leniencies(),
        received_unix in any::<Option<u64>>(),
        skip_mask in any::<u8>(),
        skip_extra in prop::option::of("[a-z-]{0,12}"),
    ) {
        let resp = response(status, headers, lenient);
        let all = rules_of(&resp, received_unix, &[]);
        // Every finding is a known rule, at most once, in report order.
        let ids = rule_ids();
        let positions: Vec<usize> = all
            .iter()
            .map(|r| ids.iter().position(|id| id == r).expect("finding of a known rule"))
            .collect();
        prop_assert!(positions.windows(2).all(|w| w[0] < w[1]), "{:?}", all);
        // Skipping rules removes exactly their findings.
        let mut skip: Vec<String> = ids
            .iter()
            .enumerate()
            .filter(|(i, _)| (skip_mask >> (i % 8)) & 1 == 1)
            .map(|(_, id)| id.clone())
            .collect();
        skip.extend(skip_extra);
        let kept: Vec<String> = all.iter().filter(|r| !skip.contains(r)).cloned().collect();
        prop_assert_eq!(rules_of(&resp, received_unix, &skip), kept);
    }

    #[test]
    fn header_checks_never_panic_and_see_the_combined_value(
        name in header_name(),
        values in prop::collection::vec(header_value(), 0..4),
        others in prop::collection::vec((header_name(), header_value()), 0..4),
        probe in prop::collection::vec(any::<u8>(), 0..6),
        pattern in prop_oneof![".{0,8}", Just("^.*$".to_string()), Just("\\d+".to_string())],
    ) {
        let mut headers: Vec<(String, Vec<u8>)> =
            values.iter().map(|v| (name.clone(), v.clone())).collect();
        headers.extend(others.into_iter().filter(|(n, _)| !n.eq_ignore_ascii_case(&name)));
        let resp = response(200, headers, Vec::new());
        let vars = Vars::new();
        let any_check = HeaderCheck {
            name: name.clone(),
            present: Some(true),
            equals: Some(Template::literal(probe.clone())),
            contains: Some(Template::literal(probe.clone())),
            matches: Regex::new(&pattern).ok(),
            list_contains: Some(Template::literal(probe)),
            count: Some(values.len() as u32),
        };
        let _ = any_check.check(&resp, &vars);
        // Lines are combined with ", " (RFC 9110 §5.3) before comparing, and counted apart.
        let combined: Vec<String> = values.iter().map(|v| String::from_utf8_lossy(v).into_owned()).collect();
        let exact = HeaderCheck {
            name: name.to_ascii_uppercase(),
            present: Some(!values.is_empty()),
            equals: (!values.is_empty()).then(|| Template::literal(combined.join(", "))),
            contains: None,
            matches: None,
            list_contains: None,
            count: Some(values.len() as u32),
        };
        prop_assert!(exact.check(&resp, &vars).is_ok(), "{:?}", exact.check(&resp, &vars));
    }

    #[test]
    fn exchange_validators_never_panic_and_respect_skip(
        items in prop::collection::vec(
            (
                prop::sample::select(vec![200u16, 206, 304, 405, 101, 404]),
                prop::collection::vec((header_name(), header_value()), 0..6),
                prop::collection::vec(any::<u8>(), 0..64),
                prop::sample::select(vec!["GET", "HEAD", "PUT"]),
                prop::sample::select(vec!["/a", "/b"]),
                prop::sample::select(vec!["HTTP/1.1", "HTTP/1.0"]),
                any::<bool>(),
            ),
            0..6,
        ),
        skip_mask in any::<u32>(),
    ) {
        let mut owned = Vec::new();
        for (status, headers, body, method, target, version, bodiless) in items {
            let mut r = response(status, headers, Vec::new());
            r.body_len = body.len() as u64;
            r.body = body;
            if bodiless {
                r.framing = Framing::NoBody;
            }
            let q = RequestInfo {
                method: method.into(),
                target: target.into(),
                version: version.into(),
                headers: vec![("Range".into(), "bytes=0-1".into())],
            };
            owned.push((q, r));
        }
        let ids = rule_ids();
        let skip: Vec<String> = ids
            .iter()
            .enumerate()
            .filter(|(i, _)| (skip_mask >> (i % 32)) & 1 == 1)
            .map(|(_, id)| id.clone())
            .collect();
        let ex: Vec<Exchange<'_>> = owned
            .iter()
            .map(|(q, r)| Exchange { request: Some(q), response: r, continued: false })
            .collect();
        let all: Vec<String> = validate_exchanges(&ex, &[]).into_iter().map(|f| f.rule).collect();
        let kept: Vec<String> = all.iter().filter(|r| !skip.contains(r)).cloned().collect();
        let skipped: Vec<String> =
            validate_exchanges(&ex, &skip).into_iter().map(|f| f.rule).collect();
        prop_assert_eq!(skipped, kept);
        for (q, r) in &owned {
            for f in validate_exchange(r, Some(q), ResponseContext::default(), &skip) {
                prop_assert!(!skip.contains(&f.rule));
                prop_assert!(ids.contains(&f.rule));
            }
        }
    }

    #[test]
    fn request_scanner_is_split_invariant(
        reqs in prop::collection::vec(
            (
                prop::sample::select(vec!["GET", "POST", "HEAD"]),
                prop::sample::select(vec!["/", "/echo", "/hello.txt"]),
                prop::collection::vec(any::<u8>(), 0..20),
                any::<bool>(),
            ),
            0..5,
        ),
        junk in prop::collection::vec(any::<u8>(), 0..8),
        cuts in prop::collection::vec(1usize..30, 1..20),
    ) {
        let mut wire = Vec::new();
        for (method, target, body, chunked) in &reqs {
            wire.extend_from_slice(format!("{method} {target} HTTP/1.1\r\nHost: h\r\n").as_bytes());
            if *chunked {
                wire.extend_from_slice(b"Transfer-Encoding: chunked\r\n\r\n");
                if !body.is_empty() {
                    wire.extend_from_slice(format!("{:x}\r\n", body.len()).as_bytes());
                    wire.extend_from_slice(body);
                    wire.extend_from_slice(b"\r\n");
                }
                wire.extend_from_slice(b"0\r\n\r\n");
            } else {
                wire.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
                wire.extend_from_slice(body);
            }
        }
        wire.extend_from_slice(&junk);
        let mut whole = RequestScanner::new();
        whole.feed(&wire);
        let mut pieces = RequestScanner::new();
        let mut rest = wire.as_slice();
        for c in cuts.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let (a, b) = rest.split_at((*c).min(rest.len()));
            pieces.feed(a);
            rest = b;
        }
        prop_assert_eq!(whole.requests(), pieces.requests());
        prop_assert!(whole.requests().len() >= reqs.len());
        for (got, (method, target, _, _)) in whole.requests().iter().zip(&reqs) {
            prop_assert_eq!(&got.method, method);
            prop_assert_eq!(&got.target, target);
        }
    }
}
