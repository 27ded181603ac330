#!/usr/bin/env bats
# The deploy tasks (deploy, rollback, deploy:status, deploy:resume) of the
# task runner against a scripted HAProxy runtime API: tests/shims/haproxy/
# puts a fake `socat` first on PATH that plays HAProxy (weights, slot
# states, checks, and one window of traffic per `show stat`, split by
# weight, with each version's 5xx rate and response time set by the test),
# and STACK_SLOT_COMMAND starts and stops slots in it. Every test asserts
# the exact `set weight` / `set server` commands sent, in order.
#
# The model is tests/support/models.rs `deploy()`: api is a canary at 10 %,
# 25 %, 50 %, 100 % with error_rate < 5 % and < stable + 0.5 %,
# response_time < 300 ms, min_requests 50, failures 2, inconclusive_limit 3
# and an acceptance suite; web is blue-green with response_time < stable +
# 100 ms; worker is recreated.

load helpers

setup() {
  common_setup
  workspace deploy
  export FAKE_HAPROXY=$BATS_TEST_TMPDIR/haproxy
  mkdir -p "$FAKE_HAPROXY/image"
  : >"$FAKE_HAPROXY/commands"
  : >"$FAKE_HAPROXY/slots.log"
  PATH=$SHIMS/haproxy:$PATH
  export PATH
  export STACK_SLOT_COMMAND=$SHIMS/haproxy/slot-hook
  unset STACK_STATE_DIR STACK_VERBOSE STACK_HAPROXY_SOCKET STACK_HAPROXY_RUN_DIR STACK_HAPROXY_HTTP_BIND
  unset API_VERSION STACK_COMMIT STACK_BRANCH
  STATE=$WS/.stack/test
  BG_PIDS=''
}

teardown() {
  local pid
  for pid in $BG_PIDS; do
    kill "$pid" 2>/dev/null || true
  done
  common_teardown
}

