#!/bin/sh
# Run once by the postgres image when the primary's data directory is created (docker-entrypoint-initdb.d):
# a replication role for the streaming replica of compose.yaml's "replica" profile, and the pg_hba line it needs.
set -e
psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" <<SQL
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '${REPLICATION_PASSWORD:-replicator}';
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
