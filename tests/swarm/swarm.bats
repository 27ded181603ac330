#!/usr/bin/env bats
# The generated Swarm artifacts on a real one-node swarm, only through the
# generated task runner: the workspace in workspace/ (a routed web, three
# replicas updated one at a time start-first, and a database), built by
# stackc; `stack swarm:deploy` gives every web replica healthy and
# reachable through the edge (HAProxy on a host-mode port: this machine's
# kernel has no IPVS, so the routing mesh answers nothing, README.md); an
# update to an image whose health check fails is rolled back by Swarm
# itself (UpdateStatus rollback_completed, the image back to v1) and the
# task exits 3 saying so; an update to v2 under a bounded loopback load
# converges with zero failed requests; a deploy that leaves web as it was
# (as a deploy of another component would) leaves Swarm no previous spec;
# `stack swarm:rollback web` goes back to v1 all the same (the image
# swarm:deploy recorded), again without a failed request; removing the stack leaves no service, container, network,
# volume, config or secret.
#
# Runs `docker swarm init` only when the engine is in no swarm, and then
# `docker swarm leave --force` at the end (and removes docker_gwbridge,
# which the swarm made and leave keeps). No image is pulled (image.sh).
# The tests run in order on one stack, each from where the one before
# left it.

bats_load_library bats-support
bats_load_library bats-assert

load ../e2e/helpers

# The load generator's bounds: it stops by itself after this many requests
# or seconds, whichever comes first.
LOAD_MAX_REQUESTS=20000
LOAD_MAX_SECONDS=150
HOST=web.swarm.test

setup_file() {
  export BATS_NO_PARALLELIZE_WITHIN_FILE=true
  e2e_prepare
  local state
  state=$(docker info --format '{{.Swarm.LocalNodeState}}')
  case $state in
    inactive)
      docker network inspect docker_gwbridge >/dev/null 2>&1 || touch "$BATS_FILE_TMPDIR/made-gwbridge"
      docker swarm init --advertise-addr 127.0.0.1 >/dev/null
      touch "$BATS_FILE_TMPDIR/initialised"
      ;;
    active)
      [ "$(docker info --format '{{.Swarm.ControlAvailable}}')" = true ] || {
        echo "this engine is a swarm worker: stacks are deployed from a manager" >&2
        return 1
      }
      ;;
    *)
      echo "the engine's swarm is $state: the test needs none, or an active manager" >&2
      return 1
      ;;
  esac
  export NAME="swarm-bats-$$-$RANDOM" PROXY_PORT STATS_PORT
  export STACK_NAME="$NAME-cluster"
  PROXY_PORT=$(e2e_free_port)
  STATS_PORT=$(e2e_free_port)
  # Local images only: no registry is asked for a digest.
  export STACK_SWARM_RESOLVE_IMAGE=never STACK_SWARM_DEADLINE=150
  unset STACK_ENV STACK_STATE_DIR
  e2e_workspace "$BATS_TEST_DIRNAME/workspace"
}

teardown() {
  stop_load
}

teardown_file() {
  stop_load
  if [ -n "$(leftovers)" ]; then
    remove_stack 60 >/dev/null 2>&1 || true
  fi
  if [ -f "$BATS_FILE_TMPDIR/initialised" ]; then
    docker swarm leave --force >/dev/null 2>&1 || true
    if [ -f "$BATS_FILE_TMPDIR/made-gwbridge" ]; then
      docker network rm docker_gwbridge >/dev/null 2>&1 || true
    fi
  fi
}

# "KIND NAME" for every service, container, network, volume, config and
# secret of the stack.
leftovers() {
  local filter="label=com.docker.stack.namespace=$STACK_NAME"
  {
    docker service ls --filter "$filter" --format 'service {{.Name}}'
    docker ps -a --filter "$filter" --format 'container {{.Names}}'
    docker network ls --filter "$filter" --format 'network {{.Name}}'
    docker volume ls --filter "$filter" --format 'volume {{.Name}}'
    docker config ls --filter "$filter" --format 'config {{.Name}}'
    docker secret ls --filter "$filter" --format 'secret {{.Name}}'
  } 2>/dev/null
}

# `docker stack rm`, then waits (at most SECONDS) until only volumes are
# left (networks go once the tasks have stopped), then removes the volumes,
# which `docker stack rm` keeps.
remove_stack() {
  local deadline=$1 start=$SECONDS left volume
  docker stack rm "$STACK_NAME" >&2 || return 1
  while :; do
    left=$(leftovers | grep -v '^volume ' || true)
    [ -n "$left" ] || break
    if [ $((SECONDS - start)) -ge "$deadline" ]; then
      printf 'still there after %s s:\n%s\n' "$deadline" "$left" >&2
      return 1
    fi
    sleep 1
  done
  for volume in $(docker volume ls -q --filter "label=com.docker.stack.namespace=$STACK_NAME"); do
    docker volume rm "$volume" >/dev/null || return 1
  done
  echo "# removed in $((SECONDS - start)) s" >&3
}

