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
# Does nothing when both images exist with this script's VERSION.
set -euo pipefail
VERSION=2
current() {
  docker image inspect -f '{{ index .Config.Labels "org.stackc.e2e.version" }}' "$1" 2>/dev/null || true
}
if [ "$(current stackc-e2e/busybox:1)" = "$VERSION" ] && [ "$(current stackc-e2e/busybox:2)" = "$VERSION" ]; then
  exit 0
fi
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
