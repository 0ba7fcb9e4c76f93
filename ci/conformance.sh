#!/usr/bin/env bash
# Runs the case library against one real server and compares the results with its committed
# expectations file. Usage:
#   ci/conformance.sh embedded            # the in-process target
#   ci/conformance.sh nginx               # starts nginx on loopback (installs it if missing)
#   ci/conformance.sh broken              # our strict test server with no switches
# Reports go to reports/out/<name>.{json,xml}. Exit code: wirecheck's.
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CI_DIR/.."

name=${1:?usage: ci/conformance.sh embedded|nginx|broken}
bin=${WIRECHECK_BIN:-target/release/wirecheck}
[[ -x $bin ]] || die "$bin not built (cargo build --release)"
args=(run cases --expectations "ci/expectations/$name.yaml"
      --report-json "reports/out/$name.json" --report-junit "reports/out/$name.xml")

case $name in
  embedded)
    "$bin" "${args[@]}"
    ;;
  nginx)
    url=$(bash ci/nginx.sh start)
    trap 'bash ci/nginx.sh stop' EXIT
    # nginx serves static files: no /echo, but ranges and validators.
    "$bin" "${args[@]}" --target "$url" --feature range --feature etag --feature last-modified
    ;;
  broken)
    broken=${BROKEN_BIN:-target/release/broken-server}
    [[ -x $broken ]] || die "$broken not built"
    "$broken" --listen 127.0.0.1:0 >"$WORK/broken.url" &
    pid=$!
    trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
    for _ in $(seq 50); do [[ -s $WORK/broken.url ]] && break; sleep 0.1; done
    url=$(head -n1 "$WORK/broken.url")
    [[ -n $url ]] || die "broken-server did not start"
    "$bin" "${args[@]}" --target "$url" --feature echo --feature range --feature etag --feature last-modified
    ;;
  *) die "unknown target $name" ;;
esac
