#!/usr/bin/env bash
# Soak: SOAK_SECONDS (default 600) of mixed traffic against one service with its card log on (SQLite, as
# shipped): valid calls of every service (wrk, 8 connections), malformed requests, oversized bodies, slow
# clients that send a request a byte at a time, and a SIGHUP reload every 10 s. Prints, at the end, the answers
# by status (the service's own /metrics), the resident memory at the start, middle and end (growth should be
# flat), and the card-log rows against the cards the service issued and withheld (they should be equal).
# Figures, not assertions.
#   bench/soak.sh [BUILD_DIR=build]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
binary=$build/achilles-cds
seconds=${SOAK_SECONDS:-600}
for tool in wrk curl python3 sqlite3; do command -v "$tool" >/dev/null || { echo "soak: $tool missing (run make deps)"; exit 1; }; done
[ -x "$binary" ] || { echo "soak: build $binary first (make build)"; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

sed "s|\"dataDir\": \"data\"|\"dataDir\": \"$work/data\"|" config/server.development.json > "$work/settings.json"
"$binary" serve --port 0 --config config --settings "$work/settings.json" > "$work/serve.out" 2> "$work/serve.err" &
service=$!
pids+=("$service")
for _ in $(seq 100); do grep -q listening "$work/serve.out" 2>/dev/null && break; sleep 0.05; done
port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$work/serve.out")
base="http://127.0.0.1:$port"
rss() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$service/status"; }

scenarios=tests/data/scenarios
mix="/cds-services/achilles-patient-view=bench/requests/patient-view.json"
mix+=",/cds-services/achilles-order-select=bench/requests/order-select.json"
mix+=",/cds-services/achilles-order-sign=$scenarios/fq-steroid-and-over-60-critical.request.json"
mix+=",/cds-services/achilles-order-sign=$scenarios/large-record-steroid-at-the-achilles.request.json"

# Warm up, then the starting memory.
MIX_FILES="$mix" wrk -t1 -c8 -d2s -s bench/mixed.lua "$base" > /dev/null
rss_start=$(rss)

MIX_FILES="$mix" wrk -t1 -c8 -d"${seconds}s" --timeout 10s -s bench/mixed.lua "$base" > "$work/wrk.txt" &
pids+=($!)

# Malformed and oversized requests, one every ~50 ms: broken JSON, the wrong hook, the wrong media type, a
# 5 MB body (over the 4 MiB limit), an unknown service, a bad patient id.
head -c 5000000 /dev/zero | tr '\0' ' ' > "$work/huge.json"
(
  end=$((SECONDS + seconds))
  while [ $SECONDS -lt $end ]; do
    curl -s -o /dev/null -H 'Content-Type: application/json' --data '{"hook":' "$base/cds-services/achilles-patient-view"
    curl -s -o /dev/null -H 'Content-Type: application/json' --data @bench/requests/order-select.json "$base/cds-services/achilles-patient-view"
    curl -s -o /dev/null -H 'Content-Type: text/plain' --data '{}' "$base/cds-services/achilles-order-sign"
    curl -s -o /dev/null -H 'Content-Type: application/json' --data-binary @"$work/huge.json" "$base/cds-services/achilles-order-sign"
    curl -s -o /dev/null -H 'Content-Type: application/json' --data '{}' "$base/cds-services/no-such-service"
    curl -s -o /dev/null -H 'Content-Type: application/json' --data '{"feedback":[{"card":"x"}]}' "$base/cds-services/achilles-patient-view/feedback"
    sleep 0.05
  done
) &
pids+=($!)

# Slow clients: 16 connections, each sending a request a byte every 200 ms (the read timeout closes them).
python3 - "$port" "$seconds" <<'PY' &
import socket, sys, threading, time
port, seconds = int(sys.argv[1]), float(sys.argv[2])
request = b"POST /cds-services/achilles-patient-view HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"
def slow():
    end = time.time() + seconds
    while time.time() < end:
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            for b in request * 1000:
                if time.time() >= end:
                    break
                s.send(bytes([b]))
                time.sleep(0.2)
        except OSError:
            time.sleep(0.2)
        finally:
            try:
                s.close()
            except Exception:
                pass
threads = [threading.Thread(target=slow) for _ in range(16)]
for t in threads: t.start()
for t in threads: t.join()
PY
pids+=($!)

# A reload every 10 s; the memory at the middle.
(
  end=$((SECONDS + seconds))
  while [ $SECONDS -lt $end ]; do sleep 10; kill -HUP "$service" 2>/dev/null || true; done
) &
pids+=($!)
sleep $((seconds / 2))
rss_middle=$(rss)
wait "${pids[@]:1}" 2>/dev/null || true
sleep 3  # idle: what the load took is given back, or kept
rss_end=$(rss)

metrics=$(curl -s "$base/metrics")
kill -TERM "$service"; wait "$service" || true  # drains: every queued card is written

echo "soak: ${seconds} s of mixed traffic against $binary (card log on, SQLite)"
echo "answers by status (the service's /metrics):"
awk '/^achilles_http_requests_total\{/ { match($0, /status="[0-9]+"/); s = substr($0, RSTART + 8, RLENGTH - 9); n[s] += $NF }
     END { for (s in n) printf "  %s  %d\n", s, n[s] }' <<<"$metrics" | sort
grep -E '^(Requests/sec|  [0-9]+ requests in)|Socket errors|Non-2xx' "$work/wrk.txt" | sed 's/^/  wrk: /'
reloads_ok=$(awk '/^achilles_config_reloads_total\{result="ok"\}/ {print $NF}' <<<"$metrics")
reloads_failed=$(awk '/^achilles_config_reloads_total\{result="failed"\}/ {print $NF}' <<<"$metrics")
echo "reloads: ${reloads_ok:-0} ok, ${reloads_failed:-0} failed"
printf "resident memory (MB): start %s, middle %s, end %s (end/start %s)\n" "$rss_start" "$rss_middle" "$rss_end" \
  "$(awk -v a="$rss_end" -v b="$rss_start" 'BEGIN { printf "%.2fx", a/b }')"
issued=$(awk '/^achilles_cards_total\{/ {n += $NF} /^achilles_cards_snoozed_total\{/ {n += $NF} END {printf "%d", n}' <<<"$metrics")
rows=$(sqlite3 "$work/data/audit.db" "SELECT count(*) FROM cards")
dropped=$(awk '/^achilles_card_log_dropped_total/ {printf "%d", $NF}' <<<"$metrics")
echo "card log: $rows rows; the service issued or withheld $issued cards (dropped: ${dropped:-0}) — $( [ "$rows" -eq "$issued" ] && echo equal || echo DIFFERENT)"
