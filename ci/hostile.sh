#!/usr/bin/env bash
# wirecheck against hostile servers (issue 7): builds release, checks that the `hostile-server`
# binary serves every mode and stops on SIGTERM, then runs harness/cli/tests/hostile.rs, which
# plays fixtures/hostile/<mode>.yaml against a HostileServer per mode and fails if a run
# overruns its case timeout by more than 5 s, panics, exits other than 1 or 4, reports a
# verdict other than fail/error or a message that does not name the problem, or peaks above
# 256 MiB of RSS. Prints the figures table (wall, timeout, overrun, peak RSS, verdict, message
# per mode) whether it passes or not. Usage: ci/hostile.sh
# shellcheck source-path=SCRIPTDIR
set -Eeuo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CI_DIR/.."
start=$SECONDS

log "cargo build --release (wirecheck, hostile-server)"
cargo build --release --locked -p wirecheck -p wirecheck-testkit --bin wirecheck --bin hostile-server

target_dir=$(cargo metadata --format-version 1 --no-deps --locked |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
bin="$target_dir/release/hostile-server"

log "hostile-server --all: one listener per mode, stopped by SIGTERM"
modes=$("$bin" --list | wc -l)
listing="$WORK/hostile-server.txt"
"$bin" --all >"$listing" &
server=$!
for ((i = 0; i < 50; i++)); do
  [[ $(wc -l <"$listing") -ge $modes ]] && break
  sleep 0.1
done
[[ $(wc -l <"$listing") -eq $modes ]] || { kill "$server"; die "hostile-server printed $(wc -l <"$listing") of $modes modes"; }
while read -r mode url; do
  hostport=${url#*://}
  hostport=${hostport%/}
  port_open "${hostport%:*}" "${hostport##*:}" || { kill "$server"; die "$mode: nothing listens at $url"; }
done <"$listing"
kill -TERM "$server"
wait "$server" || die "hostile-server did not exit cleanly on SIGTERM"

log "cargo test --release -p wirecheck --test hostile"
figures="$target_dir/tmp/hostile-figures.txt"
rm -f "$figures"
rc=0
cargo test --release --locked -p wirecheck --test hostile || rc=$?
if [[ -f $figures ]]; then
  cat "$figures"
else
  log "no figures written ($figures)"
fi
((rc == 0)) || die "wirecheck misbehaved against a hostile server (see above)"
log "ok in $((SECONDS - start))s"
