#!/usr/bin/env bats
# The swarm tasks (swarm:deploy, swarm:status, swarm:rollback) against a
# scripted swarm in the fake docker (tests/shims/docker, SHIM_SWARM), on
# every userland: which environment, what `docker stack deploy` gets (the
# stack file, an image override in the file's format, --prune and
# --resolve-image), the verdicts of the wait (converged, rolled back,
# paused, the deadline) and their exit statuses, what the state folder
# remembers (the image a rollback returns to), and which rollback is used:
# Swarm's own when it keeps a previous spec, else an update to the image
# recorded. The real swarm is tests/swarm/swarm.bats.
#
# The model is tests/support/models.rs `swarm()`: `web` (2 replicas) on
# `db`, environments test (one host), prod and staging (Swarm).

bats_require_minimum_version 1.5.0

load helpers

setup() {
  common_setup
  workspace swarm
  mkdir -p "$WS/generated/swarm"
  printf 'version: "3.8"\n' >"$WS/generated/swarm/prod.yml"
  printf 'version: "3.8"\n' >"$WS/generated/swarm/staging.yml"
  export SHIM_SWARM=$BATS_TEST_TMPDIR/swarm
  mkdir -p "$SHIM_SWARM/services"
  export STACK_SWARM_POLL=0.1
  unset SHIM_SWARM_NODE STACK_SWARM_DEADLINE STACK_SWARM_RESOLVE_IMAGE STACK_SWARM_REGISTRY_AUTH STACK_STATE_DIR
  STATE=$WS/.stack/prod/swarm
}

teardown() {
  common_teardown
}

# deployed IMAGE: the stack swarm-prod runs db (swarm/db:1) and web (IMAGE,
# 2 replicas), as Swarm created them.
deployed() {
  (
    . "$SHIMS/swarm-functions.bash"
    swarm_service swarm-prod_db swarm-prod swarm/db:1 1
    swarm_service swarm-prod_web swarm-prod "$1" 2
  )
}

# on HOOK BODY: what the scripted swarm does on `docker stack deploy`,
# `service update` or `service rollback` (HOOK: deploy, update, rollback).
on() {
  printf '%s\n' "$2" >"$SHIM_SWARM/on-$1"
}

# The image of web's spec in the scripted swarm.
web_spec() {
  cat "$SHIM_SWARM/services/swarm-prod_web/spec"
}

@test "swarm tasks: --env is required with two Swarm environments, and must name one" {
  run "$STACK" swarm:status
  assert_failure 2
  assert_output --partial "several environments run on Swarm: give --env"
  assert_output --partial "environments on Swarm: prod staging"
  run "$STACK" swarm:deploy --env test
  assert_failure 2
  assert_output --partial "environment 'test' does not run on Swarm"
  run "$STACK" swarm:deploy --env nowhere
  assert_failure 2
  assert_output --partial "unknown environment 'nowhere'"
  STACK_ENV=staging run "$STACK" swarm:status
  assert_failure 1
  assert_output --partial "the stack swarm-staging of staging is not deployed"
}

@test "the one-host tasks refuse a Swarm environment, naming the task that deploys it" {
  for task in up down ps; do
    run "$STACK" "$task" --env prod
    assert_failure 2
    assert_output --partial "environment 'prod' runs on Docker Swarm, not on one Docker host"
    assert_output --partial "deploy it with: stack swarm:deploy --env prod"
  done
  run "$STACK" up --env test
  refute_output --partial "runs on Docker Swarm"
}

