#!/usr/bin/env bats
# `stack docker:push` and `docker:promote` against a real registry:
# Debian's docker-registry (distribution 2.8), started here on a free
# loopback port with htpasswd authentication and its storage in this file's
# temporary folder, stopped by its pid afterwards. The generated task runner
# builds the image (registry-workspace/: FROM the local busybox image,
# nothing pulled), tags it with the commit and branch of a temporary git
# repository, logs in with the password on standard input and pushes; the
# image is then removed locally and pulled back, and must be the one built.
# `docker:promote` pushes the commit's image as the spec's own reference
# over a stale one: a pull of that reference (what an environment's Compose
# file names) must give the commit's image. Two checkouts of different
# content on the same Docker host, the other's build the last under the
# spec's image name, each push their own commit's image. The Docker Engine treats
# 127.0.0.0/8 as an insecure registry by default, so no TLS is needed. Every
# image and process made here is removed.

bats_require_minimum_version 1.5.0

bats_load_library bats-support
bats_load_library bats-assert

load helpers

setup_file() {
  e2e_prepare
  export NAME="e2e-reg-$$-$RANDOM" REGISTRY_PORT REGISTRY_USER=stackc REGISTRY_PASSWORD=e2e-only-password-9f3c
  REGISTRY_PORT=$(e2e_free_port)
  export REGISTRY=127.0.0.1:$REGISTRY_PORT
  export REPOSITORY=$REGISTRY/$NAME/app
  # The bcrypt hash of $REGISTRY_PASSWORD, made once (with Python's crypt
  # module, gone since Python 3.13) so no tool is needed here. The password
  # guards a registry on loopback for the length of this test only.
  e2e_start_registry "$REGISTRY_USER" '$2b$12$zOTAfuYfqo3Ul9p46Epo0eAya5a3wkee90EMKMa6kJOhbweztyD56'
  e2e_workspace "$BATS_TEST_DIRNAME/registry-workspace"
  git -C "$WS" init -q
  git -C "$WS" checkout -q -b "feature/E2E+push"
  git -C "$WS" add -A
  GIT_CONFIG_GLOBAL=/dev/null git -C "$WS" -c user.name=t -c user.email=t@example.com commit -q -m one
  export HEAD_COMMIT
  HEAD_COMMIT=$(git -C "$WS" rev-parse HEAD)
}

teardown_file() {
  remove_images
  e2e_stop_registry
}

setup() {
  unset STACK_COMMIT STACK_BRANCH STACK_REGISTRY_USERNAME STACK_REGISTRY_PASSWORD
  # The docker CLI keeps the login here, not in the user's ~/.docker.
  export DOCKER_CONFIG=$BATS_FILE_TMPDIR/docker-config
  mkdir -p "$DOCKER_CONFIG"
}

# Every local image of this run's repository.
run_images() {
  docker image ls --format '{{.Repository}}:{{.Tag}}' --filter "reference=$REPOSITORY" 2>/dev/null || true
}

remove_images() {
  local image
  for image in $(run_images); do
    docker image rm -f "$image" >/dev/null 2>&1 || true
  done
}

@test "docker:push pushes the commit and branch tags to the registry; they pull back as the image built" {
  run "$STACK" docker:build app
  assert_success
  local built
  built=$(docker image inspect -f '{{.Id}}' "$REPOSITORY:dev")

  # The registry wants credentials: without them the push fails.
  run "$STACK" docker:push app
  assert_failure 1
  assert_output --partial "docker push $REPOSITORY:${HEAD_COMMIT:0:8} failed"

  local commit_ref=$REPOSITORY:${HEAD_COMMIT:0:8} branch_ref=$REPOSITORY:feature-E2E-push
  STACK_REGISTRY_USERNAME=$REGISTRY_USER STACK_REGISTRY_PASSWORD=$REGISTRY_PASSWORD \
    run --separate-stderr "$STACK" docker:push app
  assert_success
  assert_output "$commit_ref
$branch_ref"

  # The registry has both tags, by its own API.
  run curl -fsS -u "$REGISTRY_USER:$REGISTRY_PASSWORD" "http://$REGISTRY/v2/$NAME/app/tags/list"
  assert_success
  assert_output --partial "\"${HEAD_COMMIT:0:8}\""
  assert_output --partial '"feature-E2E-push"'

  # Gone locally, pulled back: the same image, and it runs.
  remove_images
  run run_images
  assert_output ""
  run docker pull -q "$commit_ref"
  assert_success
  run docker pull -q "$branch_ref"
  assert_success
  assert_equal "$(docker image inspect -f '{{.Id}}' "$commit_ref")" "$built"
  assert_equal "$(docker image inspect -f '{{.Id}}' "$branch_ref")" "$built"
  assert_equal "$(docker image inspect -f '{{ index .Config.Labels "org.stackc.e2e.pushed" }}' "$commit_ref")" 1
  run docker run --rm --name "$NAME-pulled" "$commit_ref" cat /www/health
  assert_success
  assert_output "ok"
}

