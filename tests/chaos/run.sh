#!/usr/bin/env bash
# Runs the chaos suite: Warren killed (SIGKILL) and stopped (SIGTERM) 100 times each under load
# from a Node bullmq producer with a mixed fleet (2 Warren + 1 Node bullmq Worker), Redis (AOF)
# and PostgreSQL restarted under load. Prints the figures as "[chaos figures] NAME {...}" lines
# (docs/reliability.md). Uses tests/interop's npm packages (installed on first use).
#
#   tests/chaos/run.sh                       # every *.test.js
#   tests/chaos/run.sh sigkill.test.js       # selected files
#
# Environment: WARREN_BIN (default build/bin/warren), WARREN_FIXTURE_DIR (default
# build/tests/plugins: reliability.so), CHAOS_KILLS (default 100), CHAOS_TERMS (default 100),
# CHAOS_KEEP_LOGS=1, REDIS_SERVER, PG_BIN (default /usr/lib/postgresql/15/bin; the PostgreSQL
# scenario needs root and is skipped otherwise). NODE_TEST_ARGS: extra node --test options.
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
if [ ! -x "$WARREN_BIN" ] || [ ! -f "$WARREN_FIXTURE_DIR/reliability.so" ]; then
  echo "run.sh: $WARREN_BIN or $WARREN_FIXTURE_DIR/reliability.so missing (build warren and warren_test_fixtures)" >&2
  exit 2
fi

if [ "$#" -gt 0 ]; then files=("$@"); else files=(*.test.js); fi
# Serial: each scenario loads the machine on its own.
run_node_tests chaos 1 "${files[@]}"
