#!/usr/bin/env bash
# Regenerates a real server's expectations file from a fresh run, keeping every reason already
# written. Usage:
#   ci/expectations-refresh.sh NAME...     # NAME: nginx apache2 lighttpd caddy h2o (or embedded, broken)
# For each NAME: runs `ci/conformance.sh NAME` (the server started and stopped as in CI), then
# `wirecheck expectations update reports/out/NAME.json --file ci/expectations/NAME.yaml`:
#   - entries whose case now passes are removed, entries with a new verdict get it (reason kept);
#   - every new non-pass result is added with the reason `TODO: explain`, which ci/conformance.sh
#     refuses: replace each with a one-line reason citing the RFC clause before committing.
# Prints the TODO entries left at the end and exits 1 if there are any.
# Env: WIRECHECK_BIN (default target/release/wirecheck), RUNS (default 1: with RUNS=3 the file
# is updated from each of three runs, so a verdict that varies between runs gets a list).
# shellcheck source-path=SCRIPTDIR
set -Eeuo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CI_DIR/.."

(($#)) || die "usage: ci/expectations-refresh.sh NAME..."
bin=${WIRECHECK_BIN:-target/release/wirecheck}
[[ -x $bin ]] || die "$bin not built (cargo build --release -p wirecheck)"
runs=${RUNS:-1}
todo=0
for name in "$@"; do
  file="ci/expectations/$name.yaml"
  if [[ ! -e $file ]]; then
    log "$file: new file"
    printf '# Known results of %s (ci/conformance.sh %s); every entry needs a reason.\nexpectations: []\n' \
      "$name" "$name" >"$file"
  fi
  for ((i = 1; i <= runs; i++)); do
    log "$name: run $i of $runs"
    rc=0
    WIRECHECK_ALLOW_TODO=1 WIRECHECK_BIN="$bin" bash ci/conformance.sh "$name" >/dev/null || rc=$?
    # 0: as expected; 1: results differ from the file (what this script is for). Anything
    # else (no target, load error, interrupted) leaves the file alone.
    ((rc <= 1)) || die "$name: ci/conformance.sh exited $rc; $file not touched"
    "$bin" expectations update "reports/out/$name.json" --file "$file"
  done
  if grep -n 'reason: *["'"'"']\?TODO' "$file" >&2; then
    log "$file: the entries above need a reason (one line, citing the RFC clause)"
    todo=1
  fi
done
exit "$todo"
