# Shared setup for the bats tests of the generated task runner.
#
# The scripts under test are generated from the Models in
# tests/support/models.rs by `cargo test --test scripts` into
# target/tmp/scripts/<model>/. STACK_USERLAND picks the userland the tests
# run on: gnu (default), darwin (uname says Darwin, BSD-like sed, date,
# base64, readlink, stat, mktemp, xargs, no timeout; tests/shims/darwin) or
# busybox (every busybox applet first on PATH).

bats_load_library bats-support
bats_load_library bats-assert

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
SCRIPTS=${CARGO_TARGET_DIR:-$REPO/target}/tmp/scripts
SHIMS=$REPO/tests/shims
SERVERS=$BATS_TEST_DIRNAME/servers
HOSTILE="it's \"\$HOME\" \`touch pwned\` \$(touch pwned) \\ ; | & * ~ é ✓
line two"

# Generates the scripts once per bats run: quiet when that works, and the
# whole cargo output (compile errors included) when it does not.
ensure_scripts() {
  local marker=$BATS_RUN_TMPDIR/scripts-generated log=$BATS_RUN_TMPDIR/scripts-generated.log
  if [ ! -e "$marker" ]; then
    if ! (cd "$REPO" && cargo test --quiet --test scripts writes_the_scripts_the_bats_tests_run) >"$log" 2>&1; then
      echo "cannot generate the scripts: cargo test --test scripts failed:" >&2
      cat "$log" >&2
      return 1
    fi
    touch "$marker"
  fi
}

# The userland PATH, with the fake docker in front.
use_userland() {
  case ${STACK_USERLAND:-gnu} in
    gnu) ;;
    darwin) PATH=$SHIMS/darwin:$PATH ;;
    busybox)
      local dir=$BATS_RUN_TMPDIR/busybox applet
      if [ ! -d "$dir" ]; then
        mkdir -p "$dir.tmp"
        for applet in $(busybox --list); do
          case $applet in
            sh | ash | bash) ;;
            *) ln -s "$(command -v busybox)" "$dir.tmp/$applet" ;;
          esac
        done
        mv "$dir.tmp" "$dir" 2>/dev/null || true
      fi
      PATH=$dir:$PATH
      ;;
    *) echo "unknown STACK_USERLAND=$STACK_USERLAND" >&2; return 1 ;;
  esac
  PATH=$SHIMS/docker:$PATH
  export PATH
}

common_setup() {
  ensure_scripts
  use_userland
  export DOCKER_LOG=$BATS_TEST_TMPDIR/docker.log
  export DOCKER_ARGV=$BATS_TEST_TMPDIR/docker.argv
  export HOOK_LOG=$BATS_TEST_TMPDIR/hooks.log
  # What the fake docker reports for each service (tests/shims/docker).
  export SHIM_STATES=$BATS_TEST_TMPDIR/states
  mkdir -p "$SHIM_STATES"
  : >"$DOCKER_LOG"
  : >"$HOOK_LOG"
  unset STACK_ROOT STACK_ENV STACK_COMPOSE STACK_HTTP_CLIENT STACK_RUN_ID
  SERVER_PIDS=''
}

common_teardown() {
  local pid
  for pid in $SERVER_PIDS; do
    kill "$pid" 2>/dev/null || true
  done
}

# workspace MODEL: a workspace in $WS with a Stackfile and the model's
# generated files in $WS/generated, with empty compose files in the agreed
# layout (the fake docker never reads them). Sets STACK=$WS/generated/stack.
workspace() {
  WS=$BATS_TEST_TMPDIR/ws
  rm -rf "$WS"
  mkdir -p "$WS/svc"
  printf 'stack %s {}\n' "$1" >"$WS/Stackfile"
  cp -R "$SCRIPTS/$1" "$WS/generated"
  mkdir -p "$WS/generated/compose/test" "$WS/generated/compose/environments"
  local name
  for name in db svc app api web-ui hello couchbase redis; do
    printf 'name: %s\n' "$1-test-$name" >"$WS/generated/compose/test/$name.yml"
  done
  for name in test dev prod; do
    printf 'name: %s\n' "$1-$name" >"$WS/generated/compose/environments/$name.yml"
  done
  STACK=$WS/generated/stack
}

# start_server MODE [SECONDS]: a health_server.py in the background; sets
# SERVER_PORT and SERVER_LOG.
start_server() {
  local portfile=$BATS_TEST_TMPDIR/server.$RANDOM
  python3 "$SERVERS/health_server.py" "$1" "$portfile" "${2:-0}" 3>&- >/dev/null 2>&1 &
  SERVER_PIDS="$SERVER_PIDS $!"
  local tries=0
  while [ ! -s "$portfile" ]; do
    tries=$((tries + 1))
    [ "$tries" -lt 200 ] || { echo "server did not start" >&2; return 1; }
    sleep 0.05
  done
  SERVER_PORT=$(cat "$portfile")
  SERVER_LOG=$portfile.log
}

# Lines in a file (0 when it does not exist).
count_lines() {
  if [ -f "$1" ]; then wc -l <"$1" | tr -d ' '; else echo 0; fi
}
