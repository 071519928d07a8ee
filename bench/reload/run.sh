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

redis_server="${REDIS_SERVER:-$(command -v redis-server || true)}"
[ -n "$redis_server" ] || { echo "run.sh: redis-server not found (apt-get install -y redis-server)" >&2; exit 2; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/warren-bench-reload.XXXXXX")"
redis_pid=""
cleanup() {
  if [ -n "$redis_pid" ] && kill -0 "$redis_pid" 2>/dev/null; then
    kill -TERM "$redis_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$redis_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$redis_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

for _ in 1 2 3 4 5; do
  port="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close();})")"
  "$redis_server" --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$tmp" \
    --logfile "$tmp/redis.log" --daemonize no &
  redis_pid=$!
  ok=""
  for _ in $(seq 1 50); do
    kill -0 "$redis_pid" 2>/dev/null || break
    if [ "$(redis-cli -p "$port" PING 2>/dev/null)" = PONG ]; then ok=1; break; fi
    sleep 0.1
  done
  [ -n "$ok" ] && break
  kill -KILL "$redis_pid" 2>/dev/null || true
  redis_pid=""
done
[ -n "$redis_pid" ] || { echo "run.sh: could not start redis-server" >&2; exit 2; }
export REDIS_URL="redis://127.0.0.1:$port"
echo "run.sh: redis-server pid $redis_pid on $REDIS_URL; warren $WARREN_BIN; fixtures $WARREN_FIXTURE_DIR"
node "$here/bench.js"
