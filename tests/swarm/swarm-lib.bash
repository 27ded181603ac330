# shellcheck shell=bash
# Deploys a Docker Swarm stack and waits, with a deadline, until Swarm has
# converged or given up: what `stack swarm:deploy`, `swarm:status` and
# `swarm:rollback` of the generated task runner do. Plain bash (3.2 and
# later), the docker CLI, and POSIX tools without GNU-only flags: it runs on
# Linux and macOS alike. Source it; every function prints what it sees on
# standard error and what it was asked for on standard output.
#
#   swarm_deploy STACK FILE [SERVICE=IMAGE...]
#       `docker stack deploy -c FILE STACK`; with SERVICE=IMAGE, a second
#       -c file written to a temporary folder gives those services that
#       image. Then swarm_wait on every service of the stack.
#   swarm_wait STACK [MARKS [rollback]]
#       Waits until each service of STACK has converged: its update, when
#       one runs, has ended, and as many tasks as it wants are running (a
#       task with a health check runs once healthy) on the image of its
#       spec. MARKS is the file that swarm_marks wrote before the change:
#       an update whose start differs from its mark is the one this change
#       began. Prints every change of state. With "rollback", a
#       rollback that this change began is what was asked for (status 0).
#   swarm_status STACK
#       One line per service: name, image, running/desired, update state.
#   swarm_rollback STACK SERVICE
#       `docker service rollback` (Swarm's previous spec: one step back,
#       and a second rollback undoes the first), then waits for it.
#   swarm_remove STACK
#       `docker stack rm`, waits until no container or network of the stack
#       is left, then removes its volumes (which `docker stack rm` leaves).
#   swarm_leftovers STACK
#       "KIND NAME" for every service, container, network, volume, config
#       and secret still labelled com.docker.stack.namespace=STACK.
#
# Exit status of deploy, wait and rollback: 0 converged; 1 a docker command
# failed or bad arguments; 2 Swarm rolled the update back (deploy and
# wait: the new spec failed its health checks or its tasks died within
# `monitor`); 3 an update or rollback paused (failure_action: pause);
# 4 the deadline passed.
#
# Settings (environment):
#   SWARM_DEADLINE       seconds to wait for convergence (default 300)
#   SWARM_POLL           seconds between two looks (default 1)
#   SWARM_RESOLVE_IMAGE  docker stack deploy --resolve-image: always (the
#                        default: pins each image to its registry digest,
#                        so every node runs the same bytes; an image that
#                        is only local keeps its tag, and each node uses
#                        its own copy), changed, or never (no registry
#                        asked at all)
#   SWARM_REGISTRY_AUTH  1: --with-registry-auth (the agents get this
#                        client's credentials for a private registry)

SWARM_LABEL=com.docker.stack.namespace

swarm__say() {
  printf 'swarm: %s\n' "$*" >&2
}

# The services of STACK, one name a line.
swarm__services() {
  docker service ls --filter "label=$SWARM_LABEL=$1" --format '{{.Name}}' | sort
}

# IMAGE without its @sha256: digest.
swarm__strip_digest() {
  printf '%s\n' "${1%%@*}"
}

# "STATE|STARTED|MESSAGE" of SERVICE's UpdateStatus; "none||" when Swarm
# never updated it (a service just created has no UpdateStatus).
swarm__update_status() {
  docker service inspect -f \
    '{{if .UpdateStatus}}{{.UpdateStatus.State}}|{{.UpdateStatus.StartedAt}}|{{.UpdateStatus.Message}}{{else}}none||{{end}}' \
    "$1"
}

# "IMAGE DESIRED" of SERVICE's spec: DESIRED is the replica count of a
# replicated service, "global" for a global one.
swarm__spec() {
  docker service inspect -f \
    '{{.Spec.TaskTemplate.ContainerSpec.Image}} {{if .Spec.Mode.Replicated}}{{.Spec.Mode.Replicated.Replicas}}{{else}}global{{end}}' \
    "$1"
}

# "RUNNING TOTAL" of SERVICE: tasks Swarm wants running that run IMAGE
# (a task with a health check is Running once healthy), and all the
# tasks Swarm wants running.
swarm__tasks() {
  local service=$1 image=$2 running=0 total=0 task_image state
  while read -r task_image state; do
    [ -n "$task_image" ] || continue
    total=$((total + 1))
    if [ "$(swarm__strip_digest "$task_image")" = "$image" ] && [ "$state" = Running ]; then
      running=$((running + 1))
    fi
  done <<EOF
$(docker service ps "$service" --no-trunc --filter desired-state=running --format '{{.Image}} {{.CurrentState}}' 2>/dev/null | awk '{ print $1, $2 }')
EOF
  printf '%s %s\n' "$running" "$total"
}

# The last error of SERVICE's tasks (a task that failed or was rejected),
# empty when none has one.
swarm__task_error() {
  docker service ps "$1" --no-trunc --format '{{.Error}}' 2>/dev/null | awk 'NF { print; exit }'
}

