#!/usr/bin/env bash
# Runs the high-availability suite: Warren against a Redis Sentinel group and a Redis Cluster,
# real redis-server / redis-sentinel processes on loopback started by each test, a Node bullmq
# producer (tests/interop's npm packages), kills under load. Prints the measured figures as
# "[ha figures] ..." lines (docs/redis-ha.md).
#
#   tests/ha/run.sh                        # every *.test.js
#   tests/ha/run.sh cluster.test.js        # selected files
#
# Environment: WARREN_BIN (default build/bin/warren), WARREN_PLUGIN_DIR (default
# build/lib/warren/plugins), HA_KEEP_LOGS=1, HA_SCALE (wait multiplier). NODE_TEST_ARGS: extra
# node --test options.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"

# shellcheck source-path=SCRIPTDIR source=../lib/node-suite.sh
source "$root/tests/lib/node-suite.sh"
need_interop_packages "$root"
need_programs "redis-server redis-sentinel redis-tools" "${REDIS_SERVER:-/usr/bin/redis-server}" \
  "${REDIS_SENTINEL:-/usr/bin/redis-sentinel}" /usr/bin/redis-cli
export WARREN_BIN="${WARREN_BIN:-$root/build/bin/warren}"
export WARREN_PLUGIN_DIR="${WARREN_PLUGIN_DIR:-$root/build/lib/warren/plugins}"
if [ ! -x "$WARREN_BIN" ] || [ ! -f "$WARREN_PLUGIN_DIR/echo.so" ]; then
  echo "run.sh: $WARREN_BIN or $WARREN_PLUGIN_DIR/echo.so missing (build warren and echo)" >&2
  exit 2
fi

if [ "$#" -gt 0 ]; then files=("$@"); else files=(*.test.js); fi
# Serial: the figures are timings.
run_node_tests ha 1 "${files[@]}"
