//! One connection, mistreated as its mode says.

use std::io;
use std::time::{Duration, SystemTime};

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::time::sleep;

use super::request::read_head;
use super::rng::SplitMix64;
use super::stream::{drip, flood, stall, BLOCK};
use super::{ws, HostileMode};

/// `drip`: one byte of the response per second.
const DRIP_EVERY: Duration = Duration::from_secs(1);

/// `never-reads`: how long the unread connection is held open.
const NEVER_READS_HOLD: Duration = Duration::from_secs(120);

/// `huge-content-length`: the announced length and how much of it is sent.
const HUGE_LENGTH: &str = "1000000000000000000";
const HUGE_LENGTH_SENT: usize = 4096;

/// `endless-headers`: the value length of each line; long enough that the head-size limit,
/// not the field-count limit, is what a client hits first.
const ENDLESS_VALUE: usize = 256;

/// `many-headers`: how many field lines.
const MANY_HEADERS: usize = 100_000;

/// `random-bytes`: the seed (mixed with the connection's serial number).
const SEED: u64 = 0x5EED_F00D_BAAD_BEEF;

/// `reset-midway`: how long the half response sits in the client's buffer before the reset.
const BEFORE_RESET: Duration = Duration::from_millis(100);

/// The body of the valid responses.
const BODY: &str = "Hello, wirecheck!\n";

/// Serves one connection; every error just ends it.
pub(super) async fn serve(mut stream: TcpStream, mode: HostileMode, serial: u64) {
    let _ = mistreat(&mut stream, mode, serial).await;
}

async fn mistreat(s: &mut TcpStream, mode: HostileMode, serial: u64) -> io::Result<()> {
    match mode {
        // Dropping the stream closes it with a FIN.
        HostileMode::CloseOnAccept => return Ok(()),
        HostileMode::ResetOnAccept => return s.set_zero_linger(),
        HostileMode::NeverReads => {
            sleep(NEVER_READS_HOLD).await;
            return Ok(());
        }
        _ => {}
    }
    let head = read_head(s).await?;
    match mode {
        HostileMode::Drip => {
            drip(s, valid_response().as_bytes(), DRIP_EVERY).await?;
            stall(s).await
        }
        HostileMode::Silent => stall(s).await,
        HostileMode::EndlessHeaders => {
            s.write_all(b"HTTP/1.1 200 OK\r\n").await?;
            let mut n = 0u64;
            flood(s, |block| {
                while block.len() + ENDLESS_VALUE + 32 < BLOCK {
                    n += 1;
                    block.extend_from_slice(format!("X-Endless-{n}: ").as_bytes());
                    block.resize(block.len() + ENDLESS_VALUE, b'a');
                    block.extend_from_slice(b"\r\n");
                }
            })
            .await
        }
        HostileMode::EndlessBody => {
            s.write_all(format!("HTTP/1.1 200 OK\r\nDate: {}\r\n\r\n", date()).as_bytes())
                .await?;
            flood(s, |block| block.resize(BLOCK, b'x')).await
        }
        HostileMode::HugeContentLength => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nDate: {}\r\nContent-Length: {HUGE_LENGTH}\r\n\r\n",
                date()
            );
            s.write_all(head.as_bytes()).await?;
            s.write_all(&[b'x'; HUGE_LENGTH_SENT]).await?;
            stall(s).await
        }
        HostileMode::HugeChunk => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nDate: {}\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n",
                date()
            );
            s.write_all(head.as_bytes()).await?;
            flood(s, |block| block.resize(BLOCK, b'x')).await
        }
        HostileMode::ResetMidway => {
            let response = valid_response();
            s.write_all(&response.as_bytes()[..response.len() / 2])
                .await?;
            s.flush().await?;
            sleep(BEFORE_RESET).await;
            s.set_zero_linger()
        }
        HostileMode::RandomBytes => {
            let mut rng = SplitMix64::new(SEED ^ serial);
            flood(s, |block| {
                block.resize(BLOCK, 0);
                rng.fill(block);
            })
            .await
        }
        HostileMode::ManyHeaders => many_headers(s).await,
        HostileMode::EndlessInterim => {
            const CONTINUE: &[u8] = b"HTTP/1.1 100 Continue\r\n\r\n";
            flood(s, |block| {
                while block.len() + CONTINUE.len() <= BLOCK {
                    block.extend_from_slice(CONTINUE);
                }
            })
            .await
        }
        HostileMode::FloodAfterClose => {
            let response = valid_response().replacen("\r\n", "\r\nConnection: close\r\n", 1);
            s.write_all(response.as_bytes()).await?;
            flood(s, |block| block.resize(BLOCK, b'x')).await
        }
        HostileMode::WsHugeFrame | HostileMode::WsDripFrame | HostileMode::WsPingFlood => {
            ws::serve(s, &head, mode).await
        }
        HostileMode::CloseOnAccept | HostileMode::ResetOnAccept | HostileMode::NeverReads => {
            unreachable!("handled before the request is read")
        }
    }
}

/// A complete, valid 200 with [`BODY`].
fn valid_response() -> String {
    format!(
        "HTTP/1.1 200 OK\r\nDate: {}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{BODY}",
        date(),
        BODY.len()
    )
}

/// `Date` as an IMF-fixdate.
fn date() -> String {
    httpdate::fmt_http_date(SystemTime::now())
}

/// A 200 with [`MANY_HEADERS`] field lines, then an empty body.
async fn many_headers(s: &mut TcpStream) -> io::Result<()> {
    let mut block = format!("HTTP/1.1 200 OK\r\nDate: {}\r\n", date()).into_bytes();
    for i in 0..MANY_HEADERS {
        block.extend_from_slice(format!("X-Many-{i}: {i}\r\n").as_bytes());
        if block.len() >= BLOCK {
            s.write_all(&block).await?;
            block.clear();
        }
    }
    block.extend_from_slice(b"Content-Length: 0\r\n\r\n");
    s.write_all(&block).await?;
    stall(s).await
}
