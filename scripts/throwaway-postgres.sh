#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server in a temporary directory and prints its DATABASE_URL;
# its data directory is printed on stderr as PGDATA=…. Installs Debian's postgresql package when
# it is missing. PostgreSQL refuses to run as root, so as root it runs as the postgres user.
#   scripts/throwaway-postgres.sh [PORT]        start
#   scripts/throwaway-postgres.sh replica PRIMARY_PORT PORT
#                                               start a hot standby streaming from a throwaway
#                                               server on PRIMARY_PORT, and print its URL
#   scripts/throwaway-postgres.sh stop PGDATA   stop it
set -euo pipefail

run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
# The standby must allow at least the primary's connections, so both start with the same settings.
settings="-c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)

if [ "${1:-}" = stop ]; then
  run "$bindir/pg_ctl" -D "$2" -m fast stop >/dev/null
  exit 0
fi

if [ "${1:-}" = replica ]; then
  primary_port="$2"
  port="$3"
  dir=$(mktemp -d /tmp/simdesk-pg-replica.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  # -R writes standby.signal and primary_conninfo; -X stream takes the WAL the copy needs.
  run "$bindir/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$dir/data" -R -X stream -c fast
  run "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-p $port -k $dir $settings -c hot_standby=on" start >/dev/null
  echo "PGDATA=$dir/data" >&2
  echo "postgres://postgres@127.0.0.1:$port/postgres"
  exit 0
fi

port="${1:-54329}"
if [ -z "$bindir" ]; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then useradd --system --home /nonexistent postgres; fi

dir=$(mktemp -d /tmp/simdesk-pg.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres "$dir"
run "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
run "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir $settings" start >/dev/null
echo "PGDATA=$dir/data" >&2
echo "postgres://postgres@127.0.0.1:$port/postgres"
