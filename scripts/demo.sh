#!/usr/bin/env bash
# Installs dependencies, builds, and runs Warren's main job on embedded defaults (no REDIS_URL:
# Warren starts its own redis-server on a unix socket in its data directory):
#   - lists the plugins Warren finds (the echo example),
#   - serves the queue "demo" with the echo plugin for a few seconds, then stops it with SIGTERM
#     the way an orchestrator would, and checks that it stopped cleanly (exit 0).
# The data directory is a temp directory, removed at the end.
#   DEMO_SECONDS  how long the worker serves before SIGTERM (default 2)
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
echo "==> warren run --plugin echo --queue demo (for ${DEMO_SECONDS:-2} s, then SIGTERM)"
"$warren" run --plugin echo --queue demo &
warren_pid=$!
sleep "${DEMO_SECONDS:-2}"
kill -TERM "$warren_pid"
status=0
wait "$warren_pid" || status=$?
if [ "$status" -ne 0 ]; then
  echo "demo: warren exited with $status after SIGTERM" >&2
  exit 1
fi
echo
echo "demo: OK (warren served the queue with the echo plugin and stopped cleanly on SIGTERM)"
