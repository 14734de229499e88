#!/usr/bin/env bash
# Load benchmark: wrk against achilles-cds and, in the same run, a baseline (Debian's nginx, one worker,
# returning a fixed JSON body). The server under test runs on CPU 0, wrk on CPU 1. Prints req/s, p50,
# p99 and peak RSS for each, and each figure as a ratio to the baseline; then signed calls against the
# service with authentication on and off, the FHIR fallback fetch, and the in-process benchmarks.
# Figures, not assertions.
#   bench/run.sh [BUILD_DIR] [connections|card-log|population]   (the second: that section alone)
#                                   (env: DURATION=5s ROUNDS=3 CONNECTIONS=16 AUDIT_CALLS=100000; AUTH_DURATION=2s and
#                                   RS384_TOKENS=40000 ES384_TOKENS=4000 tokens minted per round)
#   PREVIOUS=DIR bench/run.sh       also load DIR/achilles-cds with DIR/config (an earlier build), in the same
#                                   rounds, to report before/after figures from one run
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
duration=${DURATION:-5s}
connections=${CONNECTIONS:-16}
binary=$build/achilles-cds
[ -x "$binary" ] || { echo "bench: $binary not built (run make build)"; exit 1; }
for tool in wrk nginx taskset curl; do command -v "$tool" >/dev/null || { echo "bench: $tool missing (run make deps)"; exit 1; }; done

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_service NAME SETTINGS: the service on CPU 0, one I/O thread; sets port_of[NAME] and pid_of[NAME].
declare -A port_of pid_of
start_service() {
  taskset -c 0 "$binary" serve --port 0 --threads 1 --config config --settings "$2" > "$work/$1.out" 2> "$work/$1.err" &
  pid_of[$1]=$!
  pids+=($!)
  for _ in $(seq 100); do grep -q listening "$work/$1.out" 2>/dev/null && break; sleep 0.05; done
  port_of[$1]=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$work/$1.out")
}

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

# The service: one I/O thread, on CPU 0, with the development settings (its card log in the scratch folder).
sed "s|\"dataDir\": \"data\"|\"dataDir\": \"$work/data\"|" config/server.development.json > "$work/development.json"
taskset -c 0 "$binary" serve --port 0 --threads 1 --config config --settings "$work/development.json" > "$work/serve.out" 2> "$work/serve.err" &
service_pid=$!
pids+=($service_pid)
for _ in $(seq 100); do grep -q listening "$work/serve.out" 2>/dev/null && break; sleep 0.05; done
service_port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$work/serve.out")
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$nginx_port/" >/dev/null 2>&1 && break; sleep 0.05; done

# Check what is measured: the order-select request must fire the steroid card, patient-view the rehab card,
# and the quiet chart (the card log's mixed workload) no card at all.
curl -fs -H 'Content-Type: application/json' --data-binary @bench/requests/order-select.json \
  "http://127.0.0.1:$service_port/cds-services/achilles-order-select" | grep -q '"code":"steroidInjection"' \
  || { echo "bench: the order-select request did not fire steroid-injection"; exit 1; }
curl -fs -H 'Content-Type: application/json' --data-binary @bench/requests/patient-view.json \
  "http://127.0.0.1:$service_port/cds-services/achilles-patient-view" | grep -q '"code":"eccentricRehab"' \
  || { echo "bench: the patient-view request did not fire eccentric-rehab"; exit 1; }
