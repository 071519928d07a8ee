#!/usr/bin/env bash
# Benchmark: the host's overhead per AI call (host time without the provider's), the AI service
# (host/ai) against the providers' fake (tests/fakes/ai/server.js), per provider and operation.
#
#   bench/ai/run.sh                     # 200 calls a round, 5 rounds per cell
#   BENCH_CALLS=50 BENCH_ROUNDS=3 bench/ai/run.sh
#   BENCH_PROVIDERS=gemini BENCH_OPS=embed bench/ai/run.sh
#
# Knobs: BENCH_CALLS (200), BENCH_ROUNDS (5), BENCH_PROVIDERS (openai,custom,gemini,claude),
# BENCH_OPS (text,structured,vision,embed), BENCH_BUILD_DIR (build-ai-bench; built when the
# driver is missing), AI_DRIVER (a built ai_bench_driver).
# Prints a markdown report; the same goes to bench/ai/results/<time>.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
calls="${BENCH_CALLS:-200}"
rounds="${BENCH_ROUNDS:-5}"

build="${BENCH_BUILD_DIR:-$root/build-ai-bench}"
driver="${AI_DRIVER:-$build/bench/ai/ai_bench_driver}"
if [ ! -x "$driver" ]; then
  echo "run.sh: building the AI benchmark driver (Release) in $build" >&2
  # -Wno-error=restrict: GCC 12 at -O3 reports a false -Wrestrict inside std::string.
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWARREN_BUILD_TESTS=OFF \
    -DCMAKE_CXX_FLAGS="-Wno-error=restrict" >/dev/null
  cmake --build "$build" --target ai_bench_driver --parallel 2 >/dev/null
fi
command -v node >/dev/null || { echo "run.sh: node not found" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/warren-ai-bench.XXXXXX")"
node "$root/tests/fakes/ai/server.js" 2>"$work/fake.log" &
fake=$!
trap 'kill "$fake" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do
  grep -q "listening on" "$work/fake.log" && break
  sleep 0.1
done
port="$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$work/fake.log")"
[ -n "$port" ] || { echo "run.sh: the fake did not start:" >&2; cat "$work/fake.log" >&2; exit 1; }

mkdir -p "$here/results"
report="$here/results/$(date -u +%Y%m%dT%H%M%SZ).md"
{
  echo "# bench/ai: the host's overhead per AI call"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)," \
    "node $(node --version), $calls calls a round, $rounds rounds per cell (medians)."
  echo
  "$driver" "http://127.0.0.1:$port" "$calls" "$rounds"
} | tee "$report"
echo >&2
echo "run.sh: report saved to $report" >&2
