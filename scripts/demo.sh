#!/usr/bin/env bash
# Installs dependencies, builds, and runs Warren's main job on embedded defaults (no REDIS_URL:
# Warren starts its own redis-server on a unix socket in its data directory):
#   - lists the plugins Warren finds (the echo example),
#   - `warren demo`: the content pipeline offline (content:analyze -> content:generate with a
#     near-duplicate caught -> post:publish to warren-fake-platforms, which it starts on
#     loopback -> analytics:collect); prints each post as published with its metrics (exit 0
#     when every step ended as expected; `warren demo --basic` is the echo/video batch).
# The data directory is a temp directory, removed at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
bash scripts/build.sh
warren=build/bin/warren

work=$(mktemp -d /tmp/warren-demo-XXXXXX)
trap 'rm -rf "$work"' EXIT
export WARREN_DATA_DIR="$work" WORKER_ID=demo
unset REDIS_URL

echo
echo "==> $("$warren" --version)"
echo "==> warren plugins list"
"$warren" plugins list

echo
echo "==> warren demo"
"$warren" demo
