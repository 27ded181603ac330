#!/usr/bin/env bats
# End to end against the real Docker Engine, only through the generated task
# runner: `test COMPONENT SUITE` brings the test stack up, waits on real
# health checks, runs a suite against the published port and leaves nothing
# behind; a never-healthy component fails within its deadline with its logs;
# `up COMPONENT` starts exactly its closure. Images are built locally
# (image.sh); project names are unique per run.

bats_load_library bats-support
bats_load_library bats-assert

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

setup_file() {
  docker info >/dev/null 2>&1 || {
    echo "no Docker Engine: the e2e tests need one" >&2
    return 1
  }
  "$BATS_TEST_DIRNAME/image.sh"
  (cd "$REPO" && cargo build --quiet)
  export NAME="e2e-$$-$RANDOM" WEB_PORT BROKEN_PORT
  WEB_PORT=$(free_port)
  BROKEN_PORT=$(free_port)
  export WS=$BATS_FILE_TMPDIR/ws
  mkdir -p "$WS"
  fill <"$BATS_TEST_DIRNAME/workspace/Stackfile.in" >"$WS/Stackfile"
  "$REPO/target/debug/stackc" build "$WS" >&2
  local file
  for file in test/web.yml test/broken.yml environments/test.yml; do
    [ -f "$WS/generated/compose/$file" ] || {
      echo "stackc build did not write compose/$file" >&2
      return 1
    }
  done
  export STACK=$WS/generated/stack
  [ -x "$STACK" ] || {
    echo "stackc build did not make $STACK executable" >&2
    return 1
  }
}

fill() {
  sed -e "s/@NAME@/$NAME/g" -e "s/@WEB_PORT@/$WEB_PORT/g" -e "s/@BROKEN_PORT@/$BROKEN_PORT/g"
}

# Containers and networks of every project of this run.
leftovers() {
  {
    docker ps -aq --filter "label=com.docker.compose.project=$NAME-test-web"
    docker ps -aq --filter "label=com.docker.compose.project=$NAME-test-broken"
    docker ps -aq --filter "label=com.docker.compose.project=$NAME-test"
    docker network ls -q --filter "label=com.docker.compose.project=$NAME-test-web"
    docker network ls -q --filter "label=com.docker.compose.project=$NAME-test-broken"
    docker network ls -q --filter "label=com.docker.compose.project=$NAME-test"
  } 2>/dev/null
}

teardown_file() {
  local project
  for project in test/web test/broken environments/test; do
    docker-compose -f "$WS/generated/compose/$project.yml" down -v --remove-orphans --timeout 1 \
      >/dev/null 2>&1 || true
  done
}

@test "test web smoke: up, real health waits, the suite on the published port, down, nothing left" {
  run "$STACK" test web smoke
  assert_success
  assert_output --partial "waiting for db: http port 80 inside db"
  assert_output --partial "db is healthy"
  assert_output --partial "waiting for web: http://127.0.0.1:$WEB_PORT/health"
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
  assert_output --partial "broken did not become healthy within 3s: http://127.0.0.1:$BROKEN_PORT/health"
  assert_output --partial "HTTP 404"
  assert_output --partial "recent logs of broken:"
  assert_output --partial "url:/health"
  refute_output --partial "never reached"
  # 3 s of waiting plus starting and removing one container.
  [ $((end - start)) -lt 30 ]
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