# Writes "SERVICE STARTED" for each service of STACK to the file MARKS: the
# start of its last update, to tell a new one from the last one.
swarm_marks() {
  local stack=$1 marks=$2 service status
  : >"$marks"
  for service in $(swarm__services "$stack"); do
    status=$(swarm__update_status "$service") || return 1
    status=${status#*|}
    printf '%s %s\n' "$service" "${status%%|*}" >>"$marks"
  done
}

# The mark of SERVICE in the file MARKS (empty for a service not in it).
swarm__mark() {
  [ -f "$2" ] || return 0
  awk -v s="$1" '$1 == s { print $2; exit }' "$2"
}

# One look at SERVICE: prints "VERDICT|LINE", VERDICT one of pending, converged,
# rolledback, paused; LINE says what it saw.
swarm__look() {
  local service=$1 marks=$2 settled=$3 expect=$4 status state started message spec image desired tasks running total verdict new
  status=$(swarm__update_status "$service") || { printf 'pending|%s: not found\n' "$service"; return; }
  state=${status%%|*}
  status=${status#*|}
  started=${status%%|*}
  message=${status#*|}
  spec=$(swarm__spec "$service") || { printf 'pending|%s: not found\n' "$service"; return; }
  image=$(swarm__strip_digest "${spec% *}")
  desired=${spec##* }
  tasks=$(swarm__tasks "$service" "$image")
  running=${tasks% *}
  total=${tasks#* }
  [ "$desired" != global ] || desired=$total
  new=
  [ "$state" = none ] || [ "$started" = "$(swarm__mark "$service" "$marks")" ] || new=1
  case $state in
    updating | rollback_started) verdict=pending ;;
    paused | rollback_paused) verdict=paused ;;
    rollback_completed)
      # A rollback this change began (an update that failed, or the
      # rollback swarm_rollback asked for); an older one is history.
      if [ -n "$new" ] && [ "$expect" != rollback ]; then verdict=rolledback; else verdict=converged; fi ;;
    *) verdict=converged ;;
  esac
  if [ "$verdict" != paused ] && { [ "$running" != "$desired" ] || [ "$total" != "$desired" ]; }; then
    verdict=pending
  fi
  # No update seen: right after a change Swarm may not have begun it yet.
  if [ "$verdict" = converged ] && [ -z "$new" ] && [ -z "$settled" ]; then
    verdict=pending
  fi
  printf '%s|%s %s %s/%s %s%s\n' "$verdict" "$service" "$image" "$running" "$desired" "$state" \
    "${message:+ ($message)}"
}

swarm_wait() {
  local stack=$1 marks=${2:-} expect=${3:-} deadline=${SWARM_DEADLINE:-300} poll=${SWARM_POLL:-1}
  local start=$SECONDS services service look verdict line pending failed paused settled last_lines lines error
  local reasons=""
  services=$(swarm__services "$stack")
  [ -n "$services" ] || { swarm__say "stack $stack has no service"; return 1; }
  last_lines=
  while :; do
    settled=
    [ $((SECONDS - start)) -lt 2 ] || settled=1
    pending="" failed="" paused="" lines=""
    for service in $services; do
      look=$(swarm__look "$service" "$marks" "$settled" "$expect")
      verdict=${look%%|*}
      line=${look#*|}
      lines="$lines$line
"
      # Why Swarm rolls back or pauses ("update rolled back due to failure
      # or early termination of task ID") is said only while it does.
      case $line in
        *" rollback_started ("* | *" paused ("* | *" rollback_paused ("*)
          reasons="$reasons$service: ${line#* (}
" ;;
      esac
      case $verdict in
        pending) pending="$pending $service" ;;
        rolledback) failed="$failed $service" ;;
        paused) paused="$paused $service" ;;
      esac
    done
    # The lines that changed since the last look.
    printf '%s' "$lines" | while read -r line; do
      case "
$last_lines" in
        *"
$line
"*) ;;
        *) printf 'swarm: [%ss] %s\n' "$((SECONDS - start))" "$line" >&2 ;;
      esac
    done
    last_lines=$lines
    if [ -z "$pending" ]; then
      if [ -n "$paused" ]; then
        swarm__say "paused:$paused (docker service update --rollback or a new deploy resumes)"
        return 3
      fi
      if [ -n "$failed" ]; then
        for service in $failed; do
          error=$(printf '%s' "$reasons" | awk -v s="$service:" '$1 == s { sub(/^[^ ]* /, ""); sub(/\)$/, ""); r = $0 } END { print r }')
          swarm__say "$service: Swarm rolled the update back${error:+ ($error)}"
        done
        return 2
      fi
      swarm__say "stack $stack converged in $((SECONDS - start)) s"
      return 0
    fi
    if [ $((SECONDS - start)) -ge "$deadline" ]; then
      for service in $pending; do
        error=$(swarm__task_error "$service")
        swarm__say "$service has not converged within $deadline s${error:+ (last task error: $error)}"
      done
      return 4
    fi
    sleep "$poll"
  done
}

