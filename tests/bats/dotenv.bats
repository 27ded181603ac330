#!/usr/bin/env bats
# The task runner reads the workspace's .env for the run-time references it
# expands itself (image tags, hosts). Every line it reads must give the
# value Docker Compose gives (the real Compose is the oracle), and the lines
# it leaves alone are those Compose expands or unescapes.

load helpers

setup() {
  common_setup
  workspace harness
}

teardown() {
  common_teardown
}

# The real Docker Compose (the bats PATH starts with the fake docker).
real_compose() {
  local candidate
  for candidate in "$REPO/.venv/bin/docker-compose" /usr/libexec/docker/cli-plugins/docker-compose \
    /usr/local/lib/docker/cli-plugins/docker-compose; do
    if [ -x "$candidate" ] && "$candidate" version --short 2>/dev/null | grep -qv '^1\.'; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  fail "Docker Compose v2 is not installed: run scripts/install-tools"
}

@test "every .env line the runner reads means what it means to Compose; it leaves the rest to Compose" {
  local compose dir=$BATS_TEST_TMPDIR/dotenv
  compose=$(real_compose)
  mkdir -p "$dir"
  # One variable a line: V01... The runner reads the first group.
  {
    printf '%s\n' 'V01=plain value  ' '  V02 = spaced ' 'export V03=exported' \
      "V04='single # x'  # comment" 'V05="double # x" # comment' 'V06=val # comment' \
      'V07=val#nocomment' 'V08=' 'V09=x\y' "V10='\$HOME \\n'" 'V11=a"b"' "V12=a'b" \
      "V13=tab	here" 'V15="  sp  "' 'V16=a=b' '# V17=commented' '  #V18=commented'
    printf 'V14=crlf\r\n'
    # Compose expands or unescapes these: the runner leaves them alone.
    printf '%s\n' 'V20=$HOME' 'V21="a$HOME"' 'V22="a\nb"' 'V23=${HOME}x'
  } >"$dir/.env"
  {
    printf 'services:\n  s:\n    image: busybox\n    environment:\n'
    for n in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 20 21 22 23; do
      printf '      V%s: "[${V%s-unset}]"\n' "$n" "$n"
    done
  } >"$dir/compose.yml"
  "$compose" -p dotenv -f "$dir/compose.yml" --env-file "$dir/.env" config --format json \
    | python3 -c 'import json, sys
env = json.load(sys.stdin)["services"]["s"]["environment"]
for name in sorted(env):
    print("%s=%s" % (name, json.dumps(env[name].replace("$$", "$"))))' >"$dir/compose.out"
  run env -i HOME="$HOME" PATH="$PATH" bash -c '
    . "$1"
    stack_load_dotenv "$2"
    for n in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 20 21 22 23; do
      name=V$n
      value="[${!name-unset}]"
      python3 -c "import json, sys; print(\"%s=%s\" % (sys.argv[1], json.dumps(sys.argv[2])))" "$name" "$value"
    done' _ "$STACK" "$dir/.env"
  assert_success
  printf '%s\n' "$output" >"$dir/runner.out"
  # What the runner reads: exactly what Compose reads.
  run grep -v '"\[unset\]"$' "$dir/runner.out"
  local read_lines=$output
  [ "$(printf '%s\n' "$read_lines" | wc -l | tr -d ' ')" -eq 16 ]
  local line
  while IFS= read -r line; do
    grep -qxF -- "$line" "$dir/compose.out" || fail "the runner read $line; Compose: $(grep "^${line%%=*}=" "$dir/compose.out")"
  done <<<"$read_lines"
  # Comments are nothing to either; the rest is Compose's alone.
  run grep -E '^V(17|18|20|21|22|23)=' "$dir/runner.out"
  assert_output 'V17="[unset]"
V18="[unset]"
V20="[unset]"
V21="[unset]"
V22="[unset]"
V23="[unset]"'
  run grep -E '^V1[78]=' "$dir/compose.out"
  assert_output 'V17="[unset]"
V18="[unset]"'
}
