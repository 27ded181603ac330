#!/usr/bin/env bats
# Health waits of the generated script against real local HTTP and TCP
# servers: stack_await with the spec's deadline, capped exponential backoff,
# curl / wget / bash /dev/tcp, the last response and logs on failure.
#
# Nothing here depends on how fast the machine is. Outcomes and order are
# asserted exactly: the backoff pauses are read from the script as it sleeps,
# and a server that must come up mid-wait does so when the wait's first pause
# says so. The wall clock is asserted only where the deadline is the point,
# as "not before it, and within SLACK times it".

load helpers

# A wait that gave up may take at most SLACK times its deadline in all:
# generous, for a loaded machine. A wait its deadline does not bound takes a
# minute (http-hang) or forever.
SLACK=5

setup() {
  common_setup
  workspace harness
  export STACK WS
  export PAUSES=$BATS_TEST_TMPDIR/pauses ON_PAUSE=''
  : >"$PAUSES"
}

teardown() {
  common_teardown
}

# The waiting shell's first lines: the script, with stack_sleep_ms wrapped so
# that each backoff pause of stack_await (the main shell's sleeps, not a
# probe's watchdog) is appended to $PAUSES and runs $ON_PAUSE, then sleeps
# as the script does.
# shellcheck disable=SC2016 # expanded by the waiting shell
WRAPPED_STACK='
  . "$STACK"
  eval "stack_script_$(declare -f stack_sleep_ms)"
  stack_sleep_ms() {
    if [ "$BASHPID" = "$$" ]; then
      printf "%s\n" "$1" >>"$PAUSES"
      eval "$ON_PAUSE"
    fi
    stack_script_stack_sleep_ms "$@"
  }
'

# await KIND PORT TIMEOUT_MS INTERVAL_MS: runs stack_await on a service
# whose health check is KIND on 127.0.0.1:PORT, and sets ELAPSED_MS.
await() {
  export AWAIT_KIND=$1 AWAIT_PORT=$2 AWAIT_TIMEOUT=$3 AWAIT_INTERVAL=$4
  : >"$PAUSES"
  run bash -c "$WRAPPED_STACK"'
    STACK_COMPOSE_FILE=$WS/generated/compose/test/svc.yml
    STACK_PROJECT=harness-test-svc
    STACK_HOST=127.0.0.1
    stack_health() {
      health_kind=$AWAIT_KIND health_path=/health health_command="" health_port=80
      health_published=$AWAIT_PORT health_interval_ms=$AWAIT_INTERVAL
      health_timeout_ms=$AWAIT_TIMEOUT health_timeout_text=${AWAIT_TIMEOUT}ms
    }
    start=$(stack_now_ms)
    status=0
    stack_await svc "$start" "$AWAIT_PORT" || status=$?
    echo "elapsed $(( $(stack_now_ms) - start ))"
    exit "$status"'
  ELAPSED_MS=$(printf '%s\n' "$output" | sed -n 's/^elapsed //p')
}

# The last wait's backoff pauses in milliseconds, on one line.
pauses() {
  tr '\n' ' ' <"$PAUSES"
}

# assert_backoff INTERVAL_MS [MIN]: the last wait paused at least MIN times
# (default 1), the pauses doubling from 100 ms and capped at INTERVAL_MS;
# only the last may be shorter, cut at the deadline.
assert_backoff() {
  local interval=$1 min=${2:-1} delay=100 count i=0 pause
  count=$(count_lines "$PAUSES")
  [ "$count" -ge "$min" ] || fail "$count pauses, not at least $min: $(pauses)"
  [ "$delay" -le "$interval" ] || delay=$interval
  while read -r pause; do
    i=$((i + 1))
    if [ "$i" -lt "$count" ]; then
      [ "$pause" -eq "$delay" ] || fail "pause $i: ${pause}ms, not ${delay}ms: $(pauses)"
    elif [ "$pause" -le 0 ] || [ "$pause" -gt "$delay" ]; then
      fail "last pause: ${pause}ms, not within ${delay}ms: $(pauses)"
    fi
    delay=$((delay * 2))
    [ "$delay" -le "$interval" ] || delay=$interval
  done <"$PAUSES"
}

# gave_up_at DEADLINE_MS: the last wait ended at its deadline, not before
# it, and within SLACK times it.
gave_up_at() {
  [ "$ELAPSED_MS" -ge "$1" ] || fail "gave up after ${ELAPSED_MS}ms, before the ${1}ms deadline"
  [ "$ELAPSED_MS" -lt $(($1 * SLACK)) ] ||
    fail "gave up after ${ELAPSED_MS}ms, long past the ${1}ms deadline"
}

