#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang (ASan + UBSan) into build-fuzz/ and runs
# each for a bounded time, a few at once, starting from its seed corpus tests/fuzz/corpus/NAME
# (and its dictionary tests/fuzz/NAME.dict when there is one). Exits non-zero when a target finds
# a crash, a sanitizer report, a broken invariant, a timeout or runaway memory: the input is
# kept in build-fuzz/crashes/NAME/ and printed (hex), with the end of the fuzzer's log.
#
#   scripts/fuzz.sh                  build, then run every target
#   scripts/fuzz.sh json urls        build, then run these targets
#   FUZZ_SECONDS   seconds per target (default 30)
#   FUZZ_JOBS      targets run at once (default: number of cores)
#   FUZZ_SEED      libFuzzer's -seed (default: random; CI fixes it so that a run repeats the last)
#   FUZZ_BUILD_ONLY=1  build and stop
#   Reproduce a kept input: build-fuzz/fuzz/NAME build-fuzz/crashes/NAME/crash-...
# New inputs found by a run are kept in build-fuzz/corpus/NAME (not in the repository: copy an
# interesting one into tests/fuzz/corpus/NAME by hand, small).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build_dir=build-fuzz
seconds="${FUZZ_SECONDS:-30}"
jobs="${FUZZ_JOBS:-$(nproc)}"
all_targets=(resp job_hash json json_schema config s3_xml cron urls)
if [ "$#" -gt 0 ]; then targets=("$@"); else targets=("${all_targets[@]}"); fi

launcher=()
if command -v ccache >/dev/null 2>&1; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
build_start=$SECONDS
CC=clang CXX=clang++ cmake -S . -B "$build_dir" -G Ninja -DWARREN_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWARREN_BUILD_TESTS=OFF -DWARREN_WERROR=ON \
  "${launcher[@]}" >/dev/null
cmake --build "$build_dir" --parallel "$(nproc)" --target "${targets[@]/#/fuzz_}"
echo "fuzz: built ${#targets[@]} targets in $((SECONDS - build_start)) s"
[ "${FUZZ_BUILD_ONLY:-0}" = 1 ] && exit 0

export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=1:abort_on_error=1:strict_string_checks=1"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-}:print_stacktrace=1:halt_on_error=1"

# run_target NAME: one bounded run; its log in build-fuzz/logs/NAME.log.
run_target() {
  local name=$1
  local corpus="$build_dir/corpus/$name" crashes="$build_dir/crashes/$name"
  local log="$build_dir/logs/$name.log"
  mkdir -p "$corpus" "$crashes" "$build_dir/logs"
  local options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=1536 -max_len=8192
                 -print_final_stats=1 -artifact_prefix="$crashes/")
  [ -n "${FUZZ_SEED:-}" ] && options+=(-seed="$FUZZ_SEED")
  [ -f "tests/fuzz/$name.dict" ] && options+=(-dict="tests/fuzz/$name.dict")
  "$build_dir/fuzz/$name" "${options[@]}" "$corpus" "tests/fuzz/corpus/$name" >"$log" 2>&1
}

# report NAME STATUS: one summary line, and on failure the log's end and the kept input.
report() {
  local name=$1 status=$2 log="$build_dir/logs/$1.log"
  local runs
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  if [ "$status" -eq 0 ]; then
    echo "fuzz: PASS $name (${runs:-?} runs in $seconds s, corpus $(ls "$build_dir/corpus/$name" | wc -l) inputs)"
    return 0
  fi
  echo "fuzz: FAIL $name (exit $status); the end of $log:"
  tail -n 40 "$log" | sed 's/^/    /'
  local input
  for input in "$build_dir/crashes/$name"/*; do
    [ -f "$input" ] || continue
    echo "    kept input $input ($(stat -c %s "$input") bytes), first 512:"
    head -c 512 "$input" | od -A d -t x1z -v | sed 's/^/      /'
  done
  return 1
}

failed=0
pids=()
names=()
collect() {  # waits for the oldest running target
  local status=0
  wait "${pids[0]}" || status=$?
  report "${names[0]}" "$status" || failed=1
  pids=("${pids[@]:1}")
  names=("${names[@]:1}")
}
run_start=$SECONDS
for name in "${targets[@]}"; do
  rm -rf "$build_dir/crashes/$name"
  run_target "$name" &
  pids+=("$!")
  names+=("$name")
  [ "${#pids[@]}" -ge "$jobs" ] && collect
done
while [ "${#pids[@]}" -gt 0 ]; do collect; done
echo "fuzz: ran ${#targets[@]} targets for $seconds s each, $jobs at once, in $((SECONDS - run_start)) s"
exit "$failed"