[ "$(curl -fs -H 'Content-Type: application/json' --data-binary @bench/requests/patient-view-quiet.json \
  "http://127.0.0.1:$service_port/cds-services/achilles-patient-view")" = '{"cards":[]}' ] \
  || { echo "bench: the quiet patient-view request fired a card"; exit 1; }

nginx_worker=$(pgrep -P "$(cat "$work/nginx/nginx.pid")" | head -1)

previous_pid=""
if [ -n "${PREVIOUS:-}" ]; then
  previous_settings=()  # a build with authentication: its development settings (authentication off)
  [ -f "$PREVIOUS/config/server.development.json" ] && previous_settings=(--settings "$PREVIOUS/config/server.development.json")
  taskset -c 0 "$PREVIOUS/achilles-cds" serve --port 0 --threads 1 --config "$PREVIOUS/config" "${previous_settings[@]}" \
    > "$work/prev.out" 2> "$work/prev.err" &
  previous_pid=$!
  pids+=($previous_pid)
  for _ in $(seq 100); do grep -q listening "$work/prev.out" 2>/dev/null && break; sleep 0.05; done
  previous_port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$work/prev.out")
fi

run_wrk() {  # out-name url body-file duration [wrk script: bench/post.lua]
  BODY_FILE="$3" taskset -c 1 wrk -t1 -c"$connections" -d"$4" --latency -s "${5:-bench/post.lua}" "$2" > "$work/$1.wrk"
}
rps() { awk '/^Requests\/sec/ {print $2}' "$work/$1.wrk"; }
pct() { awk -v p="$2" '$1 == p {print $2}' "$work/$1.wrk"; }
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.3f", v/1000; else if (v ~ /ms$/) printf "%.3f", v+0; else printf "%.3f", v*1000 }'; }
rss_mb() { awk '/VmHWM/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
errors() { awk '/Non-2xx|Socket errors/ {print "  " FILENAME ": " $0}' "$work/$1.wrk"; }

# Many connections (issue 9 §5): a fresh service per level (the card log on, in SQLite, as shipped), wrk with
# 16, 256 and 1,024 connections; req/s and p99 against 16 connections, errors, and the resident memory
# before, at its peak, and 3 s after the load stopped (back to where it started, or it keeps what it took).
connections_bench() {
  ulimit -n 8192 2>/dev/null || true
  vm() { awk -v k="$2:" '$1 == k {printf "%.1f", $2/1024}' "/proc/$1/status"; }
  echo
  echo "connections: patient-view, wrk -t1 for ${CONN_DURATION:-5s} per level, one service thread on CPU 0, card log on (SQLite)"
  printf "%-12s %10s %9s %9s %10s %10s %10s   %s\n" "connections" "req/s" "p99 ms" "errors" "RSS MB" "peak MB" "after MB" "ratio to 16: req/s, p99"
  c16_rps=""; c16_p99=""
  for c in 16 256 1024; do
    sed "s|\"dataDir\": \"data\"|\"dataDir\": \"$work/conn-$c\"|" config/server.development.json > "$work/conn-$c.json"
    start_service "conn-$c" "$work/conn-$c.json"
    pid=${pid_of[conn-$c]}
    url="http://127.0.0.1:${port_of[conn-$c]}/cds-services/achilles-patient-view"
    BODY_FILE=bench/requests/patient-view.json taskset -c 1 wrk -t1 -c16 -d1s -s bench/post.lua "$url" > /dev/null  # warm
    before=$(vm "$pid" VmRSS)
    BODY_FILE=bench/requests/patient-view.json taskset -c 1 wrk -t1 -c"$c" -d"${CONN_DURATION:-5s}" --latency --timeout 10s \
      -s bench/post.lua "$url" > "$work/conn-$c.wrk"
    peak=$(vm "$pid" VmHWM)
    sleep 3
    after=$(vm "$pid" VmRSS)
    r=$(rps "conn-$c"); p99=$(to_ms "$(pct "conn-$c" 99%)")
    errs=$(awk '/Non-2xx/ {n += $5} /Socket errors/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$work/conn-$c.wrk")
    [ -z "$c16_rps" ] && { c16_rps=$r; c16_p99=$p99; }
    printf "%-12s %10.0f %9s %9s %10s %10s %10s   %s\n" "$c" "$r" "$p99" "$errs" "$before" "$peak" "$after" \
      "$(awk -v a="$r" -v b="$c16_rps" -v c="$p99" -v d="$c16_p99" 'BEGIN { printf "%.2fx, %.2fx", a/b, c/d }')"
    kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  done
}
rounds=${ROUNDS:-3}
median_round() {  # target -> the name of its median round
  for r in $(seq "$rounds"); do echo "$(rps "$1-$r") $1-$r"; done | sort -n | awk '{a[NR]=$2} END {print a[int((NR+1)/2)]}'
}
# The card log (issue 8): the same patient-view calls with recording off, into SQLite as shipped (each card
# journaled, the answer not waiting for its commit), into SQLite without the journal (journalMb 0: answers
# wait for their commit), and into PostgreSQL (a real server, started here like the tests start it, on CPU
# 1), interleaved rounds. CARD_LOG_EXTRA adds sqlite-no-wait (durableBeforeAnswer off). The writer thread
# shares CPU 0 with the I/O thread, so the figure is the whole cost of recording on one core. Each mode
# takes two workloads: every call a card, and one call in ten (see below). Rows are counted afterwards.
# `bench/run.sh BUILD card-log` runs this section alone.
cardlog_bench() {
  local pg_bin mode audit r before after answered m c off_rps off_cpu
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | head -1)
  audit_modes=(off sqlite sqlite-commit-wait ${CARD_LOG_EXTRA:-})
  if [ -n "$pg_bin" ]; then
    pgdir=$(mktemp -d)  # not under $work (mode 0700): the postgres user must reach it
    trap 'cleanup; rm -rf "$pgdir"' EXIT
    as_pg=()
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$pgdir"; as_pg=(setpriv --reuid=postgres --regid=postgres --clear-groups --); fi
    pg_port=$(free_port)
    if "${as_pg[@]}" "$pg_bin/initdb" -D "$pgdir/data" -U achilles -A trust -E UTF8 -N > "$pgdir/initdb.log" 2>&1; then
      taskset -c 1 "${as_pg[@]}" "$pg_bin/postgres" -D "$pgdir/data" -p "$pg_port" -k "$pgdir" \
        -c listen_addresses=127.0.0.1 > "$pgdir/server.log" 2>&1 &
      pids+=($!)
      for _ in $(seq 200); do "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" && break; sleep 0.05; done
      audit_modes+=(postgresql)
    fi
  fi
  openssl rand -hex 32 > "$work/audit.key"
  for mode in "${audit_modes[@]}"; do
    case $mode in
      off) audit='"enabled": false' ;;
      sqlite) audit="\"enabled\": true, \"dataDir\": \"$work/audit-data\"" ;;
      sqlite-no-wait) audit="\"enabled\": true, \"dataDir\": \"$work/audit-data-no-wait\", \"durableBeforeAnswer\": false" ;;
      sqlite-commit-wait) audit="\"enabled\": true, \"dataDir\": \"$work/audit-data-commit-wait\", \"journalMb\": 0" ;;
      postgresql) audit="\"enabled\": true, \"database\": \"postgresql://achilles@127.0.0.1:$pg_port/postgres\", \"pseudonymKeyFile\": \"$work/audit.key\"" ;;
    esac
    echo "{\"authentication\": {\"required\": false}, \"audit\": {$audit}}" > "$work/audit-$mode.json"
    start_service "audit-$mode" "$work/audit-$mode.json"
  done
  # The server's CPU time (every thread: I/O and writer, user and system) per request answered: what the
  # throughput of a saturated server is the inverse of, and steadier than req/s on a shared machine.
  cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
  # Two workloads. "every call a card": each call is the tendinopathy chart (the worst case: every call
  # recorded). "1 call in 10 a card": nine charts without an Achilles condition
  # (bench/requests/patient-view-quiet.json, the same bundle with plantar fasciitis: no card, nothing
  # recorded) for each tendinopathy chart: still generous, as Achilles tendinopathy is a few in a thousand
  # adults, and most charts opened and most orders signed carry no card.
  local path=/cds-services/achilles-patient-view mix="" i wl
  for i in $(seq 9); do mix+="$path=bench/requests/patient-view-quiet.json,"; done
  mix+="$path=bench/requests/patient-view.json"
  declare -gA cpu_us
  for r in $(seq "$rounds"); do
    for wl in cards mix; do
      for mode in "${audit_modes[@]}"; do
        before=$(cpu_ticks "${pid_of[audit-$mode]}")
        if [ "$wl" = cards ]; then
          run_wrk "audit-$mode-$wl-$r" "http://127.0.0.1:${port_of[audit-$mode]}$path" bench/requests/patient-view.json "$duration"
        else
          MIX_FILES="$mix" run_wrk "audit-$mode-$wl-$r" "http://127.0.0.1:${port_of[audit-$mode]}" "" "$duration" bench/mixed.lua
        fi
        after=$(cpu_ticks "${pid_of[audit-$mode]}")
        answered=$(awk '/requests in/ {print $1}' "$work/audit-$mode-$wl-$r.wrk")
        cpu_us[audit-$mode-$wl-$r]=$(awk -v t=$((after - before)) -v n="$answered" -v hz="$(getconf CLK_TCK)" \
          'BEGIN { printf "%.1f", (n > 0 ? t * 1e6 / hz / n : 0) }')
      done
    done
  done
  median_cpu() { for r in $(seq "$rounds"); do echo "${cpu_us[$1-$r]}"; done | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  for wl in cards mix; do
    echo
    [ "$wl" = cards ] && echo "card log, every call a card: patient-view, wrk -t1 -c$connections, $rounds interleaved rounds of $duration, median round; the writer shares CPU 0"
    [ "$wl" = mix ] && echo "card log, 1 call in 10 a card (the rest: charts without an Achilles condition), the same rounds"
    printf "%-34s %10s %9s %9s %12s   %s\n" "target" "req/s" "p50 ms" "p99 ms" "CPU us/req" "ratio to recording off: req/s, CPU per request"
    off_rps=$(rps "$(median_round "audit-off-$wl")")
    off_cpu=$(median_cpu "audit-off-$wl")
    for mode in "${audit_modes[@]}"; do
      m=$(median_round "audit-$mode-$wl")
      c=$(median_cpu "audit-$mode-$wl")
      printf "%-34s %10.0f %9s %9s %12s   %s\n" "recording $mode" "$(rps "$m")" "$(to_ms "$(pct "$m" 50%)")" "$(to_ms "$(pct "$m" 99%)")" \
        "$c" "$(awk -v a="$(rps "$m")" -v b="$off_rps" -v c="$c" -v o="$off_cpu" 'BEGIN { printf "%.2fx, %.2fx", a/b, o/c }')"
    done
    echo "all rounds (req/s):"
    for mode in "${audit_modes[@]}"; do printf "  %-20s" "$mode"; for r in $(seq "$rounds"); do printf " %9.0f" "$(rps "audit-$mode-$wl-$r")"; done; echo; done
    for mode in "${audit_modes[@]}"; do for r in $(seq "$rounds"); do errors "audit-$mode-$wl-$r"; done; done
  done
  for mode in "${audit_modes[@]}"; do
    [ "$mode" = off ] && continue
    kill -TERM "${pid_of[audit-$mode]}" 2>/dev/null; wait "${pid_of[audit-$mode]}" 2>/dev/null || true
    grep -o 'audit: [0-9]* event(s) written, [0-9]* card record(s) dropped, [0-9]* feedback item(s) refused' \
      "$work/audit-$mode.err" | sed "s/^/  $mode: /"
  done
}
# bench/run.sh BUILD connections|card-log|population: that section alone.
if [ "${2:-}" = connections ]; then connections_bench; exit 0; fi
if [ "${2:-}" = card-log ]; then cardlog_bench; exit 0; fi
if [ "${2:-}" = population ]; then bench/population.sh "$build"; exit 0; fi