swarm_deploy() {
  local stack=$1 file=$2 tmp override status=0 pair service image version
  shift 2 || { swarm__say "usage: swarm_deploy STACK FILE [SERVICE=IMAGE...]"; return 1; }
  [ -f "$file" ] || { swarm__say "no stack file $file"; return 1; }
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/swarm-deploy.XXXXXX") || return 1
  set -- -c "$file" "$@"
  if [ $# -gt 2 ]; then
    override=$tmp/images.yml
    # The same version as FILE's (the CLI refuses to merge files of two
    # versions, and a file without one is of the latest, 3.13 in CLI 28).
    version=$(awk '/^version:/ { gsub(/["\047]/, "", $2); print $2; exit }' "$file")
    : >"$override"
    [ -z "$version" ] || printf 'version: "%s"\n' "$version" >"$override"
    printf 'services:\n' >>"$override"
    for pair in "${@:3}"; do
      service=${pair%%=*}
      image=${pair#*=}
      if [ -z "$service" ] || [ "$service" = "$pair" ] || [ -z "$image" ]; then
        swarm__say "not SERVICE=IMAGE: $pair"
        rm -rf "$tmp"
        return 1
      fi
      printf '  %s:\n    image: "%s"\n' "$service" "$image" >>"$override"
    done
    set -- -c "$file" -c "$override"
  fi
  swarm_marks "$stack" "$tmp/marks" || status=1
  if [ "$status" = 0 ]; then
    set -- "$@" --resolve-image "${SWARM_RESOLVE_IMAGE:-always}"
    [ "${SWARM_REGISTRY_AUTH:-}" != 1 ] || set -- "$@" --with-registry-auth
    swarm__say "docker stack deploy $* $stack"
    docker stack deploy "$@" "$stack" >&2 || status=1
  fi
  [ "$status" != 0 ] || swarm_wait "$stack" "$tmp/marks" || status=$?
  rm -rf "$tmp"
  return "$status"
}

swarm_status() {
  local stack=$1 service status spec image desired tasks state
  printf '%-28s %-36s %-9s %s\n' SERVICE IMAGE REPLICAS UPDATE
  for service in $(swarm__services "$stack"); do
    status=$(swarm__update_status "$service") || return 1
    state=${status%%|*}
    spec=$(swarm__spec "$service") || return 1
    image=$(swarm__strip_digest "${spec% *}")
    desired=${spec##* }
    tasks=$(swarm__tasks "$service" "$image")
    [ "$desired" != global ] || desired=${tasks#* }
    printf '%-28s %-36s %-9s %s\n' "$service" "$image" "${tasks% *}/$desired" "$state"
  done
}

swarm_rollback() {
  local stack=$1 service=$2 name tmp status=0
  [ -n "$service" ] || { swarm__say "usage: swarm_rollback STACK SERVICE"; return 1; }
  name=${stack}_$service
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/swarm-rollback.XXXXXX") || return 1
  swarm_marks "$stack" "$tmp/marks" || status=1
  if [ "$status" = 0 ]; then
    swarm__say "docker service rollback $name"
    docker service rollback --detach "$name" >/dev/null || status=1
  fi
  if [ "$status" = 0 ]; then
    swarm_wait "$stack" "$tmp/marks" rollback || status=$?
  fi
  rm -rf "$tmp"
  return "$status"
}

swarm_leftovers() {
  local filter="label=$SWARM_LABEL=$1"
  {
    docker service ls --filter "$filter" --format 'service {{.Name}}'
    docker ps -a --filter "$filter" --format 'container {{.Names}}'
    docker network ls --filter "$filter" --format 'network {{.Name}}'
    docker volume ls --filter "$filter" --format 'volume {{.Name}}'
    docker config ls --filter "$filter" --format 'config {{.Name}}'
    docker secret ls --filter "$filter" --format 'secret {{.Name}}'
  } 2>/dev/null
}

swarm_remove() {
  local stack=$1 deadline=${SWARM_DEADLINE:-300} start=$SECONDS left volume
  docker stack rm "$stack" >&2 || return 1
  # Networks go once their tasks' containers have stopped (stop grace
  # period) and been removed; volumes only after that.
  while :; do
    left=$(swarm_leftovers "$stack" | grep -v '^volume ' || true)
    [ -n "$left" ] || break
    # A docker CLI that gave up on a network still in use leaves it:
    # remove it once no container of the stack is left.
    if ! printf '%s\n' "$left" | grep -q -v '^network '; then
      printf '%s\n' "$left" | while read -r _ network; do
        docker network rm "$network" >/dev/null 2>&1 || true
      done
    fi
    if [ $((SECONDS - start)) -ge "$deadline" ]; then
      swarm__say "stack $stack still has, after $deadline s:"
      printf '%s\n' "$left" >&2
      return 4
    fi
    sleep "${SWARM_POLL:-1}"
  done
  for volume in $(docker volume ls -q --filter "label=$SWARM_LABEL=$stack"); do
    docker volume rm "$volume" >/dev/null || return 1
  done
  swarm__say "stack $stack removed in $((SECONDS - start)) s"
}
