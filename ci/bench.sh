#!/usr/bin/env bash
# Prints wirecheck's speed figures as one table and writes them to reports/out/bench.json:
#   (a) the WebSocket suite (ci/bench-ws.sh): core 247 and all 517 against tokio-tungstenite,
#       12.x/13.x (permessage-deflate) against node `ws`: wall, wirecheck CPU, server CPU, RSS;
#   (b) the HTTP/1.1 library against nginx: wall and peak RSS;
#   (c) 1,000 generated trivial cases against nginx with default jobs: cases/s, and the ratio
#       to a bare tokio connect/send/read/close loop doing the same requests in the same run
#       (aim: ratio >= 0.5);
#   (d) `wirecheck check` over those 1,000 cases (aim: < 200 ms) and over the case library;
#   (e) Autobahn|Testsuite's published figures, for context.
# Usage: bash ci/bench.sh
#   BENCH_CASES=N       trivial cases for (c) (default 1000)
#   ECHOES=N            echoes per 12.x/13.x case in (a) (default 1000, Autobahn's; 100 = quick)
#   BENCH_WS=0          skip (a)
# Builds in release mode; installs nginx, time, node `ws` and a Python venv if missing.
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CI_DIR/.."
ensure_apt_packages time

cargo build --release --locked -p wirecheck -p wirecheck-bench -p wirecheck-ws-echo >&2
bin=target/release/wirecheck
n=${BENCH_CASES:-1000}
gen="$WORK/bench-cases/cases/trivial"
rm -rf "$WORK/bench-cases" && mkdir -p "$gen"
for i in $(seq -w 1 "$n"); do
  cat >"$gen/c$i.yaml" <<YAML
title: trivial GET $i
spec: {rfc: 9110, section: "9.3.1"}
level: must
steps:
  - request: {target: '{{base}}/hello.txt'}
  - expect_response: {status: 200, body: {length: 18}}
YAML
done