declare -A url body
url[baseline]="http://127.0.0.1:$nginx_port/cds-services/achilles-order-select"; body[baseline]=bench/requests/order-select.json
url[order-select]="http://127.0.0.1:$service_port/cds-services/achilles-order-select"; body[order-select]=bench/requests/order-select.json
url[patient-view]="http://127.0.0.1:$service_port/cds-services/achilles-patient-view"; body[patient-view]=bench/requests/patient-view.json
targets=(baseline order-select patient-view)
if [ -n "$previous_pid" ]; then
  url[previous-order-select]="http://127.0.0.1:$previous_port/cds-services/achilles-order-select"; body[previous-order-select]=bench/requests/order-select.json
  url[previous-patient-view]="http://127.0.0.1:$previous_port/cds-services/achilles-patient-view"; body[previous-patient-view]=bench/requests/patient-view.json
  targets+=(previous-order-select previous-patient-view)
fi

echo "warming up..."
for t in "${targets[@]}"; do run_wrk "warm-$t" "${url[$t]}" "${body[$t]}" 2s; done

# Three interleaved rounds: a shared machine's load drifts, and interleaving spreads the drift over all
# targets. Each target's round with the median req/s is reported.
for r in $(seq "$rounds"); do
  for t in "${targets[@]}"; do run_wrk "$t-$r" "${url[$t]}" "${body[$t]}" "$duration"; done
