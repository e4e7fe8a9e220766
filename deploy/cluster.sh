#!/usr/bin/env bash
# Two quincer-server instances sharing one PostgreSQL database behind HAProxy, on one machine (docs/DEPLOY.md):
#
#   deploy/cluster.sh start DIR [PORT]        PostgreSQL, migrate, two nodes, HAProxy on 127.0.0.1:PORT (default: free)
#   deploy/cluster.sh stop DIR                HAProxy, then each node gracefully, then PostgreSQL
#   deploy/cluster.sh status DIR              what runs, and whether each node and the balancer are ready
#   deploy/cluster.sh restart-node DIR N      stop node N (1 or 2) gracefully and start it again (a rolling restart)
#
# Everything lives in DIR: the throwaway PostgreSQL cluster (scripts/throwaway-postgres.sh), each node's data
# directory (node1/, node2/: only the demo's keys file), logs/ and cluster.env (the lines `start` prints). `start`
# on a stopped DIR starts the same cluster again with its data. The binary is QUINCER_SERVER_BIN, else the newer of
# target/release/quincer-server and target/debug/quincer-server; the static site is QUINCER_WWW, else www/.
# QUINCER_CLUSTER_DEMO=0 leaves out --demo (by default both nodes serve the demo; the first seeds it). Every other
# QUINCER_* setting of `quincer-server serve` in the environment applies to both nodes (docs/OPERATIONS.md).
# Installs Debian's postgresql and haproxy when missing (apt-get, through sudo when not root).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PG_SCRIPT=$ROOT/scripts/throwaway-postgres.sh
NODES=(1 2)

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'cluster.sh: %s\n' "$*" >&2; exit 1; }

usage() { sed -n '2,7p' "$0" >&2; exit 2; }

# Debian packages, through sudo when not root (as build.sh does).
apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "$@" >&2
}

ensure_packages() {
  local missing=()
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    apt_install "${missing[@]}"
  fi
}

