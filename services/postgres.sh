#!/usr/bin/env bash
# PostgreSQL 15 for tests and CI: installs the Debian package if missing, runs a private cluster on
# 127.0.0.1:${PG_PORT:-54329}, and waits until it accepts connections. Idempotent.
#   services/postgres.sh start|stop|status|url
set -euo pipefail

PG_PORT="${PG_PORT:-54329}"
PG_DATA="${PG_DATA:-/var/tmp/techmarket-postgres-${PG_PORT}}"
PG_USER="techmarket"
PG_PASSWORD="techmarket"
PG_DB="techmarket"
URL="postgres://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${PG_PORT}/${PG_DB}"

find_bin() {
  local dir
  for dir in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

ensure_installed() {
  if ! find_bin >/dev/null; then
    echo "postgres: installing the Debian package postgresql-15 ..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql-15 >/dev/null
  fi
  BIN="$(find_bin)" || { echo "postgres: pg_ctl not found after install" >&2; exit 1; }
}

as_postgres() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ready() { "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" >/dev/null 2>&1; }

start() {
  ensure_installed
  if ready; then echo "postgres already running on 127.0.0.1:${PG_PORT}"; return 0; fi
  if [ ! -s "$PG_DATA/PG_VERSION" ]; then
    mkdir -p "$PG_DATA"
    [ "$(id -u)" = "0" ] && chown postgres:postgres "$PG_DATA"
    as_postgres "$BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  as_postgres "$BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p ${PG_PORT} -k /tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { echo "postgres: failed to start; log follows" >&2; tail -n 40 "$PG_DATA/server.log" >&2; exit 1; }
  local deadline=$((SECONDS + 60))
  until ready; do
    if [ $SECONDS -ge $deadline ]; then echo "postgres: not ready after 60 s" >&2; tail -n 40 "$PG_DATA/server.log" >&2; exit 1; fi
    sleep 0.2
  done
  local psql=("$BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1)
  if [ "$("${psql[@]}" -tAc "SELECT 1 FROM pg_roles WHERE rolname='${PG_USER}'")" != "1" ]; then
    "${psql[@]}" -c "CREATE ROLE ${PG_USER} LOGIN PASSWORD '${PG_PASSWORD}' CREATEDB"
  fi
  if [ "$("${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname='${PG_DB}'")" != "1" ]; then
    "${psql[@]}" -c "CREATE DATABASE ${PG_DB} OWNER ${PG_USER}"
  fi
  echo "postgres ready on 127.0.0.1:${PG_PORT} (${URL})"
}

stop() {
  BIN="$(find_bin)" || return 0
  if [ -s "$PG_DATA/postmaster.pid" ]; then
    as_postgres "$BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null || true
  fi
  echo "postgres stopped"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) BIN="$(find_bin)" && ready && echo "postgres running on 127.0.0.1:${PG_PORT}" ;;
  url) echo "$URL" ;;
  *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
