#!/usr/bin/env bats
# The generated `deploy` against a real HAProxy 2.6 on loopback, no Docker
# (helpers.bash): the slots are local HTTP servers whose 5xx rate, latency
# and health each test sets, traffic comes from a bounded load generator
# through HAProxy's HTTP frontend, and every case prints the load
# generator's summary (requests sent, failed without a response, by status).
#
# The workspace's api: a canary at 20 %, 50 %, 100 %, 1 s windows,
# error_rate < stable + 2 % and < 10 %, response_time < 200 ms,
# min_requests 5, failures 2, inconclusive_limit 3, an acceptance suite.

load helpers

setup() {
  e2e_setup
}

teardown() {
  e2e_teardown
}

@test "a healthy canary is promoted through every step: all weight on it, no client failure, no 5xx" {
  start_load 40
  deploy --image shop/api:2
  stop_load
  echo "$output"
  assert_success
  assert_output --partial "promoted (green is live)"
  [ "$(slot_stat green weight)" -eq 100 ]
  [ "$(slot_stat green status)" = UP ]
  [ "$(slot_stat blue status)" = MAINT ]
  [ "$FAILED" -eq 0 ]
  [ "$ERRORS" -eq 0 ]
  [ "$OK" -eq "$SENT" ]
  # Both versions served, and the old one is stopped.
  [ "$(lines "$E2E_SLOTS/api.green.requests")" -gt 0 ]
  [ ! -e "$E2E_SLOTS/api.blue.pid" ]
  # HAProxy saved its state in the run folder, where it reads it back.
  grep -q ' green ' "$STACK_HAPROXY_RUN_DIR/server-state"
  # The acceptance suite reached the new version through the route.
  grep -q '^200 /api/accept$' "$E2E_SLOTS/api.green.requests"
}

@test "5xx above the tolerance roll back within failures windows; the client saw only the canary's share" {
  behave shop/api:2 --error-rate 0.5
  start_load 40
  deploy --image shop/api:2
  stop_load
  echo "$output"
  assert_failure 3
  assert_output --partial "kpi: error_rate"
  assert_output --partial "step: 1 of 3 (canary weight 20%)"
  assert_output --partial "window: 2 at that step"
  [ "$(slot_stat blue weight)" -eq 100 ]
  [ "$(slot_stat green status)" = MAINT ]
  [ "$FAILED" -eq 0 ]
  # Every 5xx came from the canary, which served only while it had 20 % of
  # the traffic: at most half of what it served failed.
  [ "$ERRORS" -gt 0 ]
  [ "$ERRORS" -eq "$(grep -c '^500 ' "$E2E_SLOTS/api.green.requests")" ]
  [ $(( OK + ERRORS )) -eq "$SENT" ]
  [ "$ERRORS" -le $(( $(lines "$E2E_SLOTS/api.green.requests") / 2 + 1 )) ]
  [ "$(lines "$E2E_SLOTS/api.green.requests")" -le $(( SENT / 2 )) ]
}

@test "a slow canary is rolled back on response time" {
  behave shop/api:2 --latency-ms 400
  start_load 40
  deploy --image shop/api:2
  stop_load
  echo "$output"
  assert_failure 3
  assert_output --partial "kpi: response_time"
  assert_output --partial "tolerance: < 200ms"
  [ "$(slot_stat blue weight)" -eq 100 ]
  [ "$FAILED" -eq 0 ]
  [ "$ERRORS" -eq 0 ]
  [ "$OK" -eq "$SENT" ]
}

@test "a canary that never turns healthy gets no request" {
  behave shop/api:2 --health fail
  start_load 40
  deploy --image shop/api:2
  stop_load
  echo "$output"
  assert_failure 3
  assert_output --partial "reason: the canary never turned UP in HAProxy; it got no request"
  [ "$(lines "$E2E_SLOTS/api.green.requests")" -eq 0 ]
  [ "$FAILED" -eq 0 ]
  [ "$ERRORS" -eq 0 ]
  [ "$OK" -eq "$SENT" ]
}