@test "swarm tasks: arguments are checked before anything runs" {
  run "$STACK" swarm:rollback --env prod
  assert_failure 2
  assert_output --partial "swarm:rollback needs a component"
  run "$STACK" swarm:rollback nope --env prod
  assert_failure 2
  assert_output --partial "unknown component 'nope'"
  run "$STACK" swarm:deploy --env prod --image web
  assert_failure 2
  assert_output --partial "--image takes COMPONENT=REF, not 'web'"
  run "$STACK" swarm:deploy --env prod --image 'web=a b'
  assert_failure 2
  assert_output --partial "'a b' is not an image reference"
  run "$STACK" swarm:deploy --env prod --image 'web=x"y'
  assert_failure 2
  run "$STACK" swarm:deploy --env prod --image web=a:1 --image=web=a:2
  assert_failure 2
  assert_output --partial "--image names web twice"
  run "$STACK" swarm:status --env prod --image web=a:1
  assert_failure 2
  assert_output --partial "swarm:status: unknown option '--image'"
  STACK_SWARM_DEADLINE=soon run "$STACK" swarm:status --env prod
  assert_failure 2
  STACK_SWARM_RESOLVE_IMAGE=sometimes run "$STACK" swarm:deploy --env prod
  assert_failure 2
  [ "$(count_lines "$DOCKER_LOG")" = 0 ]
}

@test "swarm tasks need a Swarm manager" {
  SHIM_SWARM_NODE='inactive false' run "$STACK" swarm:deploy --env prod
  assert_failure 1
  assert_output --partial "this Docker Engine is not in an active swarm (inactive)"
  SHIM_SWARM_NODE='active false' run "$STACK" swarm:status --env prod
  assert_failure 1
  assert_output --partial "this Docker Engine is a Swarm worker"
}

@test "swarm:deploy: the stack file and an image override; converged, it remembers the image web ran before" {
  deployed swarm/web:1
  on deploy 'cp "$5" "$SHIM_SWARM/override.yml"; swarm_converged swarm-prod_web swarm/web:2 completed "update completed" swarm/web:1'
  run "$STACK" swarm:deploy --env prod --image web=registry.example:5000/swarm/web:2
  assert_success
  assert_output --partial "stack swarm-prod converged"
  assert_line --partial "docker stack deploy -c $WS/generated/swarm/prod.yml -c "
  grep -q -- " --prune --resolve-image always swarm-prod\$" "$DOCKER_LOG"
  run cat "$SHIM_SWARM/override.yml"
  assert_output 'version: "3.8"
services:
  web:
    image: "registry.example:5000/swarm/web:2"'
  [ "$(cat "$STATE/web.previous")" = swarm/web:1 ]
  [ ! -e "$STATE/db.previous" ]
  [ "$(cat "$WS/.stack/.gitignore")" = '*' ]
}

@test "swarm:deploy without --image deploys the stack file alone; one that changes nothing keeps the rollback's image" {
  deployed swarm/web:2
  mkdir -p "$STATE"
  echo swarm/web:1 >"$STATE/web.previous"
  STACK_SWARM_RESOLVE_IMAGE=never STACK_SWARM_REGISTRY_AUTH=1 run "$STACK" swarm:deploy --env prod
  assert_success
  grep -qx -- "docker stack deploy -c $WS/generated/swarm/prod.yml --prune --resolve-image never --with-registry-auth swarm-prod" "$DOCKER_LOG"
  [ "$(cat "$STATE/web.previous")" = swarm/web:1 ]
  run "$STACK" swarm:deploy --env prod --image web=
  assert_failure 2
  assert_output --partial "--image takes COMPONENT=REF, not 'web='"
}

@test "swarm:deploy: Swarm rolls the update back: exit 3, the reason, nothing recorded" {
  deployed swarm/web:1
  on deploy 'swarm_converged swarm-prod_web swarm/web:1 rollback_completed "update rolled back due to failure or early termination of task t1"'
  run "$STACK" swarm:deploy --env prod --image web=swarm/web:sick
  assert_failure 3
  assert_output --partial "swarm-prod_web: the new version did not get healthy, and Swarm rolled the update back"
  [ ! -e "$STATE/web.previous" ]
}