@test "http: healthy after a delay, with capped exponential backoff" {
  start_server http-after 1
  await http "$SERVER_PORT" 5000 1000
  assert_success
  assert_output --partial "svc is healthy"
  # Unhealthy until 1 s after the first request, so never healthy sooner.
  [ "$ELAPSED_MS" -ge 1000 ]
  # 100, 200, 400, 800 ms: a few probes, not a busy loop.
  assert_backoff 1000
  [ "$(count_lines "$SERVER_LOG")" -le 8 ]
}

@test "http: never healthy fails at the deadline, with the last response and logs" {
  start_server http-never
  await http "$SERVER_PORT" 3000 200
  assert_failure
  gave_up_at 3000
  assert_output --partial "svc did not become healthy within 3000ms: http://127.0.0.1:$SERVER_PORT/health"
  assert_output --partial "last response from svc:"
  assert_output --partial "HTTP 503"
  assert_output --partial "not yet: request"
  assert_output --partial "recent logs of svc:"
  assert_output --partial "shim logs of svc: line 1"
  # Pauses are capped at the interval (100, 200, 200, ...), far from a busy
  # loop.
  assert_backoff 200 3
  [ "$(count_lines "$SERVER_LOG")" -le 25 ]
}

@test "http: a flapping service is healthy on its first good answer" {
  start_server http-flap
  await http "$SERVER_PORT" 5000 200
  assert_success
  # Two bad answers, a pause after each, then the good one.
  [ "$(count_lines "$SERVER_LOG")" -eq 3 ]
  assert_backoff 200 2
  [ "$(count_lines "$PAUSES")" -eq 2 ]
}

@test "http: a server that never answers cannot hold the wait past its deadline" {
  start_server http-hang
  await http "$SERVER_PORT" 2000 1000
  assert_failure
  gave_up_at 2000
}

@test "http: nothing listening fails at the deadline" {
  start_server tcp-after 30
  await http "$SERVER_PORT" 1000 200
  assert_failure
  gave_up_at 1000
  assert_backoff 200
}

@test "http with wget instead of curl" {
  export STACK_HTTP_CLIENT=wget
  start_server http-after 0.5
  await http "$SERVER_PORT" 5000 500
  assert_success
  start_server http-never
  await http "$SERVER_PORT" 1000 500
  assert_failure
  assert_output --partial "wget exit"
  gave_up_at 1000
}

@test "http with bash /dev/tcp when there is neither curl nor wget" {
  export STACK_HTTP_CLIENT=bash
  start_server http-after 0.5
  await http "$SERVER_PORT" 5000 500
  assert_success
  start_server http-never
  await http "$SERVER_PORT" 1000 500
  assert_failure
  assert_output --partial "HTTP/1.0 503 Service Unavailable"
  start_server http-hang
  await http "$SERVER_PORT" 1500 500
  assert_failure
  gave_up_at 1500
}

@test "tcp: healthy once the port listens; never listening fails at the deadline" {
  # The port opens at the wait's first pause: the first probe finds it closed.
  export GATE=$BATS_TEST_TMPDIR/listen
  start_server tcp-when "$GATE"
  ON_PAUSE='touch "$GATE"'
  await tcp "$SERVER_PORT" 5000 500
  assert_success
  assert_output --partial "svc is healthy"
  assert_backoff 500
  [ "$(head -n 1 "$SERVER_LOG")" = listening ]
  grep -qx connection "$SERVER_LOG"
  ON_PAUSE=''
  start_server tcp-after 30
  await tcp "$SERVER_PORT" 1500 500
  assert_failure
  assert_output --partial "cannot connect to 127.0.0.1:$SERVER_PORT"
  gave_up_at 1500
}

@test "checks not probed through a published port wait on Docker's health status" {
  # Starting at the first look; the wait's first pause makes it healthy.
  echo "running 0 starting" >"$SHIM_STATES/db"
  export ON_PAUSE='echo "running 0 healthy" >"$SHIM_STATES/db"'
  run bash -c "$WRAPPED_STACK"'
    STACK_COMPOSE_FILE=x.yml STACK_PROJECT=p
    stack_await db "$(stack_now_ms)" ""'
  assert_success
  assert_output --partial "waiting for db: command in db"
  assert_output --partial "db is healthy"
  # Two looks at Docker's status of db's container, one pause between them.
  [ "$(grep -c 'compose -p p -f x.yml ps -a -q db$' "$DOCKER_LOG")" -eq 2 ]
  [ "$(grep -c '^docker inspect --format {{.State.Status}}.* container-of-db$' "$DOCKER_LOG")" -eq 2 ]
  [ "$(count_lines "$PAUSES")" -eq 1 ]
  # Never a probe of its own inside the container.
  run grep -c ' exec ' "$DOCKER_LOG"
  assert_output 0
}

@test "wait task: a component without a health check has nothing to wait for" {
  run "$STACK" wait svc
  assert_success
  assert_output --partial "svc has no health check"
}
