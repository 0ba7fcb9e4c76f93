#!/usr/bin/env bash
# Runs the case library several times against the embedded target and against nginx, and fails
# listing every case whose verdict is not the same in every run. Usage:
#   ci/determinism.sh [RUNS]          # default 5 runs per target
# Env: TARGETS (default "embedded nginx"), WIRECHECK_BIN, WS_ECHO_COUNT, WS_TIMER_SCALE.
# The runs use the flags ci/conformance.sh uses for the same target, without the expectations
# file and the Autobahn report (neither changes a verdict). JSON reports are kept in
# $WORK/determinism/<target>-<n>.json. Needs a release build (cargo build --release -p wirecheck).
# shellcheck source-path=SCRIPTDIR
set -Eeuo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CI_DIR/.."
start=$SECONDS

runs=${1:-5}
if ! [[ $runs =~ ^[0-9]+$ ]] || ((runs < 2)); then die "RUNS must be a number >= 2"; fi
read -ra targets <<<"${TARGETS:-embedded nginx}"
bin=${WIRECHECK_BIN:-target/release/wirecheck}
[[ -x $bin ]] || die "$bin not built (cargo build --release -p wirecheck)"
out="$WORK/determinism"
rm -rf "$out"
mkdir -p "$out"
ws_args=(--ws-echo-count "${WS_ECHO_COUNT:-100}" --ws-timer-scale "${WS_TIMER_SCALE:-2}")
url=

# run_once TARGET JSON: one run of the library; a run with failures is fine (exit 1), a run
# that could not be made is not.
run_once() {
  local target=$1 json=$2 rc=0
  case $target in
    embedded)
      "$bin" run cases --no-default-reports --report-json "$json" "${ws_args[@]}" 2>"$json.log" ||
        rc=$?
      ;;
    nginx)
      "$bin" run cases/http1 --no-default-reports --report-json "$json" --target "$url" \
        --feature range --feature etag --feature last-modified 2>"$json.log" || rc=$?
      ;;
    *) die "unknown target $target" ;;
  esac
  ((rc <= 1)) || { tail -n 20 "$json.log" >&2; die "$target run exited $rc"; }
  tail -n 1 "$json.log" | sed "s/^/[ci]   $(basename "$json" .json): /" >&2
}

for target in "${targets[@]}"; do
  if [[ $target == nginx ]]; then
    url=$(bash ci/nginx.sh start)
    trap 'bash ci/nginx.sh stop' EXIT
  fi
  for ((i = 1; i <= runs; i++)); do
    log "determinism: $target, run $i of $runs"
    t0=$SECONDS
    run_once "$target" "$out/$target-$i.json"
    log "  ($((SECONDS - t0)) s)"
  done
  if [[ $target == nginx ]]; then
    bash ci/nginx.sh stop
    trap - EXIT
  fi
done

status=0
python3 - "$out" "${targets[@]}" <<'EOF' || status=1
import json, sys
from pathlib import Path

out, targets = Path(sys.argv[1]), sys.argv[2:]
flaky_total = 0
for target in targets:
    files = sorted(out.glob(f"{target}-*.json"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    runs = []
    for f in files:
        report = json.loads(f.read_text())
        runs.append({c["id"]: (c["verdict"], c.get("message") or "") for c in report["cases"]})
    ids = sorted(set().union(*runs))
    flaky = []
    for id_ in ids:
        seen = [r.get(id_, ("absent", "")) for r in runs]
        if len({v for v, _ in seen}) > 1:
            flaky.append((id_, seen))
    print(f"[ci] {target}: {len(ids)} cases x {len(runs)} runs, {len(flaky)} with differing verdicts",
          file=sys.stderr)
    for id_, seen in flaky:
        print(f"  {target}  {id_}: {' '.join(v for v, _ in seen)}", file=sys.stderr)
        for n, (v, m) in enumerate(seen, 1):
            print(f"      run {n}: {v}: {m[:300]}", file=sys.stderr)
    flaky_total += len(flaky)
sys.exit(1 if flaky_total else 0)
EOF

log "determinism: done in $((SECONDS - start)) s"
((status == 0)) || die "verdicts differ between runs (listed above)"
log "every verdict is the same in every run"
