#!/usr/bin/env bash
# The HTML report in a real browser (headless Chromium, installed with apt if missing):
#   1. The case library and a case full of markup run against xss-server, which puts <script>,
#      "><img onerror>, </textarea>, javascript: URLs and friends into status reasons, header
#      names and values and bodies (and, for WebSocket cases, into frames, close reasons and
#      handshake headers). The HTML report of that run, and a report combining it with the
#      WebSocket run and a run against the embedded target (the matrix view), are opened in
#      Chromium: the DOM
#      after scripts ran must hold no injected element or event handler, the title (which every
#      payload would change) must be intact, the report's own script must have run, and the
#      payloads must be on the page as text. The same pages with their CSP removed must pass
#      too, so the proof is the escaping, not the policy.
#   2. Screenshots of both pages must show a rendered page (size, colours).
#   3. The Markdown summary of that run must be under 1 MiB with no markup outside code.
#   4. About 800 cases: the HTML's size and write time are printed, and filtering it in the
#      browser is timed (each change must take < 250 ms).
# Usage:
#   bash ci/html-report-test.sh              # the checks above (needs release binaries)
#   bash ci/html-report-test.sh screenshot   # also rewrite reports/screenshot.png from a run
#                                            # of the library against nginx (ci/nginx.sh)
# Output goes to reports/out/html-test/. Binaries: WIRECHECK_BIN, XSS_BIN (release builds).
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CI_DIR/.."

bin=${WIRECHECK_BIN:-target/release/wirecheck}
xss=${XSS_BIN:-target/release/xss-server}
[[ -x $bin ]] || die "$bin not built (cargo build --release)"
[[ -x $xss ]] || die "$xss not built (cargo build --release -p wirecheck-testkit)"
ensure_apt_packages chromium fonts-dejavu-core

out=reports/out/html-test
rm -rf "$out" && mkdir -p "$out"
out=$(cd "$out" && pwd)
check=(python3 ci/html-report-check.py)
profile=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$profile"
}
trap cleanup EXIT

# chromium ARGS...: headless, isolated, no network of its own; its chatter goes to a log.
chromium_run() {
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --disable-dev-shm-usage \
    --user-data-dir="$profile" "$@" 2>>"$out/chromium.log"
}
dump_dom() { chromium_run --virtual-time-budget=5000 --dump-dom "file://$1" >"$2"; }
screenshot() {
  chromium_run --hide-scrollbars --window-size="${SHOT_SIZE:-1400,2000}" --screenshot="$2" "file://$1" >/dev/null
}

# check_page HTML [--hostile]: the page and a copy without its CSP, DOM and screenshot.
check_page() {
  local page=$1 name
  name=$(basename "$page" .html)
  dump_dom "$page" "$out/$name.dom"
  "${check[@]}" dom "$out/$name.dom" "${@:2}"
  sed -E '0,/<meta http-equiv="Content-Security-Policy"[^>]*>/s///' "$page" >"$out/$name-nocsp.html"
  grep -q 'Content-Security-Policy' "$out/$name-nocsp.html" && die "CSP not removed from the copy"
  dump_dom "$out/$name-nocsp.html" "$out/$name-nocsp.dom"
  "${check[@]}" dom "$out/$name-nocsp.dom" "${@:2}"
  screenshot "$page" "$out/$name.png"
  "${check[@]}" png "$out/$name.png" 40
}

log "xss-server: markup in every place a server's bytes can reach a report"
rm -f "$WORK/xss.url"
"$xss" --listen 127.0.0.1:0 >"$WORK/xss.url" &
pids+=($!)
for _ in $(seq 50); do [[ -s $WORK/xss.url ]] && break; sleep 0.1; done
url=$(head -n1 "$WORK/xss.url")
[[ -n $url ]] || die "xss-server did not start"
set +e
"$bin" run cases/http1 harness/cli/tests/fixtures/xss --target "$url" \
  --feature echo --feature range --feature etag --feature last-modified --jobs 16 \
  --no-default-reports --report-json "$out/xss.json" --report-html "$out/xss.html" \
  --report-markdown "$out/xss.md" >"$out/xss-run.log" 2>&1
