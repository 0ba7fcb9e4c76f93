//! The baseline wirecheck's throughput is compared with: `N` requests, each on its own
//! connection (connect, write one GET, read the whole Content-Length-framed response, close),
//! `J` at a time, with no scenario model, checks or transcripts. Prints requests per second.
//!
//! Usage: bare-loop HOST:PORT PATH REQUESTS JOBS

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

async fn one(addr: &str, request: &[u8]) -> Result<(), String> {
    let mut s = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    s.set_nodelay(true).map_err(|e| e.to_string())?;
    s.write_all(request).await.map_err(|e| e.to_string())?;
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let n = s.read(&mut chunk).await.map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("closed before the response ended".into());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                return Ok(());
            }
        }
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 5 {
        eprintln!("usage: bare-loop HOST:PORT PATH REQUESTS JOBS");
        std::process::exit(2);
    }
    let addr = Arc::new(args[1].clone());
    let request: Arc<[u8]> = format!("GET {} HTTP/1.1\r\nHost: {}\r\n\r\n", args[2], args[1])
        .into_bytes()
        .into();
    let total: usize = args[3].parse().expect("REQUESTS is a number");
    let jobs: usize = args[4].parse().expect("JOBS is a number");
    let next = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..jobs {
        let (addr, request, next, failures) = (
            addr.clone(),
            request.clone(),
            next.clone(),
            failures.clone(),
        );
        tasks.push(tokio::spawn(async move {
            while next.fetch_add(1, Ordering::Relaxed) < total {
                if !matches!(
                    timeout(Duration::from_secs(5), one(&addr, &request)).await,
                    Ok(Ok(()))
                ) {
                    failures.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{{\"requests\": {total}, \"jobs\": {jobs}, \"seconds\": {secs:.3}, \"per_second\": {:.1}, \"failures\": {}}}",
        total as f64 / secs,
        failures.load(Ordering::Relaxed)
    );
}
