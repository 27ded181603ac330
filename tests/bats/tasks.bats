#!/usr/bin/env bats
# The task runner's tasks, driven end to end with a fake docker
# (tests/shims/docker): dispatch and usage errors, the test task's order of
# hooks and compose calls, teardown on failure, up/down/ps/logs, builds,
# Compose detection and the completions.

bats_require_minimum_version 1.5.0

load helpers

setup() {
  common_setup
  workspace harness
  mkdir -p "$WS/stack.d/test/svc"
  # Every hook and every docker call goes to one log, to check their order.
  export DOCKER_LOG=$HOOK_LOG
  printf 'echo "setup $1 $2" >>"$HOOK_LOG"\n' >"$WS/stack.d/setup"
  printf 'echo "teardown $1 $2" >>"$HOOK_LOG"\n' >"$WS/stack.d/teardown"
}

teardown() {
  common_teardown
}

@test "help lists every task, component, suite and hook" {
  run "$STACK" help
  assert_success
  local task
  for task in help up down ps logs wait build docker:build docker:tag docker:push docker:promote test test:remote ci:affected; do
    assert_output --regexp "(^|
)  $task "
  done
  assert_output --partial "Tasks for the harness stack:"
  assert_output --regexp "svc +check fail inferred scripted"
  assert_output --partial "stack.d/test/COMPONENT/SUITE"
  run "$STACK"
  assert_success
  assert_output --partial "Usage: stack TASK"
}

@test "every task in help is dispatched" {
  local task
  for task in $("$STACK" help | sed -n '/^Tasks for/,/^$/s/^  \([a-z:]*\) .*/\1/p'); do
    run "$STACK" "$task" --no-such-option
    refute_output --partial "unknown task"
  done
}

@test "unknown task, component, suite, environment and option: exit 2 with the valid ones" {
  run "$STACK" deploy:all
  assert_failure 2
  assert_output --partial "unknown task 'deploy:all'"
  assert_output --partial "tasks: help up down ps logs wait build docker:build docker:tag docker:push docker:promote test test:remote ci:affected"
  run "$STACK" test nope check
  assert_failure 2
  assert_output --partial "unknown component 'nope'"
  assert_output --partial "components: db svc"
  run "$STACK" test svc nope
  assert_failure 2
  assert_output --partial "suites of svc: check fail inferred scripted"
  run "$STACK" test db check
  assert_failure 2
  assert_output --partial "suites of db: (none)"
  run "$STACK" test svc
  assert_failure 2
  run "$STACK" up --env staging
  assert_failure 2
  assert_output --partial "environments: test"
  run "$STACK" test svc check --bogus
  assert_failure 2
  run "$STACK" test:remote svc check
  assert_failure 2
  assert_output --partial "needs the ADDRESS"
  run "$STACK" wait
  assert_failure 2
  run "$STACK" logs svc db
  assert_failure 2
  [ "$(count_lines "$HOOK_LOG")" -eq 0 ]
}

@test "test: setup, up, health waits, fixtures, suite, down, teardown, in that order" {
  run "$STACK" test svc check
  assert_success
  assert_output --partial "svc check passed"
  run cat "$HOOK_LOG"
  assert_line --index 0 "setup svc check"
  assert_line --index 1 --regexp "^docker compose -p harness-test-svc-[0-9]+-[0-9]+ -f .*/generated/compose/test/svc.yml up -d$"
  # db's health: what Docker reports for its container.
  assert_line --index 2 --regexp "compose -p harness-test-svc-[0-9-]+ -f .*/svc.yml ps -a -q db$"
  assert_line --index 3 --regexp "^docker inspect --format .*State.Health.Status.* container-of-db$"
  assert_line --index 4 --regexp "compose -p .* -f .*/svc.yml ps -a -q svc-fixtures-db$"
  assert_line --index 5 "docker wait container-of-svc-fixtures-db"
  assert_line --index 6 "suite svc check"
  assert_line --index 7 --regexp "compose -p harness-test-svc-[0-9-]+ -f .*/svc.yml down -v --remove-orphans --timeout 3$"
  assert_line --index 8 "teardown svc check"
  [ "$(count_lines "$HOOK_LOG")" -eq 9 ]
}

@test "test: a failing suite still tears down and runs teardown, and keeps its exit status" {
  run "$STACK" test svc fail
  assert_failure 3
  assert_output --partial "svc fail failed (exit status 3)"
  run cat "$HOOK_LOG"
  assert_line --index 6 "suite"
  assert_line --index 7 --regexp "down -v --remove-orphans"
  assert_line --index 8 "teardown svc fail"
}

