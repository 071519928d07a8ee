#!/usr/bin/env bash
# Benchmark: the per-job cost of process isolation (queue.NAME.isolation = process) against the
# same plugin in process, taking turns in one run against a private redis-server; or, with
# BENCH_BEFORE=/path/to/older/warren, that binary against this one (both in process).
#
#   bench/isolation/run.sh                        # noop and echo, concurrency 1 and 50, 3 rounds
#   BENCH_JOBS=5000 BENCH_REPEAT=1 bench/isolation/run.sh   # a quick look
#
# Uses bench/node_modules (npm ci there if missing) and the Release build of bench/run.sh
# (build-bench/, built if WARREN_BIN is not set and it is missing). Knobs: see bench.js.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench="$(cd "$here/.." && pwd)"
root="$(cd "$bench/.." && pwd)"

if [ ! -d "$bench/node_modules/bullmq" ]; then
  (cd "$bench" && npm ci --no-audit --no-fund)
fi
build="${BENCH_BUILD_DIR:-$root/build-bench}"
if [ -z "${WARREN_BIN:-}" ]; then
  WARREN_BIN="$build/bin/warren"
  if [ ! -x "$WARREN_BIN" ] || [ ! -f "$build/lib/warren/plugins/noop.so" ]; then
    echo "run.sh: building Warren (Release) in $build"
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWARREN_BUILD_TESTS=OFF \
      -DCMAKE_CXX_FLAGS="-Wno-error=restrict" >/dev/null
    ninja -C "$build" warren echo noop
  fi
  export WARREN_PLUGIN_DIR="${WARREN_PLUGIN_DIR:-$build/lib/warren/plugins}"
fi
export WARREN_BIN
if [ -z "${WARREN_PLUGIN_DIR:-}" ]; then
  WARREN_PLUGIN_DIR="$(cd "$(dirname "$WARREN_BIN")/.." && pwd)/lib/warren/plugins"
  export WARREN_PLUGIN_DIR
fi

# shellcheck source=../lib/redis.sh
source "$bench/lib/redis.sh"
redis_session isolation || exit 2
node "$here/bench.js"
