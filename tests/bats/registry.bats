#!/usr/bin/env bats
# The registry tasks (docker:tag, docker:push, docker:promote) and
# ci:affected, with the fake docker (tests/shims/docker) recording every
# call: docker:tag and docker:push build this checkout's context straight
# into the target tags (after the build hook), never reading the image the
# spec names; the default tags from STACK_COMMIT / STACK_BRANCH and from git,
# branch names made Docker tags, branch tags that would overwrite `latest`,
# the spec's own tag or a commit-like tag left out with a warning, image
# references split by Docker's grammar,
# the login (only with both variables, the password on standard input, never
# in argv), the promoted image pulled only when it is not here.
#
# The model is tests/support/models.rs `registry()`.

bats_require_minimum_version 1.5.0

load helpers

COMMIT=0123456789abcdef0123456789abcdef01234567

setup() {
  common_setup
  workspace registry
  export DOCKER_STDIN_LOG=$BATS_TEST_TMPDIR/stdin.log
  : >"$DOCKER_ARGV"
  unset STACK_COMMIT STACK_BRANCH STACK_REGISTRY_USERNAME STACK_REGISTRY_PASSWORD STACK_AFFECTED RUNTIME_VERSION
  unset SHIM_LOCAL_IMAGES SHIM_PULL_EXIT SHIM_PUSH_EXIT SHIM_TAG_EXIT SHIM_LOGIN_EXIT SHIM_BUILD_EXIT
  export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
}

teardown() {
  common_teardown
}

# stderr_contains TEXT: the last `run --separate-stderr`'s stderr holds TEXT.
stderr_contains() {
  case $stderr in
    *"$1"*) ;;
    *) fail "stderr does not contain: $1
stderr: $stderr" ;;
  esac
}

# The docker calls but Compose's, one a line.
docker_calls() {
  grep -v '^docker compose' "$DOCKER_LOG" || true
}

# promotion IMAGE REFERENCE: the docker calls that promote IMAGE, not here,
# as REFERENCE: looked for, pulled, tagged, pushed. One a line.
promotion() {
  printf '%s\n' "docker image inspect $1" "docker pull $1" "docker tag $1 $2" "docker push $2"
}

# git_workspace BRANCH: makes the workspace a git repository with one
# commit on BRANCH; sets HEAD_COMMIT.
git_workspace() {
  git -C "$WS" init -q
  git -C "$WS" checkout -q -b "$1"
  git -C "$WS" add Stackfile
  git -C "$WS" -c user.name=t -c user.email=t@example.com commit -q -m one
  HEAD_COMMIT=$(git -C "$WS" rev-parse HEAD)
}

@test "docker:tag: builds this checkout's context into the commit's and the branch's tags from STACK_COMMIT and STACK_BRANCH" {
  STACK_COMMIT=$COMMIT STACK_BRANCH=main run --separate-stderr "$STACK" docker:tag app
  assert_success
  assert_output "registry.example:5000/team/app:01234567
registry.example:5000/team/app:main"
  run docker_calls
  assert_output "docker build -t registry.example:5000/team/app:01234567 -t registry.example:5000/team/app:main $WS/app"
}

@test "docker:tag and docker:push never read the image the spec names: another checkout's build on this host is not pushed" {
  export STACK_COMMIT=$COMMIT STACK_BRANCH=main
  # Whatever another checkout left under the spec's name is "here"; it must
  # not be the source of anything.
  export SHIM_LOCAL_IMAGES="registry.example:5000/team/app:1.2"
  run --separate-stderr "$STACK" docker:push app
  assert_success
  run grep -c 'team/app:1.2' "$DOCKER_LOG"
  assert_output 0
  run grep -c '^docker \(tag\|image\|pull\)' "$DOCKER_LOG"
  assert_output 0
  # One build of this workspace's context, then the pushes.
  run docker_calls
  assert_output "docker build -t registry.example:5000/team/app:01234567 -t registry.example:5000/team/app:main $WS/app
docker push registry.example:5000/team/app:01234567
docker push registry.example:5000/team/app:main"
}

