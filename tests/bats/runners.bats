#!/usr/bin/env bats
# Runner inference from the files in a component's build context, explicit
# runners and commands, and --xml mapped to each runner's JUnit option.
# Runners other than bats are fakes that record how they were called
# (tests/shims/runners); bats itself and the JUnit files are real.

load helpers

setup() {
  common_setup
  workspace harness
  export RUNNER_LOG=$BATS_TEST_TMPDIR/runner.log
  PATH=$SHIMS/runners:$PATH
}

teardown() {
  common_teardown
}

# infer FILES...: a build context holding FILES, then the `inferred` suite
# run through test:remote (no stack needed); RUNNER_LOG says what ran.
infer() {
  rm -rf "$WS/svc"
  mkdir -p "$WS/svc"
  local file
  for file in "$@"; do
    mkdir -p "$WS/svc/$(dirname "$file")"
    case $file in
      */) mkdir -p "$WS/svc/$file" ;;
      *) printf '%s\n' "${CONTENT:-}" >"$WS/svc/$file" ;;
    esac
  done
  : >"$RUNNER_LOG"
  run "$STACK" test:remote svc inferred 127.0.0.1:9 ${XML:+--xml "$XML"}
}

@test "package.json with mocha, jest or neither: mocha, jest, npm" {
  CONTENT='{ "devDependencies": { "mocha": "10" } }' infer package.json
  assert_success
  run head -n 2 "$RUNNER_LOG"
  assert_output "npx mocha
cwd $WS/svc"
  CONTENT='{ "devDependencies": { "jest": "29" } }' infer package.json
  run head -n 1 "$RUNNER_LOG"
  assert_output "npx jest --ci"
  CONTENT='{ "scripts": { "test": "node t.js" } }' infer package.json
  run head -n 1 "$RUNNER_LOG"
  assert_output "npm test"
}

@test "Cargo.toml, go.mod, pyproject.toml and pytest.ini" {
  infer Cargo.toml
  run head -n 1 "$RUNNER_LOG"
  assert_output "cargo test"
  infer go.mod
  run head -n 1 "$RUNNER_LOG"
  assert_output "go test ./..."
  infer pyproject.toml
  run head -n 1 "$RUNNER_LOG"
  assert_output "pytest"
  infer pytest.ini
  run head -n 1 "$RUNNER_LOG"
  assert_output "pytest"
}

@test "features/ means cucumber; nothing known is a usage error naming what was looked for" {
  infer features/
  run head -n 1 "$RUNNER_LOG"
  assert_output "cucumber"
  infer README.md
  assert_failure 2
  assert_output --partial "cannot tell how to run svc inferred"
  assert_output --partial "package.json, Cargo.toml, go.mod"
}

@test "--xml DIR becomes each runner's JUnit option" {
  export XML=$BATS_TEST_TMPDIR/reports
  local file=$XML/svc-inferred.xml
  CONTENT='"mocha"' infer package.json
  assert_success
  run head -n 1 "$RUNNER_LOG"
  assert_output "npx mocha --reporter mocha-junit-reporter --reporter-options mochaFile=$file"
  CONTENT='"jest"' infer package.json
  run cat "$RUNNER_LOG"
  assert_line --index 0 "npx jest --ci --reporters=default --reporters=jest-junit"
  assert_line "JEST_JUNIT_OUTPUT_DIR=$XML"
  assert_line "JEST_JUNIT_OUTPUT_NAME=svc-inferred.xml"
  CONTENT='{}' infer package.json
  run cat "$RUNNER_LOG"
  assert_line --index 0 "npm test"
  assert_line "MOCHA_FILE=$file"
  infer pytest.ini
  run head -n 1 "$RUNNER_LOG"
  assert_output "pytest --junitxml=$file"
  infer go.mod
  run head -n 1 "$RUNNER_LOG"
  assert_output "gotestsum --junitfile $file -- ./..."
  infer Cargo.toml
  run cat "$RUNNER_LOG"
  assert_line --index 0 "cargo test -- -Z unstable-options --format junit --report-time"
  assert_line "RUSTC_BOOTSTRAP=1"
  infer features/
  run head -n 1 "$RUNNER_LOG"
  assert_output "cucumber --format pretty --format junit --out $XML"
}

@test "a spec runner and path win over inference; an explicit command wins over both" {
  workspace newsroom
  mkdir -p "$WS/services/api/test/functional"
  printf '{}\n' >"$WS/services/api/Cargo.toml"
  : >"$RUNNER_LOG"
  run "$STACK" test:remote api functional http://127.0.0.1:9 --xml "$BATS_TEST_TMPDIR/x"
  assert_success
  run head -n 2 "$RUNNER_LOG"
  assert_output "npx mocha test/functional --reporter mocha-junit-reporter --reporter-options mochaFile=$BATS_TEST_TMPDIR/x/api-functional.xml
cwd $WS/services/api"
  : >"$RUNNER_LOG"
  run "$STACK" test:remote api integration http://127.0.0.1:9
  run head -n 1 "$RUNNER_LOG"
  assert_output "cucumber features"
  printf '{}\n' >"$WS/services/api/package.json"
  : >"$RUNNER_LOG"
  run "$STACK" test:remote api integration http://127.0.0.1:9 --xml "$BATS_TEST_TMPDIR/x"
  run head -n 1 "$RUNNER_LOG"
  assert_output "npx cucumber-js features --format junit:$BATS_TEST_TMPDIR/x/api-integration.xml"
  # smoke has a command (curl of $STACK_URL/health); Cargo.toml is ignored.
  : >"$RUNNER_LOG"
  start_server http-after 0
  run "$STACK" test:remote api smoke "http://127.0.0.1:$SERVER_PORT"
  assert_success
  assert_output --partial "healthy"
  [ "$(count_lines "$RUNNER_LOG")" -eq 0 ]
}

