#!/usr/bin/env bats
# The reference stack (reference-stack.yml) on a real one-node swarm,
# through swarm-lib.bash: deployed, every web replica healthy and reachable
# through the published port; an update to an image whose health check
# fails is rolled back by Swarm itself (UpdateStatus.State
# rollback_completed, image back to v1); an update to v2 under a bounded
# loopback load converges with zero failed requests (start-first); a
# rollback through `docker service rollback` goes back to v1, also without
# a failed request; `docker stack rm` (and swarm_remove for the volumes it
# leaves) leaves no service, container, network, volume, config or secret.
#
# Runs `docker swarm init` only when the engine is in no swarm, and then
# `docker swarm leave --force` at the end (and removes docker_gwbridge,
# which the swarm made and leave keeps). No image is pulled (image.sh).
# The tests run in order on one stack, each from where the one before
# left it.

bats_load_library bats-support
bats_load_library bats-assert

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

# The load generator's bounds: it stops by itself after this many requests
# or seconds, whichever comes first.
LOAD_MAX_REQUESTS=20000
LOAD_MAX_SECONDS=150

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

setup_file() {
  export BATS_NO_PARALLELIZE_WITHIN_FILE=true
  docker info >/dev/null 2>&1 || {
    echo "no Docker Engine: the swarm test needs one" >&2
    return 1
  }
  "$BATS_TEST_DIRNAME/image.sh" >&2
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
  export NAME="swarm-bats-$$-$RANDOM"
  export STACK_NAME=$NAME WEB_PORT EDGE_PORT
  WEB_PORT=$(free_port)
  EDGE_PORT=$(free_port)
  export SWARM_DEADLINE=150 SWARM_RESOLVE_IMAGE=never
  export FILE=$BATS_TEST_DIRNAME/reference-stack.yml
}

setup() {
  # shellcheck source=tests/swarm/swarm-lib.bash
  source "$BATS_TEST_DIRNAME/swarm-lib.bash"
}

teardown() {
  stop_load
}

teardown_file() {
  # shellcheck source=tests/swarm/swarm-lib.bash
  source "$BATS_TEST_DIRNAME/swarm-lib.bash"
  stop_load
  if [ -n "$(swarm_leftovers "$NAME")" ]; then
    SWARM_DEADLINE=60 swarm_remove "$NAME" >/dev/null 2>&1 || true
  fi
  if [ -f "$BATS_FILE_TMPDIR/initialised" ]; then
    docker swarm leave --force >/dev/null 2>&1 || true
    if [ -f "$BATS_FILE_TMPDIR/made-gwbridge" ]; then
      docker network rm docker_gwbridge >/dev/null 2>&1 || true
    fi
  fi
}

# Starts the load generator against the edge's published port: one request
# at a time, each with a 5 s limit, until the file stop-load exists or a
# bound is reached; writes "REQUESTS FAILED" to load.out and each failure to
# load.err. Its pid goes to a file so that teardown finds it.
start_load() {
  local dir=$BATS_TEST_TMPDIR url="http://127.0.0.1:$EDGE_PORT/"
  rm -f "$dir/stop-load" "$dir/load.out"
  (
    n=0 failed=0 end=$((SECONDS + LOAD_MAX_SECONDS))
    : >"$dir/load.err"
    while [ "$n" -lt "$LOAD_MAX_REQUESTS" ] && [ "$SECONDS" -lt "$end" ] && [ ! -e "$dir/stop-load" ]; do
      n=$((n + 1))
      body=$(curl -sS --max-time 5 -w ' %{http_code}' "$url" 2>&1) || true
      case $body in
        v[12]*" 200") ;;
        *) failed=$((failed + 1)); printf '%s %s\n' "$(date +%T)" "$body" >>"$dir/load.err" ;;
      esac
    done
    echo "$n $failed" >"$dir/load.out"
  ) 3>&- &
  echo $! >"$dir/load.pid"
}

# Stops the load generator (it finishes its request) and waits for it.
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
  docker service inspect -f '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{else}}none{{end}}' "${NAME}_web"
}

web_image() {
  docker service inspect -f '{{.Spec.TaskTemplate.ContainerSpec.Image}}' "${NAME}_web"
}

# The running containers of web, one ID (their hostname) a line.
web_containers() {
  docker ps --filter "label=com.docker.swarm.service.name=${NAME}_web" --format '{{.ID}}' | sort
}

# Asserts web runs 3 healthy containers of stackc-swarm/web:VERSION and
# that the edge's published port reaches every one of them.
assert_web_serves() {
  local version=$1 containers healthy seen _ answer
  containers=$(web_containers)
  [ "$(printf '%s\n' "$containers" | grep -c .)" = 3 ] || fail "web runs: $containers"
  healthy=$(docker ps --filter "label=com.docker.swarm.service.name=${NAME}_web" --filter health=healthy -q | grep -c . || true)
  [ "$healthy" = 3 ] || fail "$healthy of 3 web containers are healthy"
  for id in $containers; do
    [ "$(docker inspect -f '{{.Config.Image}}' "$id")" = "stackc-swarm/web:$version" ] \
      || fail "container $id runs $(docker inspect -f '{{.Config.Image}}' "$id")"
  done
  # Round robin over three servers: every container within 30 requests.
  seen=
  for _ in $(seq 30); do
    answer=$(curl -sS --max-time 5 "http://127.0.0.1:$EDGE_PORT/cgi-bin/whoami") || fail "no answer: $answer"
    [ "${answer%% *}" = "$version" ] || fail "answered $answer, not $version"
    printf '%s\n' "$seen" | grep -qx "${answer#* }" || seen="$seen${seen:+
}${answer#* }"
    [ "$(printf '%s\n' "$seen" | sort)" != "$containers" ] || return 0
  done
  fail "through port $EDGE_PORT answered only: $(printf '%s ' "$seen")(containers: $(printf '%s ' "$containers"))"
}

