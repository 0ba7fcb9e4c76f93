//! How the test servers' binaries learn to stop.

/// Installs the SIGTERM and SIGINT handlers (call it before printing the address, so a
/// supervisor's signal is never missed) and returns a future that completes when either
/// arrives.
#[cfg(unix)]
pub fn termination() -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => {}
            _ = interrupt.recv() => {}
        }
    })
}

/// Elsewhere only ctrl-c ends the server.
#[cfg(not(unix))]
pub fn termination() -> std::io::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}