@test "docker:push with STACK_COMMIT / STACK_BRANCH, and with explicit tags" {
  run "$STACK" docker:build app
  assert_success
  export STACK_REGISTRY_USERNAME=$REGISTRY_USER STACK_REGISTRY_PASSWORD=$REGISTRY_PASSWORD
  STACK_COMMIT=fedcba9876543210 STACK_BRANCH=-release/1.x run --separate-stderr "$STACK" docker:push app
  assert_success
  assert_output "$REPOSITORY:fedcba98
$REPOSITORY:release-1.x"
  run --separate-stderr "$STACK" docker:push app v1.0 latest
  assert_success
  assert_output "$REPOSITORY:v1.0
$REPOSITORY:latest"
  run curl -fsS -u "$REGISTRY_USER:$REGISTRY_PASSWORD" "http://$REGISTRY/v2/$NAME/app/tags/list"
  assert_output --partial '"fedcba98"'
  assert_output --partial '"release-1.x"'
  assert_output --partial '"v1.0"'
  assert_output --partial '"latest"'
}

@test "docker:promote: the commit's image becomes the spec's reference in the registry; pulling that reference gives it" {
  export STACK_REGISTRY_USERNAME=$REGISTRY_USER STACK_REGISTRY_PASSWORD=$REGISTRY_PASSWORD
  export STACK_COMMIT=0a1b2c3d4e5f60718293a4b5c6d7e8f901234567
  run "$STACK" docker:build app
  assert_success
  local built stale spec_ref=$REPOSITORY:dev commit_ref=$REPOSITORY:0a1b2c3d
  built=$(docker image inspect -f '{{.Id}}' "$spec_ref")
  run --separate-stderr "$STACK" docker:push app
  assert_success
  assert_line "$commit_ref"

  # The registry's spec reference holds another image (an earlier promotion).
  docker image rm "$spec_ref" >/dev/null
  printf 'FROM stackc-e2e/busybox:1\nLABEL org.stackc.e2e.stale=1\n' | docker build -q -t "$spec_ref" - >/dev/null
  stale=$(docker image inspect -f '{{.Id}}' "$spec_ref")
  [ "$stale" != "$built" ] || fail "the stale image is the built one"
  run docker push -q "$spec_ref"
  assert_success

  # Nothing of the repository is here: promote pulls the commit's image.
  remove_images
  run run_images
  assert_output ""
  run --separate-stderr "$STACK" docker:promote app
  assert_success
  assert_output "$spec_ref"
  [[ $stderr == *"pulling $commit_ref"* ]] || fail "not pulled: $stderr"

  # Gone locally, pulled back by the reference an environment's Compose file names.
  remove_images
  run docker pull -q "$spec_ref"
  assert_success
  assert_equal "$(docker image inspect -f '{{.Id}}' "$spec_ref")" "$built"
  assert_equal "$(docker image inspect -f '{{ index .Config.Labels "org.stackc.e2e.pushed" }}' "$spec_ref")" 1

  # The commit's image already here: used as it is, not pulled.
  run docker pull -q "$commit_ref"
  assert_success
  run --separate-stderr "$STACK" docker:promote app
  assert_success
  assert_output "$spec_ref"
  [[ $stderr == *"$commit_ref is here: not pulling it"* ]] || fail "pulled again: $stderr"
}

