//! Benchmark helpers. See `src/bin/bare-loop.rs` and `ci/bench.sh`.
