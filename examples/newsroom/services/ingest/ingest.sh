#!/usr/bin/env bash
# Placeholder: polls $FEEDS and posts new stories to $API_URL.
set -euo pipefail
touch /tmp/ingest.alive
