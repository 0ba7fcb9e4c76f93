#!/usr/bin/env bash
# Fuzz smoke test of wirecheck-core (harness/fuzz, see its README.md):
#   1. always: replay every seed corpus file through every target on stable
#      (cargo test --no-default-features: no libFuzzer, no nightly);
#   2. if `cargo +nightly` and `cargo fuzz` are available: build the cargo-fuzz targets and
#      run each for FUZZ_SECONDS (default 10) seconds, failing on any crash, timeout or
#      out-of-memory; otherwise say why fuzzing was skipped (step 1 still ran).
# New inputs libFuzzer finds go to a scratch corpus under $WORK (ci/.work, git-ignored), not
# into the committed seed corpora; crash inputs go to harness/fuzz/artifacts/<target>/.
# Env: FUZZ_SECONDS (per target), FUZZ_TARGETS (space-separated subset), FUZZ_REQUIRE=1 (fail
# instead of skipping when nightly or cargo-fuzz is missing).
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CI_DIR/.."
start=$SECONDS

FUZZ_DIR=harness/fuzz
FUZZ_SECONDS="${FUZZ_SECONDS:-10}"
FUZZ_REQUIRE="${FUZZ_REQUIRE:-0}"
ALL_TARGETS=(http1_response chunked ws_frame ws_reader yaml_loader template)
read -r -a TARGETS <<<"${FUZZ_TARGETS:-${ALL_TARGETS[*]}}"

log "stable replay: every corpus file through every target"
cargo test --manifest-path "$FUZZ_DIR/Cargo.toml" --no-default-features --locked

skip_reason=""
if ! command -v rustup >/dev/null 2>&1; then
  skip_reason="rustup is not installed, so there is no \`cargo +nightly\`"
elif ! rustup run nightly cargo --version >/dev/null 2>&1; then
  skip_reason="no nightly toolchain (rustup toolchain install nightly)"
elif ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  skip_reason="cargo-fuzz is not installed (cargo install cargo-fuzz --locked)"
fi
if [[ -n $skip_reason ]]; then
  ((FUZZ_REQUIRE)) && die "fuzzing required (FUZZ_REQUIRE=1) but $skip_reason"
  log "fuzzing skipped: $skip_reason; the seed corpora were replayed on stable only"
  log "fuzz smoke (replay only) done in $((SECONDS - start)) s"
  exit 0
fi

log "$(cargo +nightly fuzz --version), $(rustup run nightly rustc --version)"
log "cargo +nightly fuzz build (release, debug assertions, AddressSanitizer)"
cargo +nightly fuzz build --fuzz-dir "$FUZZ_DIR" --debug-assertions

failed=()
for target in "${TARGETS[@]}"; do
  [[ -d $FUZZ_DIR/corpus/$target ]] || die "unknown target $target (no $FUZZ_DIR/corpus/$target)"
  scratch="$WORK/fuzz-corpus/$target"
  rm -rf "$scratch"
  mkdir -p "$scratch"
  log "fuzz $target for ${FUZZ_SECONDS}s"
  # The first corpus directory is where libFuzzer writes new inputs; the seeds are read only.
  # -timeout: one input taking longer than 10 s is a hang; -rss_limit_mb: 2 GiB is a leak.
  if ! cargo +nightly fuzz run --fuzz-dir "$FUZZ_DIR" --debug-assertions "$target" \
    "$scratch" "$FUZZ_DIR/corpus/$target" -- \
    -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    2>"$WORK/fuzz-$target.log"; then
    tail -n 40 "$WORK/fuzz-$target.log" >&2
    failed+=("$target")
  else
    grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "$WORK/fuzz-$target.log" >&2 || true
  fi
done

if ((${#failed[@]})); then
  log "crashing inputs are in $FUZZ_DIR/artifacts/<target>/; reproduce on stable with:"
  log "  cargo run --manifest-path $FUZZ_DIR/Cargo.toml --no-default-features --example replay -- <target> <file>"
  die "fuzz targets failed: ${failed[*]}"
fi
log "fuzz smoke done in $((SECONDS - start)) s (${#TARGETS[@]} targets, ${FUZZ_SECONDS}s each)"
