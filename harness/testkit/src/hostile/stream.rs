//! Ways of writing that never end on their own: drip, flood, stall. Each stops at the first
//! write error, which is how it learns that the client has gone.

use std::io;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::sleep;

/// Bytes per write when flooding.
pub(super) const BLOCK: usize = 64 * 1024;

/// Writes `bytes` one at a time, `every` apart.
pub(super) async fn drip(stream: &mut TcpStream, bytes: &[u8], every: Duration) -> io::Result<()> {
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            sleep(every).await;
        }
        stream.write_all(std::slice::from_ref(b)).await?;
    }
    Ok(())
}

/// Writes blocks from `next` for as long as the client takes them.
pub(super) async fn flood(
    stream: &mut (impl AsyncWrite + Unpin),
    mut next: impl FnMut(&mut Vec<u8>),
) -> io::Result<()> {
    let mut block = Vec::with_capacity(BLOCK);
    loop {
        block.clear();
        next(&mut block);
        stream.write_all(&block).await?;
    }
}

/// Says nothing more: reads and discards until the client closes or fails, so the task ends
/// with the connection.
pub(super) async fn stall(stream: &mut (impl AsyncRead + Unpin)) -> io::Result<()> {
    let mut sink = [0u8; 16 * 1024];
    while stream.read(&mut sink).await? > 0 {}
    Ok(())
}
