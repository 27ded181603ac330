#!/usr/bin/env bats
# End to end against the real Docker Engine, only through the generated task
# runner: `test COMPONENT SUITE` brings the test stack up, waits on real
# health checks, runs a suite against the published port and leaves nothing
# behind; a never-healthy component fails within its deadline with its logs;
# a Compose failure no wait can fix ends the task at once; `up COMPONENT`
# starts exactly its closure; two runs of one test stack, and a running
# environment, share nothing. Images are built locally (image.sh); the
# stack's name is unique per run, and every project of the run starts with
# it.

bats_load_library bats-support
bats_load_library bats-assert

load helpers

setup_file() {
  e2e_prepare
  export NAME="e2e-$$-$RANDOM" WEB_PORT BROKEN_PORT
  WEB_PORT=$(e2e_free_port)
  BROKEN_PORT=$(e2e_free_port)
  e2e_workspace "$BATS_TEST_DIRNAME/workspace"
  local file
  for file in test/web.yml test/broken.yml environments/test.yml; do
    [ -f "$WS/generated/compose/$file" ] || {
      echo "stackc build did not write compose/$file" >&2
      return 1
    }
  done
}

setup() {
  unset STACK_RUN_ID COMPOSE_PROJECT_NAME
}

teardown() {
  e2e_down
}

teardown_file() {
  e2e_down
  docker image rm -f "$NAME/built" >/dev/null 2>&1 || true
}

leftovers() {
  e2e_leftovers
}

@test "test web smoke: up, real health waits, the suite on the published port, down, nothing left" {
  run "$STACK" test web smoke
  assert_success
  assert_output --partial "waiting for db: http port 80 inside db"
  assert_output --partial "db is healthy"
  assert_output --regexp "waiting for web: http://127\.0\.0\.1:[0-9]+/health"
  refute_output --partial "http://127.0.0.1:$WEB_PORT/"
  assert_output --partial "web is healthy"
  assert_output --partial "ok"
  assert_output --partial "web smoke passed"
  run leftovers
  assert_output ""
}

@test "test broken smoke: never healthy, fails at its deadline with its logs, nothing left" {
  local start end
  start=$(date +%s)
  run "$STACK" test broken smoke
  end=$(date +%s)
  assert_failure 1
  assert_output --regexp "broken did not become healthy within 3s: http://127\.0\.0\.1:[0-9]+/health"
  assert_output --partial "HTTP 404"
  assert_output --partial "recent logs of broken:"
  assert_output --partial "url:/health"
  refute_output --partial "never reached"
  # 3 s of waiting plus starting and removing one container.
  [ $((end - start)) -lt 60 ]
  run leftovers
  assert_output ""
}

@test "test downstream smoke: Compose gives up on a never-healthy dependency; the runner names it, with its logs" {
  run "$STACK" test downstream smoke
  assert_failure 1
  assert_output --partial "broken did not become healthy within 3s"
  assert_output --partial "recent logs of broken:"
  assert_output --partial "docker compose could not start the test stack of downstream"
  refute_output --partial "never reached downstream"
  run leftovers
  assert_output ""
}

@test "test tcpuser smoke: a tcp check in busybox (nc without -z) is healthy to Compose and to the runner alike" {
  run "$STACK" test tcpuser smoke
  assert_success
  assert_output --partial "waiting for tcpdb: tcp port 80 inside tcpdb"
  assert_output --partial "tcpdb is healthy"
  assert_output --partial "tcpuser ran"
  refute_output --partial "invalid option"
  run leftovers
  assert_output ""
}

@test "test ghost smoke: an image that cannot be pulled ends the task at once with Compose's message" {
  local start end
  start=$(date +%s)
  run "$STACK" test ghost smoke
  end=$(date +%s)
  assert_failure 1
  assert_output --partial "stackc-e2e/ghost-never-published"
  assert_output --partial "docker compose could not start the test stack of ghost (its output is above)"
  refute_output --partial "waiting for ghost"
  refute_output --partial "did not become healthy"
  # Its deadline is 300 s.
  [ $((end - start)) -lt 120 ]
  run leftovers
  assert_output ""
}

