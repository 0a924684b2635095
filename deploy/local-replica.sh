#!/bin/sh
# A primary and a streaming hot standby on this machine, without containers: the topology of compose.yaml's
# "replica" profile (the same deploy/primary-replication.sh, the same pg_basebackup -R -X stream), for trying
# DATABASE_REPLICA_URL where no container runtime is (bench/replica_check.py drives it; docs/deployment.md).
#
#   deploy/local-replica.sh start DIR [PRIMARY_PORT] [STANDBY_PORT]   (defaults 5441, 5442)
#   deploy/local-replica.sh stop DIR
#
# Uses the PostgreSQL binaries `pg_config --bindir` names. Run as root, the servers run as the `postgres` user.
set -eu
command="$1"
dir="$2"
primary_port="${3:-5441}"
standby_port="${4:-5442}"
bin="$(pg_config --bindir)"

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$command" in
start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_owner "$bin/initdb" -D "$dir/primary" -U postgres --auth=trust >/dev/null
    as_owner "$bin/pg_ctl" -D "$dir/primary" -l "$dir/primary.log" -w \
        -o "-p $primary_port -k $dir -c listen_addresses=127.0.0.1 -c wal_level=replica -c max_wal_senders=5" start
    createdb -h 127.0.0.1 -p "$primary_port" -U postgres fleetadmin
    # What the postgres image runs on the primary's first start (compose.yaml mounts the same script).
    POSTGRES_USER=postgres POSTGRES_DB=fleetadmin PGDATA="$dir/primary" PGHOST=127.0.0.1 PGPORT="$primary_port" \
        as_owner sh "$(dirname "$0")/primary-replication.sh"
    as_owner "$bin/pg_ctl" -D "$dir/primary" reload >/dev/null
    # What the replica service runs on its first start.
    PGPASSWORD=replicator as_owner "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U replicator \
        -D "$dir/standby" -R -X stream
    as_owner "$bin/pg_ctl" -D "$dir/standby" -l "$dir/standby.log" -w \
        -o "-p $standby_port -k $dir -c listen_addresses=127.0.0.1 -c hot_standby=on" start
    echo "DATABASE_URL=postgres://postgres@127.0.0.1:$primary_port/fleetadmin"
    echo "DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:$standby_port/fleetadmin"
    ;;
stop)
    for server in standby primary; do
        [ -d "$dir/$server" ] && as_owner "$bin/pg_ctl" -D "$dir/$server" -m fast stop || true
    done
    ;;
*)
    echo "usage: $0 start|stop DIR [PRIMARY_PORT] [STANDBY_PORT]" >&2
    exit 2
    ;;
esac
