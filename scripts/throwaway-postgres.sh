#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server in a temporary directory and prints its DATABASE_URL;
# its data directory is printed on stderr as PGDATA=…. Installs Debian's postgresql package when
# it is missing. PostgreSQL refuses to run as root, so as root it runs as the postgres user.
#   scripts/throwaway-postgres.sh [PORT]        start
#   scripts/throwaway-postgres.sh stop PGDATA   stop it
set -euo pipefail

run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)

if [ "${1:-}" = stop ]; then
  run "$bindir/pg_ctl" -D "$2" -m fast stop >/dev/null
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
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
echo "PGDATA=$dir/data" >&2
echo "postgres://postgres@127.0.0.1:$port/postgres"