done

base=$(median_round baseline)
base_rps=$(rps "$base"); base_p50=$(to_ms "$(pct "$base" 50%)"); base_p99=$(to_ms "$(pct "$base" 99%)")
base_rss=$(rss_mb "$nginx_worker")
echo
echo "load: wrk -t1 -c$connections, $rounds interleaved rounds of $duration, median round; wrk on CPU 1, servers on CPU 0 (one thread / one worker)"
echo "requests: bench/requests/order-select.json ($(wc -c < bench/requests/order-select.json) bytes), patient-view.json ($(wc -c < bench/requests/patient-view.json) bytes)"
printf "%-34s %10s %9s %9s %11s   %s\n" "target" "req/s" "p50 ms" "p99 ms" "peakRSS MB" "ratio to baseline: req/s, p50, p99, RSS"
printf "%-34s %10.0f %9s %9s %11s   %s\n" "baseline: nginx fixed JSON" "$base_rps" "$base_p50" "$base_p99" "$base_rss" "1.00"
for t in "${targets[@]:1}"; do
  m=$(median_round "$t")
  pid=$service_pid; [[ "$t" == previous-* ]] && pid=$previous_pid
  r=$(rps "$m"); p50=$(to_ms "$(pct "$m" 50%)"); p99=$(to_ms "$(pct "$m" 99%)"); rss=$(rss_mb "$pid")
  ratios=$(awk -v a="$r" -v b="$base_rps" -v c="$p50" -v d="$base_p50" -v e="$p99" -v f="$base_p99" -v g="$rss" -v h="$base_rss" \
    'BEGIN { printf "%.2fx, %.2fx, %.2fx, %.2fx", a/b, c/d, e/f, g/h }')
  printf "%-34s %10.0f %9s %9s %11s   %s\n" "achilles-cds $t" "$r" "$p50" "$p99" "$rss" "$ratios"
