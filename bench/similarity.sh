#!/usr/bin/env bash
# Similarity benchmark: Warren's exact scan against the memory-bandwidth limit, and the same
# duplicate check in PostgreSQL with pgvector (exact, and the seed's ivfflat form with its
# recall). Prints markdown tables; the default run takes a few minutes.
#
#   bench/similarity.sh                  # D = 768 and 1536, 100k and 1M rows, 1 and 32 inputs; PostgreSQL part
#   BENCH_QUICK=1 bench/similarity.sh    # 100k rows only, 20k rows in PostgreSQL (~1 min)
#   BENCH_NO_PG=1 bench/similarity.sh    # the scan part only
#
# Builds similarity-bench (Release) into build-bench/ unless SIMILARITY_BENCH points at one;
# makes pgvector available (tests/integration/embed/install-pgvector.sh: the vendored source,
# needs root the first time); starts a private PostgreSQL 15 on a free loopback port in a temp
# dir and stops it on exit. Other knobs: BENCH_DIMS, BENCH_ROWS, BENCH_BATCHES, BENCH_REPEAT,
# BENCH_PG_ROWS, BENCH_PG_DIMS, BENCH_PG_BRANDS, BENCH_PG_QUERIES, BENCH_ARGS (more arguments
# for similarity-bench, e.g. --no-scan).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

build="${BENCH_BUILD_DIR:-$root/build-bench}"
bin="${SIMILARITY_BENCH:-$build/bench/similarity/similarity-bench}"
if [ -z "${SIMILARITY_BENCH:-}" ]; then
  if [ ! -f "$build/build.ninja" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWARREN_BUILD_TESTS=OFF >/dev/null
  fi
  ninja -C "$build" similarity-bench >/dev/null
fi

quick="${BENCH_QUICK:-}"
args=(--dims "${BENCH_DIMS:-768,1536}" --batches "${BENCH_BATCHES:-1,32}" --repeat "${BENCH_REPEAT:-3}")
if [ -n "$quick" ]; then args+=(--rows "${BENCH_ROWS:-100000}"); else args+=(--rows "${BENCH_ROWS:-100000,1000000}"); fi
# shellcheck disable=SC2206
args+=(${BENCH_ARGS:-})

echo "# Similarity benchmark ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo

tmp=""
pg_pid=""
cleanup() {
  if [ -n "$pg_pid" ] && kill -0 "$pg_pid" 2>/dev/null; then
    kill -INT "$pg_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pg_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  [ -n "$tmp" ] && rm -rf "$tmp"
}
trap cleanup EXIT

if [ -n "${BENCH_NO_PG:-}" ]; then
  "$bin" "${args[@]}"
  exit 0
fi
if ! why="$(bash "$root/tests/integration/embed/install-pgvector.sh" 2>&1)"; then
  echo "PostgreSQL part skipped: $why"
  echo
  "$bin" "${args[@]}"
  exit 0
fi

tmp="$(mktemp -d /tmp/warren-similarity-bench.XXXXXX)"
chmod 755 "$tmp"
pg_bin=/usr/lib/postgresql/15/bin
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
as_pg=()
if [ "$(id -u)" = 0 ]; then
  install -d -o postgres -g postgres "$tmp/pg"
  as_pg=(runuser -u postgres --)
else
  mkdir -p "$tmp/pg"
fi
"${as_pg[@]}" "$pg_bin/initdb" -D "$tmp/pg/data" -A trust -U postgres --no-sync >/dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$tmp/pg/data" -l "$tmp/pg/log" -w \
  -o "-p $port -k $tmp/pg -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c shared_buffers=1GB -c jit=off" \
  start >/dev/null
pg_pid="$(head -1 "$tmp/pg/data/postmaster.pid")"

if [ -n "$quick" ]; then pg_rows="${BENCH_PG_ROWS:-20000}"; else pg_rows="${BENCH_PG_ROWS:-100000}"; fi
"$bin" "${args[@]}" --pg "host=127.0.0.1 port=$port user=postgres dbname=postgres" \
  --pg-rows "$pg_rows" --pg-dims "${BENCH_PG_DIMS:-768}" --pg-brands "${BENCH_PG_BRANDS:-100}" \
  --pg-queries "${BENCH_PG_QUERIES:-100}"
echo "(PostgreSQL: shared_buffers=1GB, jit=off, fsync=off; one connection)"
