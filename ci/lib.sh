#!/usr/bin/env bash
# Shared helpers for the ci/ scripts. Source it, don't run it:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# Provides: log, die, free_port, wait_for_port, ensure_apt_packages, and
# WORK (scratch dir, default ci/.work, git-ignored; override with WORK=...).
# For the scripts that start real servers (nginx.sh, servers.sh): alive, make_docroot,
# ensure_server_packages, kill_group.
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

# ensure_server_packages PKG...: ensure_apt_packages for server packages, never letting the
# package start its system service (a daemon on :80 with the system config). Debian's
# maintainer scripts ask /usr/sbin/policy-rc.d first; exit 101 means "do not start". When the
# machine has no such file, one is put there for the install and removed afterwards.
ensure_server_packages() {
  local policy=/usr/sbin/policy-rc.d added=0 rc=0
  if [[ ! -e $policy ]] && ((EUID == 0)); then
    printf '#!/bin/sh\n# temporary, from wirecheck ci/lib.sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    added=1
  fi
  ensure_apt_packages "$@" || rc=$?
  ((added)) && rm -f "$policy"
  return "$rc"
}

# alive PID: the process exists and is not a zombie.
alive() {
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) && [[ -n $state && $state != Z ]]
}

# nginx_master_pid PIDFILE: print the master pid if the pid file names a live nginx.
nginx_master_pid() {
  local pid
  [[ -s $1 ]] || return 1
  pid=$(<"$1")
  [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" &&
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == nginx ]] || return 1
  echo "$pid"
}

# group_alive PGID: some live (non-zombie) process is in that process group. Reads /proc
# rather than needing procps.
group_alive() {
  local f stat state pgrp
  for f in /proc/[0-9]*/stat; do
    { stat=$(<"$f"); } 2>/dev/null || continue
    read -r state _ pgrp _ <<<"${stat##*) }"
    [[ $pgrp == "$1" && $state != Z ]] && return 0
  done
  return 1
}

# kill_group PGID NAME: TERM the process group, wait up to 5 s, then KILL it. The servers are
# started as group leaders (setsid, or their own daemonizing), so this reaches every worker.
kill_group() {
  local pgid=$1 name=$2 i
  kill -TERM -- "-$pgid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    group_alive "$pgid" || return 0
    sleep 0.1
  done
  log "$name (process group $pgid) still running after 5s; killing it"
  kill -KILL -- "-$pgid" 2>/dev/null || true
  for ((i = 0; i < 20; i++)); do
    group_alive "$pgid" || return 0
    sleep 0.1
  done
  log "$name (process group $pgid) survived SIGKILL"
  return 1
}

# make_docroot DIR: the docroot every real-server target serves (cases/README.md, "Targets
# the library is written for"): /index.html, /hello.txt, /large.txt (1 MiB), fixed mtimes
# (stable Last-Modified and ETags), readable by a server that drops root.
make_docroot() {
  local d=$1
  mkdir -p "$d"
  printf '%s\n' '<!doctype html>' \
    '<html><head><title>wirecheck target</title></head><body><p>wirecheck embedded target</p></body></html>' \
    >"$d/index.html"
  printf 'Hello, wirecheck!\n' >"$d/hello.txt"
  python3 -c 'import sys; sys.stdout.buffer.write(b"0123456789abcdef" * 65536)' >"$d/large.txt"
  touch -d '2024-01-01 00:00:00 UTC' "$d/index.html" "$d/hello.txt" "$d/large.txt"
  chmod -R a+rX "$d"
}
