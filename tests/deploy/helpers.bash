# Shared setup of the loopback deploy tests: a workspace built by stackc, a
# real HAProxy 2.6 started on the host from its configuration with the
# documented overrides (free loopback ports, the runtime API's socket in a
# temporary folder), the slots as small local HTTP servers started and
# stopped by STACK_SLOT_COMMAND (support/slot.sh), and a bounded load
# generator (support/loadgen.py). No Docker. Everything a test starts is
# killed by its pid in teardown.

bats_load_library bats-support
bats_load_library bats-assert

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
SUPPORT=$BATS_TEST_DIRNAME/support
STACKC=${CARGO_TARGET_DIR:-$REPO/target}/debug/stackc

# Generous bounds for a slow, shared machine; nothing waits for them
# unless something is wrong.
START_TIMEOUT_S=30
DEPLOY_TIMEOUT_S=120

# The tools the tests need, each with the command that installs it.
require_tools() {
  local tool
  for tool in haproxy socat python3 curl; do
    if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
      echo "$tool is missing: run scripts/install-tools (it installs haproxy, socat and curl from Debian)" >&2
      return 1
    fi
  done
}

# HAProxy: on PATH, else Debian's /usr/sbin (not on every user's PATH).
haproxy_bin() {
  command -v haproxy 2>/dev/null || echo /usr/sbin/haproxy
}

# Builds stackc once per bats run.
ensure_stackc() {
  local marker=$BATS_RUN_TMPDIR/stackc-built log=$BATS_RUN_TMPDIR/stackc-build.log
  if [ ! -e "$marker" ]; then
    if ! (cd "$REPO" && cargo build --quiet) >"$log" 2>&1; then
      echo "cannot build stackc:" >&2
      cat "$log" >&2
      return 1
    fi
    touch "$marker"
  fi
}

# A free TCP port on 127.0.0.1 (the kernel's choice).
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# The workspace's Stackfile: api, a canary behind HAProxy with short
# windows (1 s), and an acceptance suite that asks for /api/accept through
# the routed address with the route's Host header. With RUNTIME_API_PORT
# set, the environment's runtime API is TCP on 127.0.0.1 and that port.
# With STRATEGY=recreate, api is recreated instead, with absolute tolerances
# only (there is no stable slot to compare with).
write_stackfile() {
  local deploy='deploy { strategy = canary  steps = [20%, 50%, 100%]  interval = 1s }'
  local relative='error_rate         < stable + 2%'
  if [ "${STRATEGY:-canary}" = recreate ]; then
    deploy='deploy { strategy = recreate  interval = 1s }'
    relative=''
  fi
  if [ -n "${RUNTIME_API_PORT:-}" ]; then
    printf 'stack shop { }\n\nenvironment test { proxy { runtime_api = "127.0.0.1:%s" } }\n' \
      "$RUNTIME_API_PORT" >"$WS/Stackfile"
  else
    printf 'stack shop { }\n\nenvironment test { }\n' >"$WS/Stackfile"
  fi
  cat >>"$WS/Stackfile" <<EOF_STACKFILE

component api {
  image  = "shop/api:1"
  ports  = { http = 8080 }
  health { http = "/health"  port = http  interval = 200ms  timeout = 5s }
  route public { host = "api.shop.example"  path = "/api"  port = http }
  $deploy
  kpi {
    $relative
    error_rate         < 10%
    response_time      < 200ms
    min_requests       = 5
    failures           = 2
    inconclusive_limit = 3
  }
  test acceptance {
    command = "curl -fsS -o /dev/null -H \"Host: \$STACK_ROUTE_HOST\" \"\$STACK_URL/accept\" && test ! -e \"\$E2E_SLOTS/acceptance-fails\""
  }
}
EOF_STACKFILE
}

# The generated HAProxy configuration of the environment test.
haproxy_config() {
  echo "$WS/generated/haproxy/test.cfg"
}

# One runtime API command, through the socket or TCP; prints the reply.
runtime_api() {
  if [ -n "${RUNTIME_API_PORT:-}" ]; then
    printf '%s\n' "$1" | socat -t 5 -T 5 - "TCP:127.0.0.1:$RUNTIME_API_PORT"
  else
    (cd "$STACK_HAPROXY_RUN_DIR" && printf '%s\n' "$1" | socat -t 5 -T 5 - UNIX-CONNECT:admin.sock)
  fi
}

# SLOT FIELD: a column of the slot's `show stat` line, found by name.
slot_stat() {
  runtime_api "show stat api 4 -1" | awk -F, -v slot="$1" -v field="$2" '
    /^# / { sub(/^# /, ""); for (i = 1; i <= NF; i++) col[$i] = i; next }
    $(col["svname"]) == slot { print $(col[field]) }'
}

