# Shared by the e2e test files (`load helpers`): the images, stackc, a
# workspace per file filled in with this run's names and ports, what a run
# left behind, a local docker-registry and the end of a background process.

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

e2e_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Checks the Docker Engine, builds the images and stackc.
e2e_prepare() {
  docker info >/dev/null 2>&1 || {
    echo "no Docker Engine: the e2e tests need one" >&2
    return 1
  }
  "$BATS_TEST_DIRNAME/image.sh"
  (cd "$REPO" && cargo build --quiet)
  STACKC=${CARGO_TARGET_DIR:-$REPO/target}/debug/stackc
}

# Copies the workspace folder SOURCE to $BATS_FILE_TMPDIR/ws, filling
# @NAME@, @WEB_PORT@, @BROKEN_PORT@, @PROXY_PORT@, @STATS_PORT@ and
# @REGISTRY_PORT@ into its Stackfile.in, runs `stackc build` there and
# exports WS and STACK (the generated task runner).
e2e_workspace() {
  export WS=$BATS_FILE_TMPDIR/ws
  mkdir -p "$WS"
  cp -R "$1/." "$WS/"
  sed -e "s/@NAME@/$NAME/g" -e "s/@WEB_PORT@/${WEB_PORT:-}/g" -e "s/@BROKEN_PORT@/${BROKEN_PORT:-}/g" \
    -e "s/@PROXY_PORT@/${PROXY_PORT:-}/g" -e "s/@STATS_PORT@/${STATS_PORT:-}/g" \
    -e "s/@REGISTRY_PORT@/${REGISTRY_PORT:-}/g" \
    <"$WS/Stackfile.in" >"$WS/Stackfile"
  rm "$WS/Stackfile.in"
  "$STACKC" build "$WS" >&2
  export STACK=$WS/generated/stack
  [ -x "$STACK" ] || {
    echo "stackc build did not make $STACK executable" >&2
    return 1
  }
}

# The Compose projects of this run (those whose name starts with $NAME-)
# that still have a container, network or volume, one a line.
e2e_projects() {
  local format='{{.Label "com.docker.compose.project"}}'
  {
    docker ps -a --filter label=com.docker.compose.project --format "$format"
    docker network ls --filter label=com.docker.compose.project --format "$format"
    docker volume ls --filter label=com.docker.compose.project --format "$format"
  } 2>/dev/null | grep "^$NAME-" | sort -u || true
}

# Containers, networks and volumes of the Compose projects named (all of
# this run's when none is named): one "kind project" a line.
e2e_leftovers() {
  local project
  if [ $# -eq 0 ]; then
    set -- $(e2e_projects)
  fi
  for project in "$@"; do
    docker ps -aq --filter "label=com.docker.compose.project=$project" | sed "s/^/container $project /"
    docker network ls -q --filter "label=com.docker.compose.project=$project" | sed "s/^/network $project /"
    docker volume ls -q --filter "label=com.docker.compose.project=$project" | sed "s/^/volume $project /"
  done 2>/dev/null
}

# Removes whatever this run's projects left: Compose's down by project
# name, then any container, network or volume still labelled with one.
e2e_down() {
  local project
  for project in $(e2e_projects); do
    docker-compose -p "$project" down -v --remove-orphans --timeout 1 >/dev/null 2>&1 || true
    docker ps -aq --filter "label=com.docker.compose.project=$project" | xargs -r docker rm -f >/dev/null 2>&1 || true
    docker network ls -q --filter "label=com.docker.compose.project=$project" | xargs -r docker network rm >/dev/null 2>&1 || true
    docker volume ls -q --filter "label=com.docker.compose.project=$project" | xargs -r docker volume rm >/dev/null 2>&1 || true
  done
}

# Ends the process whose pid is in the file PIDFILE (TERM, KILL after 10 s)
# and removes the file; does nothing when there is no file, so a teardown
# can call it whatever happened.
e2e_stop() {
  local pidfile=$1 pid _
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  rm -f "$pidfile"
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}

# Starts Debian's docker-registry (distribution 2.8) on $REGISTRY (a
# loopback address), its storage under $BATS_FILE_TMPDIR/registry; with USER
# and HASH (a bcrypt hash), htpasswd authentication for that one user. Waits
# until it answers: 200 on /v2/, or 401 with authentication. Its pid goes in
# a file for e2e_stop_registry.
e2e_start_registry() {
  local bin=/usr/bin/docker-registry dir=$BATS_FILE_TMPDIR/registry ready=200 tries=0
  [ -x "$bin" ] || {
    echo "$bin is missing: run scripts/install-tools (apt-get install docker-registry)" >&2
    return 1
  }
  mkdir -p "$dir/storage"
  cat >"$dir/config.yml" <<CONFIG
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: $REGISTRY
CONFIG
  if [ $# -gt 0 ]; then
    printf '%s:%s\n' "$1" "$2" >"$dir/htpasswd"
    cat >>"$dir/config.yml" <<CONFIG
auth:
  htpasswd:
    realm: stackc-e2e
    path: $dir/htpasswd
CONFIG
    ready=401
  fi
  "$bin" serve "$dir/config.yml" >"$dir/log" 2>&1 3>&- &
  echo $! >"$dir/pid"
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$REGISTRY/v2/")" = "$ready" ]; do
    tries=$((tries + 1))
    if [ "$tries" -gt 200 ] || ! kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
      echo "docker-registry did not answer $ready on $REGISTRY within 20 s:" >&2
      cat "$dir/log" >&2
      return 1
    fi
    sleep 0.1
  done
}

e2e_stop_registry() {
  e2e_stop "$BATS_FILE_TMPDIR/registry/pid"
}