@test "test --keep leaves the stack up but still runs teardown" {
  run "$STACK" test svc check --keep
  assert_success
  assert_output --partial "keeping the test stack"
  run grep -c " down " "$HOOK_LOG"
  assert_output 0
  run tail -n 1 "$HOOK_LOG"
  assert_output "teardown svc check"
}

@test "test: a dependency Docker never reports healthy fails at its deadline, with logs, and tears down" {
  echo "running 0 starting" >"$SHIM_STATES/db"
  echo "not yet: connection refused" >"$SHIM_STATES/db.log"
  run "$STACK" test svc check
  assert_failure 1
  assert_output --partial "db did not become healthy within 1500ms: command in db"
  assert_output --partial "not yet: connection refused"
  assert_output --partial "shim logs of db: line 1"
  run grep -c "^suite" "$HOOK_LOG"
  assert_output 0
  run tail -n 2 "$HOOK_LOG"
  assert_line --index 0 --regexp "down -v --remove-orphans"
  assert_line --index 1 "teardown svc check"
}

@test "test: once Docker reports a dependency unhealthy or stopped, the wait ends without the deadline" {
  echo "running 0 unhealthy" >"$SHIM_STATES/db"
  echo "wget: server returned error: HTTP/1.1 503" >"$SHIM_STATES/db.log"
  run "$STACK" test svc check
  assert_failure 1
  assert_output --partial "db did not become healthy within 1500ms"
  assert_output --partial "HTTP/1.1 503"
  # One look at its state, not a wait until the deadline.
  run grep -c "^docker inspect --format {{.State.Status}}" "$HOOK_LOG"
  assert_output 1
  echo "exited 137" >"$SHIM_STATES/db"
  run "$STACK" test svc check
  assert_failure 1
  assert_output --partial "db exited with status 137"
}

@test "test: when Compose gives up, the task ends at once, naming the service at fault" {
  echo "running 0 unhealthy" >"$SHIM_STATES/db"
  echo "health: no answer on port 5432" >"$SHIM_STATES/db.log"
  SHIM_UP_EXIT=1 run "$STACK" test svc check
  assert_failure 1
  assert_output --partial "db did not become healthy within 1500ms"
  assert_output --partial "no answer on port 5432"
  assert_output --partial "docker compose could not start the test stack of svc"
  refute_output --partial "waiting for"
  run grep -c "^suite" "$HOOK_LOG"
  assert_output 0
  run tail -n 2 "$HOOK_LOG"
  assert_line --index 0 --regexp "down -v --remove-orphans"
  assert_line --index 1 "teardown svc check"
  # A loader that failed is named with its status and logs.
  rm "$SHIM_STATES/db"
  echo "exited 3" >"$SHIM_STATES/svc-fixtures-db"
  SHIM_UP_EXIT=1 run "$STACK" test svc check
  assert_failure 1
  assert_output --partial "svc-fixtures-db exited with status 3; its logs:"
  assert_output --partial "shim logs of svc-fixtures-db"
  # Nothing at fault among the services (a pull, a build, a port in use):
  # Compose's own message stands, and nothing waits.
  rm "$SHIM_STATES/svc-fixtures-db"
  : >"$HOOK_LOG"
  SHIM_UP_EXIT=1 run "$STACK" test svc check
  assert_failure 1
  refute_output --partial "healthy"
  assert_output --partial "docker compose could not start the test stack of svc (its output is above)"
  run grep -c "docker inspect --format {{.State.Status}}" "$HOOK_LOG"
  assert_output 3
}

@test "test: a failing fixture loader fails the run with its logs" {
  export SHIM_FIXTURE_EXIT=5
  run "$STACK" test svc check
  assert_failure 1
  assert_output --partial "fixture loader svc-fixtures-db exited with status 5"
  assert_output --partial "shim logs of svc-fixtures-db"
  export SHIM_FIXTURE_EXIT=0 SHIM_NO_FIXTURE=1
  run "$STACK" test svc check
  assert_failure 1
  assert_output --partial "fixture loader svc-fixtures-db did not run"
}

@test "test: a failing setup hook stops before anything starts; teardown still runs" {
  printf 'echo "setup" >>"$HOOK_LOG"\nfalse\necho "not reached" >>"$HOOK_LOG"\n' >"$WS/stack.d/setup"
  run "$STACK" test svc check
  assert_failure
  run cat "$HOOK_LOG"
  assert_output "setup
teardown svc check"
}

