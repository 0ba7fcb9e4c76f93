//! [`HostileServer`]: the listener and its connection tasks.

use std::io;
use std::net::SocketAddr;

use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};

use super::{behave, HostileMode};

/// Receive buffer asked for in `never-reads` (the kernel rounds it up to its minimum, a few
/// KiB), so that a client's large write fills it and the client's send buffer quickly.
const TINY_RECV_BUFFER: u32 = 4096;

/// A running server that mistreats every connection the same way.
///
/// Dropping it without [`HostileServer::shutdown`] stops accepting in the background;
/// `shutdown` also waits for that and ends every open connection.
#[derive(Debug)]
pub struct HostileServer {
    local_addr: SocketAddr,
    mode: HostileMode,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl HostileServer {
    /// Binds `addr` (port 0 for any free port) and starts serving in `mode`. Must be called
    /// within a tokio runtime.
    pub async fn start(addr: SocketAddr, mode: HostileMode) -> io::Result<HostileServer> {
        let listener = bind(addr, mode)?;
        let local_addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(accept_loop(listener, mode, stopped));
        Ok(HostileServer {
            local_addr,
            mode,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The mode it serves.
    pub fn mode(&self) -> HostileMode {
        self.mode
    }

    /// The URL to point wirecheck at: `ws://ADDR/` for the WebSocket modes, else `http://ADDR`.
    pub fn url(&self) -> String {
        if self.mode.is_websocket() {
            format!("ws://{}/", self.local_addr)
        } else {
            format!("http://{}", self.local_addr)
        }
    }

    /// Stops accepting, ends every open connection and waits for that.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// The listener; in `never-reads` with a tiny receive buffer, which accepted sockets inherit
/// (it must be set before `listen` for the window to stay small).
fn bind(addr: SocketAddr, mode: HostileMode) -> io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    if mode == HostileMode::NeverReads {
        socket.set_recv_buffer_size(TINY_RECV_BUFFER)?;
    }
    socket.bind(addr)?;
    socket.listen(128)
}

/// Accepts connections until told to stop; each is mistreated on its own task.
async fn accept_loop(listener: TcpListener, mode: HostileMode, mut stopped: oneshot::Receiver<()>) {
    let mut connections = JoinSet::new();
    let mut serial = 0u64;
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            accepted = listener.accept() => {
                if let Ok((stream, _peer)) = accepted {
                    let _ = stream.set_nodelay(true);
                    serial += 1;
                    connections.spawn(behave::serve(stream, mode, serial));
                }
            }
        }
        while connections.try_join_next().is_some() {}
    }
    // Dropping the set aborts the connection tasks.
    connections.shutdown().await;
}
