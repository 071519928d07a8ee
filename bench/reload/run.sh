#!/usr/bin/env bash
# Hot-reload benchmark: throughput with and without repeated plugin swaps, and the time from a
# reload trigger to the first job served by the new generation. Prints figures; asserts nothing.
#
#   bench/reload/run.sh                  # 3 + 3 rounds of 20,000 jobs
#   BENCH_QUICK=1 bench/reload/run.sh    # 2 + 2 rounds of 5,000 jobs
#
# Uses bench/node_modules (npm ci in bench/ if missing). Without WARREN_BIN it builds warren and
# the swap fixtures (Release) into build-bench-reload/. Starts its own redis-server on a free
# loopback port, no persistence; stops everything on exit. Knobs: see bench.js.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if [ ! -d "$root/bench/node_modules/bullmq" ]; then
  (cd "$root/bench" && npm ci --no-audit --no-fund)
fi

if [ -z "${WARREN_BIN:-}" ]; then
  build="${BENCH_BUILD_DIR:-$root/build-bench-reload}"
  # -Wno-error=restrict: GCC 12 at -O3 reports a false -Wrestrict inside std::string.
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS="-Wno-error=restrict" >/dev/null
  cmake --build "$build" --target warren fixture_swap_v1 fixture_swap_v2 --parallel 2
  WARREN_BIN="$build/bin/warren"
  WARREN_FIXTURE_DIR="${WARREN_FIXTURE_DIR:-$build/tests/plugins}"
fi
export WARREN_BIN
export WARREN_FIXTURE_DIR="${WARREN_FIXTURE_DIR:-$(cd "$(dirname "$WARREN_BIN")/.." && pwd)/tests/plugins}"
for f in swap_v1 swap_v2; do
  [ -f "$WARREN_FIXTURE_DIR/$f.so" ] || { echo "run.sh: $WARREN_FIXTURE_DIR/$f.so missing" >&2; exit 2; }
done

# shellcheck source=../lib/redis.sh
source "$here/../lib/redis.sh"
redis_session reload || exit 2
echo "run.sh: redis-server pid $redis_pid on $REDIS_URL; warren $WARREN_BIN; fixtures $WARREN_FIXTURE_DIR"
node "$here/bench.js"
