#!/bin/bash
# Streaming replica: on first start, clone the primary with pg_basebackup (-R writes
# standby.signal and primary_conninfo), then run PostgreSQL as a hot standby that
# serves read-only queries. Later starts find the data directory and just stream on.
set -euo pipefail

: "${PRIMARY_HOST:?set PRIMARY_HOST}"
: "${PRIMARY_PORT:=5432}"
: "${REPLICATION_USER:?set REPLICATION_USER}"
: "${REPLICATION_PASSWORD:?set REPLICATION_PASSWORD}"
: "${REPLICATION_SLOT:=replica_1}"
: "${PGDATA:=/var/lib/postgresql/data}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  echo "replica: waiting for the primary at ${PRIMARY_HOST}:${PRIMARY_PORT}"
  for _ in $(seq 120); do
    pg_isready -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -q && break
    sleep 1
  done
  mkdir -p "$PGDATA"
  chown -R postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  echo "replica: cloning the primary (slot ${REPLICATION_SLOT})"
  gosu postgres pg_basebackup \
    --dbname="host=${PRIMARY_HOST} port=${PRIMARY_PORT} user=${REPLICATION_USER} password=${REPLICATION_PASSWORD} application_name=${REPLICATION_SLOT}" \
    --pgdata="$PGDATA" \
    --wal-method=stream \
    --slot="$REPLICATION_SLOT" \
    --write-recovery-conf \
    --checkpoint=fast \
    --progress
fi

exec docker-entrypoint.sh postgres -c hot_standby=on -c hot_standby_feedback=on "$@"
