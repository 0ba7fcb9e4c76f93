//! The Markdown summary and GitHub annotations: the two lists, escaping, size and count caps.

mod common;

use common::{by_id, sample, HOSTILE};
use wirecheck_core::result::Verdict;
use wirecheck_report::{annotations, markdown, MarkdownOptions};

#[test]
fn counts_then_new_failures_then_unexpected_passes() {
    let md = markdown(&sample(), &MarkdownOptions::default());
    assert!(
        md.starts_with(
            "### wirecheck: 2 passed, 2 failed, 1 non-strict, 1 errors, 1 skipped, 1 unimplemented\n"
        ),
        "{md}"
    );
    assert!(
        md.contains("| pass | fail | non-strict | info | error | skip | unimplemented |\n|---:|")
    );
    assert!(md.contains("| 2 | 2 | 1 | 0 | 1 | 1 | 1 |"));
    assert!(
        md.contains("**Unexpected: 3** (2 new failures, 1 unexpected pass). 1 expected failure")
    );
    let failures = md.find("#### New failures (2)").expect("failure table");
    let passes = md.find("#### Unexpected passes (1)").expect("pass table");
    assert!(failures < passes);
    assert!(md.contains("| [`http1/host/missing`](#case-http1/host/missing) | fail |"));
    assert!(md.contains("`cases/http1/host.yaml:12`"));
    assert!(md.contains("<a id=\"case-http1/host/missing\"></a>"));
    assert!(md.contains("```text\n"));
}

/// The Markdown outside fenced blocks (inside them nothing is interpreted).
fn outside_fences(md: &str) -> String {
    let mut out = String::new();
    let mut fence: Option<String> = None;
    for line in md.lines() {
        let ticks: String = line.chars().take_while(|c| *c == '`').collect();
        match &fence {
            None if ticks.len() >= 3 => fence = Some(ticks),
            Some(f) if line.trim_end() == f.as_str() => fence = None,
            Some(_) => {}
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    assert!(fence.is_none(), "unclosed fence");
    out
}

#[test]
fn server_text_cannot_become_markup() {
    let mut r = sample();
    let fail = r
        .cases
        .iter_mut()
        .find(|c| c.id == "http1/host/missing")
        .unwrap();
    fail.failure.as_mut().unwrap().message =
        "```\n<img src=x onerror=alert(1)> [x](javascript:alert(1)) @everyone | www.evil.example"
            .into();
    fail.failure.as_mut().unwrap().actual = "````\n<script>alert(2)</script>".into();
    let md = markdown(&r, &MarkdownOptions::default());
    let prose = outside_fences(&md);
    for bad in [
        "<script",
        "<img",
        "](javascript",
        "@everyone",
        "www.evil",
        "| www",
    ] {
        assert!(!prose.contains(bad), "{bad:?} outside code:\n{prose}");
    }
    assert!(prose.contains("&#60;img src=x onerror=alert&#40;1&#41;&#62;"));
    assert!(
        md.contains("`````text\n"),
        "the fence outruns the backticks inside"
    );
    assert!(!md.contains('\u{1b}') && !md.contains('\u{0}'));
    assert!(!HOSTILE.is_empty());
}

#[test]
fn links_go_to_the_html_report_when_there_is_one() {
    let opts = MarkdownOptions {
        html_link: Some("report.html".into()),
        max_detailed: 1,
        ..MarkdownOptions::default()
    };
    let md = markdown(&sample(), &opts);
    assert!(
        md.contains("[`http1/conn/refused`](report.html#case-http1/conn/refused)"),
        "{md}"
    );
    assert!(md.contains("[HTML report](report.html)"));
}

#[test]
fn a_huge_run_stays_under_the_limit() {
    let mut r = sample();
    let template = by_id(&r, "http1/host/missing").clone();
    r.cases = (0..5000)
        .map(|i| {
            let mut c = template.clone();
            c.id = format!("http1/x/{i}");
            c.message = Some("m".repeat(3000));
            c
        })
        .collect();
    r.summarize();
    let md = markdown(&r, &MarkdownOptions::default());
    assert!(md.len() < 1024 * 1024, "{}", md.len());
    assert!(
        md.contains("… and 4950 more (see the HTML or JUnit report)."),
        "table capped"
    );
    let small = MarkdownOptions {
        max_bytes: 20_000,
        ..MarkdownOptions::default()
    };
    let md = markdown(&r, &small);
    assert!(md.len() <= 20_000, "{}", md.len());
    assert!(md.contains("more (see the HTML or JUnit report)."));
}

#[test]
fn a_clean_run_says_so() {
    let mut r = sample();
    r.cases
        .retain(|c| c.verdict == Verdict::Pass && c.expected.is_none());
    r.summarize();
    let md = markdown(&r, &MarkdownOptions::default());
    assert!(md.contains("**No unexpected result.**"));
    assert!(!md.contains("####"));
}

#[test]
fn annotations_point_at_yaml_lines_and_stop_at_ten() {
    let lines = annotations(&sample(), 10);
    assert_eq!(lines.len(), 3, "{lines:#?}");
    assert!(lines[0].starts_with(
        "::error file=cases/http1/host.yaml,line=12,title=wirecheck fail%3A http1/host/missing::RFC 9112 §3.2 (MUST) [H1]%0A"
    ), "{}", lines[0]);
    assert!(lines.iter().all(|l| !l.contains('\n') && !l.contains('\r')));
    assert!(lines[2].contains("unexpected pass: expectations file says fail or error"));

    let mut r = sample();
    let template = by_id(&r, "http1/host/missing").clone();
    r.cases = (0..25)
        .map(|i| {
            let mut c = template.clone();
            c.id = format!("http1/x/{i}");
            c
        })
        .collect();
    let lines = annotations(&r, 10);
    assert_eq!(lines.len(), 11);
    assert!(lines[10].starts_with("::notice title=wirecheck::15 more unexpected results"));
}