@test "the reference stack passes docker stack config and the Compose schema" {
  run docker stack config -c "$FILE"
  assert_success
  assert_output --partial "mode: ingress"
  assert_output --partial "order: start-first"
  local schema
  for schema in "$REPO/.venv/bin/check-jsonschema" "$(command -v check-jsonschema || true)"; do
    [ -x "$schema" ] && break
  done
  [ -x "$schema" ] || fail "check-jsonschema is missing: run scripts/install-tools"
  run "$schema" --builtin-schema vendor.compose-spec "$FILE"
  assert_success
  # Config and secret names carry their content's digest.
  grep -q "_edge_cfg_$(sha256sum "$BATS_TEST_DIRNAME/edge.cfg" | cut -c1-12)\$" "$FILE" \
    || fail "the edge_cfg name does not end in edge.cfg's digest"
  grep -q "_db_token_$(sha256sum "$BATS_TEST_DIRNAME/db-token.txt" | cut -c1-12)\$" "$FILE" \
    || fail "the db_token name does not end in db-token.txt's digest"
}

@test "deploy: every web replica healthy and reachable through the published port" {
  run swarm_deploy "$NAME" "$FILE"
  assert_success
  assert_output --partial "stack $NAME converged"
  # A service Swarm created has no UpdateStatus.
  [ "$(web_state)" = none ]
  assert_web_serves v1
  run docker service inspect "${NAME}_web" --format \
    '{{.Spec.UpdateConfig.Order}} {{.Spec.UpdateConfig.FailureAction}} {{.Spec.EndpointSpec.Mode}} {{(index .Spec.EndpointSpec.Ports 0).PublishMode}} {{.Spec.TaskTemplate.Resources.Limits.NanoCPUs}} {{index .Spec.TaskTemplate.ContainerSpec.Healthcheck.Test 0}}'
  assert_output "start-first rollback vip ingress 500000000 CMD"
  run docker service inspect "${NAME}_edge" --format '{{(index .Spec.EndpointSpec.Ports 0).PublishMode}}'
  assert_output host
  # The routing mesh answers only where the kernel has IPVS.
  if [ -d /proc/sys/net/ipv4/vs ]; then
    run curl -sS --max-time 5 "http://127.0.0.1:$WEB_PORT/"
    assert_output v1
  else
    echo "# no IPVS in this kernel: the ingress port $WEB_PORT is published but cannot answer" >&3
  fi
}

@test "an update to an image whose health check fails is rolled back by Swarm, without a failed request" {
  start_load
  run swarm_deploy "$NAME" "$FILE" web=stackc-swarm/web:sick
  stop_load
  [ "$status" = 2 ] || fail "swarm_deploy exited $status, not 2 (rolled back): $output"
  assert_output --partial "Swarm rolled the update back"
  [ "$(web_state)" = rollback_completed ]
  [ "$(web_image)" = stackc-swarm/web:v1 ]
  assert_web_serves v1
  assert_no_failed_request 20
}

@test "an update to v2 under load converges with zero failed requests" {
  start_load
  run swarm_deploy "$NAME" "$FILE" web=stackc-swarm/web:v2
  stop_load
  assert_success
  [ "$(web_state)" = completed ]
  [ "$(web_image)" = stackc-swarm/web:v2 ]
  assert_web_serves v2
  assert_no_failed_request 20
}

@test "swarm_rollback goes back to v1 without a failed request; swarm_status tells" {
  start_load
  run swarm_rollback "$NAME" web
  stop_load
  assert_success
  [ "$(web_state)" = rollback_completed ]
  [ "$(web_image)" = stackc-swarm/web:v1 ]
  assert_web_serves v1
  assert_no_failed_request 20
  run swarm_status "$NAME"
  assert_success
  assert_line --regexp "^${NAME}_web +stackc-swarm/web:v1 +3/3 +rollback_completed\$"
  assert_line --regexp "^${NAME}_edge +stackc-swarm/edge:2.6 +1/1 +none\$"
}

@test "removing the stack leaves no service, container, network, volume, config or secret" {
  # docker stack rm keeps the stack's volumes: swarm_remove removes them.
  run docker volume ls -q --filter "label=com.docker.stack.namespace=$NAME"
  assert_output "${NAME}_db-data"
  run swarm_remove "$NAME"
  assert_success
  run swarm_leftovers "$NAME"
  assert_output ""
  run docker ps -a --filter "name=${NAME}_" -q
  assert_output ""
}
