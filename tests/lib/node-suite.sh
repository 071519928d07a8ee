# shellcheck shell=bash
# Sourced by the run.sh of the Node suites that borrow tests/interop's npm packages (chaos, ha,
# reload): the preparation they share.
#   need_interop_packages ROOT        npm ci in ROOT/tests/interop when its bullmq is missing
#   need_programs PACKAGES PROGRAM... exits 2 at the first PROGRAM that is not executable,
#                                     naming the Debian PACKAGES that install them
#   run_node_tests NAME CONCURRENCY FILE...  node --test on the FILEs, CONCURRENCY at once, with
#                                     NODE_TEST_ARGS; prints "NAME: finished in N s (exit S)" and
#                                     exits with node's status

need_interop_packages() {
  local root=$1
  if [ ! -d "$root/tests/interop/node_modules/bullmq" ]; then
    (cd "$root/tests/interop" && npm ci --no-audit --no-fund)
  fi
}

need_programs() {
  local packages=$1 program
  shift
  for program in "$@"; do
    if [ ! -x "$program" ]; then
      echo "run.sh: $program not found (apt-get install -y $packages)" >&2
      exit 2
    fi
  done
}

run_node_tests() {
  local name=$1 concurrency=$2 start status=0
  shift 2
  start=$(date +%s)
  # shellcheck disable=SC2086
  node --test --test-concurrency="$concurrency" --test-reporter=spec ${NODE_TEST_ARGS:-} "$@" || status=$?
  echo "$name: finished in $(( $(date +%s) - start )) s (exit $status)"
  exit "$status"
}
