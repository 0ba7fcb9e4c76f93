#!/usr/bin/env bash
# Start/stop the real WebSocket echo servers that CI runs the WebSocket cases against, each on
# loopback, each echoing text as text and binary as binary on any path (as Autobahn expects).
#   bash ci/ws-servers.sh start NAME    # installs what it needs, prints ws://127.0.0.1:PORT/
#   bash ci/ws-servers.sh status NAME   # prints the url if running (exit 1 if not)
#   bash ci/ws-servers.sh stop NAME     # stops it; succeeds if it was not running
# NAME is one of:
#   websockets   Python `websockets` (permessage-deflate on), in a venv under $WORK/venv
#   ws           Node `ws` (permessage-deflate on), installed under $WORK/node
#   tungstenite  our harness/ws-echo (tokio-tungstenite; no permessage-deflate): runs
#                target/release/ws-echo if built, else target/debug/ws-echo (built if missing)
#   all          (stop and status only) every one of them
# Env: WS_PORT (default: a free port), WORK (default: ci/.work).
# Files: $WORK/ws-NAME.{pid,port,url,log}. The versions below are the only pins.
# shellcheck source-path=SCRIPTDIR
set -Eeuo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

WEBSOCKETS_VERSION=15.0.1   # PyPI websockets, latest 15.x
WS_VERSION=8.18.3           # npm ws, latest 8.18.x

ROOT="$(cd "$CI_DIR/.." && pwd)"
VENV="$WORK/venv"
NODE_DIR="$WORK/node"
NAMES=(websockets ws tungstenite)

# alive PID: process exists and is not a zombie.
alive() {
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) && [[ -n $state && $state != Z ]]
}

# signature NAME: a string the server's command line contains (so a recycled pid is not ours).
signature() {
  case $1 in
    websockets) echo echo_websockets.py ;;
    ws) echo echo_ws.js ;;
    tungstenite) echo ws-echo ;;
  esac
}

# running_pid NAME: print the pid if the pid file names a live server of that kind.
running_pid() {
  local pidfile="$WORK/ws-$1.pid" pid
  [[ -s $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$(signature "$1")" || return 1
  echo "$pid"
}

# installed_websockets: the websockets version in the venv, if any.
installed_websockets() {
  [[ -x $VENV/bin/python ]] &&
    "$VENV/bin/python" -c 'import websockets; print(websockets.__version__)' 2>/dev/null
}

install_websockets() {
  [[ $(installed_websockets || true) == "$WEBSOCKETS_VERSION" ]] && return 0
  command -v python3 >/dev/null || ensure_apt_packages python3
  log "installing websockets==$WEBSOCKETS_VERSION into $VENV"
  rm -rf "$VENV"
  if ! python3 -m venv "$VENV" >&2; then
    # Debian ships ensurepip separately.
    rm -rf "$VENV"
    ensure_apt_packages python3-venv
    python3 -m venv "$VENV" >&2 || die "python3 -m venv failed"
  fi
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    "websockets==$WEBSOCKETS_VERSION" >&2 || die "pip could not install websockets==$WEBSOCKETS_VERSION"
  [[ $(installed_websockets || true) == "$WEBSOCKETS_VERSION" ]] ||
    die "websockets $WEBSOCKETS_VERSION is not importable from $VENV"
}

# installed_ws: the ws version under $NODE_DIR, if any.
installed_ws() {
  local manifest="$NODE_DIR/node_modules/ws/package.json"
  [[ -s $manifest ]] && node -p "require(process.argv[1]).version" "$manifest" 2>/dev/null
}

install_ws() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    ensure_apt_packages nodejs npm
  fi
  [[ $(installed_ws || true) == "$WS_VERSION" ]] && return 0
  log "installing ws@$WS_VERSION into $NODE_DIR"
  rm -rf "$NODE_DIR"
  mkdir -p "$NODE_DIR"
  npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
    --prefix "$NODE_DIR" "ws@$WS_VERSION" >&2 || die "npm could not install ws@$WS_VERSION"
  [[ $(installed_ws || true) == "$WS_VERSION" ]] || die "ws $WS_VERSION is not under $NODE_DIR"
}

# ws_echo_bin: the ws-echo binary to run, building a debug one if none exists.
ws_echo_bin() {
  local bin
  for bin in "$ROOT/target/release/ws-echo" "$ROOT/target/debug/ws-echo"; do
    [[ -x $bin ]] && { echo "$bin"; return 0; }
  done
  log "building ws-echo (cargo build -p wirecheck-ws-echo)"
  (cd "$ROOT" && cargo build --locked -p wirecheck-ws-echo >&2) || die "cannot build ws-echo"
  echo "$ROOT/target/debug/ws-echo"
}

# lock_version CRATE: the version of CRATE in Cargo.lock.
lock_version() {
  awk -v name="$1" '$1 == "name" && $3 == "\"" name "\"" { getline; gsub(/"/, "", $3); print $3; exit }' \
    "$ROOT/Cargo.lock"
}

# prepare NAME: install what NAME needs; set CMD (the command line) and VERSIONS (for the log).
prepare() {
  case $1 in
    websockets)
      install_websockets
      CMD=("$VENV/bin/python" "$CI_DIR/ws/echo_websockets.py" 127.0.0.1)
      VERSIONS="python websockets $(installed_websockets) on $("$VENV/bin/python" --version 2>&1)"
      ;;
    ws)
      install_ws
      CMD=(env "NODE_PATH=$NODE_DIR/node_modules" node "$CI_DIR/ws/echo_ws.js" 127.0.0.1)
      VERSIONS="node ws $(installed_ws) on node $(node --version)"
      ;;
    tungstenite)
      local bin
      bin=$(ws_echo_bin)
      CMD=("$bin" --listen)
      VERSIONS="ws-echo ($bin): tokio-tungstenite $(lock_version tokio-tungstenite), tungstenite $(lock_version tungstenite)"
      ;;
  esac
}

