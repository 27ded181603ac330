# shellcheck shell=bash
# The scripted swarm of the fake docker (docker/docker, SHIM_SWARM):
# functions that set what it reports of a service, for the shim's hooks
# and the tests (tests/bats/swarm.bats).

# swarm_service NAME STACK IMAGE REPLICAS: service NAME of STACK, just
# created (no UpdateStatus), every task running IMAGE.
swarm_service() {
  local dir=$SHIM_SWARM/services/$1 _
  mkdir -p "$dir"
  printf '%s\n' "$2" >"$dir/stack"
  printf '%s %s\n' "$3" "$4" >"$dir/spec"
  printf 'none||\n' >"$dir/status"
  : >"$dir/tasks"
  for _ in $(seq "$4"); do printf '%s Running\n' "$3" >>"$dir/tasks"; done
}
# swarm_converged NAME IMAGE STATE MESSAGE [PREVIOUS]: service NAME ran an
# update (STATE, MESSAGE, a new start) that ended with every task running
# IMAGE; PREVIOUS is its previous spec's image.
swarm_converged() {
  local dir=$SHIM_SWARM/services/$1 spec replicas _
  spec=$(cat "$dir/spec")
  replicas=${spec##* }
  printf '%s %s\n' "$2" "$replicas" >"$dir/spec"
  printf '%s|start-%s|%s\n' "$3" "$RANDOM$RANDOM" "$4" >"$dir/status"
  printf '%s\n' "${5:-}" >"$dir/previous"
  : >"$dir/tasks"
  for _ in $(seq "$replicas"); do printf '%s Running\n' "$2" >>"$dir/tasks"; done
}