code=$?
set -e
((code == 1)) || { tail -n 30 "$out/xss-run.log" >&2; die "run against xss-server: exit $code, expected 1"; }
tail -n 1 "$out/xss-run.log" >&2
# WebSocket: markup in text frames, a ping, close reasons and handshake headers.
set +e
"$bin" run cases/websocket --filter websocket/handshake --filter websocket/autobahn/1.1 \
  --filter websocket/autobahn/7.1 --target "${url/http:/ws:}/" --jobs 16 \
  --no-default-reports --report-json "$out/xss-ws.json" >"$out/xss-ws-run.log" 2>&1
code=$?
set -e
((code == 1)) || { tail -n 30 "$out/xss-ws-run.log" >&2; die "WebSocket run against xss-server: exit $code, expected 1"; }
tail -n 1 "$out/xss-ws-run.log" >&2

log "embedded target run, and a report combining the three runs (matrix)"
"$bin" run cases/http1 --expectations ci/expectations/embedded.yaml --no-default-reports \
  --report-json "$out/embedded.json" >"$out/embedded-run.log" 2>&1 ||
  { tail -n 30 "$out/embedded-run.log" >&2; die "run against the embedded target failed"; }
"$bin" report --html "$out/combined.html" "$out/embedded.json" "$out/xss.json" \
  "$out/xss-ws.json" 2>&1 | tail -n 4 >&2

log "Chromium: no script of the server's may run, with and without the CSP"
check_page "$out/xss.html" --hostile
check_page "$out/combined.html" --hostile --ws

log "canary: the same checks catch one unescaped payload"
sed 's|<body>|<body><img src=x onerror="document.title=\x27XSS-canary\x27">|' \
  "$out/xss-nocsp.html" >"$out/canary.html"
dump_dom "$out/canary.html" "$out/canary.dom"
grep -q '<title>XSS-canary</title>' "$out/canary.dom" || die "canary: the injected handler did not run"
if "${check[@]}" dom "$out/canary.dom" --hostile 2>"$out/canary.err"; then
  die "canary: an injected element went unnoticed"
fi
log "canary caught: $(head -c 200 "$out/canary.err" | tr '\n' ' ')"

log "Markdown summary"
"${check[@]}" markdown "$out/xss.md"

log "about 800 cases: size, write time, filtering in the browser"
"${check[@]}" inflate "$out/xss.json" "$out/perf.json" 808 >&2
"$bin" report --html "$out/perf.html" "$out/perf.json" 2>&1 | grep '^wrote' >&2
size=$(stat -c %s "$out/perf.html")
((size < 10 * 1024 * 1024)) || die "perf.html is $size bytes, aim < 10 MB"
"${check[@]}" perf-page "$out/perf.html" "$out/perf-timed.html"
dump_dom "$out/perf-timed.html" "$out/perf-timed.dom"
"${check[@]}" perf-result "$out/perf-timed.dom"

if [[ ${1:-} == screenshot ]]; then
  # Two folders of the library, so the failures' details are on screen, not only the summary.
  log "README screenshot: http1/host and http1/methods against nginx, no expectations file"
  nginx_url=$(bash ci/nginx.sh start)
  trap 'cleanup; bash ci/nginx.sh stop' EXIT
  "$bin" run cases/http1 --filter http1/host --filter http1/methods --target "$nginx_url" \
    --feature range --feature etag --feature last-modified --no-default-reports \
    --report-json reports/out/html-test/nginx.json >"$out/nginx-run.log" 2>&1 || true
  "$bin" report --html "$out/nginx.html" --title "wirecheck: nginx 1.22 (Debian 12)" \
    reports/out/html-test/nginx.json >/dev/null 2>&1
  SHOT_SIZE=1400,2400 check_page "$out/nginx.html"
  cp "$out/nginx.png" reports/screenshot.png
  log "wrote reports/screenshot.png"
fi
log "HTML report checks passed"
