#!/usr/bin/env bats
# The generated CI pipelines, run (issue 11, "the pipeline is run"): the
# workspace ci-workspace/ (api <- web, and an unrelated worker; web routed
# and deployed) in a temporary git repository, at `stack/` (a workspace in
# a subfolder of its repository), with its generated files committed. A
# second commit changes api; tests/ci/run_pipeline.py runs
# .github/workflows/stack.yml as a push of it to `main` on this machine:
# each job in a fresh clone, real Docker, locally built images, and the
# pushes to Debian's `docker-registry` on loopback, started here. Then a
# third commit, and the same with .gitlab-ci.yml.
#
# Checked: every job of api and web ran and passed, worker's did nothing,
# the JUnit files exist, the pushed images are pullable from the registry
# after `docker image rm`, and the deploy moved web's traffic to the
# commit's image. The tests run in order, each from where the one before
# left it. Everything is removed at the end: the Compose projects (all
# named after this run's unique stack name), the images, the registry.

bats_load_library bats-support
bats_load_library bats-assert

load helpers

# A deadline for each pipeline run, with room for two shared cores.
PIPELINE_SECONDS=2400

setup_file() {
  export BATS_NO_PARALLELIZE_WITHIN_FILE=true
  e2e_prepare
  "$BATS_TEST_DIRNAME/haproxy-image.sh"
  if ! "$REPO/.venv/bin/python" -c 'import yaml' 2>/dev/null; then
    echo "no .venv with PyYAML: run scripts/install-tools" >&2
    return 1
  fi
  export NAME="e2e-ci-$$-$RANDOM"
  export REGISTRY_PORT API_PORT WEB_PORT WORKER_PORT PROXY_PORT STATS_PORT
  REGISTRY_PORT=$(e2e_free_port)
  API_PORT=$(e2e_free_port)
  WEB_PORT=$(e2e_free_port)
  WORKER_PORT=$(e2e_free_port)
  PROXY_PORT=$(e2e_free_port)
  STATS_PORT=$(e2e_free_port)
  export STATE_DIR=$BATS_FILE_TMPDIR/state
  export REGISTRY=127.0.0.1:$REGISTRY_PORT
  export GIT_REPO=$BATS_FILE_TMPDIR/repo
  export WS=$GIT_REPO/stack
  export STACK=$WS/generated/stack
  export BIN=$BATS_FILE_TMPDIR/bin
  mkdir -p "$BIN" "$STATE_DIR"
  # The jobs find stackc on PATH (the generated install line then does
  # nothing), as on a runner that has it.
  ln -s "$STACKC" "$BIN/stackc"

  e2e_start_registry

  mkdir -p "$WS"
  cp -R "$BATS_TEST_DIRNAME/ci-workspace/." "$WS/"
  sed -e "s/@NAME@/$NAME/g" -e "s/@REGISTRY_PORT@/$REGISTRY_PORT/g" -e "s/@API_PORT@/$API_PORT/g" \
    -e "s/@WEB_PORT@/$WEB_PORT/g" -e "s/@WORKER_PORT@/$WORKER_PORT/g" -e "s/@PROXY_PORT@/$PROXY_PORT/g" \
    -e "s/@STATS_PORT@/$STATS_PORT/g" -e "s|@STATE_DIR@|$STATE_DIR|g" \
    <"$WS/Stackfile.in" >"$WS/Stackfile"
  rm "$WS/Stackfile.in"
  git_in init -q -b main
  "$STACKC" build "$WS" >&2
  for file in .github/workflows/stack.yml .gitlab-ci.yml; do
    [ -f "$GIT_REPO/$file" ] || {
      echo "stackc build did not write $file at the repository root" >&2
      return 1
    }
  done
  git_in add -A
  git_in commit -q -m "the stack, generated files committed"
}

teardown_file() {
  stop_load
  [ ! -x "${STACK:-}" ] || STACK_STATE_DIR=$STATE_DIR timeout -k 10 120 "$STACK" down --env e2e >/dev/null 2>&1 3>&- || true
  e2e_down
  e2e_stop_registry
  # This run's images: every tag under its registry and stack name.
  docker image ls --format '{{.Repository}}:{{.Tag}}' 2>/dev/null |
    grep -E "^($REGISTRY/)?$NAME/" | xargs -r docker image rm -f >/dev/null 2>&1 || true
}

# git in the temporary repository, with an identity of its own.
git_in() {
  git -C "$GIT_REPO" -c user.name=stackc-e2e -c user.email=e2e@stackc.invalid "$@"
}

# Commits a change to api's build context; prints the new commit.
change_api() {
  printf 'api %s\n' "$1" >"$WS/api/version"
  git_in commit -q -am "api: version $1"
  git_in rev-parse HEAD
}

