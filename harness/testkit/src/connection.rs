//! One connection: read requests, answer them in order, close; or, after a
//! WebSocket handshake on `/ws`, hand the connection to [`ws::session`].
//!
//! The switches `no-100-continue`, `pipeline-drop`, `ignore-connection-close`,
//! `reset-on-close`, `drop-on-half-close` and `keep-open-after-framing-error`
//! act here.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{timeout, timeout_at, Instant};

use crate::chunked::ChunkedDecoder;
use crate::framing::{self, Framing};
use crate::request::{parse_head, Field, Head, Rejection, Version};
use crate::response::{self, Context, Response};
use crate::routes;
use crate::switches::{Switch, Switches};
use crate::ws::{self, handshake, session};

/// How long a keep-alive connection may wait for its next request.
const IDLE_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a read may take in the middle of a request.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How long writing one response may take.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// How long to keep reading (and discarding) after a graceful close, so
/// that unread request bytes do not turn the FIN into a reset.
const LINGER_TIME: Duration = Duration::from_secs(2);

/// Most bytes discarded while lingering.
const LINGER_MAX: usize = 1024 * 1024;

/// How much to make room for on each read.
const READ_CHUNK: usize = 16 * 1024;

/// How long `drop-on-half-close` waits for the client's FIN after a request.
const HALF_CLOSE_PROBE: Duration = Duration::from_millis(100);

/// How a connection ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    /// The client went away or idled out: close gracefully.
    Quiet,
    /// The server closes after a response that said `Connection: close`.
    AfterResponse,
    /// An I/O error: just drop the socket.
    Abort,
    /// A WebSocket connection is over: close gracefully (`reset-on-close`
    /// is an HTTP rule and does not apply).
    WebSocket,
}

/// What one read produced.
enum Fill {
    /// Some bytes were appended to the buffer.
    Data,
    /// End of stream, or the read timed out.
    Eof,
    /// The read failed.
    Failed,
}

/// A connection and the bytes read from it but not yet used.
struct Connection {
    /// The socket.
    stream: TcpStream,
    /// Bytes received and not yet parsed.
    buf: Vec<u8>,
    /// The switches in force.
    switches: Switches,
}

/// Serves `stream` until it closes.
pub(crate) async fn serve(stream: TcpStream, switches: Switches) {
    let mut connection = Connection {
        stream,
        buf: Vec::with_capacity(READ_CHUNK),
        switches,
    };
    match connection.run().await {
        End::Abort => {}
        End::AfterResponse if switches.on(Switch::ResetOnClose) => {
            // Abortive close: RST instead of FIN when the socket drops.
            let _ = connection.stream.set_zero_linger();
        }
        End::AfterResponse | End::Quiet | End::WebSocket => connection.close_gracefully().await,
    }
}

impl Connection {
    /// Answers requests until the connection is to end.
    async fn run(&mut self) -> End {
        loop {
            let head = match self.read_head().await {
                Ok(head) => head,
                Err(end) => return end,
            };
            let head_request = head.method == "HEAD";
            let keep_open = self.switches.on(Switch::KeepOpenAfterFramingError)
                && framing::framing(&head, self.switches).is_err();
            let request = match framing::interpret(head, self.switches) {
                Ok(request) => request,
                Err(rejection) if keep_open => {
                    // Answer, forget what was buffered, and carry on.
                    let response = Response::text(rejection.status, rejection.message);
                    let context = Context {
                        head_request,
                        connection: None,
                    };
                    let bytes = response::encode(&response, context, self.switches);
                    if self.write(&bytes).await.is_err() {
                        return End::Abort;
                    }
                    self.buf.clear();
                    continue;
                }
                Err(rejection) => return self.reject(rejection, head_request).await,
            };
            if request.path == ws::PATH {
                return self.websocket(&request).await;
            }
            if request.expect_continue
                && request.framing != Framing::Empty
                && !self.switches.on(Switch::No100Continue)
                && self
                    .write(&response::continue_bytes(self.switches))
                    .await
                    .is_err()
            {
                return End::Abort;
            }
            let (body, trailers) = match request.framing {
                Framing::Empty => (Vec::new(), Vec::new()),
                Framing::Length(length) => match self.read_length(length).await {
                    Ok(body) => (body, Vec::new()),
                    Err(end) => return end,
                },
                Framing::Chunked => match self.read_chunked(head_request).await {
                    Ok(read) => read,
                    Err(end) => return end,
                },
            };

            if self.switches.on(Switch::DropOnHalfClose) {
                if let Some(end) = self.half_closed().await {
                    return end;
                }
            }
            let response = routes::respond(&request, &body, &trailers, self.switches);
            let close = !request.keep_alive || response.close;
            let connection = if close {
                Some("close")
            } else if request.head.version == Version::Http10 {
                Some("keep-alive")
            } else {
                None
            };
            let context = Context {
                head_request,
                connection,
            };
            let bytes = response::encode(&response, context, self.switches);
            if self.write(&bytes).await.is_err() {
                return End::Abort;
            }
            if self.switches.on(Switch::PipelineDrop) {
                // Whatever else arrived with this request is forgotten.
                self.buf.clear();
            }
            let ignore_close = self.switches.on(Switch::IgnoreConnectionClose)
                && request.close_requested
                && !response.close;
            if close && !ignore_close {
                return End::AfterResponse;
            }
        }
    }

