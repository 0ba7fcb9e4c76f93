//! The whole case library against the embedded target, each case a trial, through the API a
//! project's own `tests/conformance.rs` uses (`wirecheck::trials`). Known non-passes come from
//! the same expectations file CI's `conformance.sh embedded` uses, so a change in the target's
//! behaviour or in a case fails one named trial here.
//!
//! `cargo test -p wirecheck --test library -- http1/host` runs a part; `--list` lists the
//! trials; `cargo nextest run -p wirecheck --test library` runs each in its own process.
//! `WIRECHECK_TARGET=http://127.0.0.1:8080` points the same trials at another server.

use std::process::ExitCode;

use wirecheck::target::{Target, FEATURES};
use wirecheck::trials::{library, Conformance};

fn main() -> ExitCode {
    let root = env!("CARGO_MANIFEST_DIR");
    Conformance::new()
        .cases(library())
        .expectations(format!("{root}/../../ci/expectations/embedded.yaml"))
        .features(FEATURES.iter().copied())
        // CI's quick WebSocket profile (ci/conformance.sh): 100 echoes instead of 1000, and
        // timers doubled because server and runner share the machine's cores.
        .ws_echo_count(100)
        .ws_timer_scale(2.0)
        .server(|| async {
            let target = Target::start(([127, 0, 0, 1], 0).into()).await?;
            let addr = target.local_addr();
            // The target stops when dropped; it has to serve until the process exits.
            std::mem::forget(target);
            Ok(addr)
        })
        .run()
}
