#!/usr/bin/env bash
# The whole test suite, as CI runs it:
#   1. install dependencies (scripts/install-deps.sh)
#   2. build everything into build/ as Release, warnings as errors, and run every ctest label
#      (unit, integration, interop, chaos, ...)
#   3. package: cpack -G DEB from that same build/, install the .deb on this machine, run
#      `warren demo` and an out-of-tree plugin build from the installed files, purge it again
#      (scripts/package.sh --install)
#   4. deploy/: the Kubernetes manifests validated offline against the Kubernetes schemas
#      (deploy/validate.sh)
#   5. build the unit tests with AddressSanitizer + UndefinedBehaviorSanitizer into build-asan/
#      (Debug) and run the unit label there
#   6. fuzz: build the libFuzzer targets with clang into build-fuzz/ and run each for 30 s, two at
#      a time (scripts/fuzz.sh); a crash fails the step with the input printed and kept
#   7. ThreadSanitizer: build the queue integration tests, warren and the reload fixtures into
#      build-tsan/ and run the queue integration tests and the reload suite there, stopping at
#      the first race (halt_on_error); reports are kept in build-tsan/tsan/
# Prints a summary and exits non-zero when any step failed.
#
# Why the main build is Release: it is the build users get (a plain `cmake
# -DCMAKE_BUILD_TYPE=Release` must stay clean, GCC 12's false -Wrestrict included) and the one
# the package ships, so the suite tests exactly the code that is packaged, and steps 2 and 3
# share one build. A second full build only to check Release would cost about as long as the
# first (6 to 7 minutes on 2 cores). RelWithDebInfo's debug info is not lost for failures: the
# test code itself is compiled -O0, and the sanitizer build (step 5) is Debug.
#
#   WARREN_TEST_JOBS   tests run at once (default: number of cores)
#   WARREN_SKIP_ASAN=1 skip step 5 (quicker local runs)
#   WARREN_SKIP_FUZZ=1 skip step 6; FUZZ_SECONDS changes its 20 s per target (CI time)
#   WARREN_SKIP_TSAN=1 skip step 7
#   WARREN_SKIP_PACKAGE=1 skip step 3 (it installs a package on the machine: CI and root only)
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

jobs="${WARREN_TEST_JOBS:-$(nproc)}"
summary=()
failed=0

# step NAME COMMAND...: runs the command, records PASS/FAIL and its duration.
step() {
  local name=$1
  shift
  local start=$SECONDS
  echo
  echo "==> $name"
  if "$@"; then
    summary+=("PASS  $name ($((SECONDS - start)) s)")
    return 0
  fi
  summary+=("FAIL  $name ($((SECONDS - start)) s)")
  failed=1
  return 1
}

sanitizer_build() {
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DWARREN_SANITIZE=ON \
    -DWARREN_WERROR=ON &&
    cmake --build build-asan --parallel "$(nproc)" --target unit-tests
}

# The ThreadSanitizer build: only what the queue integration tests and the reload suite run.
# -O1 and line tables only: what TSan's reports need, and about 40 % less compile time than -O2 -g.
# Warnings are not errors here (step 2 holds the code to that): at -O1 under -fsanitize=thread
# GCC 12 reports a false -Wmaybe-uninitialized on a std::optional (host/app/EnqueueCommand.cpp).
tsan_build() {
  local flags="-O1 -g1 -DNDEBUG"
  cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWARREN_SANITIZE=thread \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="$flags" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$flags" \
    -DWARREN_WERROR=OFF &&
    cmake --build build-tsan --parallel "$(nproc)" \
      --target queue_integration_tests warren warren_test_fixtures
}

# Under TSan: the worker engine's own tests (fetch, finish, stalls, locks, shutdown, TLS) and the
# hot-reload suite (plugin generations swapped under load from Node bullmq, config reloads,
# drains), whose warren children get TSAN_OPTIONS too. The first race ends the process that has
# it (exit 66) and so fails its test; every report is also written to build-tsan/tsan/.
tsan_run() {
  rm -rf build-tsan/tsan && mkdir -p build-tsan/tsan
  local status=0
  TSAN_OPTIONS="halt_on_error=1:exitcode=66:second_deadlock_stack=1:history_size=4:log_path=$PWD/build-tsan/tsan/report:suppressions=$PWD/tests/tsan.supp" \
    RELOAD_SCALE=4 \
    ctest --test-dir build-tsan --output-on-failure --parallel "$jobs" \
    -R '(^|/)(WorkerTest|TlsWorker|WorkerRestart)\.|^reload_suite$' || status=$?
  local report
  for report in build-tsan/tsan/report*; do
    [ -f "$report" ] || continue
    echo "ThreadSanitizer report $report:"
    cat "$report"
    status=1
  done
  return "$status"
}

print_summary() {
  echo
  echo "==================== summary ===================="
  printf '%s\n' "${summary[@]}"
  echo "total $((SECONDS)) s: $([ "$failed" -eq 0 ] && echo "ALL PASSED" || echo "FAILED")"
}
trap print_summary EXIT

step "install dependencies" bash scripts/install-deps.sh || exit 1
step "build (build/, Release)" env BUILD_TYPE=Release bash scripts/build.sh || exit 1
step "ctest, all labels (build/)" \
  ctest --test-dir build --output-on-failure --parallel "$jobs"
if [ "${WARREN_SKIP_PACKAGE:-0}" != 1 ]; then
  step "package: cpack -G DEB, install, warren demo from it (scripts/package.sh)" \
    bash scripts/package.sh --install
fi
step "deploy/: Kubernetes manifests against the schemas (deploy/validate.sh)" \
  bash deploy/validate.sh

if [ "${WARREN_SKIP_ASAN:-0}" != 1 ]; then
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  step "sanitizer build (build-asan/, unit tests only)" sanitizer_build &&
    step "ctest -L unit under ASan+UBSan (build-asan/)" \
      ctest --test-dir build-asan -L unit --output-on-failure --parallel "$jobs"
fi
if [ "${WARREN_SKIP_FUZZ:-0}" != 1 ]; then
  step "fuzz: libFuzzer targets, ${FUZZ_SECONDS:-20} s each (scripts/fuzz.sh, build-fuzz/)" \
    env FUZZ_JOBS="$jobs" FUZZ_SECONDS="${FUZZ_SECONDS:-20}" FUZZ_SEED="${FUZZ_SEED:-1}" bash scripts/fuzz.sh
fi
if [ "${WARREN_SKIP_TSAN:-0}" != 1 ]; then
  step "ThreadSanitizer build (build-tsan/: queue integration tests, warren, fixtures)" \
    tsan_build &&
    step "queue integration tests and reload suite under TSan (build-tsan/)" tsan_run
fi
exit "$failed"
