//! [`BrokenServer`]: the listener and its connection tasks.

use std::io;
use std::net::SocketAddr;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};

use crate::connection;
use crate::switches::{Switch, Switches};

/// A running HTTP/1.1 server, conformant except for its switches.
///
/// Dropping it without [`BrokenServer::shutdown`] stops accepting in the
/// background; `shutdown` also waits for that and ends open connections.
#[derive(Debug)]
pub struct BrokenServer {
    /// The address the listener is bound to.
    local_addr: SocketAddr,
    /// Tells the accept loop to stop.
    stop: Option<oneshot::Sender<()>>,
    /// The accept loop.
    task: Option<JoinHandle<()>>,
}

impl BrokenServer {
    /// Binds `addr` (use port 0 for any free port) and starts serving with
    /// `switches` on. Must be called within a tokio runtime.
    pub async fn start(addr: SocketAddr, switches: &[Switch]) -> io::Result<BrokenServer> {
        let listener = TcpListener::bind(addr).await?;
        let local_addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(accept_loop(listener, Switches::new(switches), stopped));
        Ok(BrokenServer {
            local_addr,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
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

impl Drop for BrokenServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Accepts connections until told to stop; each is served on its own task.
async fn accept_loop(
    listener: TcpListener,
    switches: Switches,
    mut stopped: oneshot::Receiver<()>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            accepted = listener.accept() => {
                if let Ok((stream, _peer)) = accepted {
                    let _ = stream.set_nodelay(true);
                    connections.spawn(connection::serve(stream, switches));
                }
            }
        }
        while connections.try_join_next().is_some() {}
    }
    // Dropping the set aborts the connection tasks.
    connections.shutdown().await;
}