@test "test: a per-suite hook replaces the runner and can call it" {
  printf 'echo "override $1 $2" >>"$HOOK_LOG"\nstack_run_suite\necho "after" >>"$HOOK_LOG"\n' \
    >"$WS/stack.d/test/svc/check"
  run "$STACK" test svc check
  assert_success
  run grep -E '^(override|suite|after)' "$HOOK_LOG"
  assert_output "override svc check
suite svc check
after"
  printf 'echo "override fails" >>"$HOOK_LOG"\nfalse\necho "not reached" >>"$HOOK_LOG"\n' \
    >"$WS/stack.d/test/svc/check"
  run "$STACK" test svc check
  assert_failure 1
  refute_output --partial "not reached"
  run grep -c "not reached" "$HOOK_LOG"
  assert_output 0
}

@test "test:remote: no stack, the address in STACK_* variables, hooks around the suite" {
  printf 'printf "%%s\\n" "$STACK_ENVIRONMENT" "$STACK_URL" "$STACK_HOST" "$STACK_PORT" "$STACK_ADDRESS" >>"$HOOK_LOG"\n' \
    >"$WS/stack.d/test/svc/check"
  run "$STACK" test:remote svc check https://svc.example.com:8443/base/
  assert_success
  run cat "$HOOK_LOG"
  assert_output "setup svc check
remote
https://svc.example.com:8443/base
svc.example.com
8443
svc.example.com:8443
teardown svc check"
  : >"$HOOK_LOG"
  run "$STACK" test:remote svc check 10.1.2.3
  assert_success
  run sed -n '3,6p' "$HOOK_LOG"
  assert_output "http://10.1.2.3
10.1.2.3

10.1.2.3"
}

@test "test:remote --env: an unrouted component's main published port on the environment's host" {
  workspace newsroom
  mkdir -p "$WS/stack.d/test/api"
  printf 'printf "%%s\\n" "$STACK_ENVIRONMENT" "$STACK_URL" "$STACK_ADDRESS" "$STACK_PORT" "${STACK_PORT_HTTP:-}" >>"$HOOK_LOG"\n' \
    >"$WS/stack.d/test/api/smoke"
  run "$STACK" test:remote api smoke --env prod
  assert_success
  assert_output --partial "api in prod: 10.0.0.1:8080"
  run cat "$HOOK_LOG"
  assert_output "remote
http://10.0.0.1:8080
10.0.0.1:8080
8080
8080"
  # The environment's host with its run-time references expanded.
  : >"$HOOK_LOG"
  DOCKER_HOST_IP=10.9.8.7 run "$STACK" test:remote api smoke --env dev
  assert_success
  run sed -n 2p "$HOOK_LOG"
  assert_output "http://10.9.8.7:8080"
  : >"$HOOK_LOG"
  run "$STACK" test:remote api smoke --env dev
  assert_success
  run sed -n 2p "$HOOK_LOG"
  assert_output "http://192.168.59.103:8080"
  # The completions offer environments after --env.
  run bash -c '. "$1"; COMP_WORDS=(stack test:remote api smoke --env ""); COMP_CWORD=5; _stack_complete; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$WS/generated/completions/stack.bash"
  assert_output "test
dev
prod"
}

@test "test:remote --env: a component that publishes no port and has no route needs an ADDRESS" {
  run "$STACK" test:remote svc check --env test
  assert_failure 2
  assert_output --partial "svc has no route and publishes no port: give test:remote its ADDRESS"
  run cat "$HOOK_LOG"
  assert_output ""
}

@test "up COMPONENT starts it and waits for its closure; up, down, ps, logs use the environment file" {
  run "$STACK" up svc
  assert_success
  run cat "$HOOK_LOG"
  assert_line --index 0 --regexp "^docker compose -p harness-test -f .*/generated/compose/environments/test.yml up -d svc$"
  assert_line --index 1 --regexp "ps -a -q db$"
  assert_line --index 2 --regexp "^docker inspect .* container-of-db$"
  : >"$HOOK_LOG"
  run "$STACK" up
  assert_success
  assert_line --index 0 --regexp "stack: starting every component in test"
  run "$STACK" down --env test
  assert_success
  run "$STACK" ps
  assert_success
  run "$STACK" logs svc --follow
  assert_success
  run grep -c "environments/test.yml" "$HOOK_LOG"
  assert_output 5
  run grep -E " (down --remove-orphans|ps|logs .*)$" "$HOOK_LOG"
  assert_line --index 0 --regexp "test.yml down --remove-orphans$"
  assert_line --index 1 --regexp "test.yml ps$"
  assert_line --index 2 --regexp "test.yml logs --no-color --follow svc$"
  STACK_ENV=nope run "$STACK" ps
  assert_failure 2
}