@test "swarm:deploy: a paused update exits 4; one that does not converge in time exits 5" {
  deployed swarm/web:1
  on deploy 'swarm_converged swarm-prod_web swarm/web:2 paused "update paused due to failure"'
  run "$STACK" swarm:deploy --env prod
  assert_failure 4
  assert_output --partial "Swarm paused: swarm-prod_web"
  on deploy 'swarm_converged swarm-prod_web swarm/web:3 updating "update in progress"; echo "task failed: no suitable node" >"$SHIM_SWARM/services/swarm-prod_web/error"'
  STACK_SWARM_DEADLINE=1 run "$STACK" swarm:deploy --env prod
  assert_failure 5
  assert_output --partial "swarm-prod_web has not converged within 1 s (last task error: task failed: no suitable node)"
}

@test "swarm:rollback: Swarm's previous spec when it keeps one" {
  deployed swarm/web:2
  echo swarm/web:1 >"$SHIM_SWARM/services/swarm-prod_web/previous"
  run "$STACK" swarm:rollback web --env prod
  assert_success
  assert_output --partial "docker service rollback swarm-prod_web: back to Swarm's previous spec (swarm/web:1)"
  grep -qx "docker service rollback --detach swarm-prod_web" "$DOCKER_LOG"
  [ "$(web_spec)" = "swarm/web:1 2" ]
  [ "$(cat "$STATE/web.previous")" = swarm/web:2 ]
}

@test "swarm:rollback: the recorded image when Swarm keeps none; nothing to go back to is exit 1" {
  deployed swarm/web:2
  echo swarm/web:2 >"$SHIM_SWARM/services/swarm-prod_web/previous"
  mkdir -p "$STATE"
  echo swarm/web:1 >"$STATE/web.previous"
  run "$STACK" swarm:rollback web --env prod
  assert_success
  assert_output --partial "Swarm keeps no earlier spec of swarm-prod_web: updating it to swarm/web:1, the image it ran before"
  grep -qx "docker service update --detach --image swarm/web:1 swarm-prod_web" "$DOCKER_LOG"
  [ "$(web_spec)" = "swarm/web:1 2" ]
  [ "$(cat "$STATE/web.previous")" = swarm/web:2 ]
  rm "$STATE/web.previous"
  : >"$SHIM_SWARM/services/swarm-prod_web/previous"
  run "$STACK" swarm:rollback web --env prod
  assert_failure 1
  assert_output --partial "nothing to roll web back to: it runs swarm/web:1"
  rm -rf "$SHIM_SWARM/services/swarm-prod_web"
  run "$STACK" swarm:rollback web --env prod
  assert_failure 1
  assert_output --partial "web does not run in prod (no service swarm-prod_web)"
}

@test "swarm:rollback: an update to the recorded image that Swarm rolls back exits 3" {
  deployed swarm/web:2
  mkdir -p "$STATE"
  echo swarm/web:1 >"$STATE/web.previous"
  on update 'swarm_converged swarm-prod_web swarm/web:2 rollback_completed "update rolled back"'
  run "$STACK" swarm:rollback web --env prod
  assert_failure 3
  [ "$(cat "$STATE/web.previous")" = swarm/web:1 ]
}

@test "swarm:status: each service, and what the state folder remembers" {
  deployed swarm/web:2
  swarm_status_line='rollback_completed|start-1|rollback completed'
  echo "$swarm_status_line" >"$SHIM_SWARM/services/swarm-prod_web/status"
  printf 'swarm/web:2 Running\nswarm/web:2 Starting\n' >"$SHIM_SWARM/services/swarm-prod_web/tasks"
  mkdir -p "$STATE"
  echo swarm/web:1 >"$STATE/web.previous"
  run "$STACK" swarm:status --env prod
  assert_success
  assert_line --regexp '^SERVICE +IMAGE +REPLICAS +UPDATE$'
  assert_line --regexp '^swarm-prod_db +swarm/db:1 +1/1 +none$'
  assert_line --regexp '^swarm-prod_web +swarm/web:2 +1/2 +rollback_completed \(rollback completed\)$'
  assert_line "web: swarm:rollback returns to swarm/web:1"
}
