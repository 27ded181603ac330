#!/usr/bin/env bash
# The rows web's fixture loader stored in db, fetched through web.
set -euo pipefail
out=$(curl -sS "$STACK_URL/cgi-bin/data")
printf 'data: %s\n' "$out"
[ "$out" = "rows=3" ]
