//! The listening socket, the accept loop and the per-connection HTTP/1.1
//! settings.

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};

use crate::routes;

/// Largest request head (request line plus field lines) accepted; larger
/// heads get hyper's `431 Request Header Fields Too Large`
/// (RFC 6585 §5). It is well above what real clients send so that an
/// over-long request-target reaches the router, which answers it with the
/// 414 RFC 9112 §3 requires, instead of hyper's 431 for the whole head.
const MAX_HEADER_SIZE: usize = 256 * 1024;

/// How long hyper waits for a complete request head (and so on an idle
/// persistent connection) before closing it. 5 s, as in ci/nginx.sh's
/// `keepalive_timeout`, rather than hyper's 30 s default: the idle-timeout
/// cases (RFC 9112 §9.5) wait for it, and the main job should not.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(5);

/// Pause after a failed `accept` (e.g. out of file descriptors) so a
/// persistent error does not spin the loop.
const ACCEPT_ERROR_BACKOFF: Duration = Duration::from_millis(50);

/// A running embedded target server.
///
/// Dropping a `Target` without calling [`Target::shutdown`] aborts the
/// server task as well, so a forgotten server does not outlive its owner.
#[derive(Debug)]
pub struct Target {
    /// Where the server listens.
    local_addr: SocketAddr,
    /// Tells the accept loop to stop; `None` once used.
    stop: Option<oneshot::Sender<()>>,
    /// The accept loop task; `None` once awaited.
    task: Option<JoinHandle<()>>,
}

impl Target {
    /// Binds `addr` (e.g. `127.0.0.1:0`) and starts serving on the current
    /// tokio runtime.
    ///
    /// Returns once the socket is bound, so [`Target::local_addr`] is
    /// immediately connectable.
    ///
    /// # Errors
    ///
    /// Returns the error from binding the listening socket.
    pub async fn start(addr: SocketAddr) -> io::Result<Target> {
        let listener = TcpListener::bind(addr).await?;
        let local_addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(accept_loop(listener, stopped));
        Ok(Target {
            local_addr,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The address the server is listening on (with the real port when
    /// port 0 was requested).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Stops accepting and ends the server task.
    ///
    /// Connections still open are aborted with it: the target serves
    /// tests, which have finished with their connections by the time they
    /// shut it down.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            // An Err means the loop already ended, which is the goal.
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            // A JoinError only reports a panic or abort of a task that is
            // over either way.
            let _ = task.await;
        }
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// The HTTP/1.1 connection settings shared by all connections.
fn connection_builder() -> http1::Builder {
    let mut builder = http1::Builder::new();
    builder
        // The timer makes the header read timeout effective.
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .max_header_size(MAX_HEADER_SIZE)
        // Persistent connections are the HTTP/1.1 default (RFC 9112 §9.3).
        .keep_alive(true)
        // A client that half-closes after its request still gets the
        // response (RFC 9112 §9.6 describes the half-close as the first
        // stage of a graceful close). hyper's default, false, drops the
        // connection when the read side ends, racing the response.
        .half_close(true)
        // Pipelined requests are answered in order either way (RFC 9112
        // §9.3.2); hyper's experimental flush aggregation stays off
        // because it skips flushing while unparsed bytes sit in the read
        // buffer. That loses the automatic `400` for a malformed request
        // (the connection closes with the response unsent) and holds back
        // a complete response while the next pipelined request is only
        // partly received.
        .pipeline_flush(false);
    builder
}

/// Accepts connections until `stopped` fires, serving each in its own task.
///
/// Connection tasks live in a `JoinSet`, so they are aborted when the loop
/// returns and the set is dropped.
async fn accept_loop(listener: TcpListener, mut stopped: oneshot::Receiver<()>) {
    let builder = connection_builder();
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            biased;
            _ = &mut stopped => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => {
                    // Small responses should not wait for Nagle's algorithm.
                    let _ = stream.set_nodelay(true);
                    let builder = builder.clone();
                    connections.spawn(async move {
                        let service = service_fn(|request| async {
                            Ok::<_, Infallible>(routes::handle(request).await)
                        });
                        // Errors here are the client's (malformed input,
                        // resets, timeouts); hyper has already answered
                        // what deserved an answer, so there is nothing
                        // left to do with them.
                        let _ = builder
                            .serve_connection(TokioIo::new(stream), service)
                            .with_upgrades()
                            .await;
                    });
                }
                Err(_) => tokio::time::sleep(ACCEPT_ERROR_BACKOFF).await,
            },
            // Reap finished connection tasks so the set does not grow.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}
