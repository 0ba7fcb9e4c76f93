//! The HTML report: self-contained, escaped, with the summary, lists, filters, matrix and
//! case sections it promises, and small enough for 800 cases.

mod common;

use common::{sample, HOSTILE};
use sha2::{Digest, Sha256};
use wirecheck_core::result::{Direction, RunReport, TranscriptEntry, Verdict};
use wirecheck_report::{anchor, combine, html::script_hash, write_html, Column, HtmlOptions};

fn render(columns: &[Column], opts: &HtmlOptions<'_>) -> String {
    let mut out = Vec::new();
    write_html(columns, opts, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn single() -> String {
    render(&[Column::single(sample())], &HtmlOptions::default())
}

/// The text between the page's only `<script>` tags.
fn script(html: &str) -> &str {
    let start = html.find("<script>").expect("a script") + "<script>".len();
    let end = html[start..].find("</script>").expect("closed") + start;
    &html[start..end]
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let b = [c[0], *c.get(1).unwrap_or(&0), *c.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            out.push(if i <= c.len() {
                ABC[(n >> (18 - 6 * i) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out
}

#[test]
fn the_policy_allows_exactly_the_inline_script() {
    let html = single();
    let digest = Sha256::digest(script(&html).as_bytes());
    let expected = format!("sha256-{}", base64(&digest));
    assert_eq!(script_hash(), expected);
    let csp = format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;; script-src &#39;{expected}&#39;;"
    );
    assert!(html.contains(&csp), "CSP meta missing or different");
    assert_eq!(html.matches("<script").count(), 1, "one script, ours");
}

#[test]
fn nothing_is_loaded_from_elsewhere() {
    let html = single();
    for needle in [
        " src=",
        "<link",
        "@import",
        "url(",
        "href=\"http",
        "href=\"//",
    ] {
        assert!(!html.contains(needle), "found {needle:?}");
    }
    assert!(html.starts_with("<!DOCTYPE html>"));
}

#[test]
fn server_text_is_escaped_everywhere() {
    let html = single();
    assert!(
        !html.contains("<script>alert"),
        "raw script from the sample"
    );
    assert!(!html.contains("</script>!"));
    // The hostile message shows as text, its controls as visible escapes.
    assert!(
        html.contains(
            "server said &#60;script&#62;alert(&#34;&#38;&#34;)&#60;/script&#62;\\x00\\x07\\x1b[31m!"
        ),
        "hostile message not shown escaped"
    );
    // In the transcript (the escape language keeps controls as \x.. already).
    assert!(html.contains("X-Evil: server said &"));
    assert!(!HOSTILE.is_empty());
}

#[test]
fn summary_lists_and_filters_are_there() {
    let html = single();
    for needle in [
        "<h2>Summary</h2>",
        "2 passed, 2 failed, 1 non-strict, 1 errors, 1 skipped, 1 unimplemented",
        "New failures <span class=\"n\">2</span>",
        "Unexpected passes <span class=\"n\">1</span>",
        "Expected failures (predicted by the expectations file, not counted against the run): 1.",
        "name=\"v\" value=\"non-strict\"",
        "name=\"l\" value=\"should\"",
        "<option value=\"9112 §3.2\">RFC 9112 §3.2 (1)</option>",
        "<option value=\"9110\">all of RFC 9110 (7)</option>",
        "data-prefix=\"http1/host/\"",
        "<td>MUST</td>",
        // `smoke` is an id of one segment: its own category, counted, searched by name.
        "data-prefix=\"smoke\" title=\"show only these cases\">smoke</button></td><td><div class=\"bar\"><i class=\"v-unimplemented\"",
    ] {
        assert!(html.contains(needle), "missing {needle:?}");
    }
    assert!(!html.contains("class=\"matrix\""), "no matrix for one run");
}

#[test]
fn every_case_has_its_stable_anchor() {
    let html = single();
    let r = sample();
    for c in &r.cases {
        let id = format!("id=\"{}\"", anchor(&c.id));
        assert_eq!(html.matches(&id).count(), 1, "{id}");
    }
    assert!(html.contains("id=\"case-http1/range/suffix%5Bpath=/a/b%5D\""));
    assert!(html.contains("href=\"#case-http1/host/missing\""));
}

#[test]
fn a_failure_shows_expected_observed_step_and_source() {
    let r = sample();
    let read = |file: &str| -> Option<String> {
        (file == "cases/http1/host.yaml").then(|| (1..=20).map(|i| format!("line {i}\n")).collect())
    };
    let html = render(
        &[Column::single(r)],
        &HtmlOptions {
            title: Some("t <b>".into()),
            sources: Some(&read),
        },
    );
    assert!(html.contains("<title>t &#60;b&#62;</title>"));
    assert!(html.contains("Failing: step 2 (expect_response) at cases/http1/host.yaml:12:5"));
    assert!(html.contains("<th>expected</th><td><pre>status 400</pre>"));
    assert!(html.contains("<pre class=\"observed\">status 200</pre>"));
    assert!(
        html.contains("<span class=\"hit\"><b>12</b>line 12"),
        "failing line marked"
    );
    assert!(html.contains("<b>7</b>line 7"), "from the case's line");
    assert!(html.contains("date (RFC 9110 §6.6.1, must): Date header missing"));
    assert!(html.contains("last event: FIN from server at +1.000 ms"));
    assert!(html.contains("GET / HTTP/1.1\\r\\n"), "visible CRLF");
}

#[test]
fn combined_runs_get_a_matrix_and_shards_merge() {
    let a = sample();
    let mut other = sample();
    other.target = "http://127.0.0.1:9999".into();
    other.cases[0].verdict = Verdict::Fail;
    let (mut s1, mut s2) = (sample(), sample());
    s1.cases.truncate(4);
    s2.cases.drain(..4);
    s1.summarize();
    s2.summarize();
    let columns = combine(vec![
        ("out/a.json".into(), a),
        ("out/other.json".into(), other),
        ("shard-1.json".into(), s1),
        ("shard-2.json".into(), s2),
    ]);
    let labels: Vec<&str> = columns.iter().map(|c| c.label.as_str()).collect();
    // The shards have the target of `a` but overlap with it, so they merge with each other.
    assert_eq!(labels, ["a", "other", "http://127.0.0.1:8080"]);
    assert_eq!(columns[2].run.cases.len(), 8);
    assert_eq!(columns[2].sources, ["shard-1.json", "shard-2.json"]);
    assert_eq!(columns[2].run.summary.total, 8);

    let html = render(&columns, &HtmlOptions::default());
    assert!(html.contains("class=\"matrix\""));
    assert_eq!(html.matches("<tr class=\"mrow\">").count(), 8);
    assert!(html.contains("title=\"other: fail (unexpected)\">fail!</td>"));
    assert!(html.contains("<th>a</th><th>other</th><th>http://127.0.0.1:8080</th>"));
}

#[test]
fn different_tool_versions_are_said_out_loud() {
    let a = sample();
    let mut b = sample();
    b.tool_version = "0.2.0".into();
    b.target = "elsewhere".into();
    let html = render(
        &combine(vec![("a".into(), a), ("b".into(), b)]),
        &HtmlOptions::default(),
    );
    assert!(html.contains("different wirecheck versions (0.1.0, 0.2.0)"));
}

/// 800 cases with about 6 KB of transcript each, one in ten with a 256 KiB body.
fn big_run() -> RunReport {
    let mut r = sample();
    let template = r.cases[1].clone();
    r.cases = (0..800)
        .map(|i| {
            let mut c = template.clone();
            c.id = format!("http1/group{}/case-{i}", i % 12);
            c.verdict = if i % 7 == 0 {
                Verdict::Fail
            } else {
                Verdict::Pass
            };
            let body = if i % 10 == 0 {
                "0123456789abcdef".repeat(16 * 1024)
            } else {
                "x".repeat(4000)
            };
            c.transcript.entries.push(TranscriptEntry {
                at_us: 5_000,
                dir: Direction::Received,
                text: body.clone(),
                len: body.len() as u64,
                cut: false,
            });
            c
        })
        .collect();
    r.summarize();
    r
}

#[test]
fn eight_hundred_cases_stay_small() {
    let html = render(&[Column::single(big_run())], &HtmlOptions::default());
    assert_eq!(html.matches("<section class=\"case").count(), 800);
    assert!(html.len() < 10 * 1024 * 1024, "{} bytes", html.len());
    assert!(html.contains("not shown here; sha256 of the 262,144 B"));
}

#[test]
fn websocket_results_show_generically_with_their_closing_axis() {
    use wirecheck_core::result::{Behavior, CloseBehavior, WsOutcome};
    let mut a = sample();
    let ws = WsOutcome {
        behavior: Behavior::Ok,
        behavior_close: CloseBehavior::Unclean,
        result: "events matched".into(),
        result_close: "no close frame".into(),
        received: vec!["text 40 B \"<script>alert(1)</script>\"".into()],
        expected: vec![vec![]],
        closed_by_me: Some(true),
        was_clean: false,
        was_not_clean_reason: None,
        dropped_by_me: true,
        close_handshake_timeout: true,
        server_drop_timeout: false,
        local_close_code: Some(1000),
        remote_close_code: Some(1002),
        remote_close_reason: Some("\"><img src=x onerror=alert(2)>".into()),
        open_ms: 12,
        protocol: None,
        extensions: None,
        frames_sent: 2,
        frames_received: 1,
    };
    a.cases[0].websocket = Some(Box::new(ws));
    let mut b = sample();
    b.target = "ws://other".into();
    let html = render(
        &combine(vec![("a.json".into(), a), ("b.json".into(), b)]),
        &HtmlOptions::default(),
    );
    assert!(
        html.contains("<small>close: UNCLEAN</small>"),
        "matrix axis"
    );
    assert!(
        html.contains(" · close: UNCLEAN</summary>"),
        "run summary axis"
    );
    assert!(html.contains("<td class=\"k d1\">remote_close_reason</td><td>&#34;&#62;&#60;img src=x onerror=alert(2)&#62;</td>"));
    assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"));
    assert!(!html.contains("<img") && html.matches("<script").count() == 1);
}