# checkout DIR BRANCH TEXT: a copy of the workspace at DIR (its git
# repository too) on BRANCH, with TEXT in the image's /checkout, committed;
# sets CHECKOUT_COMMIT.
checkout() {
  cp -R "$WS" "$1"
  git -C "$1" checkout -q -b "$2"
  printf '%s\n' "$3" >"$1/app/checkout.txt"
  printf 'COPY checkout.txt /checkout\n' >>"$1/app/Dockerfile"
  git -C "$1" add -A
  GIT_CONFIG_GLOBAL=/dev/null git -C "$1" -c user.name=t -c user.email=t@example.com commit -q -m "$3"
  CHECKOUT_COMMIT=$(git -C "$1" rev-parse HEAD)
}

@test "two checkouts on one Docker host: each pushes its own content as its commit, whichever built last" {
  export STACK_REGISTRY_USERNAME=$REGISTRY_USER STACK_REGISTRY_PASSWORD=$REGISTRY_PASSWORD
  local one=$BATS_TEST_TMPDIR/one two=$BATS_TEST_TMPDIR/two one_commit two_commit
  checkout "$one" pipeline-one "content of one"
  one_commit=${CHECKOUT_COMMIT:0:8}
  checkout "$two" pipeline-two "content of two"
  two_commit=${CHECKOUT_COMMIT:0:8}
  [ "$one_commit" != "$two_commit" ] || fail "the checkouts share a commit"

  # Both pipelines build (their tests run); two builds last, so the spec's
  # name, shared by both, holds two's image.
  run "$one/generated/stack" build app
  assert_success
  run "$two/generated/stack" build app
  assert_success
  assert_equal "$(docker run --rm --name "$NAME-spec" "$REPOSITORY:dev" cat /checkout)" "content of two"

  run --separate-stderr "$one/generated/stack" docker:push app
  assert_success
  assert_output "$REPOSITORY:$one_commit
$REPOSITORY:pipeline-one"

  # A push job on a host that never built two's image (nothing of the
  # repository is here) builds it itself.
  remove_images
  run --separate-stderr "$two/generated/stack" docker:push app
  assert_success
  assert_output "$REPOSITORY:$two_commit
$REPOSITORY:pipeline-two"

  # Gone locally, pulled back: each commit's tag and branch's tag gives its own content.
  remove_images
  local ref
  for ref in "$one_commit:content of one" "pipeline-one:content of one" \
    "$two_commit:content of two" "pipeline-two:content of two"; do
    run docker pull -q "$REPOSITORY:${ref%%:*}"
    assert_success
    run docker run --rm --name "$NAME-pulled" "$REPOSITORY:${ref%%:*}" cat /checkout
    assert_success
    assert_output "${ref#*:}"
  done
}

@test "a branch named latest, or named as the spec's tag, pushes no branch tag" {
  export STACK_REGISTRY_USERNAME=$REGISTRY_USER STACK_REGISTRY_PASSWORD=$REGISTRY_PASSWORD
  local branch before after
  for branch in latest dev; do
    before=$(registry_tags)
    STACK_COMMIT=5eed5eed5eed5eed STACK_BRANCH=$branch run --separate-stderr "$STACK" docker:push app
    assert_success
    assert_output "$REPOSITORY:5eed5eed"
    [[ $stderr == *"warning: no branch tag for the branch '$branch'"* ]] || fail "no warning: $stderr"
    # The registry gained the commit's tag, nothing else.
    after=$(registry_tags)
    assert_equal "$after" "$(printf '%s\n' $before 5eed5eed | sort -u)"
  done
}

# The tags of $REPOSITORY in the registry, by its own API, sorted, one a line.
registry_tags() {
  curl -fsS -u "$REGISTRY_USER:$REGISTRY_PASSWORD" "http://$REGISTRY/v2/$NAME/app/tags/list" |
    python3 -c 'import json, sys; print("\n".join(sorted(json.load(sys.stdin).get("tags") or [])))'
}
