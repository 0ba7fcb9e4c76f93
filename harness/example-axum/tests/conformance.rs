//! wirecheck's HTTP/1.1 cases as cargo tests, one trial per case:
//!
//! ```text
//! cargo test -p wirecheck-example-axum --test conformance                 # all of them
//! cargo test -p wirecheck-example-axum --test conformance -- http1/host   # by name
//! cargo nextest run -p wirecheck-example-axum                             # under nextest
//! WIRECHECK_TARGET=http://127.0.0.1:8080 cargo test --test conformance    # another server
//! ```

use std::process::ExitCode;

use wirecheck::trials::{library, Conformance};

fn main() -> ExitCode {
    Conformance::new()
        .cases(library().join("http1"))
        // What axum/hyper does differently from the RFCs' preferred answers, with reasons:
        // those trials pass while the server keeps doing it, and fail when it changes.
        .expectations(concat!(env!("CARGO_MANIFEST_DIR"), "/expectations.yaml"))
        .server(|| async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            let addr = listener.local_addr()?;
            tokio::spawn(async move { axum::serve(listener, wirecheck_example_axum::app()).await });
            Ok(addr)
        })
        .run()
}
