#!/usr/bin/env bash
# Builds the swarm test's images without pulling anything: a root
# filesystem of Debian's busybox-static imported with `docker import`, as
#   stackc-swarm/web:v1, stackc-swarm/web:v2  answer / and /health with 200
#       and their version ("v1"), /cgi-bin/whoami with "VERSION HOSTNAME"
#       (which replica answered);
#   stackc-swarm/web:sick  answers / with 200 and "sick" but has no /health
#       (404), so a health check of /health fails;
# and stackc-swarm/edge, the stack's entry point: HAProxy from the host's
# Debian package, built by tests/e2e/haproxy-image.sh and tagged again.
# The web images run /bin/serve: busybox httpd in the background, and on
# SIGTERM (Swarm's stop, after it took the task out of the service's DNS
# and load balancer) it keeps answering DRAIN_SECONDS (default 1) more
# seconds, then stops httpd and exits 0. busybox httpd alone, as PID 1,
# ignores SIGTERM and waits for the SIGKILL at the end of the stop grace
# period (10 s by default) on every stop.
# Does nothing when every image exists with this script's VERSION.
set -euo pipefail
VERSION=1
TAGS="stackc-swarm/web:v1 stackc-swarm/web:v2 stackc-swarm/web:sick"
here=$(cd "$(dirname "$0")" && pwd)
current() {
  docker image inspect -f '{{ index .Config.Labels "org.stackc.swarm.version" }}' "$1" 2>/dev/null || true
}
# The edge proxy: the e2e HAProxy image (itself idempotent), retagged.
"$here/../e2e/haproxy-image.sh" >&2
docker tag stackc-e2e/haproxy:2.6 stackc-swarm/edge:2.6
stale=
for tag in $TAGS; do
  [ "$(current "$tag")" = "$VERSION" ] || stale=1
done
[ -n "$stale" ] || exit 0
busybox=$(command -v busybox || true)
[ -n "$busybox" ] || { echo "busybox-static is not installed: run scripts/install-tools" >&2; exit 1; }
if ldd "$busybox" >/dev/null 2>&1; then
  echo "$busybox is linked dynamically: the image needs busybox-static (apt-get install busybox-static)" >&2
  exit 1
fi
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/web/cgi-bin" "$root/tmp" "$root/etc"
chmod 1777 "$root/tmp"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
  [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done
printf 'root:x:0:0:root:/:/bin/sh\n' >"$root/etc/passwd"
cat >"$root/bin/serve" <<'SH'
#!/bin/sh
# busybox httpd on port 80 until SIGTERM or SIGINT; then DRAIN_SECONDS more
# seconds of answering (requests that were on their way), and exit 0.
httpd -f -p "${PORT:-80}" -h /web &
pid=$!
trap 'sleep "${DRAIN_SECONDS:-1}"; kill "$pid" 2>/dev/null; wait "$pid"; exit 0' TERM INT
wait "$pid"
SH
chmod 755 "$root/bin/serve"
cat >"$root/web/cgi-bin/whoami" <<'CGI'
#!/bin/sh
printf 'Content-Type: text/plain\r\n\r\n%s %s\n' "$WEB_VERSION" "$(hostname)"
CGI
chmod 755 "$root/web/cgi-bin/whoami"
for version in v1 v2 sick; do
  rm -f "$root/web/index.html" "$root/web/health"
  printf '%s\n' "$version" >"$root/web/index.html"
  [ "$version" = sick ] || printf '%s\n' "$version" >"$root/web/health"
  tar -C "$root" --numeric-owner -cf - . | docker import \
    -c "LABEL org.stackc.swarm.version=$VERSION" -c "ENV PATH=/bin WEB_VERSION=$version" \
    -c 'CMD ["/bin/serve"]' - "stackc-swarm/web:$version" >/dev/null
  echo "built stackc-swarm/web:$version"
done
