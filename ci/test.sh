#!/usr/bin/env bash
# The project's test command (README): formatting, lints, unit/property/integration tests,
# then the case library against real servers compared with committed expectations.
# Installs what it needs (nginx) and stops every server it starts.
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CI_DIR/.."
start=$SECONDS

log "cargo fmt --check"
cargo fmt --all -- --check

log "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

log "sans-I/O core: no async runtime or socket crate in wirecheck-core's dependency tree"
if cargo tree --locked -p wirecheck-core -e normal --prefix none | grep -E '^(tokio|mio|socket2|async-std|hyper) '; then
  die "wirecheck-core must not depend on I/O crates"
fi

log "TLS: rustls with the ring provider only (no aws-lc-rs in the build)"
if cargo tree --locked --workspace -e normal --prefix none | grep -E '^aws-lc-(rs|sys) '; then
  die "aws-lc-rs must not be in the build (rustls is used with ring)"
fi

log "cargo build --release"
cargo build --workspace --release --locked

log "cargo test (PROPTEST_CASES=${PROPTEST_CASES:=512})"
export PROPTEST_CASES
cargo test --workspace --release --locked

log "the case library as cargo-nextest trials (each case its own process)"
cargo nextest --version >/dev/null 2>&1 || cargo install cargo-nextest --locked
cargo nextest run --release --locked -p wirecheck --test library --test-threads 32 \
  --no-fail-fast --status-level fail --final-status-level fail

log "wirecheck check over the case library"
target/release/wirecheck check cases

log "coverage: every check of cases/http1/CHECKLIST.md has a case, and COVERAGE.md is current"
target/release/wirecheck coverage cases/http1 --checklist cases/http1/CHECKLIST.md \
  --write "$WORK/COVERAGE.md"
diff -u cases/http1/COVERAGE.md "$WORK/COVERAGE.md" ||
  die "cases/http1/COVERAGE.md is stale: run wirecheck coverage --write cases/http1/COVERAGE.md"

for target in embedded broken nginx nginx-tls apache2 lighttpd caddy h2o websockets ws tungstenite; do
  log "conformance: $target"
  bash ci/conformance.sh "$target"
done

log "hostile servers: every mode ends within its timeout, bounded RSS, clear verdicts"
bash ci/hostile.sh

log "fuzz smoke: seed corpora replayed on stable; libFuzzer runs too if nightly + cargo-fuzz exist"
bash ci/fuzz-smoke.sh

log "determinism: every verdict the same over 5 runs (embedded, nginx)"
bash ci/determinism.sh

log "HTML report in headless Chromium: escaping, rendering, 800-case filtering"
bash ci/html-report-test.sh

log "all green in $((SECONDS - start)) s"