done
if [ -n "$previous_pid" ]; then
  for t in order-select patient-view; do
    awk -v n="$t" -v a="$(rps "$(median_round "$t")")" -v b="$(rps "$(median_round "previous-$t")")" \
      'BEGIN { printf "%s: this build %.0f req/s vs previous %.0f req/s = %.2fx\n", n, a, b, a/b }'
  done
fi
echo "all rounds (req/s):"
for t in "${targets[@]}"; do printf "  %-14s" "$t"; for r in $(seq "$rounds"); do printf " %9.0f" "$(rps "$t-$r")"; done; echo; done
for t in "${targets[@]}"; do for r in $(seq "$rounds"); do errors "$t-$r"; done; done

# Authentication: the same patient-view calls, each with a signed JWT of its own (a token is accepted once),
# against the service with authentication on and, in the same interleaved rounds, with it off (the same
# script and tokens: the header is ignored there). RS384 is Epic's default, ES384 the specification's example.
if [ -x "$build/bench/mint_tokens" ]; then
  auth_duration=${AUTH_DURATION:-2s}
  base_url=https://cds.bench.example
  aud=$base_url/cds-services/achilles-patient-view
  declare -A per_round=([RS384]=${RS384_TOKENS:-40000} [ES384]=${ES384_TOKENS:-4000})
  clients=""
  for alg in RS384 ES384; do
    "$build/bench/mint_tokens" "$alg" "${per_round[$alg]}" "$rounds" "https://ehr.bench.example/$alg" "$aud" \
      "$work/$alg.jwks.json" "$work/$alg.tokens"
    clients+="${clients:+,}{\"iss\": \"https://ehr.bench.example/$alg\", \"jwksFile\": \"$work/$alg.jwks.json\"}"
  done
  cat > "$work/auth-on.json" <<JSON
{"publicBaseUrl": "$base_url", "audit": {"enabled": false},
 "authentication": {"required": true, "replayCacheEntries": 1000000, "trustedClients": [$clients]}}
