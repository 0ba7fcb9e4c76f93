#!/usr/bin/env bash
# WebSocket benchmark: the Autobahn library against real servers on loopback, printing wall
# time, wirecheck's CPU time and peak RSS, and the server process's CPU time over the run.
#   bash ci/bench-ws.sh            # core 247 and all 517 vs tokio-tungstenite; 12.x/13.x vs ws
#   ECHOES=100 bash ci/bench-ws.sh # the quick profile for the deflate part (default: 1000)
# Writes reports/out/bench-ws.json. Needs a release build (cargo build --release).
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CI_DIR/.."
bin=target/release/wirecheck
[[ -x $bin ]] || die "$bin not built (cargo build --release)"
echoes=${ECHOES:-1000}
tck=$(getconf CLK_TCK)
rows=()

# server_cpu PID: utime+stime of the process in seconds.
server_cpu() { awk -v t="$tck" '{printf "%.2f", ($14+$15)/t}' "/proc/$1/stat"; }

# measure LABEL SERVER -- wirecheck args...
measure() {
  local label=$1 server=$2; shift 3
  local url pid before after out
  url=$(cat "$WORK/ws-$server.url")
  pid=$(cat "$WORK/ws-$server.pid")
  before=$(server_cpu "$pid")
  out=$( { /usr/bin/time -f 'TIME %e %U %S %M' "$bin" run cases/websocket --target "$url" \
      --no-default-reports "$@" 2>&1 >/dev/null; } 2>&1 || true)
  after=$(server_cpu "$pid")
  read -r _ wall user sys rss <<<"$(grep '^TIME' <<<"$out")"
  local counts; counts=$(grep -E '^[0-9]+ passed' <<<"$out" | tail -1)
  local cpu srv; cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u+s}')
  srv=$(awk -v a="$after" -v b="$before" 'BEGIN{printf "%.2f", a-b}')
  printf '%-44s wall %7.2f s  wirecheck cpu %6.2f s  server cpu %7.2f s  rss %4d MiB  %s\n' \
    "$label" "$wall" "$cpu" "$srv" "$((rss / 1024))" "$counts"
  rows+=("{\"label\":\"$label\",\"wall_s\":$wall,\"wirecheck_cpu_s\":$cpu,\"server_cpu_s\":$srv,\"peak_rss_kib\":$rss}")
}

trap 'bash ci/ws-servers.sh stop tungstenite >/dev/null 2>&1; bash ci/ws-servers.sh stop ws >/dev/null 2>&1' EXIT
bash ci/ws-servers.sh start tungstenite >/dev/null
bash ci/ws-servers.sh start ws >/dev/null
measure "core 247 (1-7, 10) vs tokio-tungstenite" tungstenite -- \
  --filter 'websocket/autobahn/[1-7].*' --filter 'websocket/autobahn/10.*'
measure "all 517 vs tokio-tungstenite" tungstenite -- --filter 'websocket/autobahn/*'
measure "12.x+13.x ($echoes echoes) vs ws (deflate)" ws -- \
  --filter 'websocket/autobahn/12.*' --filter 'websocket/autobahn/13.*' --ws-echo-count "$echoes"
echo "context: Autobahn|Testsuite's published full run against ws 8.18.3 took 893 s (12.x 512 s, 13.x 360 s); ~45 s without deflate against Deno."
mkdir -p reports/out
printf '[%s]\n' "$(IFS=,; echo "${rows[*]}")" > reports/out/bench-ws.json
echo "wrote reports/out/bench-ws.json"
