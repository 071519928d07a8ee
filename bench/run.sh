#!/usr/bin/env bash
# Benchmark: Node's BullMQ Worker vs Warren, alternating, against a private redis-server.
#
#   bench/run.sh                 # full run (20,000 and 100,000 jobs; concurrency 1, 10, 50; ±removeOnComplete)
#   BENCH_QUICK=1 bench/run.sh   # ~2 min smoke run (5,000 jobs, concurrency 1 and 50)
#
# Installs bench/node_modules (npm ci) if missing; builds Warren (Release) into build-bench/ if
# WARREN_BIN is not set and build-bench/bin/warren does not exist; starts redis-server on a free
# loopback port with no persistence; runs bench.js; stops everything on exit.
# Other knobs (BENCH_JOBS, BENCH_CONCURRENCY, BENCH_ROC, BENCH_REPEAT, …): see bench.js.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$here"

if [ ! -d node_modules/bullmq ]; then
  npm ci --no-audit --no-fund
fi

build="${BENCH_BUILD_DIR:-$root/build-bench}"
if [ -z "${WARREN_BIN:-}" ]; then
  WARREN_BIN="$build/bin/warren"
  if [ ! -x "$WARREN_BIN" ] || [ ! -f "$build/lib/warren/plugins/noop.so" ] || [ ! -x "$build/bench/floor/round-trip-floor" ]; then
    echo "run.sh: building Warren (Release) in $build"
    # -Wno-error=restrict: GCC 12 at -O3 reports a false -Wrestrict inside std::string (seen in
    # sdk/examples/echo/echo.cpp); the project builds with -Werror.
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWARREN_BUILD_TESTS=OFF \
      -DCMAKE_CXX_FLAGS="-Wno-error=restrict" >/dev/null
    ninja -C "$build" warren echo noop round-trip-floor
  fi
  export WARREN_PLUGIN_DIR="${WARREN_PLUGIN_DIR:-$build/lib/warren/plugins}"
fi
export WARREN_BIN
if [ -z "${WARREN_PLUGIN_DIR:-}" ]; then
  WARREN_PLUGIN_DIR="$(cd "$(dirname "$WARREN_BIN")/.." && pwd)/lib/warren/plugins"
  export WARREN_PLUGIN_DIR
fi
if [ "$(getconf CLK_TCK)" != 100 ]; then
  echo "run.sh: CLK_TCK is $(getconf CLK_TCK), bench.js assumes 100" >&2
  exit 2
fi

# shellcheck source=lib/redis.sh
source "$here/lib/redis.sh"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/warren-bench.XXXXXX")"
bench_pid=""
cleanup() {
  if [ -n "$bench_pid" ] && kill -0 "$bench_pid" 2>/dev/null; then kill -TERM "$bench_pid" 2>/dev/null || true; wait "$bench_pid" 2>/dev/null || true; fi
  stop_redis
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
start_redis "$tmp" || exit 2
echo "run.sh: redis-server pid $redis_pid on $REDIS_URL; warren $WARREN_BIN"

node "$here/bench.js" &
bench_pid=$!
status=0
wait "$bench_pid" || status=$?
bench_pid=""
exit "$status"
