#!/usr/bin/env bats
# End to end of routing and deploys against the real Docker Engine, only
# through the generated task runner: `up --env e2e` gives a routed stack
# (HAProxy in a container built from Debian's haproxy package,
# haproxy-image.sh); under a steady load, a good version is promoted with
# zero client failures and zero 5xx, a bad one is rolled back by its KPI
# with few 5xx and halts the component until `deploy:resume`; `down`
# leaves nothing behind. No image is pulled (image.sh, haproxy-image.sh).
#
# The tests run in order on one stack, each from where the one before left
# it (v1 live on blue, then v2 on green, still v2 after the rolled-back bad
# version, v1 on blue, v2 on green again after `rollback`, and after `down`
# and `up`).
# The stack's name is unique per run and so is STACK_RUN_ID, which the task
# runner appends to the project's name: it cannot meet a developer's stack.

bats_load_library bats-support
bats_load_library bats-assert

load helpers

# Requests per second of the load generator; the deploy's KPI needs
# min_requests (8) canary responses in a 2 s window at the 20 % step.
RATE=50
HOST=web.e2e.test

setup_file() {
  export BATS_NO_PARALLELIZE_WITHIN_FILE=true
  e2e_prepare
  "$BATS_TEST_DIRNAME/haproxy-image.sh"
  export NAME="e2e-deploy-$$-$RANDOM" PROXY_PORT STATS_PORT
  export STACK_RUN_ID="bats-$$"
  export PROJECT="$NAME-e2e-$STACK_RUN_ID"
  PROXY_PORT=$(e2e_free_port)
  STATS_PORT=$(e2e_free_port)
  e2e_workspace "$BATS_TEST_DIRNAME/deploy-workspace"
  [ -f "$WS/generated/haproxy/e2e.cfg" ] || {
    echo "stackc build did not write haproxy/e2e.cfg" >&2
    return 1
  }
}

teardown() {
  stop_load
}

teardown_file() {
  stop_load
  [ -z "${STACK:-}" ] || timeout -k 10 120 "$STACK" down --env e2e >/dev/null 2>&1 3>&- || true
  e2e_down
}

# The routed address, through HAProxy's published port.
url() {
  printf 'http://127.0.0.1:%s%s' "$PROXY_PORT" "${1:-/}"
}

# The bodies of COUNT requests for / with Host: web.e2e.test, sorted and
# counted ("20 v1").
answers() {
  local _
  for _ in $(seq "$1"); do
    curl -sS --max-time 10 -H "Host: $HOST" "$(url /)" || echo "curl failed: $?"
  done | sort | uniq -c | sed 's/^ *//'
}

# Starts the load generator against the routed address in the background;
# its pid is kept in a file so that teardown finds it whatever happened.
start_load() {
  python3 "$REPO/tests/deploy/support/loadgen.py" --url "$(url /)" --host "$HOST" \
    --rate "$RATE" --max-seconds 300 --out "$BATS_TEST_TMPDIR/load.json" \
    >"$BATS_TEST_TMPDIR/load.log" 2>&1 3>&- &
  echo $! >"$BATS_TEST_TMPDIR/load.pid"
}