    /// Reads until a request head is complete, answering errors itself.
    async fn read_head(&mut self) -> Result<Head, End> {
        loop {
            if !self.buf.is_empty() {
                match parse_head(&self.buf, self.switches) {
                    Ok(Some((head, used))) => {
                        self.buf.drain(..used);
                        return Ok(head);
                    }
                    Ok(None) => {}
                    Err(rejection) => return Err(self.reject(rejection, false).await),
                }
            }
            let wait = if self.buf.is_empty() {
                IDLE_TIMEOUT
            } else {
                READ_TIMEOUT
            };
            match self.fill(wait).await {
                Fill::Data => {}
                Fill::Eof => return Err(End::Quiet),
                Fill::Failed => return Err(End::Abort),
            }
        }
    }

    /// Reads a body of `length` bytes (at most [`framing::MAX_BODY`]).
    async fn read_length(&mut self, length: u64) -> Result<Vec<u8>, End> {
        let length = usize::try_from(length).map_err(|_| End::Abort)?;
        while self.buf.len() < length {
            match self.fill(READ_TIMEOUT).await {
                Fill::Data => {}
                Fill::Eof => return Err(End::Quiet),
                Fill::Failed => return Err(End::Abort),
            }
        }
        let rest = self.buf.split_off(length);
        Ok(std::mem::replace(&mut self.buf, rest))
    }

    /// Reads and decodes a chunked body with its trailers.
    async fn read_chunked(&mut self, head_request: bool) -> Result<(Vec<u8>, Vec<Field>), End> {
        let mut decoder = ChunkedDecoder::new();
        loop {
            match decoder.feed(&self.buf) {
                Ok((used, done)) => {
                    self.buf.drain(..used);
                    if done {
                        return Ok((decoder.body, decoder.trailers));
                    }
                }
                Err(rejection) => return Err(self.reject(rejection, head_request).await),
            }
            match self.fill(READ_TIMEOUT).await {
                Fill::Data => {}
                Fill::Eof => return Err(End::Quiet),
                Fill::Failed => return Err(End::Abort),
            }
        }
    }

    /// Answers a WebSocket handshake (RFC 6455 §4.2.2) and serves the
    /// connection it opens, or refuses it and closes.
    async fn websocket(&mut self, request: &framing::Request) -> End {
        let accepted = match handshake::accept(request, self.switches) {
            Ok(accepted) => accepted,
            Err(refusal) => return self.refuse(&refusal, request.head.method == "HEAD").await,
        };
        let context = Context {
            head_request: false,
            connection: Some("Upgrade"),
        };
        let bytes = response::encode(&accepted.response, context, self.switches);
        if self.write(&bytes).await.is_err() {
            return End::Abort;
        }
        match session::run(
            &mut self.stream,
            &mut self.buf,
            accepted.deflate,
            self.switches,
        )
        .await
        {
            session::Outcome::Close => End::WebSocket,
            session::Outcome::Abort => End::Abort,
        }
    }

    /// Answers a request that cannot be processed, then ends the
    /// connection: its framing can no longer be trusted.
    async fn reject(&mut self, rejection: Rejection, head_request: bool) -> End {
        let response = Response::text(rejection.status, rejection.message);
        self.refuse(&response, head_request).await
    }

    /// Sends `response` with `Connection: close` and ends the connection.
    async fn refuse(&mut self, response: &Response, head_request: bool) -> End {
        let context = Context {
            head_request,
            connection: Some("close"),
        };
        let bytes = response::encode(response, context, self.switches);
        match self.write(&bytes).await {
            Ok(()) => End::AfterResponse,
            Err(()) => End::Abort,
        }
    }

    /// For `drop-on-half-close`: whether the client has shut down its write
    /// side after the request; then the request is dropped and the connection
    /// ends without an answer. Bytes that arrive instead are kept.
    async fn half_closed(&mut self) -> Option<End> {
        self.buf.reserve(READ_CHUNK);
        match timeout(HALF_CLOSE_PROBE, self.stream.read_buf(&mut self.buf)).await {
            Ok(Ok(0)) => Some(End::Quiet),
            Ok(Ok(_)) | Err(_) => None,
            Ok(Err(_)) => Some(End::Abort),
        }
    }

    /// Appends what the next read brings to the buffer.
    async fn fill(&mut self, wait: Duration) -> Fill {
        self.buf.reserve(READ_CHUNK);
        match timeout(wait, self.stream.read_buf(&mut self.buf)).await {
            Ok(Ok(0)) | Err(_) => Fill::Eof,
            Ok(Ok(_)) => Fill::Data,
            Ok(Err(_)) => Fill::Failed,
        }
    }

    /// Writes and flushes `bytes`.
    async fn write(&mut self, bytes: &[u8]) -> Result<(), ()> {
        let write = async {
            self.stream.write_all(bytes).await?;
            self.stream.flush().await
        };
        match timeout(WRITE_TIMEOUT, write).await {
            Ok(Ok(())) => Ok(()),
            _ => Err(()),
        }
    }

    /// Sends FIN, then reads and discards what the client still sends for
    /// a short while (RFC 9112 §9.6), so the close stays graceful.
    async fn close_gracefully(mut self) {
        if timeout(WRITE_TIMEOUT, self.stream.shutdown())
            .await
            .is_err()
        {
            return;
        }
        let deadline = Instant::now() + LINGER_TIME;
        let mut scratch = vec![0; 8 * 1024];
        let mut discarded = 0;
        while discarded < LINGER_MAX {
            match timeout_at(deadline, self.stream.read(&mut scratch)).await {
                Ok(Ok(n)) if n > 0 => discarded += n,
                _ => break,
            }
        }
    }
}
