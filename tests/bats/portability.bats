#!/usr/bin/env bats
# The generated scripts avoid bash 4+ constructs, and the prelude's helpers
# behave the same on GNU, macOS-like (BSD) and busybox userlands.
# docs/portability.md lists the rules.

load helpers

setup() {
  common_setup
  workspace harness
}

teardown() {
  common_teardown
}

# Every generated bash file of every model.
generated_files() {
  find "$SCRIPTS" -type f \( -name stack -o -name stack.bash \)
}

# banned_constructs FILES...: prints every bash 4+ construct found, by kind.
banned_constructs() {
  local banned
  # Each line: a construct (extended regex) and the bash version it needs.
  banned='declare -A|local -A|typeset -A           associative arrays (4.0)
(^|[^_[:alnum:]])(mapfile|readarray)([^_[:alnum:]]|$)   mapfile/readarray (4.0)
\$\{[[:alnum:]_]+(\[[^]]*\])?(,,?|\^\^?)[^}]*\}   case modification ${x,,} ${x^^} (4.0)
;;&|;&                                           case fall-through ;& ;;& (4.0)
\|&                                              |& (4.0)
&>>                                              &>> (4.0)
\[-[0-9]+\]                                      negative array index (4.3)
\$\{[[:alnum:]_]+:-?[0-9]+:-                     negative substring length (4.2)
wait -n|wait -f|wait -p                          wait -n/-f/-p (4.3+)
EPOCHSECONDS|EPOCHREALTIME|SRANDOM|BASHPID       bash 4/5 variables
coproc                                           coproc (4.0)
declare -[a-zA-Z]*[lun]|local -[a-zA-Z]*[lun]|declare -g|local -g   declare -l/-u/-n/-g (4.0+)
\$\{[^}]*@[QEPAaUuLK]\}                          ${x@Q} transformations (4.4)
\[\[ +-v                                         [[ -v (4.2)
(^|[^[:alnum:]_])test -v|\[ -v                   test -v (4.2)
shopt -s +(globstar|lastpipe|inherit_errexit|autocd|direxpand)   4.0+ shell options
exec +\{[[:alnum:]_]+\}[<>]                      {fd}> redirections (4.1)
read [^|]*-t +[0-9]*\.[0-9]                      fractional read -t (4.0)
printf +(-v +[[:alnum:]_]+ +)?.%\([^)]*\)T       printf %(...)T (4.2)
\{[0-9]+\.\.[0-9]+\.\.                           brace range steps (4.0)
\{0[0-9]+\.\.                                    zero-padded brace ranges (4.0)'
  local line pattern what found=''
  while IFS= read -r line; do
    pattern=$(printf '%s' "$line" | sed -E 's/ {3,}.*$//')
    what=$(printf '%s' "$line" | sed -E 's/^.* {3,}//')
    if grep -nE -- "$pattern" "$@" | grep -v ':[[:space:]]*#' >"$BATS_TEST_TMPDIR/hits"; then
      found="$found$what:
$(cat "$BATS_TEST_TMPDIR/hits")
"
    fi
  done <<<"$banned"
  printf '%s' "$found"
}

@test "no bash 4+ construct in any generated script" {
  local files
  files=$(generated_files)
  [ -n "$files" ]
  # shellcheck disable=SC2086
  run banned_constructs $files
  assert_output ""
}

@test "no unguarded \"\${array[@]}\" (unbound under set -u before bash 4.4)" {
  local file hits=''
  for file in $(generated_files); do
    # The guarded form ${a[@]+"${a[@]}"} is fine; anything else is not.
    hits=$hits$(sed -E 's/\$\{([[:alnum:]_]+)\[@\]\+"\$\{\1\[@\]\}"\}//g' "$file" \
      | grep -nE '"\$\{[[:alnum:]_]+\[@\]\}"' | grep -v 'COMPREPLY' || true)
  done
  [ -z "$hits" ] || fail "unguarded array expansions: $hits"
}

@test "the banned-construct check itself finds what it should" {
  printf '%s\n' 'declare -A map' 'x=${y,,}' 'mapfile -t lines' 'wait -n' 'exec {fd}>x' \
    'echo ${EPOCHSECONDS}' 'case x in a) ;& esac' 'echo "${a[-1]}"' '[[ -v x ]]' >"$BATS_TEST_TMPDIR/bad.sh"
  run banned_constructs "$BATS_TEST_TMPDIR/bad.sh"
  assert_output --partial "associative arrays"
  assert_output --partial "mapfile"
  assert_output --partial "case modification"
  assert_output --partial "wait -n"
  assert_output --partial "{fd}>"
  assert_output --partial "bash 4/5 variables"
  assert_output --partial "fall-through"
  assert_output --partial "negative array index"
  assert_output --partial "[[ -v"
}

@test "a test run under the macOS-like userland never calls timeout or a GNU-only flag" {
  export DARWIN_SHIM_LOG=$BATS_TEST_TMPDIR/darwin.log
  PATH=$SHIMS/darwin:$PATH
  run uname
  assert_output Darwin
  echo "running 0 starting" >"$SHIM_STATES/db"
  run "$STACK" test svc check
  assert_failure 1
  rm "$SHIM_STATES/db"
  run "$STACK" test svc check --xml "$BATS_TEST_TMPDIR/x"
  assert_success
  run "$STACK" build
  assert_success
  [ ! -s "$DARWIN_SHIM_LOG" ] || fail "BSD tools refused: $(cat "$DARWIN_SHIM_LOG")"
}

# helper FUNCTION ARGS...: runs a prelude function of the generated script.
helper() {
  run bash -c '. "$1"; shift; "$@"' _ "$STACK" "$@"
}

@test "stack_now_ms: milliseconds, and they advance" {
  run bash -c '. "$1"; a=$(stack_now_ms); sleep 0.3; b=$(stack_now_ms); echo "$a $(( b - a ))"' _ "$STACK"
  assert_success
  local now=${output% *} delta=${output#* }
  [ "${#now}" -eq 13 ]
  # Milliseconds, not seconds or microseconds; the upper bound leaves room
  # for a loaded machine.
  [ "$delta" -ge 250 ] && [ "$delta" -lt 4000 ]
}

@test "stack_timeout_ms: stops a command at its time, passes statuses through" {
  run bash -c '. "$1"; a=$(stack_now_ms); s=0; stack_timeout_ms 300 sleep 5 || s=$?; echo "$s $(( $(stack_now_ms) - a ))"' _ "$STACK"
  assert_success
  [ "${output% *}" -eq 124 ]
  # Stopped well before `sleep 5` would end, however loaded the machine.
  [ "${output#* }" -lt 4500 ]
  helper stack_timeout_ms 2000 true
  assert_success
  helper stack_timeout_ms 2000 sh -c 'exit 3'
  assert_failure 3
  helper stack_timeout_ms 2000 echo out
  assert_output out
}

@test "stack_base64: one line, decodes back" {
  local text
  text=$(printf 'x%.0s' $(seq 1 100))
  run bash -c '. "$1"; printf "%s" "$2" | stack_base64' _ "$STACK" "$text"
  assert_success
  [ "$(printf '%s' "$output" | wc -l | tr -d ' ')" -eq 0 ]
  [ "$(printf '%s' "$output" | base64 -d)" = "$text" ]
}

@test "stack_sed_i: edits in place, keeps the mode" {
  local file=$BATS_TEST_TMPDIR/f
  printf 'a b\nc\n' >"$file"
  chmod 640 "$file"
  helper stack_sed_i 's/b/B/' "$file"
  assert_success
  [ "$(cat "$file")" = "a B
c" ]
  [ "$(ls -l "$file" | cut -c1-10)" = "-rw-r-----" ]
  helper stack_sed_i 's/unclosed' "$file"
  assert_failure
  [ "$(cat "$file")" = "a B
c" ]
}

@test "stack_file_mtime, stack_mktemp_dir, stack_file_dir through relative symlinks" {
  helper stack_file_mtime "$STACK"
  assert_success
  [ "$output" -gt 1000000000 ]
  helper stack_mktemp_dir
  assert_success
  [ -d "$output" ] && rmdir "$output"
  mkdir -p "$BATS_TEST_TMPDIR/a/b" "$BATS_TEST_TMPDIR/c"
  ln -s ../a/b "$BATS_TEST_TMPDIR/c/link-dir"
  touch "$BATS_TEST_TMPDIR/a/b/file"
  ln -s ../c/link-dir/file "$BATS_TEST_TMPDIR/a/file-link"
  helper stack_file_dir "$BATS_TEST_TMPDIR/a/file-link"
  assert_output "$(cd "$BATS_TEST_TMPDIR/a/b" && pwd -P)"
}

@test "stack_xargs: runs nothing on empty input, keeps spaces in lines" {
  run bash -c '. "$1"; printf "" | stack_xargs echo ran' _ "$STACK"
  assert_output ""
  run bash -c '. "$1"; printf "a b\nc\n" | stack_xargs printf "<%s>"' _ "$STACK"
  assert_output "<a b><c>"
}