# Runs PROVIDER's pipeline file FILE as a push of HEAD to main, with some
# traffic through the proxy all along (the deploy judges it); the report
# lands in $BATS_FILE_TMPDIR/PROVIDER/report.json.
run_ci() {
  local provider=$1 file=$2
  rm -rf "${BATS_FILE_TMPDIR:?}/$provider"
  mkdir -p "$BATS_FILE_TMPDIR/$provider"
  start_load "$provider"
  PATH="$BIN:$PATH" run timeout -k 30 "$PIPELINE_SECONDS" "$REPO/.venv/bin/python" "$REPO/tests/ci/run_pipeline.py" \
    "$provider" "$GIT_REPO/$file" --repo "$GIT_REPO" --work "$BATS_FILE_TMPDIR/$provider" \
    --branch main --default-branch main --secret E2E_SECRET=from-the-ci --run-id "$$$RANDOM" \
    --job-timeout 900 --report "$BATS_FILE_TMPDIR/$provider/report.json"
  stop_load
}

# Requests for web.ci.test through the proxy, 20 a second, in the
# background (refused until the deploy job starts the proxy); its pid in a
# file so that teardown finds it whatever happened.
start_load() {
  python3 "$REPO/tests/deploy/support/loadgen.py" --url "http://127.0.0.1:$PROXY_PORT/" --host web.ci.test \
    --rate 20 --max-seconds "$PIPELINE_SECONDS" --out "$BATS_FILE_TMPDIR/$1/load.json" \
    >"$BATS_FILE_TMPDIR/$1/load.log" 2>&1 3>&- &
  echo $! >"$BATS_FILE_TMPDIR/load.pid"
}

stop_load() {
  e2e_stop "$BATS_FILE_TMPDIR/load.pid"
}

# "JOB RESULT" lines of a report, in run order.
results() {
  "$REPO/.venv/bin/python" -c '
import json, sys
for job in json.load(open(sys.argv[1]))["jobs"]:
    print(job["job"], job["result"])
' "$BATS_FILE_TMPDIR/$1/report.json"
}

# FIELD of JOB in PROVIDER's report, one item a line: its `outputs` (GitHub:
# the job's outputs; GitLab: its dotenv report) as NAME=VALUE, sorted; its
# `artifacts` as recorded.
job_field() {
  "$REPO/.venv/bin/python" -c '
import json, sys
for job in json.load(open(sys.argv[1]))["jobs"]:
    if job["job"] == sys.argv[2]:
        field = job[sys.argv[3]]
        if isinstance(field, dict):
            field = [f"{name}={value}" for name, value in sorted(field.items())]
        print("\n".join(field))
' "$BATS_FILE_TMPDIR/$1/report.json" "$2" "$3"
}

# The log of a job.
job_log() {
  cat "$BATS_FILE_TMPDIR/$1/logs/$2.log"
}

# Asserts that the JUnit report FILE (a path under the job's artifacts)
# was recorded by JOB of PROVIDER and is a JUnit document.
assert_junit() {
  local provider=$1 job=$2 file=$3 all recorded path
  all=$(job_field "$provider" "$job" artifacts)
  recorded=$(grep -E "(^|/)$file\$" <<<"$all" | sed -n 1p)
  [ -n "$recorded" ] || fail "$job recorded no $file (artifacts: $(tr '\n' ' ' <<<"$all"))"
  path="$BATS_FILE_TMPDIR/$provider/artifacts/$job/$recorded"
  [ -s "$path" ] || fail "$path is missing or empty"
  grep -q '<testsuite' "$path" || fail "$path is not a JUnit report: $(head -c 300 "$path")"
}

# Asserts that IMAGE is in the registry: gone locally, then pulled.
assert_pullable() {
  docker image rm "$1" >/dev/null || fail "docker image rm $1 failed: was it ever tagged here?"
  run docker image inspect "$1"
  assert_failure
  run docker pull -q "$1"
  assert_success
}

# The tags the registry holds for COMPONENT's repository.
registry_tags() {
  curl -fsS "http://$REGISTRY/v2/$NAME/$1/tags/list" 2>/dev/null || echo "no repository $NAME/$1"
}

# Asserts that the deploy moved web to the image of commit SHA and that
# the proxy sends web.ci.test's traffic to it.
assert_deployed() {
  STACK_STATE_DIR=$STATE_DIR run timeout -k 10 60 "$STACK" deploy:status web --env e2e
  assert_success
  assert_output --partial "$REGISTRY/$NAME/web:${1:0:8}"
  run curl -fsS --max-time 10 -H "Host: web.ci.test" "http://127.0.0.1:$PROXY_PORT/"
  assert_success
  assert_output "web 1"
}

