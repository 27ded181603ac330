#!/usr/bin/env bats
# Hostile spec values (quotes, $, backticks, backslash, glob and control
# characters, non-ASCII, a newline) reach the script as exactly the original
# strings and never run: the `hostile` model uses one in every free-text
# field (tests/support/models.rs).

load helpers

setup() {
  common_setup
  workspace hostile
  cd "$BATS_TEST_TMPDIR"
}

teardown() {
  common_teardown
  # Nothing ever ran the `touch pwned` in the values.
  [ ! -e "$BATS_TEST_TMPDIR/pwned" ] && [ ! -e "$WS/pwned" ] && [ ! -e "$WS/generated/pwned" ]
}

@test "the stack name is printed exactly" {
  run "$STACK" help
  assert_success
  assert_output --partial "Tasks for the $HOSTILE stack:"
}

@test "a suite path with every hostile character runs exactly that file, in that folder" {
  local dir="$WS/ctx/$HOSTILE"
  mkdir -p "$dir"
  printf 'printf "%%s\\n" "$0" "$PWD"\n' >"$dir/$HOSTILE.sh"
  run "$STACK" test:remote app path 127.0.0.1:9
  assert_success
  assert_output --partial "$HOSTILE.sh
$(cd "$dir" && pwd -P)"
}

@test "a suite command is run by bash exactly as written" {
  mkdir -p "$WS/ctx/$HOSTILE"
  run "$STACK" test:remote app command 127.0.0.1:9
  assert_success
  assert_output --partial "
it's
a  b
"
}

@test "image names and build contexts reach docker unchanged" {
  run "$STACK" docker:build app
  assert_success
  local -a argv=()
  local arg
  while IFS= read -r -d '' arg; do argv+=("$arg"); done <"$DOCKER_ARGV"
  [ "${argv[0]}" = build ] && [ "${argv[1]}" = -t ]
  [ "${argv[2]}" = "$HOSTILE" ]
  [ "${argv[3]}" = "$WS/ctx/$HOSTILE" ]
  [ "${argv[4]}" = "" ]
  [ "${argv[7]}" = "$HOSTILE-fixtures" ]
  [ "${argv[8]}" = "$WS/fixtures/$HOSTILE" ]
}

@test "an environment host is literal text around run-time references" {
  run bash -c '. "$1"; unset STACKC_HOST; stack_environment_host test; printf "%s" "$STACK_HOST"' _ "$STACK"
  assert_success
  assert_output "$HOSTILE-$HOSTILE"
  STACKC_HOST='$(touch pwned) `x`' run bash -c '. "$1"; stack_environment_host test; printf "%s" "$STACK_HOST"' _ "$STACK"
  assert_output "$HOSTILE-\$(touch pwned) \`x\`"
}

@test "a health check path is used exactly" {
  run bash -c '. "$1"; stack_health app; STACK_HOST=h; stack_probe_target app 18080' _ "$STACK"
  assert_success
  assert_output "http://h:18080/health?q=$HOSTILE"
}

@test "the completions offer the names, and loading them runs nothing" {
  run bash -c '. "$1"; COMP_WORDS=(stack test app ""); COMP_CWORD=3; _stack_complete; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$WS/generated/completions/stack.bash"
  assert_success
  assert_output "path
command"
  command -v zsh >/dev/null || fail "zsh is not installed: run scripts/install-tools"
  run zsh -n "$WS/generated/completions/_stack"
  assert_success
}

@test "docker:tag and docker:push pass the image, its tags and the build context to docker unchanged" {
  STACK_COMMIT=0123456789abcdef run "$STACK" docker:push app v1 v2
  assert_success
  local -a argv=()
  local arg
  while IFS= read -r -d '' arg; do argv+=("$arg"); done <"$DOCKER_ARGV"
  # build -t TARGET... CONTEXT, then push TARGET for each: each call's
  # arguments, then an empty one.
  local -a expected=(build -t "$HOSTILE:v1" -t "$HOSTILE:v2" "$WS/ctx/$HOSTILE" ""
    push "$HOSTILE:v1" "" push "$HOSTILE:v2" "")
  assert_equal "${#argv[@]}" "${#expected[@]}"
  local i
  for i in "${!expected[@]}"; do
    assert_equal "${argv[$i]}" "${expected[$i]}"
  done
  assert_line "$HOSTILE:v1" || assert_output --partial "$HOSTILE:v1"
}

@test "docker:promote passes the image and its tags to docker unchanged" {
  run "$STACK" docker:promote app v1
  assert_success
  local -a argv=()
  local arg
  while IFS= read -r -d '' arg; do argv+=("$arg"); done <"$DOCKER_ARGV"
  # image inspect SOURCE, pull SOURCE, tag SOURCE TARGET, push TARGET: each
  # call's arguments, then an empty one.
  local -a expected=(image inspect "$HOSTILE:v1" "" pull "$HOSTILE:v1" ""
    tag "$HOSTILE:v1" "$HOSTILE:latest" "" push "$HOSTILE:latest" "")
  assert_equal "${#argv[@]}" "${#expected[@]}"
  local i
  for i in "${!expected[@]}"; do
    assert_equal "${argv[$i]}" "${expected[$i]}"
  done
  assert_output --partial "$HOSTILE:latest"
}