start() {
  local name=$1 port url pid i log="$WORK/ws-$1.log"
  if running_pid "$name" >/dev/null; then
    if [[ -s $WORK/ws-$name.url ]]; then
      log "$name already running"
      cat "$WORK/ws-$name.url"
      return 0
    fi
    stop "$name"   # running but url lost: restart cleanly rather than orphan it
  fi
  rm -f "$WORK/ws-$name".{pid,port,url}
  prepare "$name"
  port=${WS_PORT:-$(free_port)}
  if [[ $name == tungstenite ]]; then
    CMD+=("127.0.0.1:$port")
  else
    CMD+=("$port")
  fi
  # setsid: its own session and process group, so it outlives this script and stop can
  # take the whole group down.
  setsid "${CMD[@]}" </dev/null >"$log" 2>&1 &
  pid=$!
  echo "$pid" >"$WORK/ws-$name.pid"
  for ((i = 0; i < 100; i++)); do
    grep -q '^listening on ' "$log" 2>/dev/null && break
    alive "$pid" || break
    sleep 0.1
  done
  if ! grep -q "^listening on 127.0.0.1:$port\$" "$log" 2>/dev/null ||
    ! wait_for_port 127.0.0.1 "$port" 10; then
    log "$name failed to start on port $port; its log:"
    tail -n 40 "$log" >&2 || true
    stop "$name" 2>/dev/null || true
    die "$name did not start (command: ${CMD[*]})"
  fi
  url="ws://127.0.0.1:$port/"
  echo "$port" >"$WORK/ws-$name.port"
  echo "$url" >"$WORK/ws-$name.url"
  log "$name up (pid $pid): $VERSIONS"
  echo "$url"
}

stop() {
  local name=$1 pid i
  if ! pid=$(running_pid "$name"); then
    log "$name not running"
    rm -f "$WORK/ws-$name".{pid,port,url}
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    alive "$pid" || break
    sleep 0.1
  done
  if alive "$pid"; then
    log "$name (pid $pid) did not exit after 5s; killing its process group"
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$WORK/ws-$name".{pid,port,url}
  log "$name stopped"
}

status() {
  local name=$1
  if running_pid "$name" >/dev/null && [[ -s $WORK/ws-$name.url ]]; then
    cat "$WORK/ws-$name.url"
  else
    log "$name not running"
    return 1
  fi
}

usage() {
  echo "usage: $0 start|stop|status websockets|ws|tungstenite  (stop|status also take all)" >&2
  exit 2
}

cmd=${1:-}
name=${2:-}
case $cmd in start | stop | status) ;; *) usage ;; esac
if [[ $name == all && $cmd != start ]]; then
  rc=0
  for one in "${NAMES[@]}"; do
    if [[ $cmd == status ]]; then
      printf '%s ' "$one"
      status "$one" || { echo; rc=1; }
    else
      "$cmd" "$one" || rc=1
    fi
  done
  exit "$rc"
fi
[[ " ${NAMES[*]} " == *" $name "* ]] || usage
"$cmd" "$name"
