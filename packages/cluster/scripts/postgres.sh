#!/usr/bin/env bash
# A throwaway PostgreSQL server for the cluster's tests, example, bench and CI.
#
#   postgres.sh start          install Debian's postgresql if missing, initdb a temporary data
#                              directory (once), start the server; prints its URL on stdout
#   postgres.sh stop           stop the server and delete its directory
#   postgres.sh halt           stop the server, keep its data (the outage test: `start` again)
#   postgres.sh status         exit 0 when it accepts connections
#   postgres.sh url [DB]       the URL of the server (of database DB)
#   postgres.sh createdb DB    drop and create database DB (a fresh one per test file)
#
# The server listens on 127.0.0.1 only, and on a unix socket inside its own directory; nothing
# else on the machine is touched (Debian's default cluster is not created when this script
# installs the package). Its directory is $EFFECT_ASYNCIO_PG_DIR, default
# ${TMPDIR:-/tmp}/effect-asyncio-pg-$PORT, and its port $EFFECT_ASYNCIO_PG_PORT, default 54329.
# fsync is off: the data is thrown away, and `halt` is a clean shutdown.
#
# postgres refuses to run as root: as root the server runs as the `postgres` user that Debian's
# package creates (runuser); as anyone else it runs as that user.
set -euo pipefail

PORT="${EFFECT_ASYNCIO_PG_PORT:-54329}"
DIR="${EFFECT_ASYNCIO_PG_DIR:-${TMPDIR:-/tmp}/effect-asyncio-pg-$PORT}"
DATA="$DIR/data"
LOG="$DIR/server.log"

say() { echo "postgres.sh: $*" >&2; }

bindir() {
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -n "$found" && -x "$found/pg_ctl" ]]; then
    echo "$found"
  fi
}

install_postgres() {
  if [[ -n "$(bindir)" ]]; then return; fi
  if [[ "$(id -u)" != 0 ]]; then
    say "PostgreSQL is not installed and this is not root: apt-get install postgresql first"
    exit 1
  fi
  say "installing Debian's postgresql (apt-get)"
  # no default cluster on port 5432: this script makes its own
  mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.d/effect-asyncio.conf
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql >&2
  if [[ -z "$(bindir)" ]]; then
    say "apt-get installed postgresql but no /usr/lib/postgresql/*/bin/pg_ctl was found"
    exit 1
  fi
}

# runs a PostgreSQL binary as the server's user
as_server_user() {
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg() {
  local bin
  bin="$(bindir)"
  as_server_user "$bin/$1" "${@:2}"
}

url() {
  echo "postgres://postgres@127.0.0.1:$PORT/${1:-postgres}"
}

running() {
  [[ -d "$DATA" ]] && [[ -n "$(bindir)" ]] && pg pg_isready -q -h 127.0.0.1 -p "$PORT" -t 1
}

start() {
  install_postgres
  if running; then
    url
    return
  fi
  if [[ ! -s "$DATA/PG_VERSION" ]]; then
    rm -rf "$DIR"
    mkdir -p "$DIR"
    if [[ "$(id -u)" == 0 ]]; then chown postgres: "$DIR"; fi
    pg initdb -D "$DATA" -U postgres -A trust -E UTF8 --no-sync >"$DIR/initdb.log" 2>&1 ||
      { cat "$DIR/initdb.log" >&2; exit 1; }
  fi
  local options="-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off"
  options+=" -c full_page_writes=off -c max_connections=300 -c shared_buffers=128MB"
  if ! pg pg_ctl -D "$DATA" -l "$LOG" -o "$options" -w -t 60 start >/dev/null; then
    say "the server did not start; its log:"
    tail -n 30 "$LOG" >&2 || true
    exit 1
  fi
  url
}

halt() {
  if [[ -d "$DATA" && -n "$(bindir)" ]] && pg pg_ctl -D "$DATA" status >/dev/null 2>&1; then
    pg pg_ctl -D "$DATA" -m fast -w stop >/dev/null
  fi
}

case "${1:-}" in
  start) start ;;
  stop)
    halt
    rm -rf "$DIR"
    ;;
  halt) halt ;;
  status) running ;;
  url) url "${2:-}" ;;
  createdb)
    name="${2:?createdb needs a database name}"
    running || { say "the server is not running: postgres.sh start"; exit 1; }
    PGOPTIONS="--client-min-messages=warning" pg psql -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
      -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" -c "CREATE DATABASE \"$name\"" >&2
    url "$name"
    ;;
  *)
    echo "usage: $0 start|stop|halt|status|url [DB]|createdb DB" >&2
    exit 2
    ;;
esac