@test "docker:tag and docker:push: the build hook first, in the build context, as build runs it; a failing hook builds nothing" {
  export STACK_COMMIT=$COMMIT STACK_BRANCH=main
  mkdir -p "$WS/stack.d/build" "$WS/app"
  # shellcheck disable=SC2016
  printf 'echo "build hook $1 in ${PWD##*/}" >>"$DOCKER_LOG"; echo "output of the hook"\n' >"$WS/stack.d/build/app"
  run --separate-stderr "$STACK" docker:tag app v1
  assert_success
  # stdout is the references alone; the hook's output goes to stderr.
  assert_output "registry.example:5000/team/app:v1"
  stderr_contains "output of the hook"
  run docker_calls
  assert_output "build hook app in app
docker build -t registry.example:5000/team/app:v1 $WS/app"
  : >"$DOCKER_LOG"
  run --separate-stderr "$STACK" docker:push app v1
  assert_success
  assert_output "registry.example:5000/team/app:v1"
  run docker_calls
  assert_output "build hook app in app
docker build -t registry.example:5000/team/app:v1 $WS/app
docker push registry.example:5000/team/app:v1"
  # The same hook code as build's.
  : >"$DOCKER_LOG"
  run --separate-stderr "$STACK" build app
  assert_success
  run docker_calls
  assert_output "build hook app in app
docker build -t registry.example:5000/team/app:1.2 $WS/app"
  : >"$DOCKER_LOG"
  printf 'exit 3\n' >"$WS/stack.d/build/app"
  run --separate-stderr "$STACK" docker:push app v1
  assert_failure 3
  [ "$(count_lines "$DOCKER_LOG")" -eq 0 ]
}

@test "docker:tag: explicit tags instead of the defaults, each once" {
  run --separate-stderr "$STACK" docker:tag hub v1 latest v1
  assert_success
  assert_output "team/hub:v1
team/hub:latest"
  run docker_calls
  assert_output "docker build -t team/hub:v1 -t team/hub:latest $WS/hub"
}

@test "docker:tag: the defaults from git when the variables are unset; no branch tag on a detached HEAD" {
  git_workspace feature/x
  run --separate-stderr "$STACK" docker:tag hub
  assert_success
  assert_output "team/hub:${HEAD_COMMIT:0:8}
team/hub:feature-x"
  git -C "$WS" checkout -q --detach
  : >"$DOCKER_LOG"
  run --separate-stderr "$STACK" docker:tag hub
  assert_success
  assert_output "team/hub:${HEAD_COMMIT:0:8}"
  run docker_calls
  assert_output "docker build -t team/hub:${HEAD_COMMIT:0:8} $WS/hub"
  # The variables win over git.
  STACK_COMMIT=$COMMIT STACK_BRANCH=release run --separate-stderr "$STACK" docker:tag hub
  assert_output "team/hub:01234567
team/hub:release"
}

@test "docker:tag: branch names become valid Docker tags" {
  local long
  long=$(printf 'b%.0s' $(seq 1 200))
  check_branch() {
    : >"$DOCKER_LOG"
    STACK_COMMIT=$COMMIT STACK_BRANCH=$1 run --separate-stderr "$STACK" docker:tag hub
    assert_success
    assert_output "team/hub:01234567${2:+
team/hub:$2}"
  }
  check_branch 'feature/Foo bar' feature-Foo-bar
  check_branch '-x' x
  check_branch '.hidden' hidden
  check_branch '-.-.x.-' 'x.-'
  check_branch 'dependabot/npm_and_yarn/a-1.2' dependabot-npm_and_yarn-a-1.2
  check_branch "$long" "${long:0:128}"
  check_branch 'é✓' ''
  stderr_contains "the branch 'é✓' makes no Docker tag: not tagging it"
  check_branch '..' ''
  # One byte, one -, whatever the locale.
  LC_ALL=C.UTF-8 check_branch 'aé' 'a--'
  LC_ALL=C check_branch 'aé' 'a--'
}

