#!/usr/bin/env bash
# The STACK_SLOT_COMMAND of the loopback deploy tests:
#   slot.sh start|stop COMPONENT SLOT IMAGE
# runs (or stops) tests/deploy/support/server.py as the slot, on the
# address of STACK_SLOT_<COMPONENT>_<SLOT> (what HAProxy's configuration
# reads). What a version does is the test's choice: $E2E_SLOTS/images/IMAGE
# (/ and : as _) holds server.py's options for it, one a line (none: a
# healthy, fast server). A started slot logs what it serves to
# $E2E_SLOTS/COMPONENT.SLOT.requests (emptied at each start); its pid is in
# $E2E_SLOTS/COMPONENT.SLOT.pid, and every call is logged to
# $E2E_SLOTS/calls.
set -euo pipefail
action=$1 component=$2 slot=$3 image=${4:-}
dir=${E2E_SLOTS:?E2E_SLOTS is not set}
here=$(cd "$(dirname "$0")" && pwd)
printf '%s %s %s %s\n' "$action" "$component" "$slot" "$image" >>"$dir/calls"
pidfile=$dir/$component.$slot.pid

stop() {
  local pid tries=0
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && [ "$tries" -lt 100 ]; do
    sleep 0.1
    tries=$((tries + 1))
  done
  rm -f "$pidfile"
}

case $action in
  start)
    stop
    variable=STACK_SLOT_$(printf '%s_%s' "$component" "$slot" | tr '[:lower:]-' '[:upper:]_')
    address=${!variable:?$variable is not set}
    key=${image//\//_}
    key=${key//:/_}
    options=()
    if [ -f "$dir/images/$key" ]; then
      while IFS= read -r option; do
        [ -n "$option" ] && options+=("$option")
      done <"$dir/images/$key"
    fi
    : >"$dir/$component.$slot.requests"
    python3 "$here/server.py" --port "${address##*:}" --name "$image" \
      --log "$dir/$component.$slot.requests" ${options[@]+"${options[@]}"} \
      </dev/null >>"$dir/servers.log" 2>&1 &
    echo "$!" >"$pidfile"
    ;;
  stop) stop ;;
  *) echo "slot.sh: unknown action $action" >&2; exit 2 ;;
esac