JSON
  echo "{\"publicBaseUrl\": \"$base_url\", \"audit\": {\"enabled\": false}, \"authentication\": {\"required\": false}}" > "$work/auth-off.json"
  for mode in on off; do start_service "auth-$mode" "$work/auth-$mode.json"; done
  # What is measured must be what is meant: a token is a 200 with the rehab card, no token a 401.
  auth_url() { echo "http://127.0.0.1:${port_of[auth-$1]}/cds-services/achilles-patient-view"; }
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @bench/requests/patient-view.json "$(auth_url on)")" = 401 ] \
    || { echo "bench: the authenticated service answered an unsigned call"; exit 1; }
  for alg in RS384 ES384; do  # the last token of the last round: wrk does not get that far
    curl -fs -H 'Content-Type: application/json' -H "Authorization: Bearer $(tail -1 "$work/$alg.tokens.$rounds")" \
      --data-binary @bench/requests/patient-view.json "$(auth_url on)" | grep -q '"code":"eccentricRehab"' \
      || { echo "bench: a signed $alg call did not get the rehab card"; exit 1; }
  done
  auth_wrk() {  # out-name mode alg round
    BODY_FILE=bench/requests/patient-view.json TOKENS_FILE="$work/$3.tokens.$4" taskset -c 1 \
      wrk -t1 -c"$connections" -d"$auth_duration" --latency -s bench/post_tokens.lua "$(auth_url "$2")" > "$work/$1.wrk"
  }
  for r in $(seq "$rounds"); do
    for alg in RS384 ES384; do
      auth_wrk "auth-off-$alg-$r" off "$alg" "$r"
      auth_wrk "auth-on-$alg-$r" on "$alg" "$r"
    done
  done
  echo
  echo "authentication: patient-view, wrk -t1 -c$connections, $rounds interleaved rounds of $auth_duration, median round; every call a fresh token (distinct jti)"
  printf "%-34s %10s %9s %9s   %s\n" "target" "req/s" "p50 ms" "p99 ms" "ratio to authentication off (req/s)"
  for alg in RS384 ES384; do
    off=$(median_round "auth-off-$alg"); on=$(median_round "auth-on-$alg")
    printf "%-34s %10.0f %9s %9s   %s\n" "authentication off ($alg script)" "$(rps "$off")" "$(to_ms "$(pct "$off" 50%)")" "$(to_ms "$(pct "$off" 99%)")" "1.00"
    printf "%-34s %10.0f %9s %9s   %s\n" "authentication on, $alg" "$(rps "$on")" "$(to_ms "$(pct "$on" 50%)")" "$(to_ms "$(pct "$on" 99%)")" \
      "$(awk -v a="$(rps "$on")" -v b="$(rps "$off")" 'BEGIN { printf "%.2fx", a/b }')"
  done
  for alg in RS384 ES384; do for m in off on; do for r in $(seq "$rounds"); do errors "auth-$m-$alg-$r"; done; done; done
  echo "OpenSSL's own figures for the same keys (openssl speed, this machine, now): the floor a verification cannot beat"
  openssl speed -seconds 1 rsa2048 ecdsap384 2>/dev/null | awk '/^rsa 2048|nistp384/'
  echo
  echo "token verification in process, Google Benchmark; baseline = the whole patient-view pipeline (parse → response):"
  taskset -c 0 "$build/bench/auth_bench" --benchmark_min_time=1 --benchmark_repetitions=3 \
    --benchmark_report_aggregates_only=true 2>/dev/null | grep -E "^Benchmark|_median|^-"
