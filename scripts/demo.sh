#!/usr/bin/env bash
# Installs dependencies, builds, and runs Warren's main job on a fresh machine:
#   - lists the plugins Warren finds (the echo example),
#   - serves the queue "demo" with the echo plugin for a few seconds, then stops it with SIGTERM
#     the way an orchestrator would, and checks that it stopped cleanly (exit 0).
# Until Warren starts its own embedded Redis, this script starts a private redis-server on a unix
# socket in a temp directory and hands it over as REDIS_URL.
#   DEMO_SECONDS  how long the worker serves before SIGTERM (default 2)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
bash scripts/build.sh
warren=build/bin/warren

echo
echo "==> $("$warren" --version)"
echo "==> warren plugins list"
"$warren" plugins list

work=$(mktemp -d /tmp/warren-demo-XXXXXX)
redis_pid=""
cleanup() {
  if [ -n "$redis_pid" ]; then
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

redis-server --port 0 --unixsocket "$work/redis.sock" --save '' --appendonly no \
  --dir "$work" --logfile "$work/redis.log" &
redis_pid=$!
for _ in $(seq 100); do
  [ -S "$work/redis.sock" ] && break
  sleep 0.05
done
[ -S "$work/redis.sock" ] || { echo "demo: redis-server did not start" >&2; cat "$work/redis.log" >&2; exit 1; }

echo
echo "==> warren run --plugin echo --queue demo (for ${DEMO_SECONDS:-2} s, then SIGTERM)"
REDIS_URL="unix://$work/redis.sock" WORKER_ID=demo "$warren" run --plugin echo --queue demo &
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
echo "demo: OK (warren started with the echo plugin and stopped cleanly on SIGTERM)"
