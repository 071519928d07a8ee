#!/usr/bin/env bash
# The whole test suite, as CI runs it:
#   1. install dependencies (scripts/install-deps.sh)
#   2. build everything into build/ and run every ctest label (unit, integration, interop, chaos)
#   3. build the unit tests with AddressSanitizer + UndefinedBehaviorSanitizer into build-asan/
#      and run the unit label there
# Prints a summary and exits non-zero when any step failed.
#   WARREN_TEST_JOBS   tests run at once (default: number of cores)
#   WARREN_SKIP_ASAN=1 skip steps 3 (quicker local runs)
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
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DWARREN_SANITIZE=ON &&
    cmake --build build-asan --parallel "$(nproc)" --target unit-tests
}

print_summary() {
  echo
  echo "==================== summary ===================="
  printf '%s\n' "${summary[@]}"
  echo "total $((SECONDS)) s: $([ "$failed" -eq 0 ] && echo "ALL PASSED" || echo "FAILED")"
}
trap print_summary EXIT

step "install dependencies" bash scripts/install-deps.sh || exit 1
step "build (build/)" bash scripts/build.sh || exit 1
step "ctest, all labels (build/)" \
  ctest --test-dir build --output-on-failure --parallel "$jobs"

if [ "${WARREN_SKIP_ASAN:-0}" != 1 ]; then
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  step "sanitizer build (build-asan/, unit tests only)" sanitizer_build &&
    step "ctest -L unit under ASan+UBSan (build-asan/)" \
      ctest --test-dir build-asan -L unit --output-on-failure --parallel "$jobs"
fi
exit "$failed"