# Waits until COMMAND succeeds, at most SECONDS.
wait_for() {
  local seconds=$1 tries=0
  shift
  until "$@"; do
    tries=$((tries + 1))
    if [ "$tries" -ge $((seconds * 10)) ]; then
      echo "gave up after ${seconds}s waiting for: $*" >&2
      return 1
    fi
    sleep 0.1
  done
}

blue_is_up() {
  [ "$(slot_stat blue status 2>/dev/null)" = UP ]
}

e2e_setup() {
  require_tools
  ensure_stackc
  E2E=$BATS_TEST_TMPDIR
  WS=$E2E/ws
  mkdir -p "$WS" "$E2E/run" "$E2E/slots/images"
  write_stackfile
  "$STACKC" build "$WS" >/dev/null
  STACK=$WS/generated/stack
  local stats_port blue_port green_port
  HTTP_PORT=$(free_port)
  stats_port=$(free_port)
  blue_port=$(free_port)
  green_port=$(free_port)
  export E2E_SLOTS=$E2E/slots
  export STACK_STATE_DIR=$E2E/state
  export STACK_HAPROXY_RUN_DIR=$E2E/run
  export STACK_HAPROXY_HTTP_BIND=127.0.0.1:$HTTP_PORT
  export STACK_HAPROXY_STATS_BIND=127.0.0.1:$stats_port
  export STACK_SLOT_API_BLUE=127.0.0.1:$blue_port
  export STACK_SLOT_API_GREEN=127.0.0.1:$green_port
  export STACK_SLOT_COMMAND=$SUPPORT/slot.sh
  unset STACK_ENV STACK_VERBOSE STACK_HAPROXY_SOCKET STACK_RUN_ID
  LOADGEN_PID='' DEPLOY_PID='' HAPROXY_PID=''
  "$SUPPORT/slot.sh" start api blue shop/api:1
  "$(haproxy_bin)" -db -f "$(haproxy_config)" >"$E2E/haproxy.log" 2>&1 &
  HAPROXY_PID=$!
  wait_for "$START_TIMEOUT_S" blue_is_up
}

# Kills what the test started, by pid: the load generator, a deploy still
# running, HAProxy, every slot server.
e2e_teardown() {
  local pid pidfile
  for pid in $LOADGEN_PID $DEPLOY_PID $HAPROXY_PID; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  for pidfile in "$E2E_SLOTS"/*.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
  done
}

# behave IMAGE OPTION...: server.py's options for the version IMAGE.
behave() {
  local key=${1//\//_}
  shift
  printf '%s\n' "$@" >"$E2E_SLOTS/images/${key//:/_}"
}

# start_load RATE: the load generator on the routed address at RATE
# requests a second, bounded to DEPLOY_TIMEOUT_S.
start_load() {
  python3 "$SUPPORT/loadgen.py" --url "http://127.0.0.1:$HTTP_PORT/api/load" \
    --host api.shop.example --rate "$1" --max-seconds "$DEPLOY_TIMEOUT_S" \
    --out "$E2E/load.json" 2>"$E2E/loadgen.log" &
  LOADGEN_PID=$!
}

# Stops the load generator, prints its summary and reads it: SENT, FAILED
# (no response), OK (200s) and ERRORS (every 5xx: the canary's 500s, and
# HAProxy's own 503 when no slot takes a request).
stop_load() {
  kill -TERM "$LOADGEN_PID"
  wait "$LOADGEN_PID" || true
  LOADGEN_PID=''
  # On bats' terminal too, for a passing test.
  echo "# load generator: $(cat "$E2E/load.json")" >&3
  echo "load generator: $(cat "$E2E/load.json")"
  # shellcheck disable=SC2034 # read by the tests
  read -r SENT FAILED OK ERRORS < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
errors = sum(n for status, n in r["status"].items() if status.startswith("5"))
print(r["sent"], r["failed"], r["status"].get("200", 0), errors)' "$E2E/load.json")
}

# GET through HAProxy's HTTP frontend with the route's host; prints the
# status code.
routed_status() {
  curl -s -o /dev/null -w '%{http_code}' -H 'Host: api.shop.example' "http://127.0.0.1:$HTTP_PORT/api/check"
}

# deploy ARGS...: runs the deploy, bounded, and sets status and output.
deploy() {
  run timeout "$DEPLOY_TIMEOUT_S" "$STACK" deploy api "$@"
}

# Lines in FILE.
lines() {
  wc -l <"$1" | tr -d ' '
}
