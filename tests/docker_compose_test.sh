#!/usr/bin/env bash
# docker-compose.yml parses (Debian's docker-compose checks it without a Docker engine) and runs the
# service with the configuration mounted.
set -euo pipefail
cd "$(dirname "$0")/.."
docker-compose -f docker-compose.yml config -q
config=$(docker-compose -f docker-compose.yml config)
grep -q "/etc/achilles-cds:ro" <<<"$config" || { echo "config/ is not mounted read-only"; exit 1; }
grep -q "serve" <<<"$config" || { echo "the service does not run 'serve'"; exit 1; }
grep -q "8080" <<<"$config" || { echo "port 8080 is not published"; exit 1; }
echo "docker-compose.yml: valid"