@test "too little traffic never rolls back as a failure, until inconclusive_limit windows: then it fails safe" {
  # Every response of the canary fails, but it gets too few to judge.
  behave shop/api:2 --error-rate 1
  start_load 2
  deploy --image shop/api:2
  stop_load
  echo "$output"
  assert_failure 3
  refute_output --partial ": bad"
  assert_output --partial "step 1 window 3: inconclusive (3 of 3)"
  assert_output --partial "reason: not enough traffic to judge (3 inconclusive windows in a row)"
  [ "$(slot_stat blue weight)" -eq 100 ]
  [ "$FAILED" -eq 0 ]
}

@test "a failing acceptance suite rolls back, the old version takes all traffic back" {
  : >"$E2E_SLOTS/acceptance-fails"
  start_load 40
  deploy --image shop/api:2
  stop_load
  echo "$output"
  assert_failure 3
  assert_output --partial "kpi: acceptance"
  [ "$(slot_stat blue weight)" -eq 100 ]
  [ "$(slot_stat blue status)" = UP ]
  [ "$(slot_stat green status)" = MAINT ]
  [ "$FAILED" -eq 0 ]
  [ "$ERRORS" -eq 0 ]
  [ "$OK" -eq "$SENT" ]
}

@test "SIGTERM mid-deploy rolls back and exits 143, without client failures" {
  start_load 40
  "$STACK" deploy api --image shop/api:2 >"$E2E/deploy.out" 2>&1 &
  DEPLOY_PID=$!
  wait_for "$DEPLOY_TIMEOUT_S" grep -q 'step 2 of 3' "$E2E/deploy.out"
  kill -TERM "$DEPLOY_PID"
  local status=0
  wait "$DEPLOY_PID" || status=$?
  DEPLOY_PID=''
  stop_load
  cat "$E2E/deploy.out"
  [ "$status" -eq 143 ]
  grep -q 'interrupted and rolled back (not halted)' "$E2E/deploy.out"
  [ "$(slot_stat blue weight)" -eq 100 ]
  [ "$(slot_stat green status)" = MAINT ]
  [ ! -e "$STACK_STATE_DIR/test/api.halted" ]
  [ "$FAILED" -eq 0 ]
  [ "$ERRORS" -eq 0 ]
  [ "$OK" -eq "$SENT" ]
}

@test "a halted component refuses to deploy until deploy:resume" {
  behave shop/api:2 --error-rate 0.5
  start_load 40
  deploy --image shop/api:2
  assert_failure 3
  deploy --image shop/api:3
  echo "$output"
  assert_failure 4
  assert_output --partial "api is halted in test since a rollback"
  run "$STACK" deploy:resume api
  assert_success
  deploy --image shop/api:3
  stop_load
  echo "$output"
  assert_success
  [ "$(slot_stat green weight)" -eq 100 ]
  [ "$FAILED" -eq 0 ]
}

@test "deploy:status and rollback on the live HAProxy" {
  start_load 40
  deploy --image shop/api:2
  assert_success
  run "$STACK" deploy:status api
  echo "$output"
  assert_success
  assert_line --regexp '^  blue +MAINT +- +0 +shop/api:1$'
  assert_line --regexp '^  green +UP +L7OK +100 +shop/api:2  \(live\)$'
  run timeout "$DEPLOY_TIMEOUT_S" "$STACK" rollback api --verbose
  stop_load
  echo "$output"
  assert_success
  assert_output --partial "stack: haproxy> set weight api/blue 100"
  [ "$(slot_stat blue weight)" -eq 100 ]
  [ "$(slot_stat green status)" = MAINT ]
  [ "$FAILED" -eq 0 ]
  [ "$ERRORS" -eq 0 ]
  [ "$OK" -eq "$SENT" ]
}

@test "response_time: a slow version deployed into a slot that served a fast one for many requests is rolled back" {
  start_load 40
  # green serves shop/api:2 (fast) for a whole deploy, then goes idle.
  deploy --image shop/api:2
  assert_success
  run timeout "$DEPLOY_TIMEOUT_S" "$STACK" rollback api
  assert_success
  behave shop/api:3 --latency-ms 400
  deploy --image shop/api:3
  stop_load
  echo "$output"
  # HAProxy's rtime of green covers shop/api:3 only: the counters were
  # cleared when it started, before its first request.
  assert_failure 3
  assert_output --partial "kpi: response_time"
  assert_output --partial "step: 1 of 3 (canary weight 20%)"
  [ "$(slot_stat blue weight)" -eq 100 ]
  [ "$FAILED" -eq 0 ]
}

