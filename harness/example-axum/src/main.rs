//! Serves the example app: `wirecheck-example-axum [ADDR]` (default 127.0.0.1:0), printing
//! `http://ADDR` once listening, so the CLI can be pointed at the same server as the tests.

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:0".into());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("http://{}", listener.local_addr()?);
    axum::serve(listener, wirecheck_example_axum::app()).await
}
