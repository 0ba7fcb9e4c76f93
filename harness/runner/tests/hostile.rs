//! Hostile servers on loopback: every case ends within its timeouts plus a small slack, with a
//! `fail` verdict that says why, and memory stays bounded (transcripts and bodies are capped).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use wirecheck_core::engine::EngineConfig;
use wirecheck_core::model::{load_cases, LoadOptions};
use wirecheck_core::result::{CaseResult, Verdict};
use wirecheck_core::wire::http1::DecodeLimits;
use wirecheck_runner::{run_case, Dialer, TargetUrl};

#[derive(Clone, Copy)]
enum Mode {
    NeverAnswers,
    Garbage,
    ClosesMidResponse,
    EndlessBody,
    EndlessHeaders,
    Drip,
    ResetOnAccept,
}

async fn serve(mode: Mode) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut req = [0u8; 1024];
                if !matches!(mode, Mode::ResetOnAccept) {
                    let _ = s.read(&mut req).await;
                }
                let _ = behave(&mut s, mode).await;
            });
        }
    });
    addr
}

async fn behave(s: &mut TcpStream, mode: Mode) -> std::io::Result<()> {
    match mode {
        Mode::NeverAnswers => tokio::time::sleep(Duration::from_secs(30)).await,
        Mode::Garbage => {
            s.write_all(
                b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage that is not HTTP\r\n\r\n",
            )
            .await?;
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
        Mode::ClosesMidResponse => {
            s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part")
                .await?;
        }
        Mode::EndlessBody => {
            s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000000000000000\r\n\r\n")
                .await?;
            let chunk = vec![b'x'; 64 * 1024];
            loop {
                s.write_all(&chunk).await?;
            }
        }
        Mode::EndlessHeaders => {
            s.write_all(b"HTTP/1.1 200 OK\r\n").await?;
            loop {
                s.write_all(b"X-Endless: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n")
                    .await?;
            }
        }
        Mode::Drip => {
            for b in b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello" {
                s.write_all(&[*b]).await?;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
        Mode::ResetOnAccept => {
            s.set_zero_linger()?;
        }
    }
    Ok(())
}

async fn run(mode: Mode) -> (CaseResult, Duration) {
    let addr = serve(mode).await;
    let yaml = "title: t\nspec: {rfc: 9112, section: \"6.3\"}\nlevel: must\nsteps:\n  - request: {target: /}\n  - expect_response: {status: 200}\n";
    let cases = load_cases(
        "h.yaml",
        yaml.as_bytes(),
        "hostile",
        &LoadOptions::default(),
    )
    .unwrap();
    let target = TargetUrl::parse(&format!("http://{addr}")).unwrap();
    let cfg = EngineConfig {
        step_timeout: Duration::from_millis(700),
        case_timeout: Duration::from_secs(2),
        transcript_cap: 64 * 1024,
        limits: DecodeLimits {
            max_body_kept: 64 * 1024,
            ..DecodeLimits::default()
        },
        ..EngineConfig::default()
    };
    let (_tx, rx) = watch::channel(false);
    let start = Instant::now();
    let dialer = Dialer::new(&target, vec![addr], Duration::from_secs(1), None);
    let r = run_case(&cases[0], &target.vars(), &dialer, cfg, rx).await;
    (r, start.elapsed())
}

async fn check(mode: Mode, words: &str) -> CaseResult {
    let (r, took) = run(mode).await;
    assert_eq!(r.verdict, Verdict::Fail, "{:?}", r.message);
    let msg = r.message.clone().unwrap_or_default();
    assert!(
        msg.contains(words),
        "message {msg:?} should contain {words:?}"
    );
    // The step timeout is 0.7 s and the case timeout 2 s; 1 s of slack for a busy machine.
    assert!(took < Duration::from_secs(3), "took {took:?}");
    assert!(
        r.transcript
            .entries
            .iter()
            .map(|e| e.text.len())
            .sum::<usize>()
            < 4 * 64 * 1024 + 4096
    );
    r
}

#[tokio::test]
async fn a_server_that_never_answers_fails_at_the_step_timeout() {
    let (r, took) = run(Mode::NeverAnswers).await;
    assert_eq!(r.verdict, Verdict::Fail);
    assert!(r.message.unwrap().contains("within 700ms"));
    assert!(
        took >= Duration::from_millis(700) && took < Duration::from_secs(2),
        "{took:?}"
    );
}

#[tokio::test]
async fn garbage_is_a_malformed_response() {
    check(Mode::Garbage, "malformed response head").await;
}

#[tokio::test]
async fn a_close_mid_body_is_a_truncated_response() {
    check(Mode::ClosesMidResponse, "after 9 of 100 body bytes").await;
}

#[tokio::test]
async fn an_endless_body_is_cut_off_with_bounded_memory() {
    let r = check(Mode::EndlessBody, "within 700ms").await;
    assert!(
        r.transcript.dropped_bytes > 0,
        "the transcript cap was applied"
    );
}

#[tokio::test]
async fn endless_headers_hit_the_head_limit() {
    check(Mode::EndlessHeaders, "more than 512 header fields").await;
}

#[tokio::test]
async fn a_dripping_server_is_cut_off() {
    check(Mode::Drip, "within 700ms").await;
}

#[tokio::test]
async fn a_reset_on_accept_is_a_failure_not_an_error() {
    check(Mode::ResetOnAccept, "reset").await;
}
