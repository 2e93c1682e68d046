#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL on 127.0.0.1 (Debian's `postgresql` package), with DATABASE_URL
# set; the cluster is removed afterwards. Used by .ci/run and `make bench`.
#   scripts/with-postgres.sh make test
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$PGBIN" ]; then
  echo "PostgreSQL is needed: sudo apt-get install postgresql" >&2
  exit 1
fi
PGDIR=$(mktemp -d /tmp/dentruong-pg.XXXX)
PGPORT=${PGPORT:-55432}
if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$PGDIR"
  as_postgres() { su postgres -s /bin/sh -c "$*"; }
else
  as_postgres() { sh -c "$*"; }
fi
cleanup() { as_postgres "$PGBIN/pg_ctl -D $PGDIR/data -m fast -w stop" >/dev/null 2>&1 || true; rm -rf "$PGDIR"; }
trap cleanup EXIT
echo "== starting PostgreSQL ($PGBIN) on 127.0.0.1:$PGPORT"
as_postgres "$PGBIN/initdb -D $PGDIR/data -U app --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
as_postgres "$PGBIN/pg_ctl -D $PGDIR/data -o \"-h 127.0.0.1 -p $PGPORT -k $PGDIR\" -l $PGDIR/pg.log -w start" >/dev/null
"$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U app app
DATABASE_URL="postgres://app@127.0.0.1:$PGPORT/app" "$@"
