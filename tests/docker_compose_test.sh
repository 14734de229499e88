#!/usr/bin/env bash
# docker-compose.yml parses (Debian's docker-compose checks it without a Docker engine) and describes the
# scaled-out deployment: two replicas with the configuration mounted read-only, the shared PostgreSQL URL
# and pseudonym key from the environment (refused when unset), readiness health checks, nginx in front.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "docker-compose.yml: $*"; exit 1; }
if docker-compose -f docker-compose.yml config -q 2>/dev/null; then fail "accepted without ACHILLES_DB_PASSWORD"; fi
export ACHILLES_DB_PASSWORD=test-password ACHILLES_AUDIT_KEY=0123456789abcdef0123456789abcdef
docker-compose -f docker-compose.yml config -q
config=$(docker-compose -f docker-compose.yml config)
services=$(docker-compose -f docker-compose.yml config --services | sort | tr '\n' ' ')
[ "$services" = "achilles-cds-1 achilles-cds-2 nginx postgres " ] || fail "services are: $services"
[ "$(grep -c '/etc/achilles-cds:ro' <<<"$config")" -eq 2 ] || fail "config/ is not mounted read-only in both replicas"
[ "$(grep -c 'postgresql://achilles:test-password@postgres:5432/postgres' <<<"$config")" -eq 2 ] ||
  fail "the replicas do not share the PostgreSQL card log"
[ "$(grep -c 'ACHILLES_AUDIT_KEY: 0123456789abcdef' <<<"$config")" -eq 2 ] || fail "the replicas do not share the key"
[ "$(grep -c '/readyz' <<<"$config")" -eq 2 ] || fail "the replicas' health check is not /readyz"
grep -q "8080" <<<"$config" || fail "port 8080 is not published"
# nginx's upstream names exactly the two replicas, as the scale-out tests run it.
for r in achilles-cds-1 achilles-cds-2; do
  grep -q "server $r:8080" deploy/nginx/achilles-cds.conf || fail "nginx does not balance to $r"
done
# The image builds what the tree builds: every library folder CMakeLists.txt adds is copied into the image.
for dir in $(sed -n 's/^add_subdirectory(\([a-z]*\))$/\1/p' CMakeLists.txt); do
  [ "$dir" = tests ] || [ "$dir" = bench ] || grep -q "^COPY $dir $dir$" Dockerfile || fail "the Dockerfile does not copy $dir/"
done
echo "docker-compose.yml: valid"
