#!/usr/bin/env bats
# The generated deploy against a live HAProxy whose runtime API is TCP on a
# loopback address (`proxy { runtime_api = "127.0.0.1:PORT" }`, a free
# port), spoken over bash's /dev/tcp. See deploy.bats for the rest.

load helpers

setup() {
  RUNTIME_API_PORT=$(free_port)
  e2e_setup
}

teardown() {
  e2e_teardown
}

@test "TCP runtime API: a healthy canary is promoted, no client failure; a bad one is rolled back" {
  [ ! -e "$STACK_HAPROXY_RUN_DIR/admin.sock" ]
  start_load 40
  deploy --image shop/api:2 --verbose
  echo "$output"
  assert_success
  assert_line "stack: haproxy> set weight api/green 100"
  [ "$(slot_stat green weight)" -eq 100 ]
  grep -q ' green ' "$STACK_HAPROXY_RUN_DIR/server-state"
  behave shop/api:3 --error-rate 0.5
  deploy --image shop/api:3
  stop_load
  echo "$output"
  assert_failure 3
  [ "$(slot_stat green weight)" -eq 100 ]
  [ "$(slot_stat blue status)" = MAINT ]
  [ "$FAILED" -eq 0 ]
  [ "$ERRORS" -eq "$(grep -c '^500 ' "$E2E_SLOTS/api.blue.requests")" ]
}
