//! What the engine asks of the runner, and what the runner reports back.

use std::time::Duration;

use crate::model::Transport;
use crate::result::TlsFacts;

/// One I/O operation for the runner to perform.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Open a connection to the target, as the target URL says. Answer `Connected` or
    /// `ConnectFailed` (on a TLS target, `TlsEstablished` comes first; a failed handshake is a
    /// `ConnectFailed`).
    Connect,
    /// Open a connection another way: plain TCP, or TLS with overrides. For TLS, answer
    /// `TlsEstablished` then `Connected`, or `TlsFailed` when the TCP connection opened but the
    /// handshake did not complete (that is an observation, not a harness error).
    ConnectWith(Transport),
    /// Write these bytes in one write call (looping on short writes). Answer `Wrote` or
    /// `WriteFailed`.
    Write(Vec<u8>),
    /// Write these bytes while reading: whatever arrives meanwhile is reported (`Data`, `Eof`,
    /// `Reset`) before the final `Wrote` or `WriteFailed`. A peer that echoes while we send a
    /// large message would otherwise fill both socket buffers and deadlock us both. Give up
    /// writing at `deadline` (`WriteFailed`).
    Transfer {
        /// The bytes, written with as many write calls as needed.
        bytes: Vec<u8>,
        /// Time since case start at which to give up.
        deadline: Duration,
    },
    /// Shut down the write side. Answer `ShutdownDone` or `ShutdownFailed`.
    ShutdownWrite,
    /// Wait this long without reading. Answer `Slept`.
    Sleep(Duration),
    /// Read once: answer `Data` with what arrived, `Eof`, `Reset`, or `Timeout` when nothing
    /// arrived by `deadline` (time since the case started).
    Read {
        /// Time since case start at which to give up.
        deadline: Duration,
    },
    /// Drop the connection (the engine is done with it). Answer `Closed`.
    Close,
    /// The case is over; call `into_result`.
    Finish,
}

/// The outcome of an [`Action`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event<'a> {
    /// The connection is open.
    Connected,
    /// The TLS handshake completed with these facts (before `Connected`).
    TlsEstablished(Box<TlsFacts>),
    /// The TLS handshake of a `ConnectWith` failed; the text says how (alert, close, reset,
    /// certificate verification).
    TlsFailed(String),
    /// The server ended a TLS connection with a TCP FIN but no `close_notify` alert (reported
    /// just before `Eof`).
    TlsCloseWithoutNotify,
    /// It could not be opened (the case will be an `error`).
    ConnectFailed(String),
    /// All bytes were written.
    Wrote,
    /// Writing failed (often: the server already closed or reset).
    WriteFailed(String),
    /// The write side is shut down.
    ShutdownDone,
    /// Shutdown failed.
    ShutdownFailed(String),
    /// The sleep is over.
    Slept,
    /// Bytes arrived.
    Data(&'a [u8]),
    /// The server closed its side (read returned 0).
    Eof,
    /// The connection was reset or failed; the text says how.
    Reset(String),
    /// Nothing arrived before the deadline.
    Timeout,
    /// The connection was dropped.
    Closed,
}
