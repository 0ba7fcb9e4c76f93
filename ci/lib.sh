#!/usr/bin/env bash
# Shared helpers for the ci/ scripts. Source it, don't run it:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# Provides: log, die, free_port, wait_for_port, ensure_apt_packages, and
# WORK (scratch dir, default ci/.work, git-ignored; override with WORK=...).
set -Eeuo pipefail

CI_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="${WORK:-$CI_DIR/.work}"
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"   # absolute: nginx needs absolute paths
export WORK

log() { printf '[ci] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# free_port: print a loopback TCP port the kernel says is free right now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# port_open HOST PORT: succeed if something accepts TCP connections there.
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

# wait_for_port HOST PORT SECONDS: poll until the port accepts, or fail.
wait_for_port() {
  local host=$1 port=$2 secs=$3 i
  for ((i = 0; i < secs * 10; i++)); do
    port_open "$host" "$port" && return 0
    sleep 0.1
  done
  log "timed out after ${secs}s waiting for $host:$port"
  return 1
}

# ensure_apt_packages PKG...: install those not already installed.
_CI_APT_UPDATED=0
ensure_apt_packages() {
  local pkg missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
      missing+=("$pkg")
  done
  ((${#missing[@]})) || return 0
  log "installing: ${missing[*]}"
  if ((!_CI_APT_UPDATED)); then
    apt-get update -qq >&2
    _CI_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends \
    "${missing[@]}" >&2
}
