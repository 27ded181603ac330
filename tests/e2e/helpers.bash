# Shared by the e2e test files (`load helpers`): the images, stackc, a
# workspace per file filled in with this run's names and ports, and what a
# run left behind.

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
# @NAME@, @WEB_PORT@ and @BROKEN_PORT@ into its Stackfile.in, runs
# `stackc build` there and exports WS and STACK (the generated task runner).
e2e_workspace() {
  export WS=$BATS_FILE_TMPDIR/ws
  mkdir -p "$WS"
  cp -R "$1/." "$WS/"
  sed -e "s/@NAME@/$NAME/g" -e "s/@WEB_PORT@/${WEB_PORT:-}/g" -e "s/@BROKEN_PORT@/${BROKEN_PORT:-}/g" \
    <"$WS/Stackfile.in" >"$WS/Stackfile"
  rm "$WS/Stackfile.in"
  "$STACKC" build "$WS" >&2
  export STACK=$WS/generated/stack
  [ -x "$STACK" ] || {
    echo "stackc build did not make $STACK executable" >&2
    return 1
  }
}

# Containers, networks and volumes of the Compose projects named.
e2e_leftovers() {
  local project
  for project in "$@"; do
    docker ps -aq --filter "label=com.docker.compose.project=$project"
    docker network ls -q --filter "label=com.docker.compose.project=$project"
    docker volume ls -q --filter "label=com.docker.compose.project=$project"
  done 2>/dev/null
}

# Removes what the generated compose files (compose/test/*.yml,
# compose/environments/*.yml, relative to the output folder) may have left.
e2e_down() {
  local file
  for file in "$@"; do
    docker-compose -f "$WS/generated/compose/$file" down -v --remove-orphans --timeout 1 \
      >/dev/null 2>&1 || true
  done
}
