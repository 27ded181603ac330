#!/usr/bin/env bash
# web's environment as its CGI sees it: the build-time templates resolved to
# db's service name and port (and db answering there), GREETING from the
# run-time reference, E2E_IMAGE from the image the run-time tag chose.
set -euo pipefail
out=$(curl -fsS "$STACK_URL/cgi-bin/env")
printf '%s\n' "$out"
want="GREETING=${E2E_GREETING:-hello}
UPSTREAM=http://db:80/health
E2E_IMAGE=${E2E_TAG:-1}
upstream: ok"
if [ "$out" != "$want" ]; then
  printf 'expected:\n%s\n' "$want"
  exit 1
fi
