#!/usr/bin/env bats
# End to end against the real Docker Engine, only through the generated task
# runner: `test COMPONENT SUITE` brings the test stack up, waits on real
# health checks, runs a suite against the published port and leaves nothing
# behind; a never-healthy component fails within its deadline with its logs;
# `up COMPONENT` starts exactly its closure. Images are built locally
# (image.sh); project names are unique per run.

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

# Containers, networks and volumes of every project of this run.
leftovers() {
  e2e_leftovers "$NAME-test-web" "$NAME-test-broken" "$NAME-test-downstream" "$NAME-test"
}

teardown_file() {
  e2e_down test/web.yml test/broken.yml test/downstream.yml environments/test.yml
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

@test "test downstream smoke: Compose gives up on a never-healthy dependency; the runner names it, with its logs" {
  run "$STACK" test downstream smoke
  assert_failure 1
  assert_output --partial "broken did not become healthy within 3s"
  assert_output --partial "recent logs of broken:"
  refute_output --partial "never reached downstream"
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
