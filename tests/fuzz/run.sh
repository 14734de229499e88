#!/usr/bin/env bash
# make fuzz: runs every fuzz target for SECONDS (default 60) under ASan/UBSan with libFuzzer, from its seeds,
# into a corpus kept in the build folder; prints executions per second and the coverage each reached. A crash
# (or leak, or timeout) is copied to tests/fuzz/regressions/<target>/ — keep it: make test replays it from
# then on — and makes the run fail.
#   tests/fuzz/run.sh BUILD_DIR [SECONDS]
set -uo pipefail
cd "$(dirname "$0")/../.."
build=${1:?build folder}
seconds=${2:-60}
# The targets tests/fuzz/CMakeLists.txt defines (it writes one seeds_<target>.txt each): one list, no drift.
mapfile -t targets < <(for f in "$build"/tests/fuzz/seeds_*.txt; do t=${f##*/seeds_}; echo "${t%.txt}"; done)
[ -n "${FUZZ_TARGETS:-}" ] && read -ra targets <<< "$FUZZ_TARGETS"  # e.g. FUZZ_TARGETS="jwt config"
failed=0
printf "%-14s %12s %12s %8s %8s   %s\n" "target" "executions" "exec/s" "cov" "ft" "result"
for t in "${targets[@]}"; do
  corpus="$build/fuzz-corpus/$t"
  artifacts="$build/fuzz-artifacts/$t"
  mkdir -p "$corpus" "$artifacts"
  mapfile -t seeds < "$build/tests/fuzz/seeds_$t.txt"
  regressions=()
  [ -d "tests/fuzz/regressions/$t" ] && regressions=("tests/fuzz/regressions/$t")
  log="$build/fuzz-$t.log"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:suppressions="$PWD/tests/ubsan.supp" \
    "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$corpus" "${seeds[@]}" "${regressions[@]}" > "$log" 2>&1
  rc=$?
  execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
  rate=$(awk '/stat::average_exec_per_sec/ {print $2}' "$log")
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | awk '{print $2}')
  ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | awk '{print $2}')
  result="ok"
  if [ "$rc" -ne 0 ]; then
    failed=1
    result="FAILED (exit $rc; see $log)"
    mkdir -p "tests/fuzz/regressions/$t"
    for a in "$artifacts"/*; do [ -f "$a" ] && cp "$a" "tests/fuzz/regressions/$t/" && result+=" kept $(basename "$a")"; done
  fi
  printf "%-14s %12s %12s %8s %8s   %s\n" "$t" "${execs:--}" "${rate:--}" "${cov:--}" "${ft:--}" "$result"
done
exit "$failed"
