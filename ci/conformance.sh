#!/usr/bin/env bash
# Runs the case library against one real server and compares the results with its committed
# expectations file. Usage:
#   ci/conformance.sh embedded            # the in-process target
#   ci/conformance.sh nginx               # starts nginx on loopback (installs it if missing)
#   ci/conformance.sh apache2|lighttpd|caddy|h2o   # the same, another real server (ci/servers.sh),
#                                         # with its target profile ci/profiles/<name>.yaml
#   ci/conformance.sh broken              # our strict test server with no switches (HTTP, then /ws)
#   ci/conformance.sh websockets|ws|tungstenite   # a real WebSocket echo server (ci/ws-servers.sh)
#   ci/conformance.sh nginx-tls           # https://, mutual TLS and wss:// through nginx
# Reports go to reports/out/<name>.{json,xml}; WebSocket runs also write Autobahn-format
# results to reports/out/autobahn-<name>/index.json. Exit code: wirecheck's.
# An expectations entry whose reason is still the placeholder `TODO: explain` (written by
# `wirecheck expectations update`, ci/expectations-refresh.sh) fails the run before it starts:
# every known deviation needs its reason (WIRECHECK_ALLOW_TODO=1 lets the refresh script run).
#
# WebSocket runs use the quick profile (WS_ECHO_COUNT, default 100 echoes per 9.7/9.8/12.x/13.x
# case instead of Autobahn's 1000) and WS_TIMER_SCALE (default 2: the server and wirecheck share
# two cores here, and Autobahn's 1 s and 10 s limits assume a machine to themselves).
# shellcheck source-path=SCRIPTDIR
set -Eeuo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CI_DIR/.."

name=${1:?usage: ci/conformance.sh embedded|nginx|apache2|lighttpd|caddy|h2o|broken|websockets|ws|tungstenite}
bin=${WIRECHECK_BIN:-target/release/wirecheck}
[[ -x $bin ]] || die "$bin not built (cargo build --release)"
args=(--expectations "ci/expectations/$name.yaml"
      --report-json "reports/out/$name.json" --report-junit "reports/out/$name.xml")
if [[ ${WIRECHECK_ALLOW_TODO:-0} != 1 ]]; then
  for f in "ci/expectations/$name.yaml" ci/expectations/broken-ws.yaml; do
    [[ -f $f ]] || continue
    if grep -n 'reason: *["'"'"']\?TODO' "$f" >&2; then
      die "$f: the entries above have no reason yet; write one citing the RFC clause (cases/README.md)"
    fi
  done
fi
ws_args=(--ws-echo-count "${WS_ECHO_COUNT:-100}" --ws-timer-scale "${WS_TIMER_SCALE:-2}")

case $name in
  embedded)
    # The embedded target serves HTTP and, on an upgrade, a tokio-tungstenite echo.
    "$bin" run cases "${args[@]}" "${ws_args[@]}" --report-autobahn reports/out/autobahn-embedded
    ;;
  nginx)
    url=$(bash ci/nginx.sh start)
    trap 'bash ci/nginx.sh stop' EXIT
    # nginx serves static files: no /echo, but ranges and validators.
    rc=0
    "$bin" run cases/http1 "${args[@]}" --target "$url" --feature range --feature etag --feature last-modified || rc=$?
    # TCP connection behaviour (closes, half-closes, keep-alive, idle timeout).
    "$bin" run cases/tcp --target "$url" --feature range --feature etag --feature last-modified \
      --expectations ci/expectations/nginx-tcp.yaml \
      --report-json reports/out/nginx-tcp.json --report-junit reports/out/nginx-tcp.xml || rc=$?
    exit "$rc"
    ;;
  apache2|lighttpd|caddy|h2o)
    url=$(bash ci/servers.sh "$name" start)
    trap 'bash ci/servers.sh "$name" stop' EXIT
    # Static files only (no /echo); the profile names the features (range, etag,
    # last-modified) and whatever differs from the common docroot's conventions.
    "$bin" run cases/http1 "${args[@]}" --target "$url" --profile "ci/profiles/$name.yaml"
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
    "$bin" run cases/http1 cases/tcp "${args[@]}" --target "$url" --feature echo --feature range --feature etag --feature last-modified
    "$bin" run cases/websocket "${ws_args[@]}" --target "${url/http:/ws:}/ws" \
      --expectations ci/expectations/broken-ws.yaml --report-autobahn reports/out/autobahn-broken \
      --report-json reports/out/broken-ws.json --report-junit reports/out/broken-ws.xml
    ;;
  nginx-tls)
    # nginx with TLS (ci/nginx-tls.sh, certificates from ci/tls-certs.sh): the HTTP/1.1 and TLS
    # libraries over https://, then the TLS library against the port that requires client
    # certificates, then the WebSocket library over wss:// through nginx to our
    # tokio-tungstenite echo server.
    ws_url=$(bash ci/ws-servers.sh start tungstenite | tail -n1)
    upstream=${ws_url#ws://}
    urls=$(WS_UPSTREAM=${upstream%/} bash ci/nginx-tls.sh start)
    trap 'bash ci/nginx-tls.sh stop; bash ci/ws-servers.sh stop tungstenite' EXIT
    tls="$WORK/tls"
    https=$(sed -n 's/^https=//p' <<<"$urls")
    mtls=$(sed -n 's/^mtls=//p' <<<"$urls")
    wss=$(sed -n 's/^wss=//p' <<<"$urls")
    rc=0
    "$bin" run cases/http1 cases/tcp cases/tls --target "$https" --cacert "$tls/ca.pem" \
      --feature range --feature etag --feature last-modified \
      --expectations ci/expectations/nginx.yaml --expectations ci/expectations/nginx-tcp.yaml \
      --expectations ci/expectations/nginx-tls.yaml \
      --report-json reports/out/nginx-tls.json --report-junit reports/out/nginx-tls.xml || rc=$?
    "$bin" run cases/tls --target "$mtls" --cacert "$tls/ca.pem" \
      --client-cert "$tls/client.pem" --client-key "$tls/client.key" --feature client-auth \
      --expectations ci/expectations/nginx-mtls.yaml \
      --report-json reports/out/nginx-mtls.json --report-junit reports/out/nginx-mtls.xml || rc=$?
    "$bin" run cases/websocket "${ws_args[@]}" --target "$wss" --cacert "$tls/ca.pem" \
      --expectations ci/expectations/tungstenite.yaml --expectations ci/expectations/nginx-wss.yaml \
      --agent nginx-wss --report-json reports/out/nginx-wss.json \
      --report-junit reports/out/nginx-wss.xml || rc=$?
    exit "$rc"
    ;;
  websockets|ws|tungstenite)
    url=$(bash ci/ws-servers.sh start "$name" | tail -n1)
    trap 'bash ci/ws-servers.sh stop "$name"' EXIT
    "$bin" run cases/websocket "${args[@]}" "${ws_args[@]}" --target "$url" \
      --agent "$name" --report-autobahn "reports/out/autobahn-$name"
    ;;
  *) die "unknown target $name" ;;
esac