url=$(bash ci/nginx.sh start)
trap 'bash ci/nginx.sh stop' EXIT
authority=${url#http://}
# The same default wirecheck picks (runner::default_jobs): 8 x CPUs, clamped to 8..64.
jobs=$(python3 -c 'import os; print(min(64, max(8, 8 * (os.cpu_count() or 2))))')

now() { date +%s.%N; }
# Warm up both paths once so neither pays for cold caches.
"$bin" run "$WORK/bench-cases/cases" --target "$url" --no-default-reports --filter 'trivial/c00*' >/dev/null 2>&1 || true
target/release/bare-loop "$authority" /hello.txt 100 "$jobs" >/dev/null

t0=$(now)
"$bin" run "$WORK/bench-cases/cases" --target "$url" --no-default-reports >/dev/null 2>"$WORK/bench-run.log" || { cat "$WORK/bench-run.log" >&2; die "benchmark run failed"; }
t1=$(now)
# Timed the same way as wirecheck: the whole process, from outside.
bare=$(target/release/bare-loop "$authority" /hello.txt "$n" "$jobs")
t2=$(now)
run_ms=$(sed -n 's/.* cases in \([0-9]*\) ms.*/\1/p' "$WORK/bench-run.log" | tail -n1)
check_gen_ms=$(python3 - "$bin" "$WORK/bench-cases/cases" <<'PY'
import subprocess, sys, time
best = min((lambda s: (subprocess.run([sys.argv[1], "check", sys.argv[2]], capture_output=True, check=True), time.perf_counter() - s)[1])(time.perf_counter()) for _ in range(5))
print(round(best * 1000, 1))
PY
)
check_lib_ms=$(python3 - "$bin" cases <<'PY'
import subprocess, sys, time
best = min((lambda s: (subprocess.run([sys.argv[1], "check", sys.argv[2]], capture_output=True, check=True), time.perf_counter() - s)[1])(time.perf_counter()) for _ in range(5))
print(round(best * 1000, 1))
PY
)
t3=$(now)
lib_out=$( { /usr/bin/time -f 'TIME %e %M' "$bin" run cases/http1 --target "$url" --feature range --feature etag \
  --feature last-modified --expectations ci/expectations/nginx.yaml --no-default-reports 2>&1 >/dev/null; } 2>&1 || true)
t4=$(now)
read -r _ lib_wall lib_rss <<<"$(grep '^TIME' <<<"$lib_out")"
library_cases=$("$bin" list cases | wc -l)
http1_cases=$("$bin" list cases/http1 | wc -l)
bash ci/nginx.sh stop; trap - EXIT

if [[ ${BENCH_WS:-1} != 0 ]]; then
  log "WebSocket figures (ci/bench-ws.sh, ECHOES=${ECHOES:-1000})"
  bash ci/bench-ws.sh >"$WORK/bench-ws.out"
else
  echo "[]" >reports/out/bench-ws.json
fi

python3 - "$n" "$jobs" "$t0" "$t1" "$t3" "$t4" "$check_gen_ms" "$check_lib_ms" "$library_cases" "$bare" "$t2" "$run_ms" "$http1_cases" "$lib_wall" "$lib_rss" <<'PY'
import json, sys, datetime, os
n, jobs = int(sys.argv[1]), int(sys.argv[2])
t0, t1, t3, t4 = map(float, sys.argv[3:7])
check_gen, check_lib, lib_cases = float(sys.argv[7]), float(sys.argv[8]), int(sys.argv[9])
bare = json.loads(sys.argv[10])
# Both sides are whole processes timed from outside: wirecheck's wall includes loading and
# validating the 1,000 files, the bare loop's only its requests.
t2 = float(sys.argv[11])
run_ms = float(sys.argv[12])
http1_cases, lib_wall, lib_rss = int(sys.argv[13]), float(sys.argv[14]), int(sys.argv[15])
bare["seconds"] = round(t2 - t1, 3)
bare["per_second"] = round(n / (t2 - t1), 1)
wc_wall = t1 - t0
wc_rate = n / wc_wall
ratio = wc_rate / bare["per_second"]
# The execution phase alone (wirecheck's own "N cases in X ms": sockets, engine, checks,
# transcripts), without process start and loading the 1,000 YAML files.
exec_ratio = (n / (run_ms / 1000)) / bare["per_second"]
out = {
  "date": datetime.date.today().isoformat(), "cpus": os.cpu_count(), "jobs": jobs,
  "trivial_cases": n, "wirecheck_wall_s": round(wc_wall, 3), "wirecheck_cases_per_s": round(wc_rate, 1),
  "bare_loop_wall_s": bare["seconds"], "bare_loop_per_s": bare["per_second"], "bare_loop_failures": bare["failures"],
  "ratio_to_bare_loop": round(ratio, 3), "execution_phase_ms": run_ms, "execution_ratio_to_bare_loop": round(exec_ratio, 3), "check_1000_ms": check_gen, "check_library_ms": check_lib,
  "library_cases": lib_cases, "http1_cases": http1_cases, "http1_vs_nginx_wall_s": lib_wall,
  "http1_vs_nginx_peak_rss_kib": lib_rss,
}
ws = json.load(open("reports/out/bench-ws.json"))
out = {"http": out, "websocket": ws, "autobahn_published": {
  "full_suite_vs_ws_s": 893, "ws_12x_s": 512, "ws_13x_s": 360, "without_deflate_vs_deno_s": 45}}
os.makedirs("reports/out", exist_ok=True)
json.dump(out, open("reports/out/bench.json", "w"), indent=2)
rows = []
for r in ws:
  ratio_srv = f", wall/server cpu {r['wall_s'] / r['server_cpu_s']:.2f}, aim <= 1.3" if "deflate" in r["label"] and r["server_cpu_s"] > 0 else ""
  rows.append((f"(a) {r['label']}", f"{r['wall_s']:.2f} s  (wirecheck cpu {r['wirecheck_cpu_s']:.2f} s, server cpu {r['server_cpu_s']:.2f} s{ratio_srv}, rss {r['peak_rss_kib'] // 1024} MiB)"))
rows += [
  (f"(b) HTTP/1.1 library vs nginx ({http1_cases} cases)", f"{lib_wall:.2f} s  (peak rss {lib_rss // 1024} MiB)"),
  ("(c) 1,000 trivial cases vs nginx (wirecheck)", f"{wc_wall:.2f} s  ({wc_rate:.0f} cases/s, {jobs} jobs)"),
  ("same requests, bare tokio loop", f"{bare['seconds']:.2f} s  ({bare['per_second']:.0f} req/s)"),
  ("ratio wirecheck / bare loop (aim >= 0.5)", f"{ratio:.2f}  (whole process, incl. loading 1,000 files)"),
  ("ratio, execution phase only", f"{exec_ratio:.2f}  ({run_ms:.0f} ms for the runs)"),
  ("(d) wirecheck check, 1,000 cases (aim < 200 ms)", f"{check_gen:.0f} ms"),
  (f"wirecheck check, case library ({lib_cases})", f"{check_lib:.0f} ms"),
  ("(e) Autobahn|Testsuite, published", "893 s full suite vs ws (12.x 512 s, 13.x 360 s); ~45 s without deflate vs Deno"),
]
w = max(len(r[0]) for r in rows)
for k, v in rows:
    print(f"{k:<{w}}  {v}")
print("(written to reports/out/bench.json)")
PY
