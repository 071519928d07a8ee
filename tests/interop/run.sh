#!/usr/bin/env bash
# Runs the interop suite.
#
#   tests/interop/run.sh                   # WORKER=node: the Node reference worker (suite self-check)
#   WORKER=warren tests/interop/run.sh     # the Warren binary ($WARREN_BIN, default build/bin/warren)
#   BULLMQ_PACKAGE=bullmq5 tests/interop/run.sh   # producers/readers (and reference worker) from bullmq 5.x
#   tests/interop/run.sh flows.test.js stalled.test.js   # selected files
#
# Environment: WORKER, WARREN_BIN, WARREN_PLUGIN_DIR, BULLMQ_PACKAGE, INTEROP_CONCURRENCY (files run
# in parallel, default 2), INTEROP_SCALE (timeout multiplier), INTEROP_KEEP_LOGS=1,
# INTEROP_FLEET_JOBS (default 10000). Extra node --test options via NODE_TEST_ARGS.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

export WORKER="${WORKER:-node}"
export BULLMQ_PACKAGE="${BULLMQ_PACKAGE:-bullmq}"
case "$WORKER" in node|warren) ;; *) echo "run.sh: WORKER must be node or warren (got '$WORKER')" >&2; exit 2;; esac
case "$BULLMQ_PACKAGE" in bullmq|bullmq5) ;; *) echo "run.sh: BULLMQ_PACKAGE must be bullmq or bullmq5" >&2; exit 2;; esac

if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi
if [ ! -x "${REDIS_SERVER:-/usr/bin/redis-server}" ]; then
  echo "run.sh: ${REDIS_SERVER:-/usr/bin/redis-server} not found (apt-get install -y redis-server)" >&2
  exit 2
fi
if [ "$WORKER" = warren ]; then
  bin="${WARREN_BIN:-$(cd ../.. && pwd)/build/bin/warren}"
  if [ ! -x "$bin" ]; then
    echo "run.sh: WORKER=warren but $bin is not an executable (build it, or set WARREN_BIN)" >&2
    exit 2
  fi
fi

if [ "$#" -gt 0 ]; then
  files=("$@")
else
  files=(*.test.js)
fi

bullmq_version=$(node -p "require('$BULLMQ_PACKAGE/package.json').version")
echo "interop: WORKER=$WORKER bullmq=$bullmq_version ($BULLMQ_PACKAGE) concurrency=${INTEROP_CONCURRENCY:-2} files=${#files[@]}"
start=$(date +%s)
status=0
# shellcheck disable=SC2086
node --test --test-concurrency="${INTEROP_CONCURRENCY:-2}" --test-reporter=spec ${NODE_TEST_ARGS:-} "${files[@]}" || status=$?
echo "interop: finished in $(( $(date +%s) - start )) s (exit $status)"
exit "$status"