@test "image references: the repository without its tag or digest, by Docker's grammar" {
  export STACK_COMMIT=$COMMIT STACK_BRANCH=main
  run --separate-stderr "$STACK" docker:tag solo
  assert_output "localhost:5000/solo:01234567
localhost:5000/solo:main"
  run --separate-stderr "$STACK" docker:tag pinned
  assert_output "localhost/pinned:01234567
localhost/pinned:main"
  RUNTIME_VERSION=7 run --separate-stderr "$STACK" docker:tag runtime
  assert_output "registry.example/team/runtime:01234567
registry.example/team/runtime:main"
  run grep -c 'team/runtime:7' "$DOCKER_LOG"
  assert_output 0
  run docker_calls
  assert_output "docker build -t localhost:5000/solo:01234567 -t localhost:5000/solo:main $WS/solo
docker build -t localhost/pinned:01234567 -t localhost/pinned:main $WS/pinned
docker build -t registry.example/team/runtime:01234567 -t registry.example/team/runtime:main $WS/runtime"
}

@test "branch tags that would overwrite latest, the spec's own tag or a commit tag are left out, with a warning; TAG arguments are not" {
  export STACK_COMMIT=$COMMIT
  # BRANCH COMPONENT WHY: only the commit tag, and a warning naming why.
  skipped() {
    : >"$DOCKER_LOG"
    STACK_BRANCH=$1 run --separate-stderr "$STACK" docker:push "$2"
    assert_success
    assert_output "$3:01234567"
    stderr_contains "warning: no branch tag for the branch '$1': $4"
    run grep -c "^docker push" "$DOCKER_LOG"
    assert_output 1
  }
  local spec="is the tag of the spec's image, which docker:promote writes and environments pull"
  local commit="looks like a commit tag (7 to 40 hex digits): another commit's image would be replaced"
  # latest: what Docker pulls for a reference without a tag, whatever the spec's tag.
  skipped latest app registry.example:5000/team/app "'latest' is what Docker pulls for an image named without a tag"
  # The spec names no tag: its tag is latest.
  skipped latest hub team/hub "'latest' $spec"
  skipped latest solo localhost:5000/solo "'latest' $spec"
  # The spec's own tag, run-time references expanded; made a tag first.
  skipped 1.2 app registry.example:5000/team/app "'1.2' $spec"
  skipped 2 upper Registry/team/upper "'2' $spec"
  skipped 1 runtime registry.example/team/runtime "'1' $spec"
  RUNTIME_VERSION=7 skipped 7 runtime registry.example/team/runtime "'7' $spec"
  skipped /latest hub team/hub "'latest' $spec"
  # 7 to 40 hex digits, either case.
  skipped 0123abc hub team/hub "'0123abc' $commit"
  skipped deadbeef hub team/hub "'deadbeef' $commit"
  skipped DEADBEEF hub team/hub "'DEADBEEF' $commit"
  skipped $COMMIT hub team/hub "'$COMMIT' $commit"
  skipped 76543210 hub team/hub "'76543210' $commit"
  # Not those: pushed as branch tags.
  pushed() {
    : >"$DOCKER_LOG"
    STACK_BRANCH=$1 run --separate-stderr "$STACK" docker:push "$2"
    assert_success
    assert_output "${3}:01234567
$3:$1"
    [[ $stderr != *warning* ]] || fail "warned: $stderr"
  }
  pushed 0123ab hub team/hub
  pushed "${COMMIT}0" hub team/hub
  pushed deadbeefx hub team/hub
  pushed latest2 hub team/hub
  pushed 1.2 hub team/hub
  RUNTIME_VERSION=7 pushed 1 runtime registry.example/team/runtime
  # A TAG argument is the caller's choice.
  : >"$DOCKER_LOG"
  STACK_BRANCH=latest run --separate-stderr "$STACK" docker:push app latest 1.2 deadbeef
  assert_success
  assert_output "registry.example:5000/team/app:latest
registry.example:5000/team/app:1.2
registry.example:5000/team/app:deadbeef"
  [[ $stderr != *warning* ]] || fail "warned: $stderr"
  # The branch from git too.
  git_workspace latest
  : >"$DOCKER_LOG"
  unset STACK_COMMIT
  run --separate-stderr "$STACK" docker:tag hub
  assert_success
  assert_output "team/hub:${HEAD_COMMIT:0:8}"
  stderr_contains "warning: no branch tag for the branch 'latest': 'latest' $spec"
}