# Starts the load generator against the edge's published port: one request
# at a time, each with a 5 s limit, until the file stop-load exists or a
# bound is reached; writes "REQUESTS FAILED" to load.out and each failure to
# load.err. Its pid goes to a file so that teardown finds it.
start_load() {
  local dir=$BATS_TEST_TMPDIR url="http://127.0.0.1:$PROXY_PORT/"
  rm -f "$dir/stop-load" "$dir/load.out"
  (
    n=0 failed=0 end=$((SECONDS + LOAD_MAX_SECONDS))
    : >"$dir/load.err"
    while [ "$n" -lt "$LOAD_MAX_REQUESTS" ] && [ "$SECONDS" -lt "$end" ] && [ ! -e "$dir/stop-load" ]; do
      n=$((n + 1))
      body=$(curl -sS --max-time 5 -H "Host: $HOST" -w ' %{http_code}' "$url" 2>&1) || true
      case $body in
        v[12]*" 200") ;;
        *) failed=$((failed + 1)); printf '%s %s\n' "$(date +%T)" "$body" >>"$dir/load.err" ;;
      esac
    done
    echo "$n $failed" >"$dir/load.out"
  ) 3>&- &
  echo $! >"$dir/load.pid"
}

# Stops the load generator (it finishes its request and writes its counts)
# and waits for it, 10 s at most.
stop_load() {
  local dir=${BATS_TEST_TMPDIR:-} pid _
  [ -n "$dir" ] && [ -f "$dir/load.pid" ] || return 0
  pid=$(cat "$dir/load.pid")
  rm -f "$dir/load.pid"
  touch "$dir/stop-load"
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill "$pid" 2>/dev/null || true
}

# Asserts the load generator sent at least MIN requests and none failed.
assert_no_failed_request() {
  local min=$1 requests failed
  [ -f "$BATS_TEST_TMPDIR/load.out" ] || fail "the load generator wrote no counts"
  read -r requests failed <"$BATS_TEST_TMPDIR/load.out"
  echo "# load: $requests requests, $failed failed" >&3
  [ "$failed" = 0 ] || fail "$failed of $requests requests failed: $(head -n 5 "$BATS_TEST_TMPDIR/load.err")"
  [ "$requests" -ge "$min" ] || fail "only $requests requests were sent (at least $min expected)"
}

# web's UpdateStatus.State ("none" when Swarm has none).
web_state() {
  docker service inspect -f '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{else}}none{{end}}' "${STACK_NAME}_web"
}

web_image() {
  docker service inspect -f '{{.Spec.TaskTemplate.ContainerSpec.Image}}' "${STACK_NAME}_web"
}

# The running containers of web, one ID (their hostname) a line.
web_containers() {
  docker ps --filter "label=com.docker.swarm.service.name=${STACK_NAME}_web" --format '{{.ID}}' | sort
}

# Asserts web runs 3 healthy containers of stackc-swarm/web:VERSION and
# that the edge's published port reaches every one of them.
assert_web_serves() {
  local version=$1 containers healthy seen _ answer id start=$SECONDS
  # Swarm calls an update completed once the new tasks run; with
  # start-first, the containers they replace may still be stopping: wait,
  # at most 60 s, until only the 3 replicas run.
  containers=$(web_containers)
  while [ "$(printf '%s\n' "$containers" | grep -c .)" != 3 ] && [ $((SECONDS - start)) -lt 60 ]; do
    sleep 1
    containers=$(web_containers)
  done
  [ "$(printf '%s\n' "$containers" | grep -c .)" = 3 ] || fail "web runs: $containers"
  healthy=$(docker ps --filter "label=com.docker.swarm.service.name=${STACK_NAME}_web" --filter health=healthy -q | grep -c . || true)
  [ "$healthy" = 3 ] || fail "$healthy of 3 web containers are healthy"
  for id in $containers; do
    [ "$(docker inspect -f '{{.Config.Image}}' "$id")" = "stackc-swarm/web:$version" ] \
      || fail "container $id runs $(docker inspect -f '{{.Config.Image}}' "$id")"
  done
  # Round robin over three servers: every container within 30 requests.
  seen=
  for _ in $(seq 30); do
    answer=$(curl -sS --max-time 5 -H "Host: $HOST" "http://127.0.0.1:$PROXY_PORT/cgi-bin/whoami") || fail "no answer: $answer"
    [ "${answer%% *}" = "$version" ] || fail "answered $answer, not $version"
    printf '%s\n' "$seen" | grep -qx "${answer#* }" || seen="$seen${seen:+
}${answer#* }"
    [ "$(printf '%s\n' "$seen" | sort)" != "$containers" ] || return 0
  done
  fail "through port $PROXY_PORT answered only: $(printf '%s ' "$seen")(containers: $(printf '%s ' "$containers"))"
}

