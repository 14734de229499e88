#!/usr/bin/env bash
# Population audit throughput (issue 10 §3): a generated Bulk Data export of POPULATION_MB (default 1000) MB,
# plain NDJSON, with a cohort of about 1% of its patients; `wc -l` over the same files in the same run is
# the floor (reading the bytes and nothing else). Prints MB/s of the NDJSON the audit reads with --jobs 1
# and --jobs 2, each against wc -l, the peak RSS, and whether the figures equal the generator's expected
# ones. Figures, not assertions.
#   bench/population.sh [BUILD_DIR=build]     (env: POPULATION_MB=1000, POPULATION_DIR=reuse an export)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
binary=$build/achilles-cds
[ -x "$binary" ] || { echo "population bench: $binary not built (run make build)"; exit 1; }
[ -x /usr/bin/time ] || { echo "population bench: /usr/bin/time missing (run make deps)"; exit 1; }
mb=${POPULATION_MB:-1000}
export_dir=${POPULATION_DIR:-$build/bench-export-$mb}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ ! -f "$export_dir/expected.json" ]; then
  echo "population bench: generating a $mb MB export in $export_dir (once; reused by later runs)"
  python3 tests/population/generate_export.py "$export_dir" --patients $((mb * 50)) --filler-mb "$mb" --plain --no-bad-input
fi
period=(--from 2024-01-01 --to 2024-12-31 --today 2025-12-31)
# The files the audit reads (the others it skips by name: Observation, Encounter, Patient).
mapfile -t files < <(ls "$export_dir"/{Condition,MedicationRequest,ServiceRequest,Procedure,DeviceRequest}*.ndjson 2>/dev/null)
bytes=$(cat "${files[@]}" | wc -c)
cat "${files[@]}" > /dev/null  # the page cache holds the files for every run alike

seconds() { /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/out" 2> "$work/err"; cat "$work/time"; }
read -r wc_s _ < <(seconds wc -l "${files[@]}")
echo
echo "population audit: $(awk -v b="$bytes" 'BEGIN {printf "%.0f", b/1e6}') MB of NDJSON read (of $(du -sm "$export_dir" | cut -f1) MB), cohort $(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['cohort'])" "$export_dir/expected.json") patients"
printf "%-22s %9s %9s %10s %11s   %s\n" "run" "seconds" "MB/s" "MB/s/core" "peak RSS MB" "ratio to wc -l (MB/s)"
wc_rate=$(awk -v b="$bytes" -v s="$wc_s" 'BEGIN {printf "%.0f", b/1e6/(s > 0 ? s : 0.01)}')
printf "%-22s %9s %9s %10s %11s   %s\n" "wc -l (floor)" "$wc_s" "$wc_rate" "$wc_rate" "-" "1.00x"
for jobs in 1 2; do
  read -r s kb < <(seconds "$binary" audit population "$export_dir" "${period[@]}" --jobs "$jobs" --format json \
    --settings config/server.development.json --config config)
  cp "$work/out" "$work/report-$jobs.json"
  rate=$(awk -v b="$bytes" -v s="$s" 'BEGIN {printf "%.0f", b/1e6/s}')
  printf "%-22s %9s %9s %10s %11s   %s\n" "audit --jobs $jobs" "$s" "$rate" "$(awk -v r="$rate" -v j="$jobs" 'BEGIN {printf "%.0f", r/j}')" \
    "$(awk -v k="$kb" 'BEGIN {printf "%.1f", k/1024}')" "$(awk -v r="$rate" -v w="$wc_rate" 'BEGIN {printf "%.2fx", r/w}')"
done
python3 - "$export_dir/expected.json" "$work/report-1.json" "$work/report-2.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))
want = {(m["measure"], m["group"]): (m["numerator"], m["denominator"]) for m in e["measures"]}
for path in sys.argv[2:]:
    r = json.load(open(path))
    got = {(m["measure"], m["group"]): (m["numerator"], m["denominator"]) for m in r["measures"]}
    print(f"  {path.rsplit('-', 1)[1][:-5]} job(s): figures {'equal' if got == want and r['cohort'] == e['cohort'] else 'DIFFER FROM'} the generator's expected ones")
PY