@test "response_time: a fast version deployed into a slot that last ran a slow one is promoted" {
  behave shop/api:2 --latency-ms 400
  start_load 40
  deploy --image shop/api:2
  assert_failure 3
  assert_output --partial "kpi: response_time"
  run "$STACK" deploy:resume api
  assert_success
  deploy --image shop/api:3
  stop_load
  echo "$output"
  assert_success
  assert_output --partial "promoted (green is live)"
  [ "$(slot_stat green weight)" -eq 100 ]
  [ "$FAILED" -eq 0 ]
}

@test "recreate, SIGINT while waiting for the new slot: the stable slot is started again and serves 200s" {
  STRATEGY=recreate write_stackfile
  "$STACKC" build "$WS" >/dev/null
  behave shop/api:2 --health fail
  # Job control: a background job of a non-interactive shell ignores SIGINT.
  set -m
  "$STACK" deploy api --image shop/api:2 >"$E2E/deploy.out" 2>&1 &
  DEPLOY_PID=$!
  set +m
  wait_for "$DEPLOY_TIMEOUT_S" grep -q "waiting for HAProxy's check to mark green UP" "$E2E/deploy.out"
  kill -INT "$DEPLOY_PID"
  local status=0
  wait "$DEPLOY_PID" || status=$?
  DEPLOY_PID=''
  cat "$E2E/deploy.out"
  [ "$status" -eq 130 ]
  grep -q 'interrupted and rolled back (not halted)' "$E2E/deploy.out"
  run grep -E 'could not stop|did not come back|incomplete' "$E2E/deploy.out"
  assert_failure
  [ "$(slot_stat blue status)" = UP ]
  [ "$(slot_stat blue weight)" -eq 100 ]
  [ "$(slot_stat green status)" = MAINT ]
  local i
  for i in 1 2 3 4 5; do
    [ "$(routed_status)" = 200 ]
  done
  # Started during the rollback, blue did not inherit an ignored SIGTERM.
  run grep -F 'started with SIGTERM ignored' "$E2E_SLOTS/servers.log"
  assert_failure
}

blue_is_down() {
  [ "$(slot_stat blue status 2>/dev/null)" = DOWN ]
}

@test "the live slot's server is dead: the deploy refuses, nothing changed" {
  "$SUPPORT/slot.sh" stop api blue
  wait_for "$START_TIMEOUT_S" blue_is_down
  deploy --image shop/api:2
  echo "$output"
  assert_failure 1
  assert_output --partial "its live slot blue is not UP in HAProxy (status DOWN"
  [ "$(slot_stat blue weight)" -eq 100 ]
  [ "$(slot_stat green status)" = MAINT ]
  run grep -c '^start api green' "$E2E_SLOTS/calls"
  assert_output 0
}

@test "the stable slot dies during a deploy: the rollback keeps the canary serving, incomplete" {
  # No load: the canary's windows are inconclusive, 3 of them (3 s) before
  # the deploy fails safe; blue stops as soon as the canary starts (after
  # the deploy checked that blue is UP), so HAProxy marks it DOWN (3 checks
  # of 200 ms) while the canary still warms up, well before the fail-safe.
  "$STACK" deploy api --image shop/api:2 >"$E2E/deploy.out" 2>&1 &
  DEPLOY_PID=$!
  wait_for "$DEPLOY_TIMEOUT_S" grep -q "starting the canary slot" "$E2E/deploy.out"
  "$SUPPORT/slot.sh" stop api blue
  local status=0
  wait "$DEPLOY_PID" || status=$?
  DEPLOY_PID=''
  cat "$E2E/deploy.out"
  [ "$status" -eq 3 ]
  grep -q 'rolled back (incomplete: the stable slot blue did not come UP within 5s' "$E2E/deploy.out"
  grep -q 'the canary green keeps serving' "$E2E/deploy.out"
  [ "$(slot_stat green status)" = UP ]
  [ "$(slot_stat green weight)" -eq 20 ]
  # Never no server: the canary answers, not HAProxy's 503.
  local i
  for i in 1 2 3 4 5; do
    [ "$(routed_status)" = 200 ]
  done
}