@test "the generated stack file passes docker stack config and the Compose schema; the runner refuses what is not a Swarm deploy" {
  local file=$WS/generated/swarm/cluster.yml schema config
  run docker stack config -c "$file"
  assert_success
  assert_output --partial "order: start-first"
  assert_output --partial "mode: host"
  for schema in "$REPO/.venv/bin/check-jsonschema" "$(command -v check-jsonschema || true)"; do
    [ -x "$schema" ] && break
  done
  [ -x "$schema" ] || fail "check-jsonschema is missing: run scripts/install-tools"
  run "$schema" --builtin-schema vendor.compose-spec "$file"
  assert_success
  # The edge's config is named after its file's digest.
  config=$(sha256sum "$WS/generated/swarm/cluster.haproxy.cfg" | cut -c1-12)
  grep -q "name: ${STACK_NAME}_haproxy_$config\$" "$file" || fail "the config's name does not end in its digest $config"
  run "$STACK" swarm:deploy --env test
  assert_failure 2
  assert_output --partial "environment 'test' does not run on Swarm"
  run "$STACK" swarm:rollback
  assert_failure 2
  assert_output --partial "swarm:rollback needs a component"
  run "$STACK" swarm:deploy --image 'web=bad image'
  assert_failure 2
  assert_output --partial "is not an image reference"
}

@test "swarm:deploy: every web replica healthy and reachable through the edge" {
  run "$STACK" swarm:deploy
  assert_success
  assert_output --partial "stack $STACK_NAME converged"
  # A service Swarm created has no UpdateStatus.
  [ "$(web_state)" = none ]
  assert_web_serves v1
  run docker service inspect "${STACK_NAME}_web" --format \
    '{{.Spec.UpdateConfig.Order}} {{.Spec.UpdateConfig.FailureAction}} {{.Spec.UpdateConfig.Parallelism}} {{.Spec.TaskTemplate.Resources.Limits.NanoCPUs}} {{index .Spec.TaskTemplate.ContainerSpec.Healthcheck.Test 0}}'
  assert_output "start-first rollback 1 500000000 CMD-SHELL"
  run docker service inspect "${STACK_NAME}_haproxy" --format '{{(index .Spec.EndpointSpec.Ports 0).PublishMode}} {{.Spec.UpdateConfig.Order}}'
  assert_output "host stop-first"
  run docker service inspect "${STACK_NAME}_db" --format '{{.Spec.UpdateConfig.Order}} {{.Spec.Mode.Replicated.Replicas}}'
  assert_output "stop-first 1"
}

@test "swarm:deploy of an image whose health check fails: Swarm rolls it back, the task exits 3, no request fails" {
  start_load
  run "$STACK" swarm:deploy --image web=stackc-swarm/web:sick
  stop_load
  [ "$status" = 3 ] || fail "swarm:deploy exited $status, not 3 (rolled back): $output"
  assert_output --partial "${STACK_NAME}_web: the new version did not get healthy, and Swarm rolled the update back"
  [ "$(web_state)" = rollback_completed ]
  [ "$(web_image)" = stackc-swarm/web:v1 ]
  assert_web_serves v1
  assert_no_failed_request 20
  # Swarm rolled it back: nothing changed, nothing recorded.
  [ ! -e "$WS/.stack/cluster/swarm/web.previous" ]
}

@test "swarm:deploy of v2 under load converges with zero failed requests" {
  start_load
  run "$STACK" swarm:deploy --image web=stackc-swarm/web:v2
  stop_load
  assert_success
  [ "$(web_state)" = completed ]
  [ "$(web_image)" = stackc-swarm/web:v2 ]
  assert_web_serves v2
  assert_no_failed_request 20
}

@test "a swarm:deploy that leaves web as it was leaves Swarm no previous spec to roll back to" {
  run "$STACK" swarm:deploy --image web=stackc-swarm/web:v2
  assert_success
  [ "$(web_image)" = stackc-swarm/web:v2 ]
  [ "$(cat "$WS/.stack/cluster/swarm/web.previous")" = stackc-swarm/web:v1 ]
  run docker service inspect -f '{{.PreviousSpec.TaskTemplate.ContainerSpec.Image}}' "${STACK_NAME}_web"
  assert_output stackc-swarm/web:v2
}

@test "swarm:rollback goes back to v1 without a failed request; swarm:status tells" {
  start_load
  run "$STACK" swarm:rollback web
  stop_load
  assert_success
  assert_output --partial "updating it to stackc-swarm/web:v1, the image it ran before"
  [ "$(web_image)" = stackc-swarm/web:v1 ]
  assert_web_serves v1
  assert_no_failed_request 20
  run "$STACK" swarm:status
  assert_success
  assert_line --regexp "^${STACK_NAME}_web +stackc-swarm/web:v1 +3/3 +completed \\(update completed\\)\$"
  assert_line --regexp "^${STACK_NAME}_haproxy +stackc-swarm/edge:2.6 +1/1 +none\$"
  assert_line "web: swarm:rollback returns to stackc-swarm/web:v2"
}

@test "removing the stack leaves no service, container, network, volume, config or secret" {
  # docker stack rm keeps the stack's volumes.
  run docker volume ls -q --filter "label=com.docker.stack.namespace=$STACK_NAME"
  assert_output "${STACK_NAME}_db-data"
  run remove_stack 90
  assert_success
  run leftovers
  assert_output ""
  run docker ps -a --filter "name=${STACK_NAME}_" -q
  assert_output ""
}