fi
cardlog_bench

# The same cost in process, where the noise of a shared machine matters less: the pipeline N times with
# the card log off, with a store that keeps nothing (what the request thread and the queue cost), into
# SQLite and into PostgreSQL, timed until the writer has committed everything; one core.
if [ -x "$build/bench/audit_bench" ]; then
  echo
  pg_url=""
  [[ " ${audit_modes[*]} " == *" postgresql "* ]] && pg_url="postgresql://achilles@127.0.0.1:$pg_port/postgres"
  ACHILLES_BENCH_PG_URL="$pg_url" taskset -c 0 "$build/bench/audit_bench" "${AUDIT_CALLS:-100000}" "${ROUNDS:-3}"
fi

if [ -x "$build/bench/fetch_bench" ]; then
  echo
  "$build/bench/fetch_bench" 21 2>/dev/null
fi
echo
echo "in-process pipeline (parse → facts → rules → response), Google Benchmark; baseline = parsing the same bytes (fhir::ParseInsitu: RapidJSON + UTF-8, surrogate and duplicate-member checks):"
taskset -c 0 "$build/bench/pipeline_bench" --benchmark_min_time=1 --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true 2>/dev/null | grep -E "^Benchmark|_median|^-"

# Instructions per request (callgrind): the difference between 300 and 50 iterations, over 250. The same
# binary and input give the same count on any load, so this is the figure to compare between commits.
if command -v valgrind >/dev/null; then
  count() {  # mode file service iterations
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$build/bench/pipeline_count" "$1" "$2" "$3" "$4" 2>&1 \
      | awk '/Collected/ {print $4}'
  }
  echo
  echo "instructions per request (callgrind; baseline = the same parse):"
  for spec in "order-select achilles-order-select" "patient-view achilles-patient-view"; do
    set -- $spec
    f=bench/requests/$1.json
    p=$(( ($(count parse "$f" "$2" 300) - $(count parse "$f" "$2" 50)) / 250 ))
    q=$(( ($(count pipeline "$f" "$2" 300) - $(count pipeline "$f" "$2" 50)) / 250 ))
    awk -v n="$1" -v p="$p" -v q="$q" 'BEGIN { printf "  %-13s parse %7d   pipeline %7d   ratio %.2fx\n", n, p, q, q/p }'
  done
  # The card log's share, the same way: patient-view with recording off, into a store that keeps nothing,
  # and into SQLite (every thread, everything committed; user space only: the kernel's file writes are not
  # in it); every call a card ("cards"), and one call in ten ("mix", as in the card-log load section).
  if [ -x "$build/bench/audit_bench" ]; then
    audit_count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$build/bench/audit_bench" count "$@" 2>&1 | awk '/Collected/ {print $4}'; }
    for wl in "" mix; do  # every call a card; 1 call in 10 (mix)
      off=$(( ($(audit_count off 300 $wl) - $(audit_count off 50 $wl)) / 250 ))
      for mode in queue sqlite; do
        n=$(( ($(audit_count "$mode" 300 $wl) - $(audit_count "$mode" 50 $wl)) / 250 ))
        awk -v m="$mode" -v n="$n" -v o="$off" -v w="${wl:-cards}" \
          'BEGIN { printf "  card log %-7s %-5s recording off %7d   on %7d   ratio %.2fx\n", m, w, o, n, n/o }'
      done
    done
  fi
fi

connections_bench

# Time per KB from 10 KB to the body limit: flat means every step is linear in the request size.
echo
taskset -c 0 "$build/bench/scaling_bench" 5

# The population audit over a generated 1 GB Bulk Data export, against wc -l (bench/population.sh).
bench/population.sh "$build"
