#!/usr/bin/env bats
# A build's options (`build = { context dockerfile target args labels }`)
# reach `docker build` as Compose would build the image: --file (the
# Dockerfile under the workspace root), --target, --build-arg NAME=VALUE
# (run-time references expanded, hostile values unchanged) and --label,
# in docker:build, build and docker:tag; a build without options, and a
# fixture loader's, takes none of them.
#
# The model is tests/support/models.rs `builds()`.

bats_require_minimum_version 1.5.0

load helpers

setup() {
  common_setup
  workspace builds
  : >"$DOCKER_ARGV"
  unset GIT_SHA STACK_COMMIT STACK_BRANCH STACK_REGISTRY_USERNAME STACK_REGISTRY_PASSWORD
}

teardown() {
  common_teardown
}

# The arguments of every docker call, then an empty one, into `argv`.
read_argv() {
  argv=()
  local arg
  while IFS= read -r -d '' arg; do argv+=("$arg"); done <"$DOCKER_ARGV"
}

# assert_argv WORD...: the docker calls' arguments are exactly WORD...
assert_argv() {
  local -a argv
  read_argv
  local -a expected=("$@")
  assert_equal "${#argv[@]}" "${#expected[@]}"
  local i
  for i in "${!expected[@]}"; do
    assert_equal "${argv[$i]}" "${expected[$i]}"
  done
}

web_options() {
  printf '%s\0' --file "$WS/web/docker/Dockerfile.prod" --target runtime \
    --build-arg NODE_VERSION=20 --build-arg "BUILD_SHA=$1" --build-arg "NOTE=$HOSTILE" \
    --label org.opencontainers.image.source=https://example.com/shop
}

@test "docker:build passes the build's options, its run-time references expanded" {
  GIT_SHA=4f2a9c1 run "$STACK" docker:build web
  assert_success
  local -a options=()
  local arg
  while IFS= read -r -d '' arg; do options+=("$arg"); done < <(web_options 4f2a9c1)
  assert_argv build "${options[@]}" -t shop/web:1 "$WS/web" ""
}

@test "a reference's default when the variable is unset" {
  run "$STACK" docker:build web
  assert_success
  run grep -c 'BUILD_SHA=dev' "$DOCKER_LOG"
  assert_output 1
}

@test "a build without options, and a fixture loader's, takes none after one with options" {
  run "$STACK" build
  assert_success
  local -a options=()
  local arg
  while IFS= read -r -d '' arg; do options+=("$arg"); done < <(web_options dev)
  assert_argv build "${options[@]}" -t shop/web:1 "$WS/web" "" \
    build -t shop/plain:1 "$WS/plain" "" \
    build -t shop/plain-fixtures:1 "$WS/fixtures" ""
}

@test "docker:tag builds the tags with the same options" {
  STACK_COMMIT=0123456789abcdef STACK_BRANCH=main run --separate-stderr "$STACK" docker:tag web
  assert_success
  local -a options=()
  local arg
  while IFS= read -r -d '' arg; do options+=("$arg"); done < <(web_options dev)
  assert_argv build "${options[@]}" -t shop/web:01234567 -t shop/web:main "$WS/web" ""
}