haproxy_bin() { command -v haproxy 2>/dev/null || echo /usr/sbin/haproxy; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

server_bin() {
  if [ -n "${QUINCER_SERVER_BIN:-}" ]; then
    [ -x "$QUINCER_SERVER_BIN" ] || die "QUINCER_SERVER_BIN=$QUINCER_SERVER_BIN is not an executable"
    echo "$QUINCER_SERVER_BIN"
    return
  fi
  local release=$ROOT/target/release/quincer-server debug=$ROOT/target/debug/quincer-server
  if [ -x "$release" ] && { [ ! -x "$debug" ] || [ "$release" -nt "$debug" ]; }; then
    echo "$release"
  elif [ -x "$debug" ]; then
    echo "$debug"
  else
    die "no quincer-server binary: run \`cargo build -p quincer-server\` (or set QUINCER_SERVER_BIN)"
  fi
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Sends TERM to the process in the pid file and waits up to $2 seconds for it to exit, then KILLs it.
stop_pid() {
  local pidfile=$1 wait_secs=$2 name=$3 pid i
  alive "$pidfile" || { rm -f "$pidfile"; return 0; }
  pid=$(cat "$pidfile")
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < wait_secs * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; return 0; }
    sleep 0.1
  done
  log "$name did not stop within ${wait_secs}s: killing it"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

# HTTP status of GET URL/readyz, or 000.
readyz() { curl -s -o /dev/null -m 3 -w '%{http_code}' "$1/readyz" || true; }

# Waits until URL/readyz answers 200; fails naming the log if the pid file's process exits or 60 s pass.
wait_ready() {
  local url=$1 pidfile=$2 name=$3 logfile=$4 i
  for ((i = 0; i < 600; i++)); do
    [ "$(readyz "$url")" = 200 ] && return 0
    alive "$pidfile" || { tail -n 20 "$logfile" >&2; die "$name exited during start: see $logfile"; }
    sleep 0.1
  done
  tail -n 20 "$logfile" >&2
  die "$name is not ready after 60 s ($url/readyz: $(readyz "$url")): see $logfile"
}

# Starts node N on its port (chosen once, kept in DIR/nodeN/port) and waits for its /readyz.
start_node() {
  local n=$1 d=$DIR/node$1 port
  mkdir -p "$d"
  [ -f "$d/port" ] || free_port >"$d/port"
  port=$(cat "$d/port")
  local args=(serve --database-url "$DATABASE_URL" --data "$d" --www "$WWW" --addr "127.0.0.1:$port"
    --public-url "$LB_URL")
  if [ "$DEMO" = 1 ]; then
    args+=(--demo)
    # The first node seeds the demo workspace and writes its keys to its data directory; the others get a copy,
    # so they find the demo seeded (its widget key active) instead of seeding a second one.
    if [ "$n" != 1 ]; then
      [ -f "$DIR/node1/demo-keys.json" ] || die "node 1 wrote no demo-keys.json: see $LOGS/node1.log"
      install -m 600 "$DIR/node1/demo-keys.json" "$d/demo-keys.json"
    fi
  fi
  log "starting node $n on 127.0.0.1:$port"
  # A session of its own: the node outlives this script and a Ctrl-C in the terminal that started it.
  setsid "$BIN" "${args[@]}" >"$LOGS/node$n.out" 2>>"$LOGS/node$n.log" </dev/null &
  echo $! >"$d/pid"
  wait_ready "http://127.0.0.1:$port" "$d/pid" "node $n" "$LOGS/node$n.log"
}

stop_node() {
  # The node's own grace period, plus time to close: `--shutdown-grace-secs` (docs/OPERATIONS.md#shutdown).
  stop_pid "$DIR/node$1/pid" $((${QUINCER_SHUTDOWN_GRACE_SECS:-10} + 5)) "node $1"
}

start_postgres() {
  local admin pg
  pg=$(pg_bin)
  # As root, PostgreSQL runs as the `postgres` user, which must be able to reach DIR/postgres.
  [ "$(id -u)" -ne 0 ] || chmod o+x "$DIR"
  log "starting PostgreSQL"
  local port_arg=()
  [ -f "$DIR/postgres/port" ] && port_arg=("$(cat "$DIR/postgres/port")")
  admin=$("$PG_SCRIPT" start "$DIR/postgres" "${port_arg[@]}")
  # The instances connect as an ordinary role that owns its database, not as the superuser.
  if [ "$("$pg/psql" "$admin" -Atqc "SELECT 1 FROM pg_database WHERE datname = 'quincer'")" != 1 ]; then
    "$pg/psql" "$admin" -qv ON_ERROR_STOP=1 -c "CREATE ROLE quincer LOGIN" \
      -c "CREATE DATABASE quincer OWNER quincer" >&2
  fi
  DATABASE_URL="postgres://quincer@127.0.0.1:$(cat "$DIR/postgres/port")/quincer"
}

start_haproxy() {
  local i
  log "starting HAProxy on $LB_URL"
  export QUINCER_LB_BIND=127.0.0.1:$LB_PORT
  export QUINCER_NODE1=127.0.0.1:$(cat "$DIR/node1/port") QUINCER_NODE2=127.0.0.1:$(cat "$DIR/node2/port")
  "$(haproxy_bin)" -q -c -f "$ROOT/deploy/haproxy.cfg" || die "deploy/haproxy.cfg does not check"
  setsid "$(haproxy_bin)" -f "$ROOT/deploy/haproxy.cfg" >>"$LOGS/haproxy.log" 2>&1 </dev/null &
  echo $! >"$DIR/haproxy.pid"
  wait_ready "$LB_URL" "$DIR/haproxy.pid" "HAProxy" "$LOGS/haproxy.log"
  # Ready through the balancer on both nodes: round robin alternates, so a few requests reach each.
  local seen=""
  for ((i = 0; i < 100; i++)); do
    seen="$seen $(curl -s -o /dev/null -m 3 -w '%header{x-quincer-node}' "$LB_URL/readyz" || true)"
    case "$seen" in *node1*node2* | *node2*node1*) return 0 ;; esac
    sleep 0.1
  done
  die "HAProxy does not reach both nodes (answered by:$seen): see $LOGS/haproxy.log"
}

# Every visitor reaches the nodes from HAProxy's address: the nodes trust its X-Forwarded-For, so the per-address
# limit counts each visitor (docs/DEPLOY.md#the-balancer).
export QUINCER_TRUSTED_PROXIES=${QUINCER_TRUSTED_PROXIES:-127.0.0.1}

cmd_start() {
  ensure_packages
  BIN=$(server_bin)
  "$BIN" serve --help 2>/dev/null | grep -q -- '--database-url' ||
    die "$BIN cannot serve from PostgreSQL (\`serve --help\` has no --database-url): build a newer quincer-server"
  WWW=${QUINCER_WWW:-$ROOT/www}
  DEMO=${QUINCER_CLUSTER_DEMO:-1}
  mkdir -p "$DIR"
  DIR=$(cd "$DIR" && pwd)
  LOGS=$DIR/logs
  mkdir -p "$LOGS"
  alive "$DIR/haproxy.pid" && die "a cluster already runs in $DIR: \`$0 stop $DIR\` first"
  if [ -n "${1:-}" ]; then echo "$1" >"$DIR/lb-port"; fi
  [ -f "$DIR/lb-port" ] || free_port >"$DIR/lb-port"
  LB_PORT=$(cat "$DIR/lb-port")
  LB_URL=http://127.0.0.1:$LB_PORT
  echo "$BIN" >"$DIR/server-bin"

  # Whatever started is stopped again if a later step fails.
  trap 'status=$?; [ $status -eq 0 ] || { log "start failed: stopping what started (logs in $LOGS)"; cmd_stop; }' EXIT
  start_postgres
  log "migrating the database"
  "$BIN" migrate --database-url "$DATABASE_URL" >>"$LOGS/migrate.log" 2>&1 ||
    { tail -n 20 "$LOGS/migrate.log" >&2; die "migrate failed: see $LOGS/migrate.log"; }
  local n
  for n in "${NODES[@]}"; do start_node "$n"; done
  start_haproxy
  trap - EXIT

  {
    echo "QUINCER_URL=$LB_URL"
    echo "QUINCER_DATABASE_URL=$DATABASE_URL"
    for n in "${NODES[@]}"; do echo "QUINCER_NODE${n}_URL=http://127.0.0.1:$(cat "$DIR/node$n/port")"; done
    # The demo's lines of the first node (organisation, widget and its keys), with the balancer's address.
    grep -E '^QUINCER_(DEMO_URL|ORG_ID|WIDGET_ID|WIDGET_KEY|DEV_KEY)=' "$LOGS/node1.out" |
      sed "s#^QUINCER_DEMO_URL=http://[^/]*#QUINCER_DEMO_URL=$LB_URL#" || true
    echo "QUINCER_CLUSTER_LOGS=$LOGS"
  } >"$DIR/cluster.env"
  cat "$DIR/cluster.env"
}

cmd_stop() {
  DIR=$(cd "$DIR" 2>/dev/null && pwd) || die "no directory $DIR"
  stop_pid "$DIR/haproxy.pid" 5 HAProxy
  local n
  for n in "${NODES[@]}"; do stop_node "$n"; done
  if [ -f "$DIR/postgres/data/postmaster.pid" ]; then
    log "stopping PostgreSQL"
    "$PG_SCRIPT" stop "$DIR/postgres"
  fi
}

cmd_status() {
  DIR=$(cd "$DIR" 2>/dev/null && pwd) || die "no directory $DIR"
  local ok=0 n port state
  if [ -f "$DIR/postgres/data/postmaster.pid" ]; then
    echo "postgres   running  127.0.0.1:$(cat "$DIR/postgres/port")"
  else
    echo "postgres   stopped"
    ok=1
  fi
  for n in "${NODES[@]}"; do
    port=$(cat "$DIR/node$n/port" 2>/dev/null || echo '?')
    if alive "$DIR/node$n/pid"; then
      state=$(readyz "http://127.0.0.1:$port")
      echo "node$n      running  http://127.0.0.1:$port  /readyz $state"
      [ "$state" = 200 ] || ok=1
    else
      echo "node$n      stopped"
      ok=1
    fi
  done
  if alive "$DIR/haproxy.pid"; then
    state=$(readyz "http://127.0.0.1:$(cat "$DIR/lb-port")")
    echo "haproxy    running  http://127.0.0.1:$(cat "$DIR/lb-port")  /readyz $state"
    [ "$state" = 200 ] || ok=1
  else
    echo "haproxy    stopped"
    ok=1
  fi
  echo "logs       $DIR/logs"
  return $ok
}

cmd_restart_node() {
  local n=${1:-}
  case "$n" in 1 | 2) ;; *) usage ;; esac
  DIR=$(cd "$DIR" 2>/dev/null && pwd) || die "no directory $DIR"
  [ -f "$DIR/server-bin" ] || die "no cluster was started in $DIR"
  BIN=${QUINCER_SERVER_BIN:-$(cat "$DIR/server-bin")}
  WWW=${QUINCER_WWW:-$ROOT/www}
  DEMO=${QUINCER_CLUSTER_DEMO:-1}
  LOGS=$DIR/logs
  LB_URL=http://127.0.0.1:$(cat "$DIR/lb-port")
  DATABASE_URL="postgres://quincer@127.0.0.1:$(cat "$DIR/postgres/port")/quincer"
  stop_node "$n"
  start_node "$n"
  echo "node $n restarted: http://127.0.0.1:$(cat "$DIR/node$n/port")"
}

cmd=${1:-}
DIR=${2:-}
[ -n "$cmd" ] && [ -n "$DIR" ] || usage
case "$cmd" in
  start) cmd_start "${3:-}" ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  restart-node) cmd_restart_node "${3:-}" ;;
  *) usage ;;
esac