# Stops the load generator (SIGTERM: it writes its counts and exits).
stop_load() {
  local pid
  [ -f "${BATS_TEST_TMPDIR:-}/load.pid" ] || return 0
  pid=$(cat "$BATS_TEST_TMPDIR/load.pid")
  rm -f "$BATS_TEST_TMPDIR/load.pid"
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# One count from the load generator's report: sent, failed, 2xx, 5xx or
# other (every status that is neither).
load_count() {
  python3 - "$BATS_TEST_TMPDIR/load.json" "$1" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
status = {str(code): count for code, count in report["status"].items()}
what = sys.argv[2]
if what in ("sent", "failed"):
    print(report[what])
elif what in ("2xx", "5xx"):
    print(sum(n for code, n in status.items() if code.startswith(what[0])))
else:
    print(sum(n for code, n in status.items() if code[:1] not in ("2", "5")))
PY
}

# The running containers of the project's Compose SERVICE (ids).
running() {
  docker ps -q --filter "label=com.docker.compose.project=$PROJECT" \
    --filter "label=com.docker.compose.service=$1"
}

# HAProxy's view of a slot from its Prometheus exporter: the weight of
# server SLOT of backend web.
exported_weight() {
  curl -fsS --max-time 10 "http://127.0.0.1:$STATS_PORT/metrics" |
    sed -n "s/^haproxy_server_weight{proxy=\"web\",server=\"$1\"} //p"
}

# The state (UP, DOWN, MAINT, DRAIN or NOLB) of server SLOT of backend web,
# from the Prometheus exporter.
exported_state() {
  curl -fsS --max-time 10 "http://127.0.0.1:$STATS_PORT/metrics" |
    sed -n "s/^haproxy_server_status{proxy=\"web\",server=\"$1\",state=\"\([A-Z]*\)\"} 1\$/\1/p"
}

@test "the local HAProxy image accepts the generated configuration (haproxy -c inside it)" {
  run docker run --rm --network none \
    -v "$WS/generated/haproxy/e2e.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro" \
    stackc-e2e/haproxy:2.6 -c -f /usr/local/etc/haproxy/haproxy.cfg
  assert_success
  assert_output --partial "Configuration file is valid"
}

@test "up --env e2e: a routed stack; HAProxy (the local image) routes by host, answers 503 elsewhere, exports metrics" {
  run timeout -k 10 180 "$STACK" up --env e2e
  assert_success
  run docker ps --filter "label=com.docker.compose.project=$PROJECT" \
    --filter "label=com.docker.compose.service=haproxy" --format '{{.Image}}'
  assert_output "stackc-e2e/haproxy:2.6"
  run answers 10
  assert_output "10 v1"
  # The host is compared case-insensitively, without its port.
  run curl -sS --max-time 10 -H "Host: WEB.E2E.Test:$PROXY_PORT" "$(url /health)"
  assert_output "v1"
  run curl -sS --max-time 10 -w '\n%{http_code}\n' -H "Host: nowhere.e2e.test" "$(url /some/path)"
  assert_output --partial "nowhere.e2e.test"
  assert_output --partial "/some/path"
  assert_line --index 1 503
  run curl -fsS --max-time 10 "http://127.0.0.1:$STATS_PORT/metrics"
  assert_success
  assert_output --partial 'haproxy_server_weight{proxy="web",server="blue"} 100'
  run curl -fsS --max-time 10 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$STATS_PORT/stats"
  assert_output 200
  # The green slot is not started by up.
  [ -z "$(running web-green)" ]
}

@test "deploy web --image v2 under load: promoted, zero client failures, zero 5xx; deploy:status shows green live" {
  start_load
  run timeout -k 30 240 "$STACK" deploy web --env e2e --image stackc-e2e/web:v2
  stop_load
  assert_success
  cat "$BATS_TEST_TMPDIR/load.json"
  [ "$(load_count failed)" -eq 0 ]
  [ "$(load_count 5xx)" -eq 0 ]
  [ "$(load_count other)" -eq 0 ]
  # Load ran through the whole deploy (at least three 2 s steps).
  [ "$(load_count 2xx)" -ge $((RATE * 3)) ]
  run answers 20
  assert_output "20 v2"
  [ "$(exported_weight green)" -eq 100 ]
  # The old slot drained and stopped.
  [ -z "$(running web)" ]
  [ -n "$(running web-green)" ]
  run timeout -k 10 60 "$STACK" deploy:status web --env e2e
  assert_success
  assert_output --regexp "green.*live"
  assert_output --partial "stackc-e2e/web:v2"
  assert_output --partial "not halted"
}

@test "deploy web --image bad under load: rolled back (3) by error_rate with few 5xx, traffic stays on v2, web halted until deploy:resume" {
  start_load
  run timeout -k 30 240 "$STACK" deploy web --env e2e --image stackc-e2e/web:bad
  stop_load
  assert_failure 3
  assert_output --partial "rolled back"
  assert_output --partial "error_rate"
  cat "$BATS_TEST_TMPDIR/load.json"
  [ "$(load_count failed)" -eq 0 ]
  [ "$(load_count other)" -eq 0 ]
  # The canary was judged on real 5xx, and no more than 20 % of the load
  # for about failures (1) window of 2 s, with two windows of slack.
  local errors
  errors=$(load_count 5xx)
  [ "$errors" -ge 1 ]
  [ "$errors" -le $((RATE * 2 * 3 * 20 / 100)) ]
  run answers 20
  assert_output "20 v2"
  [ "$(exported_weight green)" -eq 100 ]
  [ "$(exported_weight blue)" -eq 0 ]
  [ -z "$(running web)" ]

  # Halted: refused with the report, nothing started.
  run timeout -k 10 60 "$STACK" deploy web --env e2e --image stackc-e2e/web:v1
  assert_failure 4
  assert_output --partial "error_rate"
  [ -z "$(running web)" ]
  run timeout -k 10 60 "$STACK" deploy:status web --env e2e
  assert_success
  assert_line --regexp '^ *halted'
  assert_output --partial "error_rate"
  run timeout -k 10 60 "$STACK" deploy:resume web --env e2e
  assert_success
  assert_output --partial "error_rate"
  run timeout -k 10 60 "$STACK" deploy:status web --env e2e
  assert_success
  assert_output --partial "not halted"
}

@test "after deploy:resume, deploy web (v1 again) under load is promoted to the blue slot with zero failures" {
  start_load
  run timeout -k 30 240 "$STACK" deploy web --env e2e --image stackc-e2e/web:v1
  stop_load
  assert_success
  cat "$BATS_TEST_TMPDIR/load.json"
  [ "$(load_count failed)" -eq 0 ]
  [ "$(load_count 5xx)" -eq 0 ]
  [ "$(load_count other)" -eq 0 ]
  run answers 20
  assert_output "20 v1"
  [ "$(exported_weight blue)" -eq 100 ]
  [ -n "$(running web)" ]
  [ -z "$(running web-green)" ]
}

@test "rollback web under load: the idle green slot (v2) is live again, zero failures, blue stopped" {
  start_load
  run timeout -k 30 240 "$STACK" rollback web --env e2e
  stop_load
  assert_success
  cat "$BATS_TEST_TMPDIR/load.json"
  [ "$(load_count failed)" -eq 0 ]
  [ "$(load_count 5xx)" -eq 0 ]
  [ "$(load_count other)" -eq 0 ]
  run answers 20
  assert_output "20 v2"
  [ "$(exported_weight green)" -eq 100 ]
  [ -z "$(running web)" ]
  [ -n "$(running web-green)" ]
}

# With the green slot (profile slots) running, so down must remove it too.
@test "down --env e2e leaves no container, network or volume of the project" {
  run timeout -k 10 120 "$STACK" down --env e2e
  assert_success
  run docker ps -aq --filter "label=com.docker.compose.project=$PROJECT"
  assert_output ""
  run docker network ls -q --filter "label=com.docker.compose.project=$PROJECT"
  assert_output ""
  run docker volume ls -q --filter "label=com.docker.compose.project=$PROJECT"
  assert_output ""
  run e2e_leftovers
  assert_output ""
}

@test "up after down brings back what was deployed: the live green slot (v2) serves, blue stays in maintenance; down again leaves nothing" {
  run timeout -k 10 180 "$STACK" up --env e2e
  assert_success
  [ -n "$(running web-green)" ]
  # up returns once HAProxy's check marked the live slot UP: the route
  # answers at once, no retry.
  run answers 10
  assert_output "10 v2"
  [ "$(exported_weight green)" -eq 100 ]
  [ "$(exported_state blue)" = MAINT ]
  # deploy:status says blue's real weight, 0 (show stat and the exporter
  # show the configuration's 100 for a slot restored in maintenance).
  run timeout -k 10 60 "$STACK" deploy:status web --env e2e
  assert_success
  assert_line --regexp '^  blue +MAINT +- +0 '
  assert_line --regexp '^  green +UP +L7OK +100 +stackc-e2e/web:v2  \(live\)$'
  run timeout -k 10 120 "$STACK" down --env e2e
  assert_success
  run e2e_leftovers
  assert_output ""
}