@test "real bats: inferred from *.bats, --xml writes its JUnit report" {
  rm -rf "$WS/svc" && mkdir -p "$WS/svc/test"
  printf '@test "one" { true; }\n@test "two" { [ "$STACK_URL" = http://127.0.0.1:9 ]; }\n' >"$WS/svc/test/a.bats"
  # The real bats, run with the machine's own tools (bats itself needs GNU
  # readlink); the task runner around it still runs on the userland under test.
  local bin=$BATS_TEST_TMPDIR/bin real_path=$PATH
  real_path=${real_path//"$SHIMS/darwin:"/}
  mkdir -p "$bin"
  printf '#!/usr/bin/env bash\nPATH=%s exec %s "$@"\n' "'$real_path'" "$(command -v bats)" >"$bin/bats"
  chmod +x "$bin/bats"
  PATH=$bin:${PATH#"$SHIMS/runners:"}
  run "$STACK" test:remote svc inferred 127.0.0.1:9 --xml "$BATS_TEST_TMPDIR/reports"
  assert_success
  run python3 -c 'import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); print(len(r.findall(".//testcase")), len(r.findall(".//failure")))' \
    "$BATS_TEST_TMPDIR/reports/svc-inferred.xml"
  assert_output "2 0"
  printf '@test "three" { false; }\n' >"$WS/svc/test/b.bats"
  run "$STACK" test:remote svc inferred 127.0.0.1:9 --xml "$BATS_TEST_TMPDIR/reports"
  assert_failure
  run python3 -c 'import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); print(len(r.findall(".//testcase")), len(r.findall(".//failure")))' \
    "$BATS_TEST_TMPDIR/reports/svc-inferred.xml"
  assert_output "3 1"
}

@test "commands and the shell runner get a JUnit file from the script itself" {
  local reports=$BATS_TEST_TMPDIR/reports
  run "$STACK" test:remote svc check 127.0.0.1:9 --xml "$reports"
  assert_success
  run python3 -c 'import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); c = r.find(".//testcase"); print(c.get("classname"), c.get("name"), len(r.findall(".//failure")))' \
    "$reports/svc-check.xml"
  assert_output "svc check 0"
  run "$STACK" test:remote svc fail 127.0.0.1:9 --xml "$reports"
  assert_failure 3
  run python3 -c 'import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); print(r.find(".//failure").get("message"))' \
    "$reports/svc-fail.xml"
  assert_output "exit status 3"
  printf 'echo "run.sh in ${PWD##*/} for $STACK_COMPONENT"\nexit 4\n' >"$WS/svc/run.sh"
  run "$STACK" test:remote svc scripted 127.0.0.1:9 --xml "$reports"
  assert_failure 4
  assert_output --partial "run.sh in svc for svc"
  [ -f "$reports/svc-scripted.xml" ]
}

@test "a suite path starting with - reaches every runner as a path, never as an option" {
  local path=--collect-only runner
  mkdir -p "$WS/svc/$path" "$WS/stack.d/test/svc"
  printf 'echo "shell ran $0"\n' >"$WS/svc/$path/run.sh"
  # The override hook picks the runner and path, then runs the suite.
  printf 'suite_path=$SUITE_PATH STACK_RUNNER=$SUITE_RUNNER\nstack_run_suite\n' \
    >"$WS/stack.d/test/svc/check"
  for runner in mocha jest npm cucumber pytest cargo go; do
    : >"$RUNNER_LOG"
    SUITE_PATH=$path SUITE_RUNNER=$runner run "$STACK" test:remote svc check 127.0.0.1:9
    assert_success
    run head -n 1 "$RUNNER_LOG"
    case $runner in
      mocha) assert_output "npx mocha ./$path" ;;
      jest) assert_output "npx jest --ci ./$path" ;;
      npm) assert_output "npm test -- ./$path" ;;
      cucumber) assert_output "cucumber ./$path" ;;
      pytest) assert_output "pytest ./$path" ;;
      cargo) assert_output "cargo test --manifest-path ./$path/Cargo.toml" ;;
      go) assert_output "go test ./$path/..." ;;
    esac
  done
  SUITE_PATH=$path/run.sh SUITE_RUNNER=shell run "$STACK" test:remote svc check 127.0.0.1:9
  assert_success
  assert_output --partial "shell ran ./$path/run.sh"
  # bats, faked like the others (the real one needs GNU readlink).
  mkdir -p "$BATS_TEST_TMPDIR/bin"
  ln -s "$SHIMS/runners/_record" "$BATS_TEST_TMPDIR/bin/bats"
  : >"$RUNNER_LOG"
  PATH=$BATS_TEST_TMPDIR/bin:$PATH SUITE_PATH=$path SUITE_RUNNER=bats \
    run "$STACK" test:remote svc check 127.0.0.1:9
  assert_success
  run head -n 1 "$RUNNER_LOG"
  assert_output "bats -r ./$path"
}
