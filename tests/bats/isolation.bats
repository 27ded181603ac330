#!/usr/bin/env bats
# What the task runner starts, probes and tears down depends on the
# generated files and its documented variables only: every Compose call
# names its project (-p) and file (-f), the COMPOSE_* variables that would
# redirect Compose are unset for it, test stacks get a project of their own
# per run, and the workspace's .env is the one env file. Driven with the
# fake docker (tests/shims/docker), which records each call and the
# COMPOSE_* variables it saw.

load helpers

setup() {
  common_setup
  workspace harness
  export DOCKER_ENV_LOG=$BATS_TEST_TMPDIR/compose-env.log
  : >"$DOCKER_ENV_LOG"
}

teardown() {
  common_teardown
}

# The -p of every Compose call in DOCKER_LOG, one a line, in order.
projects() {
  sed -n 's/^docker compose -p \([^ ]*\) .*/\1/p' "$DOCKER_LOG"
}

@test "COMPOSE_PROJECT_NAME, COMPOSE_FILE, COMPOSE_PROFILES and the like cannot redirect Compose" {
  export COMPOSE_PROJECT_NAME=ci-job-7 COMPOSE_FILE=/elsewhere/compose.yml \
    COMPOSE_PATH_SEPARATOR=';' COMPOSE_PROFILES=debug COMPOSE_ENV_FILES=/elsewhere/.env \
    COMPOSE_DISABLE_ENV_FILE=false COMPOSE_REMOVE_ORPHANS=1 COMPOSE_IGNORE_ORPHANS=1 \
    COMPOSE_COMPATIBILITY=1 COMPOSE_CONVERT_WINDOWS_PATHS=1 COMPOSE_ANSI=never
  run "$STACK" up --env test
  assert_success
  run "$STACK" ps
  assert_success
  run "$STACK" down
  assert_success
  run "$STACK" test svc check
  assert_success
  # Every call names the project and the file.
  run grep -vc -- "^docker compose -p [^ ]* -f $WS/generated/compose/" <(grep '^docker compose' "$DOCKER_LOG")
  assert_output 0
  run projects
  assert_line --index 0 harness-test
  assert_line --regexp '^harness-test-svc-[0-9]+-[0-9]+$'
  refute_line ci-job-7
  # Compose saw none of the variables that choose files, projects,
  # services or values; the rest (output only) pass through.
  run grep -E '^COMPOSE_(PROJECT_NAME|FILE|PATH_SEPARATOR|PROFILES|ENV_FILES|REMOVE_ORPHANS|IGNORE_ORPHANS|COMPATIBILITY|CONVERT_WINDOWS_PATHS)=' "$DOCKER_ENV_LOG"
  assert_output ""
  run grep -c '^COMPOSE_ANSI=never$' "$DOCKER_ENV_LOG"
  refute_output 0
  # No .env in the workspace: Compose reads none, not even beside the file.
  run grep -vc -E '^(COMPOSE_DISABLE_ENV_FILE=1|COMPOSE_ANSI=never|--)$' "$DOCKER_ENV_LOG"
  assert_output 0
  refute_output --partial -- "--env-file"
}

@test "a test stack gets a project of its own per run; STACK_RUN_ID names it, and suffixes environments" {
  run "$STACK" test svc check
  run "$STACK" test svc check
  run sort -u <(projects)
  assert_line --index 0 --regexp '^harness-test-svc-[0-9]+-[0-9]+$'
  assert_line --index 1 --regexp '^harness-test-svc-[0-9]+-[0-9]+$'
  [ "$(projects | sort -u | wc -l | tr -d ' ')" -eq 2 ]
  : >"$DOCKER_LOG"
  STACK_RUN_ID='CI Job/7.b_x-Y' run "$STACK" test svc check
  assert_success
  STACK_RUN_ID='CI Job/7.b_x-Y' run "$STACK" up
  assert_success
  run "$STACK" down
  run sort -u <(projects)
  assert_output "harness-test
harness-test-ci-job-7-b_x-y
harness-test-svc-ci-job-7-b_x-y"
}

@test "only the first 32 characters of STACK_RUN_ID reach a project name" {
  STACK_RUN_ID=0123456789abcdefghijklmnopqrstuvwxyz-TOO-LONG run "$STACK" test svc check
  assert_success
  run sort -u <(projects)
  assert_output "harness-test-svc-0123456789abcdefghijklmnopqrstuv"
}

@test "test --keep says which project it kept and how to remove it" {
  STACK_RUN_ID=run42 run "$STACK" test svc check --keep
  assert_success
  assert_output --partial "keeping the test stack (--keep) as project harness-test-svc-run42; stop it with: docker compose -p harness-test-svc-run42 down -v"
}

@test "the workspace's .env reaches Compose (--env-file) and the runner's own expansions, the environment winning" {
  workspace example-newsroom
  mkdir -p "$WS/services/api"
  printf '%s\n' '# the release' 'export NEWSROOM_VERSION = 1.2.3  # from CI' \
    "DOCKER_HOST_IP='10.9.8.7'" 'STACK_ENV=prod' >"$WS/.env"
  run "$STACK" docker:build api
  assert_success
  run grep '^docker build -t [^ ]*/api:' "$DOCKER_LOG"
  assert_output "docker build -t registry.newsroom.internal:5000/newsroom/api:1.2.3 $WS/services/api"
  : >"$DOCKER_LOG"
  NEWSROOM_VERSION=9 run "$STACK" docker:build api
  run grep '^docker build -t [^ ]*/api:' "$DOCKER_LOG"
  assert_output "docker build -t registry.newsroom.internal:5000/newsroom/api:9 $WS/services/api"
  # The environment's host, a run-time reference, sees it too; STACK_*
  # settings never come from the file (ps stays on `test`).
  run bash -c '. "$1"; stack_use_environment dev; printf "%s\n" "$STACK_HOST" "$STACK_PROJECT"' _ "$STACK"
  assert_output "10.9.8.7
newsroom-dev"
  : >"$DOCKER_LOG"
  run "$STACK" ps
  assert_success
  run cat "$DOCKER_LOG"
  assert_output "docker compose -p newsroom-test -f $WS/generated/compose/environments/test.yml --env-file $WS/.env ps"
  run grep -c COMPOSE_DISABLE_ENV_FILE "$DOCKER_ENV_LOG"
  assert_output 0
}
