#!/usr/bin/env bash
# Runs the hot-reload suite: Node `node --test` files driving a real warren binary with the real
# bullmq package (from tests/interop/node_modules), each test with its own redis-server and warren.
#
#   tests/reload/run.sh                          # every *.test.js
#   tests/reload/run.sh refusals.test.js         # selected files
#
# Environment: WARREN_BIN (default build/bin/warren), WARREN_FIXTURE_DIR (the built fixtures:
# swap_v1.so, swap_v2.so, other_major.so, …; default build/tests/plugins), REDIS_SERVER,
# RELOAD_TMPDIR (where each test's temp dir goes; default $TMPDIR or /tmp), RELOAD_KEEP_LOGS=1,
# RELOAD_SCALE (timeout multiplier), RELOAD_LOAD_JOBS (jobs per load run, default 3000),
# RELOAD_CONCURRENCY (test files run at once, default 1). Extra node options: NODE_TEST_ARGS.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"

# shellcheck source-path=SCRIPTDIR source=../lib/node-suite.sh
source "$root/tests/lib/node-suite.sh"
need_interop_packages "$root"
need_programs redis-server "${REDIS_SERVER:-/usr/bin/redis-server}"
export WARREN_BIN="${WARREN_BIN:-$root/build/bin/warren}"
export WARREN_FIXTURE_DIR="${WARREN_FIXTURE_DIR:-$root/build/tests/plugins}"
if [ ! -x "$WARREN_BIN" ]; then
  echo "run.sh: $WARREN_BIN is not an executable (build it, or set WARREN_BIN)" >&2
  exit 2
fi
for f in swap_v1 swap_v2 other_major init_fails required_config; do
  if [ ! -f "$WARREN_FIXTURE_DIR/$f.so" ]; then
    echo "run.sh: $WARREN_FIXTURE_DIR/$f.so missing (build the target warren_test_fixtures)" >&2
    exit 2
  fi
done

if [ "$#" -gt 0 ]; then files=("$@"); else files=(*.test.js); fi
echo "reload: warren=$WARREN_BIN fixtures=$WARREN_FIXTURE_DIR files=${#files[@]}"
run_node_tests reload "${RELOAD_CONCURRENCY:-1}" "${files[@]}"
