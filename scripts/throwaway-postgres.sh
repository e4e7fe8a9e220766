#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and local multi-node runs, from Debian's `postgresql` package:
#
#   scripts/throwaway-postgres.sh start DIR [PORT]   initdb in DIR (if new), start it, print its admin URL
#   scripts/throwaway-postgres.sh stop DIR           stop it (the files stay until DIR is removed)
#   scripts/throwaway-postgres.sh restart DIR        `pg_ctl restart -m immediate` (a crash and a restart)
#
# The cluster listens on 127.0.0.1:PORT (default: a free port) and on a socket in DIR, trusts local connections,
# and runs with fsync off: it is for data nobody needs after the run. Commits are acknowledged before their WAL is
# written (synchronous_commit=off) unless THROWAWAY_PG_SYNCHRONOUS_COMMIT=on: crash tests that count acknowledged
# writes set it. initdb and pg_ctl refuse to run as root, so
# as root they run as the `postgres` user the package creates.
set -euo pipefail

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$PG_BIN/initdb" ] || {
  echo "throwaway-postgres.sh: no PostgreSQL binaries under /usr/lib/postgresql (apt-get install postgresql," \
    "or set PG_BIN)" >&2
  exit 1
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { sed -n '2,6p' "$0" >&2; exit 2; }

case "$cmd" in
  start)
    port=${3:-$(free_port)}
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [ "$(id -u)" -ne 0 ] || chown postgres: "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
    fi
    as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off \
          -c synchronous_commit=${THROWAWAY_PG_SYNCHRONOUS_COMMIT:-off} -c full_page_writes=off -c max_connections=300" >/dev/null
    echo "$port" >"$dir/port"
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  restart)
    as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m immediate -w restart >/dev/null
    ;;
  *)
    sed -n '2,6p' "$0" >&2
    exit 2
    ;;
esac