# Asserts that each of JOBS of PROVIDER's last run ran and passed.
assert_run() {
  local provider=$1 job all
  shift
  all=$(results "$provider")
  for job in "$@"; do
    grep -qx "$job success" <<<"$all" || fail "$job did not pass: $(tr '\n' ',' <<<"$all")"
  done
}

@test "github: a push of a change to api runs api's and web's jobs, not worker's" {
  SHA=$(change_api 2)
  echo "$SHA" >"$BATS_FILE_TMPDIR/github-sha"
  run_ci github .github/workflows/stack.yml
  echo "$output"
  assert_success
  assert_run github affected check build-api test-api push-api integration-api \
    build-web test-web push-web integration-web non-functional-web deploy-api deploy-web acceptance-web
  # Every other job is worker's, skipped by its `if:` on STACK_AFFECTED.
  run results github
  assert_line "build-worker skipped"
  assert_line "test-worker skipped"
  local job result unexpected=
  while read -r job result; do
    case "$job" in
      *-worker) [ "$result" = skipped ] || unexpected+="$job $result; " ;;
      *) [ "$result" = success ] || unexpected+="$job $result; " ;;
    esac
  done < <(results github)
  [ -z "$unexpected" ] || fail "unexpected results: $unexpected"
  run job_field github affected outputs
  assert_output "STACK_AFFECTED=,api,web,"
}

@test "github: the JUnit reports of every stage were uploaded" {
  assert_junit github test-api api-functional.xml
  assert_junit github integration-api api-contract.xml
  assert_junit github test-web web-functional.xml
  assert_junit github integration-web web-integration.xml
  assert_junit github non-functional-web web-performance.xml
  assert_junit github acceptance-web web-smoke.xml
}

@test "github: the pushed images are pullable from the registry, worker's was never pushed" {
  SHA=$(cat "$BATS_FILE_TMPDIR/github-sha")
  SHORT=${SHA:0:8}
  run registry_tags api
  assert_output --partial "\"$SHORT\""
  assert_output --partial '"main"'
  run registry_tags worker
  refute_output --partial "$SHORT"
  assert_pullable "$REGISTRY/$NAME/api:$SHORT"
  assert_pullable "$REGISTRY/$NAME/web:$SHORT"
}

@test "github: the deploy moved web's traffic to the commit's image" {
  assert_deployed "$(cat "$BATS_FILE_TMPDIR/github-sha")"
}

@test "gitlab: a push of a change to api runs api's and web's scripts; worker's stop at ci:affected" {
  # A fresh environment: the GitLab pipeline deploys from scratch too.
  STACK_STATE_DIR=$STATE_DIR timeout -k 10 120 "$STACK" down --env e2e >&2 3>&-
  rm -rf "${STATE_DIR:?}"/*
  SHA=$(change_api 3)
  echo "$SHA" >"$BATS_FILE_TMPDIR/gitlab-sha"
  run_ci gitlab .gitlab-ci.yml
  echo "$output"
  assert_success
  assert_run gitlab affected check api:build api:test api:push api:integration \
    web:build web:test web:push web:integration web:non-functional api:deploy web:deploy web:acceptance \
    worker:build worker:test
  run job_field gitlab affected outputs
  assert_output "STACK_AFFECTED=,api,web,"
  run job_log gitlab worker:build
  assert_output --partial "worker is not affected by this change (STACK_AFFECTED); nothing to do"
  refute_output --partial "docker build"
  run job_log gitlab api:build
  refute_output --partial "is not affected"
}

@test "gitlab: JUnit reports, pushed images and the deploy" {
  SHA=$(cat "$BATS_FILE_TMPDIR/gitlab-sha")
  assert_junit gitlab api:test api-functional.xml
  assert_junit gitlab api:integration api-contract.xml
  assert_junit gitlab web:test web-functional.xml
  assert_junit gitlab web:integration web-integration.xml
  assert_junit gitlab web:non-functional web-performance.xml
  assert_junit gitlab web:acceptance web-smoke.xml
  run registry_tags web
  assert_output --partial "\"${SHA:0:8}\""
  run registry_tags worker
  refute_output --partial "${SHA:0:8}"
  assert_pullable "$REGISTRY/$NAME/api:${SHA:0:8}"
  assert_pullable "$REGISTRY/$NAME/web:${SHA:0:8}"
  assert_deployed "$SHA"
}

@test "down leaves nothing of this run" {
  STACK_STATE_DIR=$STATE_DIR run timeout -k 10 120 "$STACK" down --env e2e
  assert_success
  run e2e_leftovers
  assert_output ""
}
