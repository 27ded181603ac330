#!/usr/bin/env bash
# Builds the e2e images without pulling anything: a root filesystem of
# Debian's busybox-static (sh, httpd, wget, nc...) imported with `docker
# import` twice, as stackc-e2e/busybox:1 and stackc-e2e/busybox:2, which
# differ only in E2E_IMAGE (1 or 2), so a test sees which tag ran. httpd
# serves /www: /www/health, and CGI scripts (busybox httpd runs
# /www/cgi-bin/* with the server's environment):
#   env   GREETING, UPSTREAM, E2E_IMAGE, then the body of GET $UPSTREAM
#   data  the body of GET $DATA_URL (404 when that fails)
#   put   stores the request body in /www/data/fixture
# And three versions of a routed component for the deploy test
# (deploy.bats), the same root serving /web: stackc-e2e/web:v1 and
# stackc-e2e/web:v2 answer / and /health with 200 and their version;
# stackc-e2e/web:bad answers /health with 200 and "bad", and / with 500
# (a CGI script: busybox httpd runs /cgi-bin/index.cgi for a folder
# without index.html).
# Does nothing when every image exists with this script's VERSION.
set -euo pipefail
VERSION=3
TAGS="stackc-e2e/busybox:1 stackc-e2e/busybox:2 stackc-e2e/web:v1 stackc-e2e/web:v2 stackc-e2e/web:bad"
current() {
  docker image inspect -f '{{ index .Config.Labels "org.stackc.e2e.version" }}' "$1" 2>/dev/null || true
}
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
mkdir -p "$root/bin" "$root/www/cgi-bin" "$root/www/data" "$root/empty" "$root/tmp" "$root/etc"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
  [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done
printf 'ok\n' >"$root/www/health"
printf 'root:x:0:0:root:/:/bin/sh\n' >"$root/etc/passwd"
cat >"$root/www/cgi-bin/env" <<'CGI'
#!/bin/sh
printf 'Content-Type: text/plain\r\n\r\n'
printf 'GREETING=%s\nUPSTREAM=%s\nE2E_IMAGE=%s\n' "$GREETING" "$UPSTREAM" "$E2E_IMAGE"
printf 'upstream: %s\n' "$(wget -q -O - "$UPSTREAM" 2>&1)"
CGI
cat >"$root/www/cgi-bin/data" <<'CGI'
#!/bin/sh
if body=$(wget -q -O - "$DATA_URL" 2>&1); then
  printf 'Content-Type: text/plain\r\n\r\n%s\n' "$body"
else
  printf 'Status: 404 Not Found\r\nContent-Type: text/plain\r\n\r\nno data at %s: %s\n' "$DATA_URL" "$body"
fi
CGI
cat >"$root/www/cgi-bin/put" <<'CGI'
#!/bin/sh
head -c "$CONTENT_LENGTH" >/www/data/fixture
printf 'Content-Type: text/plain\r\n\r\nstored\n'
CGI
chmod 755 "$root/www/cgi-bin/"*
for tag in 1 2; do
  tar -C "$root" -cf - . | docker import \
    -c "LABEL org.stackc.e2e.version=$VERSION" -c "ENV PATH=/bin E2E_IMAGE=$tag" \
    -c 'CMD ["httpd", "-f", "-p", "80", "-h", "/www"]' - "stackc-e2e/busybox:$tag" >/dev/null
  echo "built stackc-e2e/busybox:$tag"
done
mkdir -p "$root/web"
for version in v1 v2 bad; do
  rm -rf "$root/web/"*
  printf '%s\n' "$version" >"$root/web/health"
  if [ "$version" = bad ]; then
    mkdir "$root/web/cgi-bin"
    cat >"$root/web/cgi-bin/index.cgi" <<'CGI'
#!/bin/sh
printf 'Status: 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\nbad\n'
CGI
    chmod 755 "$root/web/cgi-bin/index.cgi"
  else
    printf '%s\n' "$version" >"$root/web/index.html"
  fi
  tar -C "$root" -cf - . | docker import \
    -c "LABEL org.stackc.e2e.version=$VERSION" -c "ENV PATH=/bin" \
    -c 'CMD ["httpd", "-f", "-p", "80", "-h", "/web"]' - "stackc-e2e/web:$version" >/dev/null
  echo "built stackc-e2e/web:$version"
done