@test "docker:push: tags, logs in with the password on stdin only, pushes each tag, prints what it pushed" {
  export STACK_COMMIT=$COMMIT STACK_BRANCH=main
  export STACK_REGISTRY_USERNAME=robot STACK_REGISTRY_PASSWORD='s3cret pass'
  run --separate-stderr "$STACK" docker:push app
  assert_success
  assert_output "registry.example:5000/team/app:01234567
registry.example:5000/team/app:main"
  run docker_calls
  assert_output "docker build -t registry.example:5000/team/app:01234567 -t registry.example:5000/team/app:main $WS/app
docker login registry.example:5000 --username robot --password-stdin
docker push registry.example:5000/team/app:01234567
docker push registry.example:5000/team/app:main"
  assert_equal "$(cat "$DOCKER_STDIN_LOG")" "s3cret pass
--"
  # Never in any docker call's arguments.
  run grep -c 's3cret' "$DOCKER_ARGV"
  assert_output 0
}

@test "docker:push: the registry is the first part with a . or :, localhost, or an upper-case letter; else Docker Hub" {
  export STACK_COMMIT=$COMMIT STACK_REGISTRY_USERNAME=robot STACK_REGISTRY_PASSWORD=pw
  local component registry
  for component in hub:'' solo:localhost:5000 pinned:localhost runtime:registry.example upper:Registry; do
    registry=${component#*:}
    component=${component%%:*}
    : >"$DOCKER_LOG"
    run --separate-stderr "$STACK" docker:push "$component" v1
    assert_success
    run grep '^docker login' "$DOCKER_LOG"
    assert_output "docker login ${registry:+$registry }--username robot --password-stdin"
  done
}

@test "docker:push: no login unless both variables are set" {
  export STACK_COMMIT=$COMMIT
  STACK_REGISTRY_USERNAME=robot run --separate-stderr "$STACK" docker:push hub v1
  assert_success
  assert_output "team/hub:v1"
  stderr_contains "not logging in: STACK_REGISTRY_USERNAME and STACK_REGISTRY_PASSWORD must both be set"
  STACK_REGISTRY_PASSWORD=pw run --separate-stderr "$STACK" docker:push hub v1
  assert_success
  run "$STACK" docker:push hub v1
  assert_success
  refute_output --partial "logging in"
  run grep -c '^docker login' "$DOCKER_LOG"
  assert_output 0
  [ ! -s "$DOCKER_STDIN_LOG" ]
}

@test "docker:push: a failing build, login or push fails the task with 1; nothing is pushed after a failure" {
  export STACK_REGISTRY_USERNAME=robot STACK_REGISTRY_PASSWORD=pw
  SHIM_LOGIN_EXIT=1 run "$STACK" docker:push hub v1
  assert_failure 1
  assert_output --partial "docker login to Docker Hub as robot failed"
  run grep -c '^docker push' "$DOCKER_LOG"
  assert_output 0
  : >"$DOCKER_LOG"
  SHIM_BUILD_EXIT=1 run "$STACK" docker:push hub v1
  assert_failure 1
  assert_output --partial "docker build of hub (build context hub) failed"
  run grep -c '^docker \(login\|push\)' "$DOCKER_LOG"
  assert_output 0
  SHIM_PUSH_EXIT=1 run --separate-stderr "$STACK" docker:push hub v1 v2
  assert_failure 1
  assert_output ""
  stderr_contains "docker push team/hub:v1 failed"
  run grep -c '^docker push' "$DOCKER_LOG"
  assert_output 1
}

@test "usage errors: exit 2 before docker is called" {
  export STACK_COMMIT=$COMMIT
  run "$STACK" docker:tag cache
  assert_failure 2
  assert_output --partial "cache has no build context: its image is not built here"
  assert_output --partial "components with a build context: app hub pinned runtime solo upper"
  run "$STACK" docker:push cache
  assert_failure 2
  assert_output --partial "cache has no build context"
  run "$STACK" docker:push
  assert_failure 2
  assert_output --partial "docker:push needs a component"
  run "$STACK" docker:tag nope
  assert_failure 2
  assert_output --partial "unknown component 'nope'"
  run "$STACK" docker:tag hub 'bad tag'
  assert_failure 2
  assert_output --partial "'bad tag' is not a Docker tag"
  run "$STACK" docker:tag hub .dot
  assert_failure 2
  run "$STACK" docker:tag hub "$(printf 'a%.0s' $(seq 1 129))"
  assert_failure 2
  run "$STACK" docker:tag hub --force
  assert_failure 2
  assert_output --partial "docker:tag: unknown option '--force'"
  STACK_COMMIT=main run "$STACK" docker:tag hub
  assert_failure 2
  assert_output --partial "'main' is not a commit id"
  STACK_COMMIT=0123abc run "$STACK" docker:tag hub
  assert_failure 2
  [ "$(count_lines "$DOCKER_LOG")" -eq 0 ]
}

@test "docker:tag outside git without STACK_COMMIT: exit 2, saying to set it" {
  run "$STACK" docker:tag hub
  assert_failure 2
  assert_output --partial "no commit to tag the image with: set STACK_COMMIT"
  [ "$(count_lines "$DOCKER_LOG")" -eq 0 ]
}

@test "docker:promote: this commit's image, already here, pushed as the spec's own reference" {
  export STACK_COMMIT=$COMMIT SHIM_LOCAL_IMAGES="registry.example:5000/team/app:01234567"
  run --separate-stderr "$STACK" docker:promote app
  assert_success
  assert_output "registry.example:5000/team/app:1.2"
  stderr_contains "registry.example:5000/team/app:01234567 is here: not pulling it"
  run docker_calls
  assert_output "docker image inspect registry.example:5000/team/app:01234567
docker tag registry.example:5000/team/app:01234567 registry.example:5000/team/app:1.2
docker push registry.example:5000/team/app:1.2"
}

@test "docker:promote: pulls the image when it is not here; an explicit TAG instead of the commit's" {
  export STACK_COMMIT=$COMMIT
  run --separate-stderr "$STACK" docker:promote app
  assert_success
  assert_output "registry.example:5000/team/app:1.2"
  run docker_calls
  assert_output "$(promotion registry.example:5000/team/app:01234567 registry.example:5000/team/app:1.2)"
  : >"$DOCKER_LOG"
  # No commit needed with a TAG.
  unset STACK_COMMIT
  run --separate-stderr "$STACK" docker:promote app release-7
  assert_success
  assert_output "registry.example:5000/team/app:1.2"
  run docker_calls
  assert_output "$(promotion registry.example:5000/team/app:release-7 registry.example:5000/team/app:1.2)"
  # The TAG that is the spec's own: nothing to tag, pushed as it is.
  : >"$DOCKER_LOG"
  SHIM_LOCAL_IMAGES=registry.example:5000/team/app:1.2 run --separate-stderr "$STACK" docker:promote app 1.2
  assert_success
  run docker_calls
  assert_output "docker image inspect registry.example:5000/team/app:1.2
docker push registry.example:5000/team/app:1.2"
}

@test "docker:promote: a spec image without a tag is promoted as :latest, what Docker pulls for it" {
  export STACK_COMMIT=$COMMIT
  run --separate-stderr "$STACK" docker:promote solo
  assert_success
  assert_output "localhost:5000/solo:latest"
  run docker_calls
  assert_output "$(promotion localhost:5000/solo:01234567 localhost:5000/solo:latest)"
  : >"$DOCKER_LOG"
  run --separate-stderr "$STACK" docker:promote hub
  assert_output "team/hub:latest"
}

@test "docker:promote: the spec reference with its run-time references expanded, as up and Compose do" {
  export STACK_COMMIT=$COMMIT
  run --separate-stderr "$STACK" docker:promote runtime
  assert_success
  assert_output "registry.example/team/runtime:1"
  RUNTIME_VERSION=7 run --separate-stderr "$STACK" docker:promote runtime
  assert_success
  assert_output "registry.example/team/runtime:7"
  run grep '^docker \(tag\|push\)' "$DOCKER_LOG"
  assert_output "docker tag registry.example/team/runtime:01234567 registry.example/team/runtime:1
docker push registry.example/team/runtime:1
docker tag registry.example/team/runtime:01234567 registry.example/team/runtime:7
docker push registry.example/team/runtime:7"
  # From the workspace's .env, as Compose reads it; the environment wins.
  printf 'RUNTIME_VERSION=9\n' >"$WS/.env"
  run --separate-stderr "$STACK" docker:promote runtime
  assert_output "registry.example/team/runtime:9"
  RUNTIME_VERSION=8 run --separate-stderr "$STACK" docker:promote runtime
  assert_output "registry.example/team/runtime:8"
}

@test "docker:promote: logs in first (pull and push), the password on stdin only" {
  export STACK_COMMIT=$COMMIT STACK_REGISTRY_USERNAME=robot STACK_REGISTRY_PASSWORD='s3cret pass'
  run --separate-stderr "$STACK" docker:promote upper
  assert_success
  assert_output "Registry/team/upper:2"
  run docker_calls
  assert_output "docker login Registry --username robot --password-stdin
$(promotion Registry/team/upper:01234567 Registry/team/upper:2)"
  assert_equal "$(cat "$DOCKER_STDIN_LOG")" "s3cret pass
--"
  run grep -c 's3cret' "$DOCKER_ARGV"
  assert_output 0
  # Only one of the two: no login.
  : >"$DOCKER_LOG"
  STACK_REGISTRY_PASSWORD='' run --separate-stderr "$STACK" docker:promote upper
  assert_success
  stderr_contains "not logging in"
  run grep -c '^docker login' "$DOCKER_LOG"
  assert_output 0
}

@test "docker:promote: a failing pull, tag or push fails with 1, nothing pushed after it" {
  export STACK_COMMIT=$COMMIT
  SHIM_PULL_EXIT=1 run --separate-stderr "$STACK" docker:promote app
  assert_failure 1
  assert_output ""
  stderr_contains "docker pull registry.example:5000/team/app:01234567 failed; was it pushed? (stack docker:push app"
  run grep -c '^docker \(tag\|push\)' "$DOCKER_LOG"
  assert_output 0
  SHIM_TAG_EXIT=1 run --separate-stderr "$STACK" docker:promote app
  assert_failure 1
  run grep -c '^docker push' "$DOCKER_LOG"
  assert_output 0
  SHIM_PUSH_EXIT=1 run --separate-stderr "$STACK" docker:promote app
  assert_failure 1
  assert_output ""
  stderr_contains "docker push registry.example:5000/team/app:1.2 failed"
}

@test "docker:promote: refuses (2) a digest, no build context, bad arguments, before docker is called" {
  export STACK_COMMIT=$COMMIT STACK_REGISTRY_USERNAME=robot STACK_REGISTRY_PASSWORD=pw
  run --separate-stderr "$STACK" docker:promote pinned
  assert_failure 2
  stderr_contains "the image of pinned is pinned by a digest (localhost/pinned@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef): a digest names one image, nothing can be pushed to it"
  run --separate-stderr "$STACK" docker:promote cache
  assert_failure 2
  stderr_contains "cache has no build context: its image is not built here"
  stderr_contains "components with a build context: app hub pinned runtime solo upper"
  run --separate-stderr "$STACK" docker:promote
  assert_failure 2
  stderr_contains "docker:promote needs a component"
  run --separate-stderr "$STACK" docker:promote nope
  assert_failure 2
  stderr_contains "unknown component 'nope'"
  run --separate-stderr "$STACK" docker:promote app v1 v2
  assert_failure 2
  stderr_contains "docker:promote takes one TAG: 'v2' is one too many"
  run --separate-stderr "$STACK" docker:promote app 'bad tag'
  assert_failure 2
  stderr_contains "docker:promote: 'bad tag' is not a Docker tag"
  run --separate-stderr "$STACK" docker:promote app --all
  assert_failure 2
  STACK_COMMIT=main run --separate-stderr "$STACK" docker:promote app
  assert_failure 2
  stderr_contains "'main' is not a commit id"
  [ "$(count_lines "$DOCKER_LOG")" -eq 0 ]
}

@test "ci:affected: 0 when STACK_AFFECTED is unset, empty or names the component; else 1, saying so" {
  run "$STACK" ci:affected app
  assert_success
  assert_output ""
  STACK_AFFECTED='' run "$STACK" ci:affected app
  assert_success
  STACK_AFFECTED=,hub,app, run "$STACK" ci:affected app
  assert_success
  STACK_AFFECTED=,app, run "$STACK" ci:affected app
  assert_success
  STACK_AFFECTED=,hub, run "$STACK" ci:affected app
  assert_failure 1
  assert_output "stack: app is not affected by this change (STACK_AFFECTED); nothing to do"
  # No component is affected: `stackc affected --format dotenv` writes a lone comma.
  STACK_AFFECTED=, run "$STACK" ci:affected app
  assert_failure 1
  # Whole names only.
  STACK_AFFECTED=,apps,myapp, run "$STACK" ci:affected app
  assert_failure 1
  STACK_AFFECTED=,app,  run "$STACK" ci:affected nope
  assert_failure 2
  assert_output --partial "unknown component 'nope'"
  run "$STACK" ci:affected
  assert_failure 2
  run "$STACK" ci:affected app hub
  assert_failure 2
  run "$STACK" ci:affected app --all
  assert_failure 2
}

@test "help and the completions: the registry tasks complete components with a build context" {
  run "$STACK" help
  assert_success
  assert_output --regexp "  docker:tag COMPONENT \[TAG\.\.\.\] +build this checkout's image as REPOSITORY:TAG"
  assert_output --regexp "  docker:push COMPONENT \[TAG\.\.\.\] +build as docker:tag does"
  assert_output --regexp "  docker:promote COMPONENT \[TAG\] +mark deployable"
  assert_output --regexp "  ci:affected COMPONENT +exit 0 when"
  complete_words() {
    bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _stack_complete; printf "%s\n" "${COMPREPLY[@]}"' \
      _ "$WS/generated/completions/stack.bash" "$@"
  }
  run complete_words stack docker:push ""
  assert_output "app
hub
pinned
runtime
solo
upper"
  run complete_words stack docker:tag app ""
  assert_output ""
  run complete_words stack docker:promote ""
  assert_output "app
hub
pinned
runtime
solo
upper"
  run complete_words stack ci:affected ""
  assert_output "app
cache
hub
pinned
runtime
solo
upper"
}
