#!/usr/bin/env bash
# Runs the examples' tests, installing examples/node's packages (npm ci) on first use. The
# redis-server helper is the interop suite's (tests/interop/lib, Node built-ins only).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
if [ ! -d ../../examples/node/node_modules ]; then
  (cd ../../examples/node && npm ci --no-audit --no-fund)
fi
node --test --test-reporter=spec "${@:-analyze-producer.test.js}"
