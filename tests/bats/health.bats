#!/usr/bin/env bats
# Health waits of the generated script against real local HTTP and TCP
# servers: stack_await with the spec's deadline, capped exponential backoff,
# curl / wget / bash /dev/tcp, the last response and logs on failure.

load helpers

setup() {
  common_setup
  workspace harness
}

teardown() {
  common_teardown
}

# await KIND PORT TIMEOUT_MS INTERVAL_MS: runs stack_await on a service
# whose health check is KIND on 127.0.0.1:PORT, and sets ELAPSED_MS.
await() {
  export AWAIT_KIND=$1 AWAIT_PORT=$2 AWAIT_TIMEOUT=$3 AWAIT_INTERVAL=$4
  run bash -c '
    . "$STACK"
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

@test "http: healthy after a delay, with few probes (backoff)" {
  start_server http-after 1
  export STACK WS
  await http "$SERVER_PORT" 5000 1000
  assert_success
  assert_output --partial "svc is healthy"
  [ "$ELAPSED_MS" -ge 1000 ]
  # 0, .1, .3, .7, 1.5 s: about five probes, not a busy loop.
  [ "$(count_lines "$SERVER_LOG")" -le 8 ]
}

@test "http: never healthy fails at the deadline, within a second, with the last response and logs" {
  start_server http-never
  export STACK WS
  await http "$SERVER_PORT" 2000 300
  assert_failure
  [ "$ELAPSED_MS" -ge 2000 ]
  [ "$ELAPSED_MS" -lt 3000 ]
  assert_output --partial "svc did not become healthy within 2000ms: http://127.0.0.1:$SERVER_PORT/health"
  assert_output --partial "last response from svc:"
  assert_output --partial "HTTP 503"
  assert_output --partial "not yet: request"
  assert_output --partial "recent logs of svc:"
  assert_output --partial "shim logs of svc: line 1"
  # Pauses are capped at the interval: several probes, far from a busy loop.
  local probes
  probes=$(count_lines "$SERVER_LOG")
  [ "$probes" -ge 5 ] && [ "$probes" -le 15 ]
}

@test "http: a flapping service is healthy on its first good answer" {
  start_server http-flap
  export STACK WS
  await http "$SERVER_PORT" 5000 200
  assert_success
  [ "$(count_lines "$SERVER_LOG")" -eq 3 ]
}

@test "http: a server that never answers cannot hold the wait past its deadline" {
  start_server http-hang
  export STACK WS
  await http "$SERVER_PORT" 2000 1000
  assert_failure
  [ "$ELAPSED_MS" -ge 2000 ]
  [ "$ELAPSED_MS" -lt 3000 ]
}

@test "http: nothing listening fails at the deadline" {
  start_server tcp-after 30
  export STACK WS
  await http "$SERVER_PORT" 1000 200
  assert_failure
  [ "$ELAPSED_MS" -ge 1000 ]
  [ "$ELAPSED_MS" -lt 2000 ]
}

@test "http with wget instead of curl" {
  start_server http-after 0.5
  export STACK WS STACK_HTTP_CLIENT=wget
  await http "$SERVER_PORT" 5000 500
  assert_success
  start_server http-never
  await http "$SERVER_PORT" 1000 500
  assert_failure
  assert_output --partial "wget exit"
  [ "$ELAPSED_MS" -lt 2000 ]
}

@test "http with bash /dev/tcp when there is neither curl nor wget" {
  start_server http-after 0.5
  export STACK WS STACK_HTTP_CLIENT=bash
  await http "$SERVER_PORT" 5000 500
  assert_success
  start_server http-never
  await http "$SERVER_PORT" 1000 500
  assert_failure
  assert_output --partial "HTTP/1.0 503 Service Unavailable"
  start_server http-hang
  await http "$SERVER_PORT" 1500 500
  assert_failure
  [ "$ELAPSED_MS" -lt 2500 ]
}

@test "tcp: healthy once the port listens; never listening fails at the deadline" {
  start_server tcp-after 1
  export STACK WS
  await tcp "$SERVER_PORT" 5000 500
  assert_success
  [ "$ELAPSED_MS" -ge 900 ]
  start_server tcp-after 30
  await tcp "$SERVER_PORT" 1500 500
  assert_failure
  assert_output --partial "cannot connect to 127.0.0.1:$SERVER_PORT"
  [ "$ELAPSED_MS" -ge 1500 ]
  [ "$ELAPSED_MS" -lt 2500 ]
}

@test "checks not probed through a published port wait on Docker's health status" {
  echo "running 0 starting" >"$SHIM_STATES/db"
  (sleep 0.6; echo "running 0 healthy" >"$SHIM_STATES/db") 3>&- &
  run bash -c '. "$1"; STACK_COMPOSE_FILE=x.yml STACK_PROJECT=p; stack_await db "$(stack_now_ms)" ""' _ "$STACK"
  assert_success
  assert_output --partial "waiting for db: command in db"
  assert_output --partial "db is healthy"
  grep -q 'compose -p p -f x.yml ps -a -q db' "$DOCKER_LOG"
  grep -q 'docker inspect --format .* container-of-db' "$DOCKER_LOG"
  # Never a probe of its own inside the container.
  run grep -c ' exec ' "$DOCKER_LOG"
  assert_output 0
}

@test "wait task: a component without a health check has nothing to wait for" {
  run "$STACK" wait svc
  assert_success
  assert_output --partial "svc has no health check"
}
