#!/usr/bin/env bash
# Builds the e2e image stackc-e2e/busybox:1 without pulling anything: a root
# filesystem of Debian's busybox-static (sh, httpd, wget, nc...) with
# /www/health, imported with `docker import`. Does nothing when it exists.
set -euo pipefail
image=stackc-e2e/busybox:1
if docker image inspect "$image" >/dev/null 2>&1; then
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
mkdir -p "$root/bin" "$root/www" "$root/empty" "$root/tmp" "$root/etc"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
  [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done
printf 'ok\n' >"$root/www/health"
printf 'root:x:0:0:root:/:/bin/sh\n' >"$root/etc/passwd"
tar -C "$root" -cf - . | docker import \
  -c 'ENV PATH=/bin' -c 'CMD ["httpd", "-f", "-p", "80", "-h", "/www"]' - "$image" >/dev/null
echo "built $image"