@test "test built smoke: a component with a build context is built for its test stack, never pulled" {
  run "$STACK" test built smoke
  assert_success
  refute_output --partial "Pulling"
  assert_output --partial "built ran"
  run docker image inspect -f '{{ index .Config.Labels "org.stackc.e2e.built" }}' "$NAME/built"
  assert_output 1
  run leftovers
  assert_output ""
}

@test "up web starts exactly its closure and waits for it; down removes it" {
  run "$STACK" up web
  assert_success
  assert_output --partial "db is healthy"
  assert_output --partial "web is healthy"
  refute_output --partial "waiting for broken"
  run docker ps --filter "label=com.docker.compose.project=$NAME-test" \
    --format '{{.Label "com.docker.compose.service"}}'
  assert_success
  [ "$(printf '%s\n' "$output" | sort | tr '\n' ' ')" = "db web " ]
  run "$STACK" down
  assert_success
  run leftovers
  assert_output ""
}

@test "up: a port already in use ends the task at once with Compose's message" {
  local port_holder
  python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("0.0.0.0", int(sys.argv[1]))); s.listen(1); time.sleep(600)' "$WEB_PORT" 3>&- &
  port_holder=$!
  sleep 0.5
  run "$STACK" up web
  kill "$port_holder" 2>/dev/null || true
  wait "$port_holder" 2>/dev/null || true
  assert_failure 1
  assert_output --regexp "address already in use|port is already allocated"
  assert_output --partial "docker compose could not start web (its output is above)"
  refute_output --partial "did not become healthy"
  run "$STACK" down
  run leftovers
  assert_output ""
}

@test "COMPOSE_PROJECT_NAME in the caller's environment redirects nothing" {
  export COMPOSE_PROJECT_NAME=ci-job-7-$NAME
  run "$STACK" up web
  assert_success
  run "$STACK" ps
  assert_success
  assert_output --partial "$NAME-test-web-1"
  run docker ps -a --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME" -q
  assert_output ""
  run "$STACK" test web smoke
  assert_success
  run "$STACK" down
  assert_success
  run docker ps -a --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME" -q
  assert_output ""
  run leftovers
  assert_output ""
}

@test "two runs of one test stack at the same moment, beside the running environment, both pass" {
  run "$STACK" up web
  assert_success
  local env_web
  env_web=$(docker ps -q --filter "label=com.docker.compose.project=$NAME-test" \
    --filter "label=com.docker.compose.service=web")
  [ -n "$env_web" ]
  "$STACK" test web smoke >"$BATS_TEST_TMPDIR/one.log" 2>&1 3>&- &
  local one=$!
  "$STACK" test web smoke >"$BATS_TEST_TMPDIR/two.log" 2>&1 3>&- &
  local two=$!
  local status_one=0 status_two=0
  wait "$one" || status_one=$?
  wait "$two" || status_two=$?
  [ "$status_one" -eq 0 ] || fail "first run: $(cat "$BATS_TEST_TMPDIR/one.log")"
  [ "$status_two" -eq 0 ] || fail "second run: $(cat "$BATS_TEST_TMPDIR/two.log")"
  local project_one project_two
  project_one=$(sed -n 's/.*starting the test stack of web (project \(.*\))$/\1/p' "$BATS_TEST_TMPDIR/one.log")
  project_two=$(sed -n 's/.*starting the test stack of web (project \(.*\))$/\1/p' "$BATS_TEST_TMPDIR/two.log")
  [ -n "$project_one" ] && [ -n "$project_two" ] && [ "$project_one" != "$project_two" ]
  # The environment's web was neither probed nor touched, and still runs.
  run docker ps -q --filter "id=$env_web"
  assert_output "$env_web"
  run "$STACK" down
  assert_success
  run leftovers
  assert_output ""
}