# behave IMAGE WHAT VALUE: how a version behaves behind the fake HAProxy
# (errors: 5xx per 1000; rtime: ms; health: up|down; scur).
behave() {
  local key=${1//\//_}
  printf '%s\n' "$3" >"$FAKE_HAPROXY/image/${key//:/_}.$2"
}

# The `set` commands the fake HAProxy received, one a line.
sets() {
  grep '^set ' "$FAKE_HAPROXY/commands" || true
}

# The canary's (green's) promotion commands for api: start at weight 0,
# then each step.
PREPARE_GREEN='set weight api/green 0
set server api/green state maint
set server api/green state ready'

ROLLBACK_GREEN='set server api/blue state ready
set weight api/blue 100
set weight api/green 0
set server api/green state maint'

@test "a healthy canary is promoted through every step, then the old slot is drained and stopped" {
  run "$STACK" deploy api --image deploy/api:2
  assert_success
  assert_equal "$(sets)" "$PREPARE_GREEN
set weight api/green 10
set weight api/blue 90
set weight api/green 25
set weight api/blue 75
set weight api/green 50
set weight api/blue 50
set weight api/green 100
set weight api/blue 0
set server api/blue state drain
set server api/blue state maint"
  assert_equal "$(cat "$FAKE_HAPROXY/slots.log")" "start api green deploy/api:2
stop api blue deploy/api:1"
  assert_output --partial "deploy of api in test: promoted (green is live)"
  assert_output --partial "step 4 of 4: green at weight 100, blue at 0"
  # The acceptance suite ran against the routed address, with the route's host.
  assert_equal "$(cat "$HOOK_LOG")" "acceptance http://127.0.0.1:80/api api.example /api"
  # State: the image of each slot, the report, the saved server state, no lock.
  assert_equal "$(cat "$STATE/images/api.green")" "deploy/api:2"
  assert_equal "$(cat "$WS/.stack/.gitignore")" "*"
  grep -q '^3 api 2 green 127.0.0.1 2 0 100 100$' "$STATE/haproxy/server-state"
  grep -q 'promoted' "$STATE/api.report"
  [ ! -e "$STATE/api.lock" ]
  [ ! -e "$STATE/api.window" ]
  [ ! -e "$STATE/api.halted" ]
  # The server state was saved after every change.
  [ "$(grep -c '^show servers state$' "$FAKE_HAPROXY/commands")" -eq 8 ]
}

@test "the next deploy reads the live slot from HAProxy: blue is the canary" {
  run "$STACK" deploy api --image deploy/api:2
  assert_success
  rm "$STATE/images/api.green" # the files never decide which slot is live
  : >"$FAKE_HAPROXY/commands"
  run "$STACK" deploy api --image deploy/api:3
  assert_success
  assert_equal "$(sets)" "set weight api/blue 0
set server api/blue state maint
set server api/blue state ready
set weight api/blue 10
set weight api/green 90
set weight api/blue 25
set weight api/green 75
set weight api/blue 50
set weight api/green 50
set weight api/blue 100
set weight api/green 0
set server api/green state drain
set server api/green state maint"
  assert_output --partial "canary slot blue, stable slot green"
}

@test "deploy --commit: the image docker:push pushed for this commit, from STACK_COMMIT or git" {
  API_VERSION=9 STACK_COMMIT=89ABCDEF0123456789abcdef0123456789abcdef run "$STACK" deploy api --commit
  assert_success
  assert_output --partial "--commit: the image of commit 89abcdef is deploy/api:89abcdef"
  assert_equal "$(sed -n 1p "$FAKE_HAPROXY/slots.log")" "start api green deploy/api:89abcdef"
  # From the workspace's git repository when STACK_COMMIT is unset.
  git -C "$WS" init -q
  git -C "$WS" add Stackfile
  GIT_CONFIG_GLOBAL=/dev/null git -C "$WS" -c user.name=t -c user.email=t@example.com commit -q -m one
  local head
  head=$(git -C "$WS" rev-parse HEAD)
  : >"$FAKE_HAPROXY/slots.log"
  run "$STACK" deploy api --commit
  assert_success
  assert_equal "$(sed -n 1p "$FAKE_HAPROXY/slots.log")" "start api blue deploy/api:${head:0:8}"
}

@test "deploy --commit: with --image, or without a commit, a usage error before HAProxy hears anything" {
  STACK_COMMIT=89abcdef01 run "$STACK" deploy api --commit --image deploy/api:2
  assert_failure 2
  assert_output --partial "--commit and --image both name the image to deploy: give one"
  run "$STACK" deploy api --commit
  assert_failure 2
  assert_output --partial "no commit to tag the image with: set STACK_COMMIT"
  STACK_COMMIT=HEAD run "$STACK" deploy api --commit
  assert_failure 2
  assert_output --partial "'head' is not a commit id"
  STACK_COMMIT=89abcdef01 run "$STACK" rollback api --commit
  assert_failure 2
  assert_output --partial "rollback: unknown option '--commit'"
  run cat "$FAKE_HAPROXY/commands"
  assert_output ""
  run cat "$FAKE_HAPROXY/slots.log"
  assert_output ""
}

@test "test:remote --env: a routed component's suite runs against its routed address, as a deploy's acceptance suite" {
  run "$STACK" test:remote api acceptance --env prod
  assert_success
  assert_output --partial "api in prod: its routed address http://127.0.0.1:8081/api (Host: api.example)"
  run cat "$HOOK_LOG"
  assert_output "acceptance http://127.0.0.1:8081/api api.example /api"
  : >"$HOOK_LOG"
  STACK_HAPROXY_HTTP_BIND=127.0.0.2:9090 run "$STACK" test:remote api acceptance --env=test --xml "$BATS_TEST_TMPDIR/xml"
  assert_success
  run cat "$HOOK_LOG"
  assert_output "acceptance http://127.0.0.2:9090/api api.example /api"
  [ -f "$BATS_TEST_TMPDIR/xml/api-acceptance.xml" ]
  # Nothing of a deploy: no HAProxy command, no state folder.
  run cat "$FAKE_HAPROXY/commands"
  assert_output ""
  [ ! -e "$WS/.stack" ]
}

@test "test:remote --env: usage errors" {
  run "$STACK" test:remote api acceptance --env staging
  assert_failure 2
  assert_output --partial "unknown environment 'staging'"
  assert_output --partial "environments: test prod"
  run "$STACK" test:remote api acceptance 10.0.0.1 --env prod
  assert_failure 2
  assert_output --partial "ADDRESS and --env both say where api is: give one"
  run "$STACK" test:remote api acceptance --env
  assert_failure 2
  run "$STACK" test:remote api acceptance
  assert_failure 2
  assert_output --partial "or --env ENV"
  run "$STACK" test api acceptance --env prod
  assert_failure 2
  assert_output --partial "test: unknown option '--env'"
  run cat "$HOOK_LOG"
  assert_output ""
}

@test "the spec's image, with its run-time references, when --image is not given" {
  API_VERSION=7 run "$STACK" deploy api
  assert_success
  assert_equal "$(head -n 1 "$FAKE_HAPROXY/slots.log")" "start api green deploy/api:7"
}

@test "5xx above the absolute tolerance roll back after failures (2) bad windows; the component is halted" {
  behave deploy/api:2 errors 100
  run "$STACK" deploy api --image deploy/api:2
  assert_failure 3
  assert_equal "$(sets)" "$PREPARE_GREEN
set weight api/green 10
set weight api/blue 90
$ROLLBACK_GREEN"
  assert_equal "$(cat "$FAKE_HAPROXY/slots.log")" "start api green deploy/api:2
stop api green deploy/api:2"
  assert_output --partial "step 1 window 1: bad (1 of 2): error_rate 10.000% (10 of 100 responses 5xx), tolerance < 5.000%"
  assert_output --partial "deploy of api in test: rolled back"
  assert_output --partial "kpi: error_rate"
  assert_output --partial "observed: 10.000% (10 of 100 responses 5xx)"
  assert_output --partial "tolerance: < 5.000%"
  assert_output --partial "step: 1 of 4 (canary weight 10%)"
  assert_output --partial "window: 2 at that step"
  cmp "$STATE/api.report" "$STATE/api.halted"
  [ ! -e "$STATE/api.lock" ]
  # No acceptance suite ran.
  [ ! -s "$HOOK_LOG" ]
}

@test "a slow canary is rolled back on response time" {
  behave deploy/api:2 rtime 450
  run "$STACK" deploy api --image deploy/api:2
  assert_failure 3
  assert_equal "$(sets)" "$PREPARE_GREEN
set weight api/green 10
set weight api/blue 90
$ROLLBACK_GREEN"
  assert_output --partial "kpi: response_time"
  assert_output --partial "observed: 450ms (HAProxy's average over the canary's last 1,024 responses)"
  assert_output --partial "tolerance: < 300ms"
}

@test "relative tolerance: an outage both versions see does not roll the canary back" {
  behave initial errors 30
  behave deploy/api:2 errors 30
  run "$STACK" deploy api --image deploy/api:2
  assert_success
  assert_output --partial "promoted (green is live)"
}

@test "relative tolerance: a stable slot with no errors does not let an erroring canary pass" {
  echo 10000 >"$FAKE_HAPROXY/rate"
  behave deploy/api:2 errors 6
  run "$STACK" deploy api --image deploy/api:2
  assert_failure 3
  assert_output --partial "observed: 0.600% (6 of 1000 responses 5xx)"
  assert_output --partial "tolerance: < stable + 0.500% (stable: 0.000%)"
  assert_equal "$(sets)" "$PREPARE_GREEN
set weight api/green 10
set weight api/blue 90
$ROLLBACK_GREEN"
}

@test "inconclusive windows extend the hold; a good one moves on" {
  # One rate per `show stat`: the first read, the one before and the one
  # after the counters are cleared, the check that marks the canary UP, the
  # step's start, then its windows. The canary gets 10 % of the traffic: 10
  # and 20 responses are fewer than min_requests (50), 100 are enough.
  printf '%s\n' 1000 1000 1000 1000 1000 100 200 1000 >"$FAKE_HAPROXY/rates"
  run "$STACK" deploy api --image deploy/api:2
  assert_success
  assert_output --partial "step 1 window 1: inconclusive (1 of 3): 10 canary responses; min_requests is 50; window: 10 responses, 0.000% 5xx, 20ms"
  assert_output --partial "step 1 window 2: inconclusive (2 of 3): 20 canary responses; min_requests is 50"
  assert_output --partial "step 1 window 3: good"
  refute_output --partial ": bad"
}

@test "too little traffic never rolls back as a failure, until inconclusive_limit windows: then it fails safe" {
  echo 100 >"$FAKE_HAPROXY/rate"
  behave deploy/api:2 errors 1000 # every response fails, but too few to judge
  run "$STACK" deploy api --image deploy/api:2
  assert_failure 3
  assert_output --partial "step 1 window 3: inconclusive (3 of 3)"
  refute_output --partial ": bad"
  assert_output --partial "reason: not enough traffic to judge (3 inconclusive windows in a row)"
  # Too few to judge, but plainly failing: the values are shown all the same.
  assert_output --partial "step 1 window 1: inconclusive (1 of 3): 10 canary responses; min_requests is 50; window: 10 responses, 100.000% 5xx, 20ms"
  assert_output --partial "observed: 10 canary responses"
  assert_output --partial "tolerance: min_requests is 50"
  assert_output --partial "last window: 10 responses, 100.000% 5xx, 20ms"
  assert_output --partial "window: 3 at that step"
  assert_equal "$(sets)" "$PREPARE_GREEN
set weight api/green 10
set weight api/blue 90
$ROLLBACK_GREEN"
  [ -e "$STATE/api.halted" ]
}

@test "a canary that never turns UP gets no request, is stopped, and the deploy rolls back" {
  behave deploy/api:2 health down
  run "$STACK" deploy api --image deploy/api:2
  assert_failure 3
  assert_equal "$(sets)" "$PREPARE_GREEN
$ROLLBACK_GREEN"
  assert_equal "$(cat "$FAKE_HAPROXY/api.green.requests")" 0
  assert_output --partial "reason: the canary never turned UP in HAProxy; it got no request"
  assert_output --partial "observed: status DOWN, check L7STS"
  assert_output --partial "tolerance: UP within 2s"
  assert_equal "$(tail -n 1 "$FAKE_HAPROXY/slots.log")" "stop api green deploy/api:2"
}

@test "a failing acceptance suite rolls back after the last step" {
  : >"$FAKE_HAPROXY/acceptance-fails"
  run "$STACK" deploy api --image deploy/api:2
  assert_failure 3
  assert_output --partial "api acceptance failed"
  assert_output --partial "kpi: acceptance"
  assert_output --partial "step: 4 of 4 (canary weight 100%)"
  # The old slot still ran at weight 0: it takes all traffic back at once.
  assert_equal "$(sets)" "$PREPARE_GREEN
set weight api/green 10
set weight api/blue 90
set weight api/green 25
set weight api/blue 75
set weight api/green 50
set weight api/blue 50
set weight api/green 100
set weight api/blue 0
$ROLLBACK_GREEN"
  refute_line --partial "stop api blue"
}

@test "a halted component refuses to deploy (exit 4) until deploy:resume" {
  behave deploy/api:2 errors 100
  run "$STACK" deploy api --image deploy/api:2
  assert_failure 3
  : >"$FAKE_HAPROXY/commands"
  run "$STACK" deploy api --image deploy/api:3
  assert_failure 4
  assert_output --partial "api is halted in test since a rollback; its report:"
  assert_output --partial "  kpi: error_rate"
  assert_output --partial "deploy:resume api --env test"
  [ ! -s "$FAKE_HAPROXY/commands" ]
  run "$STACK" deploy:status api
  assert_success
  assert_output --partial "halted; the report of the rollback:"
  run "$STACK" deploy:resume api
  assert_success
  assert_output --partial "resuming api in test; the report this clears:"
  assert_output --partial "  observed: 10.000%"
  [ ! -e "$STATE/api.halted" ]
  run "$STACK" deploy:resume api
  assert_success
  assert_output --partial "api is not halted in test"
  run "$STACK" deploy api --image deploy/api:3
  assert_success
}

@test "another running deploy holds the lock: exit 4; a lock whose holder is gone is taken over" {
  mkdir -p "$STATE/api.lock"
  sleep 60 &
  BG_PIDS="$BG_PIDS $!"
  echo "$!" >"$STATE/api.lock/pid"
  run "$STACK" deploy api --image deploy/api:2
  assert_failure 4
  assert_output --partial "another deploy of api in test is running (pid $!"
  [ ! -s "$FAKE_HAPROXY/commands" ]
  run "$STACK" rollback api
  assert_failure 4
  run "$STACK" deploy:status api
  assert_output --partial "deploy running (pid $!)"
  kill "$!"
  wait "$!" 2>/dev/null || true
  run "$STACK" deploy api --image deploy/api:2
  assert_success
  assert_output --partial "taking over the lock of a deploy that is gone"
  [ ! -e "$STATE/api.lock" ]
}

@test "HAProxy unreachable or a slot that cannot start: exit 1, nothing changed, not halted" {
  : >"$FAKE_HAPROXY/down"
  run "$STACK" deploy api --image deploy/api:2
  assert_failure 1
  assert_output --partial "cannot deploy api: HAProxy's runtime API at $STATE/haproxy/admin.sock does not answer"
  assert_output --partial "Connection refused"
  rm "$FAKE_HAPROXY/down"
  : >"$FAKE_HAPROXY/start-fails"
  run "$STACK" deploy api --image deploy/api:2
  assert_failure 1
  assert_output --partial "the canary slot green did not start with deploy/api:2: '$SHIMS/haproxy/slot-hook start api green deploy/api:2' failed (exit status 1)"
  assert_equal "$(sets)" "set weight api/green 0
set server api/green state maint
$ROLLBACK_GREEN"
  [ ! -e "$STATE/api.halted" ]
  [ ! -e "$STATE/api.lock" ]
}

@test "usage errors: exit 2 before anything is sent to HAProxy" {
  run "$STACK" deploy
  assert_failure 2
  assert_output --partial "deploy needs a component"
  assert_output --partial "routed components: api web worker"
  run "$STACK" deploy nope
  assert_failure 2
  assert_output --partial "unknown component 'nope'"
  run "$STACK" deploy db
  assert_failure 2
  assert_output --partial "db has no route"
  run "$STACK" deploy api --image
  assert_failure 2
  run "$STACK" deploy api --image=
  assert_failure 2
  run "$STACK" deploy api web
  assert_failure 2
  run "$STACK" deploy api --env staging
  assert_failure 2
  run "$STACK" rollback api --image x
  assert_failure 2
  run "$STACK" deploy:resume
  assert_failure 2
  run "$STACK" deploy:status --bogus
  assert_failure 2
  [ ! -s "$FAKE_HAPROXY/commands" ]
}

@test "--verbose and STACK_VERBOSE=1 show every runtime API command and reply" {
  run "$STACK" deploy api --image deploy/api:2 --verbose
  assert_success
  assert_line "stack: haproxy> set weight api/green 10"
  assert_line "stack: haproxy> show stat api 4 -1"
  assert_line --regexp '^stack: haproxy< # pxname,svname,'
  assert_line --regexp '^stack: haproxy< api,green,.*,UP,100,'
  : >"$FAKE_HAPROXY/commands"
  STACK_VERBOSE=1 run "$STACK" deploy:status api
  assert_line "stack: haproxy> show stat api 4 -1"
  run "$STACK" deploy:status api
  refute_output --partial "haproxy>"
}

@test "show stat is read by column name, whatever the columns' order" {
  : >"$FAKE_HAPROXY/shuffle"
  behave deploy/api:2 errors 100
  run "$STACK" deploy api --image deploy/api:2
  assert_failure 3
  assert_output --partial "observed: 10.000% (10 of 100 responses 5xx)"
}

@test "SIGTERM mid-deploy rolls back and exits 143; the component is not halted" {
  echo "set weight api/green 25" >"$FAKE_HAPROXY/pause-on"
  "$STACK" deploy api --image deploy/api:2 >"$BATS_TEST_TMPDIR/out" 2>&1 &
  local pid=$! status=0 tries=0
  BG_PIDS="$BG_PIDS $pid"
  while [ ! -e "$FAKE_HAPROXY/paused" ] && [ "$tries" -lt 600 ]; do sleep 0.1; tries=$((tries + 1)); done
  [ -e "$FAKE_HAPROXY/paused" ]
  kill -TERM "$pid"
  rm "$FAKE_HAPROXY/paused"
  wait "$pid" || status=$?
  cat "$BATS_TEST_TMPDIR/out"
  [ "$status" -eq 143 ]
  grep -q "SIGTERM: rolling back api in test" "$BATS_TEST_TMPDIR/out"
  grep -q "interrupted and rolled back (not halted)" "$BATS_TEST_TMPDIR/out"
  assert_equal "$(sets)" "$PREPARE_GREEN
set weight api/green 10
set weight api/blue 90
set weight api/green 25
$ROLLBACK_GREEN"
  [ ! -e "$STATE/api.halted" ]
  [ ! -e "$STATE/api.lock" ]
  grep -q 'reason: interrupted by SIGTERM' "$STATE/api.report"
}

@test "SIGINT mid-deploy rolls back and exits 130" {
  echo "set weight api/green 50" >"$FAKE_HAPROXY/pause-on"
  # Job control: a background job of a non-interactive shell ignores SIGINT.
  set -m
  "$STACK" deploy api --image deploy/api:2 >"$BATS_TEST_TMPDIR/out" 2>&1 &
  local pid=$! status=0 tries=0
  set +m
  BG_PIDS="$BG_PIDS $pid"
  while [ ! -e "$FAKE_HAPROXY/paused" ] && [ "$tries" -lt 600 ]; do sleep 0.1; tries=$((tries + 1)); done
  [ -e "$FAKE_HAPROXY/paused" ]
  kill -INT "$pid"
  rm "$FAKE_HAPROXY/paused"
  wait "$pid" || status=$?
  cat "$BATS_TEST_TMPDIR/out"
  [ "$status" -eq 130 ]
  grep -q "SIGINT: rolling back api in test" "$BATS_TEST_TMPDIR/out"
  assert_equal "$(sets | tail -n 4)" "$ROLLBACK_GREEN"
  # A terminal's second Ctrl-C cannot kill a slot command; SIGTERM can.
  assert_equal "$(cat "$FAKE_HAPROXY/sigint.log")" "start api green deploy/api:2: ignored
stop api green deploy/api:2: ignored"
  assert_equal "$(cat "$FAKE_HAPROXY/sigterm.log")" "start api green deploy/api:2: default
stop api green deploy/api:2: default"
  [ ! -e "$STATE/api.halted" ]
}

@test "blue_green: one step to 100 %, judged against the stable slot's response time" {
  run "$STACK" deploy web --image deploy/web:2
  assert_success
  assert_equal "$(sets)" "set weight web/green 0
set server web/green state maint
set server web/green state ready
set weight web/green 100
set weight web/blue 0
set server web/blue state drain
set server web/blue state maint"
  behave deploy/web:3 rtime 200 # the stable one (deploy/web:2) answers in 20 ms
  : >"$FAKE_HAPROXY/commands"
  run "$STACK" deploy web --image deploy/web:3
  assert_failure 3
  assert_output --partial "tolerance: < stable + 100ms (stable: 20ms)"
}

@test "recreate: the live slot stops first, and comes back on a rollback" {
  run "$STACK" deploy worker --image deploy/worker:2
  assert_success
  assert_equal "$(sets)" "set weight worker/green 0
set server worker/green state maint
set weight worker/blue 0
set server worker/blue state maint
set server worker/green state ready
set weight worker/green 100
set weight worker/blue 0"
  assert_equal "$(cat "$FAKE_HAPROXY/slots.log")" "stop worker blue deploy/worker
start worker green deploy/worker:2"
  assert_output --partial "serves no traffic until green is UP"
  behave deploy/worker:3 health down
  : >"$FAKE_HAPROXY/commands"
  : >"$FAKE_HAPROXY/slots.log"
  run "$STACK" deploy worker --image deploy/worker:3
  assert_failure 3
  assert_equal "$(cat "$FAKE_HAPROXY/slots.log")" "stop worker green deploy/worker:2
start worker blue deploy/worker:3
start worker green deploy/worker:2
stop worker blue deploy/worker:3"
  assert_equal "$(sets)" "set weight worker/blue 0
set server worker/blue state maint
set weight worker/green 0
set server worker/green state maint
set server worker/blue state ready
set server worker/green state ready
set weight worker/green 100
set weight worker/blue 0
set server worker/blue state maint"
}

@test "rollback: the idle slot starts again with its previous image and takes all traffic" {
  run "$STACK" rollback api
  assert_failure 1
  assert_output --partial "cannot roll back api in test: no earlier version is recorded"
  [ ! -s "$FAKE_HAPROXY/commands" ]
  run "$STACK" deploy api --image deploy/api:2
  assert_success
  assert_equal "$(cat "$STATE/images/api.blue")" "deploy/api:1"
  : >"$FAKE_HAPROXY/commands"
  : >"$FAKE_HAPROXY/slots.log"
  run "$STACK" rollback api
  assert_success
  assert_output --partial "api in test is served by blue (deploy/api:1)"
  assert_equal "$(sets)" "set weight api/blue 0
set server api/blue state maint
set server api/blue state ready
set weight api/blue 100
set weight api/green 0
set server api/green state drain
set server api/green state maint"
  assert_equal "$(cat "$FAKE_HAPROXY/slots.log")" "start api blue deploy/api:1
stop api green deploy/api:2"
}

@test "deploy:status: each slot's status, weight and image, the live one, halted or not" {
  run "$STACK" deploy api --image deploy/api:2
  assert_success
  run "$STACK" deploy:status
  assert_success
  assert_line "api in test (backend api):"
  assert_line --regexp '^  blue +MAINT +- +0 +deploy/api:1$'
  assert_line --regexp '^  green +UP +L7OK +100 +deploy/api:2  \(live\)$'
  assert_line "web in test (backend web):"
  assert_line "worker in test (backend worker):"
  [ "$(printf '%s\n' "$output" | grep -c '^  not halted$')" -eq 3 ]
  : >"$FAKE_HAPROXY/down"
  run "$STACK" deploy:status api
  assert_failure 1
  assert_output --partial "does not answer"
  # What is known without HAProxy: the recorded images.
  assert_line --regexp '^  blue +recorded image deploy/api:1$'
  assert_line --regexp '^  green +recorded image deploy/api:2$'
}

@test "deploy:status while a deploy has judged no window yet says so" {
  echo "set server api/green state ready" >"$FAKE_HAPROXY/pause-on"
  "$STACK" deploy api --image deploy/api:2 >"$BATS_TEST_TMPDIR/out" 2>&1 &
  local pid=$! tries=0
  BG_PIDS="$BG_PIDS $pid"
  while [ ! -e "$FAKE_HAPROXY/paused" ] && [ "$tries" -lt 600 ]; do sleep 0.1; tries=$((tries + 1)); done
  [ -e "$FAKE_HAPROXY/paused" ]
  run "$STACK" deploy:status api
  rm "$FAKE_HAPROXY/paused"
  wait "$pid"
  assert_success
  assert_output --partial "deploy running (pid $pid)"
  assert_output --partial "no window judged yet"
  # The slots by their roles in the deploy, not by their weights.
  assert_line --regexp '^  blue +UP +L7OK +100 +deploy/api:1  \(stable\)$'
  assert_line --regexp '^  green +.*deploy/api:2  \(canary\)$'
}

@test "deploy:status during a deploy: the slots by their roles, even when the canary weighs more; the last judged window" {
  # green at 100, blue still at 50: by weight green would be live.
  echo "set weight api/blue 0" >"$FAKE_HAPROXY/pause-on"
  "$STACK" deploy api --image deploy/api:2 >"$BATS_TEST_TMPDIR/out" 2>&1 &
  local pid=$! tries=0
  BG_PIDS="$BG_PIDS $pid"
  while [ ! -e "$FAKE_HAPROXY/paused" ] && [ "$tries" -lt 600 ]; do sleep 0.1; tries=$((tries + 1)); done
  [ -e "$FAKE_HAPROXY/paused" ]
  run "$STACK" deploy:status api
  rm "$FAKE_HAPROXY/paused"
  wait "$pid"
  assert_success
  assert_line --regexp '^  blue +UP +L7OK +50 +deploy/api:1  \(stable\)$'
  assert_line --regexp '^  green +UP +L7OK +100 +deploy/api:2  \(canary\)$'
  refute_output --partial "(live)"
  assert_line "  last judged window:"
  assert_line "    step: 3 of 4 (canary weight 50%)"
  # Once the deploy is over, the live slot again.
  run "$STACK" deploy:status api
  assert_line --regexp '^  green +UP +L7OK +100 +deploy/api:2  \(live\)$'
}

@test "a deploy refuses to start when the live slot is not UP: exit 1, nothing changed" {
  behave initial health down
  run "$STACK" deploy api --image deploy/api:2
  assert_failure 1
  assert_output --partial "cannot deploy api in test: its live slot blue is not UP in HAProxy (status DOWN, check L7STS); nothing changed"
  assert_output --partial "bring it back first (stack up --env test), or return to the previous version (stack rollback api --env test)"
  assert_equal "$(sets)" ""
  assert_equal "$(cat "$FAKE_HAPROXY/slots.log")" ""
  [ ! -e "$STATE/api.halted" ]
  [ ! -e "$STATE/api.lock" ]
}

@test "a rollback whose stable slot does not come UP keeps the canary serving, and says the rollback is incomplete" {
  behave deploy/api:2 errors 100
  # The stable slot's server dies once the canary takes traffic.
  echo "set weight api/blue 90" >"$FAKE_HAPROXY/run-on"
  printf 'echo 0 >"%s/api.blue.running"\n' "$FAKE_HAPROXY" >"$FAKE_HAPROXY/run"
  run "$STACK" deploy api --image deploy/api:2
  assert_failure 3
  assert_equal "$(sets)" "$PREPARE_GREEN
set weight api/green 10
set weight api/blue 90
set server api/blue state ready
set weight api/blue 100"
  assert_output --partial "deploy of api in test: rolled back (incomplete: the stable slot blue did not come UP within 2s (status DOWN, check L4CON); the canary green keeps serving, since the stable slot blue is not UP)"
  assert_equal "$(cat "$FAKE_HAPROXY/slots.log")" "start api green deploy/api:2"
  [ -e "$STATE/api.halted" ]
}

@test "a rollback waits for HAProxy to mark the stable slot UP before the canary leaves" {
  behave deploy/api:2 errors 100
  echo "set weight api/blue 90" >"$FAKE_HAPROXY/run-on"
  printf 'echo 3 >"%s/rise"; echo drain >"%s/api.blue.admin"\n' "$FAKE_HAPROXY" "$FAKE_HAPROXY" >"$FAKE_HAPROXY/run"
  run "$STACK" deploy api --image deploy/api:2
  assert_failure 3
  assert_output --partial "deploy of api in test: rolled back"
  refute_output --partial "incomplete"
  # Between blue's weight 100 and green's 0: show stat until blue is UP.
  run sed -n '/^set weight api\/blue 100$/,/^set weight api\/green 0$/p' "$FAKE_HAPROXY/commands"
  [ "$(printf '%s\n' "$output" | grep -c '^show stat api 4 -1$')" -ge 3 ]
}

@test "deploy through Compose when no STACK_SLOT_COMMAND is set: the slot's service, its image variable" {
  unset STACK_SLOT_COMMAND
  export DOCKER_ENV_LOG=$BATS_TEST_TMPDIR/env.log
  echo 1 >"$FAKE_HAPROXY/api.green.running" # what Compose would start
  run "$STACK" deploy api --image deploy/api:2
  assert_success
  assert_equal "$(grep -E ' (up|stop) ' "$DOCKER_LOG" | sed 's/.* -f [^ ]* //')" "up -d --no-deps --force-recreate api-green
stop api"
  grep -q '^STACK_IMAGE_API_GREEN=deploy/api:2$' "$DOCKER_ENV_LOG"
  grep -q "^STACK_STATE_DIR=$WS/.stack\$" "$DOCKER_ENV_LOG"
  grep -q "^STACK_UID=$(id -u)\$" "$DOCKER_ENV_LOG"
}

# The Compose `up` calls in DOCKER_LOG, from `up` on (the project and file
# left out).
compose_ups() {
  grep ' up ' "$DOCKER_LOG" | sed 's/.* -f [^ ]* //'
}

# Saves a server state in which api's green slot is live (HAProxy 2.6
# keeps admin state 4, disabled in the configuration, after `set server
# state ready`) and web's and worker's blue ones, and sets the fake HAProxy
# as it restarts from it: api's green slot ready at weight 100 (its
# container running when $1 is 1), blue in maintenance, `show stat`
# showing the configuration's weight 100 for it.
restarted_with_api_green_live() {
  mkdir -p "$STATE/images" "$STATE/haproxy"
  echo "deploy/api:2" >"$STATE/images/api.green"
  printf '%s\n' 1 '# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight' \
    '3 api 1 blue 127.0.0.1 2 1 0 100' '3 api 2 green 127.0.0.1 2 4 100 0' \
    '4 web 1 blue 127.0.0.1 2 0 100 100' '4 web 2 green 127.0.0.1 2 1 0 0' >"$STATE/haproxy/server-state"
  echo 0 >"$FAKE_HAPROXY/api.blue.weight"
  echo maint >"$FAKE_HAPROXY/api.blue.admin"
  echo 100 >"$FAKE_HAPROXY/api.blue.stat-weight"
  echo 100 >"$FAKE_HAPROXY/api.green.weight"
  echo ready >"$FAKE_HAPROXY/api.green.admin"
  echo deploy/api:2 >"$FAKE_HAPROXY/api.green.image"
  echo "$1" >"$FAKE_HAPROXY/api.green.running"
}

@test "up of a routed environment: live green slots in the one Compose call, then HAProxy's check awaited; down removes the slots" {
  export DOCKER_ENV_LOG=$BATS_TEST_TMPDIR/env.log
  restarted_with_api_green_live 1
  # HAProxy's check needs three polls to mark a slot UP.
  echo 3 >"$FAKE_HAPROXY/rise"
  run "$STACK" up
  assert_success
  assert_line "stack: starting the live slot api-green"
  # Naming api-green means naming all that up alone starts.
  assert_equal "$(compose_ups)" "up -d db api web worker haproxy api-green"
  grep -q '^STACK_IMAGE_API_GREEN=deploy/api:2$' "$DOCKER_ENV_LOG"
  assert_line "stack: waiting for HAProxy's check to mark api's live slot green UP (within 2s)"
  assert_line "stack: waiting for HAProxy's check to mark web's live slot blue UP (within 500ms)"
  assert_line "stack: waiting for HAProxy's check to mark worker's live slot blue UP (within 500ms)"
  # up returned once green was UP: polled until the third check.
  [ "$(grep -c '^show stat api 4 -1$' "$FAKE_HAPROXY/commands")" -eq 3 ]
  refute grep -q '^set ' "$FAKE_HAPROXY/commands"
  # deploy:status: blue's real weight (0), not the one show stat shows in
  # maintenance; green is live.
  run "$STACK" deploy:status api
  assert_success
  assert_line --regexp '^  blue +MAINT +- +0 +\(not recorded\)$'
  assert_line --regexp '^  green +UP +L7OK +100 +deploy/api:2  \(live\)$'
  : >"$DOCKER_LOG"
  run "$STACK" up web
  assert_success
  assert_equal "$(compose_ups)" "up -d web"
  refute_output --partial "api"
  : >"$DOCKER_LOG"
  run "$STACK" up api
  assert_success
  assert_equal "$(compose_ups)" "up -d api api-green"
  assert_line "stack: waiting for HAProxy's check to mark api's live slot green UP (within 2s)"
  run "$STACK" down
  assert_success
  grep -q ' --profile slots down --remove-orphans$' "$DOCKER_LOG"
}

@test "up fails naming the live slot HAProxy never marks UP, with its status and check status" {
  restarted_with_api_green_live 0
  run "$STACK" up
  assert_failure 1
  assert_line "stack: error: api is not routed in test: HAProxy did not mark its live slot green UP within 2s (status DOWN, check L4CON)"
  refute_output --partial "worker's live slot"
}

@test "up waits for HAProxy's runtime API to answer; up COMPONENT does not start HAProxy, so it does not wait when it does not answer" {
  # HAProxy is starting: its runtime API refuses three connections.
  echo 3 >"$FAKE_HAPROXY/down-count"
  run "$STACK" up
  assert_success
  assert_line "stack: waiting for HAProxy's check to mark api's live slot blue UP (within 2s)"
  assert_equal "$(cat "$FAKE_HAPROXY/down-count")" 0
  : >"$FAKE_HAPROXY/down"
  run "$STACK" up web
  assert_success
  assert_line --regexp "^stack: not waiting for routes: HAProxy's runtime API at .*/admin.sock does not answer \(is HAProxy running\?\): .*Connection refused \(up COMPONENT does not start the haproxy service\)$"
  run "$STACK" up
  assert_failure 1
  assert_line --regexp "^stack: error: api is not routed in test: HAProxy did not mark its live slot blue UP within 2s \(HAProxy's runtime API at .*/admin.sock does not answer \(is HAProxy running\?\): .*Connection refused\)$"
}

@test "a fresh workspace: up creates the state folder and its .gitignore" {
  run "$STACK" up
  assert_success
  [ -d "$STATE/haproxy" ]
  [ -d "$STATE/images" ]
  assert_equal "$(cat "$WS/.stack/.gitignore")" "*"
  STACK_STATE_DIR=$BATS_TEST_TMPDIR/elsewhere run "$STACK" ps
  assert_success
  [ -d "$BATS_TEST_TMPDIR/elsewhere/test/haproxy" ]
}

@test "help and the completions list the deploy tasks, only the routed components" {
  run "$STACK" help
  assert_success
  assert_output --regexp "  deploy COMPONENT \[--env ENV\] \[--image REF\|--commit\] \[--verbose\] +put REF"
  assert_output --partial "deploy: 0 promoted, 1 could not deploy"
  assert_output --partial "--commit "
  run bash -c '. "$1"; COMP_WORDS=(stack deploy ""); COMP_CWORD=2; _stack_complete; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$WS/generated/completions/stack.bash"
  assert_output "api
web
worker"
  run bash -c '. "$1"; COMP_WORDS=(stack deploy --image x ""); COMP_CWORD=4; _stack_complete; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$WS/generated/completions/stack.bash"
  assert_output "api
web
worker"
  run zsh -n "$WS/generated/completions/_stack"
  assert_success
}

@test "a TCP runtime API (environment prod) is spoken over bash's /dev/tcp" {
  local ready=$BATS_TEST_TMPDIR/tcp-api.ready tries=0
  python3 "$SHIMS/haproxy/tcp-api.py" 47999 "$ready" >/dev/null 2>&1 &
  BG_PIDS="$BG_PIDS $!"
  while [ ! -s "$ready" ]; do
    tries=$((tries + 1))
    [ "$tries" -lt 300 ] || fail "the fake TCP runtime API did not start (is port 47999 free?)"
    sleep 0.1
  done
  run "$STACK" deploy api --env prod --image deploy/api:2 --verbose
  assert_success
  assert_line "stack: haproxy> set weight api/green 25"
  # No socat was run: the fake records the address socat is given.
  [ ! -e "$FAKE_HAPROXY/address" ]
  assert_equal "$(cat "$HOOK_LOG")" "acceptance http://127.0.0.1:8081/api api.example /api"
  [ -f "$WS/.stack/prod/haproxy/server-state" ]
  kill "$(printf '%s\n' $BG_PIDS | tail -n 1)"
  run "$STACK" deploy:status api --env prod
  assert_failure 1
  assert_output --partial "HAProxy's runtime API at 127.0.0.1:47999 does not answer (is HAProxy running?): cannot connect to 127.0.0.1:47999"
}

@test "the UNIX socket is the state folder's, or STACK_HAPROXY_RUN_DIR's, or STACK_HAPROXY_SOCKET" {
  run "$STACK" deploy:status api
  assert_success
  assert_equal "$(cat "$FAKE_HAPROXY/address")" "$STATE/haproxy/admin.sock"
  mkdir -p "$BATS_TEST_TMPDIR/run" "$BATS_TEST_TMPDIR/sock"
  STACK_HAPROXY_RUN_DIR=$BATS_TEST_TMPDIR/run run "$STACK" deploy api --image deploy/api:2
  assert_success
  assert_equal "$(cat "$FAKE_HAPROXY/address")" "$BATS_TEST_TMPDIR/run/admin.sock"
  [ -f "$BATS_TEST_TMPDIR/run/server-state" ]
  STACK_HAPROXY_SOCKET=$BATS_TEST_TMPDIR/sock/api.sock run "$STACK" deploy:status
  assert_success
  assert_equal "$(cat "$FAKE_HAPROXY/address")" "$BATS_TEST_TMPDIR/sock/api.sock"
}

@test "a missing socat is an error that says how to install it" {
  # The userland's PATH as one folder of links, without any socat.
  local bin=$BATS_TEST_TMPDIR/nosocat
  python3 - "$bin" "$PATH" "$SHIMS/haproxy" <<'EOF_PY'
import os, sys
target, path, skip = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(target)
for folder in path.split(os.pathsep):
    if not folder or folder == skip or not os.path.isdir(folder):
        continue
    for name in os.listdir(folder):
        link = os.path.join(target, name)
        if name != "socat" and not os.path.lexists(link):
            os.symlink(os.path.join(folder, name), link)
EOF_PY
  PATH=$bin run "$STACK" deploy api --image deploy/api:2
  assert_failure 1
  assert_output --partial "socat is not installed: install it (apt-get install socat, apk add socat, brew install socat)"
  [ ! -s "$FAKE_HAPROXY/commands" ]
}

@test "HAProxy's counters are cleared once the canary started, before it is ready: its rtime is the new version's" {
  run "$STACK" deploy api --image deploy/api:2
  assert_success
  # The clear comes after the slot started (it has not had a request: it is
  # in maintenance at weight 0) and before it is made ready.
  assert_equal "$(grep -E '^(set server api/green|clear )' "$FAKE_HAPROXY/commands")" "set server api/green state maint
clear counters all
set server api/green state ready"
  # The fresh counters after the clear are the windows' start: the first
  # window counts only the canary's 10 % of one window of traffic.
  assert_output --partial "step 1 window 1: good (100 responses, 0.000% 5xx, 20ms)"
  [ "$(cat "$STATE/haproxy/counters-cleared" | cut -d ' ' -f 1)" = cleared ]
  # The promoted report names the slots by what they are now.
  assert_line "live: green, image deploy/api:2"
  assert_line "retired: blue, image deploy/api:1"
  refute_line --partial "canary: green"
}

@test "a window in which another deploy cleared HAProxy's counters is not judged: inconclusive" {
  # When the first step starts, a script arms a second one for the next
  # `show stat` (the step's first read): it plays another deploy's clear.
  cat >"$FAKE_HAPROXY/run" <<EOF_RUN
echo 'show stat api 4 -1' >"$FAKE_HAPROXY/run-on"
printf '%s\n' 'for f in "$FAKE_HAPROXY"/api.*.requests "$FAKE_HAPROXY"/api.*.errors; do echo 0 >"\$f"; done' \
  'echo "cleared 99999 1" >"$STATE/haproxy/counters-cleared"' >"$FAKE_HAPROXY/run"
EOF_RUN
  echo "set weight api/blue 90" >"$FAKE_HAPROXY/run-on"
  run "$STACK" deploy api --image deploy/api:2
  assert_success
  assert_output --partial "step 1 window 1: inconclusive (1 of 3): counters cleared by another deploy during the window"
  assert_output --partial "step 1 window 2: good"
}

@test "stack rollback returns to the version promoted before the current one, never to a rejected canary" {
  run "$STACK" deploy api --image deploy/api:2
  assert_success
  behave deploy/api:3 errors 100
  run "$STACK" deploy api --image deploy/api:3
  assert_failure 3
  # The idle slot blue last ran the rejected deploy/api:3.
  assert_equal "$(cat "$STATE/images/api.blue")" "deploy/api:3"
  run "$STACK" deploy:resume api
  assert_success
  : >"$FAKE_HAPROXY/slots.log"
  run "$STACK" rollback api
  assert_success
  assert_output --partial "rolling api back to deploy/api:1 in slot blue (from green, deploy/api:2)"
  assert_equal "$(cat "$FAKE_HAPROXY/slots.log")" "start api blue deploy/api:1
stop api green deploy/api:2"
  assert_equal "$(cat "$STATE/images/api.blue")" "deploy/api:1"
  # The version a rollback replaced is the next one's target.
  : >"$FAKE_HAPROXY/slots.log"
  run "$STACK" rollback api
  assert_success
  assert_equal "$(cat "$FAKE_HAPROXY/slots.log")" "start api green deploy/api:2
stop api blue deploy/api:1"
}

@test "recreate, SIGINT while waiting for the new slot: the stable slot is started again and serves; the report is honest" {
  run "$STACK" deploy worker --image deploy/worker:2
  assert_success
  : >"$FAKE_HAPROXY/slots.log"
  : >"$FAKE_HAPROXY/commands"
  : >"$FAKE_HAPROXY/sigterm.log"
  echo "set server worker/blue state ready" >"$FAKE_HAPROXY/pause-on"
  set -m
  "$STACK" deploy worker --image deploy/worker:3 >"$BATS_TEST_TMPDIR/out" 2>&1 &
  local pid=$! status=0 tries=0
  set +m
  BG_PIDS="$BG_PIDS $pid"
  while [ ! -e "$FAKE_HAPROXY/paused" ] && [ "$tries" -lt 600 ]; do sleep 0.1; tries=$((tries + 1)); done
  [ -e "$FAKE_HAPROXY/paused" ]
  kill -INT "$pid"
  rm "$FAKE_HAPROXY/paused"
  wait "$pid" || status=$?
  cat "$BATS_TEST_TMPDIR/out"
  [ "$status" -eq 130 ]
  assert_equal "$(cat "$FAKE_HAPROXY/slots.log")" "stop worker green deploy/worker:2
start worker blue deploy/worker:3
start worker green deploy/worker:2
stop worker blue deploy/worker:3"
  assert_equal "$(sets | tail -n 4)" "set server worker/green state ready
set weight worker/green 100
set weight worker/blue 0
set server worker/blue state maint"
  refute grep -q "could not stop" "$BATS_TEST_TMPDIR/out"
  refute grep -q "did not come back" "$BATS_TEST_TMPDIR/out"
  grep -q "interrupted and rolled back (not halted)" "$STATE/worker.report"
  # Started during the rollback (INT and TERM ignored by the deploy), the
  # slot's command still has SIGTERM's default disposition.
  assert_equal "$(cat "$FAKE_HAPROXY/sigterm.log")" "stop worker green deploy/worker:2: default
start worker blue deploy/worker:3: default
start worker green deploy/worker:2: default
stop worker blue deploy/worker:3: default"
}

@test "an interrupt whose rollback fails says the rollback is incomplete" {
  echo "set weight api/green 25" >"$FAKE_HAPROXY/pause-on"
  "$STACK" deploy api --image deploy/api:2 >"$BATS_TEST_TMPDIR/out" 2>&1 &
  local pid=$! status=0 tries=0
  BG_PIDS="$BG_PIDS $pid"
  while [ ! -e "$FAKE_HAPROXY/paused" ] && [ "$tries" -lt 600 ]; do sleep 0.1; tries=$((tries + 1)); done
  [ -e "$FAKE_HAPROXY/paused" ]
  kill -TERM "$pid"
  : >"$FAKE_HAPROXY/down"
  rm "$FAKE_HAPROXY/paused"
  wait "$pid" || status=$?
  cat "$BATS_TEST_TMPDIR/out"
  [ "$status" -eq 143 ]
  # Why, once, though every step failed alike.
  grep -qx "deploy of api in test: interrupted and rolled back (incomplete: HAProxy's runtime API at $STATE/haproxy/admin.sock does not answer (is HAProxy running?): .*Connection refused; not halted)" "$STATE/api.report"
}

@test "bash -x on the task runner does not break the runtime API's replies" {
  run bash -x "$STACK" deploy api --image deploy/api:2
  assert_success
  assert_output --partial "deploy of api in test: promoted (green is live)"
}

@test "help: every task's summary starts in one column" {
  run "$STACK" help
  assert_success
  local columns
  columns=$(printf '%s\n' "$output" | awk '
    /^  help / { print index($0, "list the tasks") }
    /^  deploy COMPONENT/ { print index($0, "put REF") }
    /^  deploy:status / { print index($0, "each slot") }
    /^  --env ENV / { print index($0, "the environment") }' | sort -u | wc -l)
  [ "$columns" -eq 1 ]
}