@test "docker:build builds images with a build context; build runs its hook first, in the context" {
  mkdir -p "$WS/svc" "$WS/stack.d/build"
  printf 'echo "build hook $1 in ${PWD##*/}" >>"$HOOK_LOG"\n' >"$WS/stack.d/build/svc"
  run "$STACK" docker:build
  assert_success
  assert_output --partial "db: no build context (uses the image harness/db)"
  run grep "docker build" "$HOOK_LOG"
  assert_output "docker build -t harness/svc $WS/svc"
  : >"$HOOK_LOG"
  run "$STACK" build svc
  assert_success
  run cat "$HOOK_LOG"
  assert_output "build hook svc in svc
docker build -t harness/svc $WS/svc"
  run "$STACK" build nope
  assert_failure 2
}

@test "Compose: the docker compose plugin, else docker-compose, else a clear error" {
  run "$STACK" ps
  assert_success
  grep -q "^docker compose " "$HOOK_LOG"
  : >"$HOOK_LOG"
  SHIM_NO_PLUGIN=1 run "$STACK" ps
  assert_success
  run grep -c "^docker-compose -p harness-test -f .*test.yml ps$" "$HOOK_LOG"
  assert_output 1
  local bin=$BATS_TEST_TMPDIR/bin
  mkdir -p "$bin"
  ln -s "$SHIMS/docker/docker" "$bin/docker"
  # Without the plugin only /usr/bin is left: no docker-compose there, or
  # Debian's 1.29, which is too old for `name:`. Both are a clear exit 2.
  PATH=$bin:/usr/bin:/bin SHIM_NO_PLUGIN=1 run "$STACK" ps
  assert_failure 2
  assert_output --partial "Docker Compose"
}

@test "Compose 1.x first on PATH: test says it is too old once, before setup, and starts nothing" {
  # The shim as docker-compose 1.29.2 (Debian's), no plugin.
  SHIM_COMPOSE_VERSION=1.29.2 SHIM_NO_PLUGIN=1 run --separate-stderr "$STACK" test svc check
  assert_failure 2
  local too_old="stack: error: docker-compose 1.29.2 is too old: install Docker Compose v2 (the docker compose plugin or docker-compose 2.x)"
  assert_equal "$(printf '%s\n' "$stderr" | grep -c 'too old')" 1
  assert_equal "$(printf '%s\n' "$stderr" | grep -F "$too_old")" "$too_old"
  [[ $stderr != *"tearing down"* ]] || fail "tore down a stack that never started: $stderr"
  # Neither hook ran, and no Compose command but the version query.
  run cat "$HOOK_LOG"
  assert_output ""
}

@test "the script finds its folder and the workspace through symlinks, from anywhere" {
  mkdir -p "$BATS_TEST_TMPDIR/bin" "$BATS_TEST_TMPDIR/elsewhere"
  ln -s "../ws/generated/stack" "$BATS_TEST_TMPDIR/bin/stack-link"
  ln -s "$BATS_TEST_TMPDIR/bin/stack-link" "$BATS_TEST_TMPDIR/elsewhere/stack"
  cd "$BATS_TEST_TMPDIR/elsewhere"
  run ./stack test svc check
  assert_success
  run grep -c "ws/generated/compose/test/svc.yml up -d" "$HOOK_LOG"
  assert_output 1
  run bash -c '. ./stack; stack_root; printf "%s\n" "$STACK_DIR" "$STACK_ROOT"'
  assert_output "$(cd "$WS" && pwd -P)/generated
$(cd "$WS" && pwd -P)"
}

@test "without a Stackfile above it the script says to set STACK_ROOT" {
  rm "$WS/Stackfile"
  run "$STACK" test svc check
  assert_failure 2
  assert_output --partial "set STACK_ROOT"
  STACK_ROOT=$WS run "$STACK" test svc check
  assert_success
}

@test "bash completion: tasks, components, suites, options, environments" {
  complete_words() {
    bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _stack_complete; printf "%s\n" "${COMPREPLY[@]}"' \
      _ "$WS/generated/completions/stack.bash" "$@"
  }
  run complete_words stack ""
  assert_output "$(printf '%s\n' help up down ps logs wait build docker:build docker:tag docker:push docker:promote test test:remote ci:affected)"
  run complete_words stack do
  assert_output "down
docker:build
docker:tag
docker:push
docker:promote"
  run complete_words stack test ""
  assert_output "db
svc"
  run complete_words stack test svc ""
  assert_output "check
fail
inferred
scripted"
  run complete_words stack test svc f
  assert_output "fail"
  run complete_words stack test svc check --
  assert_output "--xml
--keep"
  run complete_words stack up --env ""
  assert_output "test"
  run complete_words stack up db ""
  assert_output "db
svc"
  run complete_words stack wait db ""
  assert_output ""
}

@test "zsh completion parses" {
  command -v zsh >/dev/null || fail "zsh is not installed: run scripts/install-tools"
  run zsh -n "$WS/generated/completions/_stack"
  assert_success
}
