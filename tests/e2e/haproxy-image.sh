#!/usr/bin/env bash
# Builds stackc-e2e/haproxy:2.6 without pulling anything: a root filesystem
# made from the host's Debian `haproxy` package (/usr/sbin/haproxy and the
# shared libraries `ldd` lists, with the dynamic loader), a static busybox
# for `sh`, and the official image's user, paths and entrypoint, imported
# with `docker import`. Like docker.io/library/haproxy:2.6 it runs
# `haproxy -W -db -f /usr/local/etc/haproxy/haproxy.cfg` as user haproxy
# (uid 99) and prepends `haproxy -W -db` to a command that starts with
# `haproxy` or an option. (`docker import` cannot set STOPSIGNAL: it stops
# on SIGTERM, HAProxy's hard stop, where the official image uses SIGUSR1.)
# Does nothing when the image exists with this script's VERSION and was
# made from the haproxy binary installed now; rebuilds when either changed.
set -euo pipefail
VERSION=1
TAG=stackc-e2e/haproxy:2.6
haproxy=/usr/sbin/haproxy
[ -x "$haproxy" ] || { echo "$haproxy is not installed: run scripts/install-tools (Debian's haproxy)" >&2; exit 1; }
busybox=$(command -v busybox || true)
[ -n "$busybox" ] || { echo "busybox-static is not installed: run scripts/install-tools" >&2; exit 1; }
if ldd "$busybox" >/dev/null 2>&1; then
  echo "$busybox is linked dynamically: the image needs busybox-static (apt-get install busybox-static)" >&2
  exit 1
fi
# The binary's checksum names what the image was made from.
want="$VERSION-$(sha256sum "$haproxy" | cut -d' ' -f1)"
have=$(docker image inspect -f '{{ index .Config.Labels "org.stackc.e2e.haproxy" }}' "$TAG" 2>/dev/null || true)
[ "$have" = "$want" ] && exit 0

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/local/sbin" "$root/usr/local/bin" "$root/usr/local/etc/haproxy" \
  "$root/bin" "$root/etc" "$root/tmp" "$root/var/lib/haproxy" "$root/var/run/haproxy" "$root/run"
chmod 1777 "$root/tmp"
cp "$haproxy" "$root/usr/local/sbin/haproxy"
# Every library at the path ldd resolved it to (symbolic links followed),
# and the dynamic loader at the path the binary names.
ldd "$haproxy" | awk '/=> \// { print $3 } /^[[:space:]]*\// { print $1 }' | while read -r lib; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
  [ "$applet" = busybox ] || [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
haproxy:x:99:99:haproxy:/var/lib/haproxy:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
haproxy:x:99:
nogroup:x:65534:
EOF
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
# The official image's docker-entrypoint.sh.
cat >"$root/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e
# first arg is `-f` or `--some-option`
if [ "${1#-}" != "$1" ]; then
	set -- haproxy "$@"
fi
if [ "$1" = 'haproxy' ]; then
	shift
	# -W: master-worker mode (reload with SIGUSR2); -db: stay in the foreground
	set -- haproxy -W -db "$@"
fi
exec "$@"
EOF
chmod 755 "$root/usr/local/bin/docker-entrypoint.sh"
chown -R 99:99 "$root/var/lib/haproxy" "$root/var/run/haproxy" 2>/dev/null || true
tar -C "$root" --numeric-owner -cf - . | docker import \
  -c "LABEL org.stackc.e2e.haproxy=$want" \
  -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  -c 'USER haproxy' \
  -c 'WORKDIR /var/lib/haproxy' \
  -c 'ENTRYPOINT ["docker-entrypoint.sh"]' \
  -c 'CMD ["haproxy", "-f", "/usr/local/etc/haproxy/haproxy.cfg"]' \
  - "$TAG" >/dev/null
echo "built $TAG from $haproxy ($("$haproxy" -v | head -n 1))"
