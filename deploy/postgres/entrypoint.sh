#!/bin/sh
# First start: a cluster owned by the "achilles" role, password from $ACHILLES_DB_PASSWORD, connections from
# the compose network with scram-sha-256. Then PostgreSQL in the foreground.
set -eu
data=/var/lib/achilles-db/data
bin=$(ls -d /usr/lib/postgresql/*/bin | head -1)
if [ ! -f "$data/PG_VERSION" ]; then
  : "${ACHILLES_DB_PASSWORD:?set ACHILLES_DB_PASSWORD}"
  pw=$(mktemp)
  printf '%s\n' "$ACHILLES_DB_PASSWORD" > "$pw"
  "$bin/initdb" -D "$data" -U achilles --pwfile="$pw" -A scram-sha-256 -E UTF8
  rm -f "$pw"
  echo "host all achilles 0.0.0.0/0 scram-sha-256" >> "$data/pg_hba.conf"
fi
exec "$bin/postgres" -D "$data" -c listen_addresses='*'
