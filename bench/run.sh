#!/usr/bin/env bash
# Load benchmark: wrk against achilles-cds and, in the same run, a baseline (Debian's nginx, one worker,
# returning a fixed JSON body). The server under test runs on CPU 0, wrk on CPU 1. Prints req/s, p50,
# p99 and peak RSS for each, and each figure as a ratio to the baseline; then the in-process pipeline
# benchmark. Figures, not assertions.
#   bench/run.sh [BUILD_DIR]        (env: DURATION=10s CONNECTIONS=16)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
duration=${DURATION:-10s}
connections=${CONNECTIONS:-16}
binary=$build/achilles-cds
[ -x "$binary" ] || { echo "bench: $binary not built (run make build)"; exit 1; }
for tool in wrk nginx taskset curl; do command -v "$tool" >/dev/null || { echo "bench: $tool missing (run make deps)"; exit 1; }; done

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Baseline: nginx, one worker, fixed JSON, on CPU 0.
nginx_port=$(free_port)
mkdir -p "$work/nginx/logs"
cat > "$work/nginx/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_buffer_size 64k;
  server {
    listen 127.0.0.1:$nginx_port;
    location / { default_type application/json; return 200 '{"cards":[]}'; }
  }
}
NGINX
taskset -c 0 nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
pids+=($!)

# The service: one I/O thread, on CPU 0.
taskset -c 0 "$binary" serve --port 0 --threads 1 --config config > "$work/serve.out" 2> "$work/serve.err" &
service_pid=$!
pids+=($service_pid)
for _ in $(seq 100); do grep -q listening "$work/serve.out" 2>/dev/null && break; sleep 0.05; done
service_port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$work/serve.out")
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$nginx_port/" >/dev/null 2>&1 && break; sleep 0.05; done

# Check what is measured: the order-select request must fire the steroid card, patient-view the rehab card.
curl -fs -H 'Content-Type: application/json' --data-binary @bench/requests/order-select.json \
  "http://127.0.0.1:$service_port/cds-services/achilles-order-select" | grep -q '"code":"steroid-injection"' \
  || { echo "bench: the order-select request did not fire steroid-injection"; exit 1; }
curl -fs -H 'Content-Type: application/json' --data-binary @bench/requests/patient-view.json \
  "http://127.0.0.1:$service_port/cds-services/achilles-patient-view" | grep -q '"code":"eccentric-rehab"' \
  || { echo "bench: the patient-view request did not fire eccentric-rehab"; exit 1; }

nginx_worker=$(pgrep -P "$(cat "$work/nginx/nginx.pid")" | head -1)

run_wrk() {  # name url body-file
  BODY_FILE="$3" taskset -c 1 wrk -t1 -c"$connections" -d"$duration" --latency -s bench/post.lua "$2" > "$work/$1.wrk"
}
rps() { awk '/^Requests\/sec/ {print $2}' "$work/$1.wrk"; }
pct() { awk -v p="$2" '$1 == p {print $2}' "$work/$1.wrk"; }
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.3f", v/1000; else if (v ~ /ms$/) printf "%.3f", v+0; else printf "%.3f", v*1000 }'; }
rss_mb() { awk '/VmHWM/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
errors() { awk '/Non-2xx|Socket errors/ {print}' "$work/$1.wrk"; }

echo "warming up..."
DURATION_SAVE=$duration; duration=2s
run_wrk warm "http://127.0.0.1:$service_port/cds-services/achilles-order-select" bench/requests/order-select.json
run_wrk warm "http://127.0.0.1:$nginx_port/cds-services/achilles-order-select" bench/requests/order-select.json
duration=$DURATION_SAVE

run_wrk baseline "http://127.0.0.1:$nginx_port/cds-services/achilles-order-select" bench/requests/order-select.json
run_wrk order-select "http://127.0.0.1:$service_port/cds-services/achilles-order-select" bench/requests/order-select.json
run_wrk patient-view "http://127.0.0.1:$service_port/cds-services/achilles-patient-view" bench/requests/patient-view.json

base_rps=$(rps baseline)
base_p50=$(to_ms "$(pct baseline 50%)")
base_p99=$(to_ms "$(pct baseline 99%)")
base_rss=$(rss_mb "$nginx_worker")
echo
echo "load: wrk -t1 -c$connections -d$duration on CPU 1; servers on CPU 0 (one thread / one worker)"
echo "request: bench/requests/order-select.json ($(wc -c < bench/requests/order-select.json) bytes), patient-view.json ($(wc -c < bench/requests/patient-view.json) bytes)"
printf "%-34s %12s %10s %10s %10s   %s\n" "target" "req/s" "p50 ms" "p99 ms" "peakRSS MB" "ratio to baseline (req/s, p50, p99, RSS)"
printf "%-34s %12.0f %10s %10s %10s   %s\n" "baseline: nginx fixed JSON" "$base_rps" "$base_p50" "$base_p99" "$base_rss" "1.00"
for name in order-select patient-view; do
  r=$(rps $name); p50=$(to_ms "$(pct $name 50%)"); p99=$(to_ms "$(pct $name 99%)"); rss=$(rss_mb "$service_pid")
  ratios=$(awk -v a="$r" -v b="$base_rps" -v c="$p50" -v d="$base_p50" -v e="$p99" -v f="$base_p99" -v g="$rss" -v h="$base_rss" \
    'BEGIN { printf "%.2fx, %.2fx, %.2fx, %.2fx", a/b, c/d, e/f, g/h }')
  printf "%-34s %12.0f %10s %10s %10s   %s\n" "achilles-cds $name" "$r" "$p50" "$p99" "$rss" "$ratios"
  errors $name
done
errors baseline
echo
echo "in-process pipeline (parse → facts → rules → response), Google Benchmark; baseline = RapidJSON parse of the same bytes:"
taskset -c 0 "$build/bench/pipeline_bench" --benchmark_min_time=1 2>/dev/null
