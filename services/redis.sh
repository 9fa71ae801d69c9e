#!/usr/bin/env bash
# Redis, the shared cache (rate limits, allauth's login limits), on 127.0.0.1 only. Idempotent.
#
#   services/redis.sh start    install Debian's redis-server if missing, start it, wait until PING answers
#   services/redis.sh stop     stop the server we started (pid file), wait for it to exit
#   services/redis.sh status   exit 0 if it answers PING
#   services/redis.sh url      print the URL to put in REDIS_URL
#
# Environment:
#   REDIS_PORT           port on 127.0.0.1 (default 63790, away from a system Redis on 6379)
#   REDIS_START_TIMEOUT  seconds to wait for PING (default 30)
#   VAR_DIR              pid, log and working directory (default <repo>/var)
#
# A cache only: no RDB snapshots, no append-only file; a restart starts empty.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
VAR_DIR="${VAR_DIR:-$REPO_ROOT/var}"
PORT="${REDIS_PORT:-63790}"
START_TIMEOUT="${REDIS_START_TIMEOUT:-30}"
PID_FILE="$VAR_DIR/redis.pid"
LOG_FILE="$VAR_DIR/redis.log"
URL="redis://127.0.0.1:${PORT}/0"

log() { echo "redis.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

ensure_installed() {
    command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 && return 0
    log "installing Debian's redis-server ..."
    local sudo=""
    [[ "$(id -u)" -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq || die "apt-get update failed"
    # Debian's package starts a system service on 6379 where systemd runs; ours is separate (own port).
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends redis-server redis-tools \
        || die "apt-get install redis-server failed"
}

answers() {
    command -v redis-cli >/dev/null 2>&1 || return 1
    [[ "$(redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null)" == "PONG" ]]
}

# The pid from our pid file, if that process is alive and is redis-server (guards against a recycled pid).
running_pid() {
    [[ -f "$PID_FILE" ]] || return 1
    local pid
    pid="$(tr -dc '0-9' <"$PID_FILE")"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
    if [[ -r "/proc/$pid/cmdline" ]]; then
        tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "redis-server" || return 1
    fi
    echo "$pid"
}

start() {
    if answers; then
        echo "redis already running on 127.0.0.1:${PORT}"
        return 0
    fi
    ensure_installed
    if running_pid >/dev/null; then
        die "redis (pid $(running_pid)) is running but does not answer on 127.0.0.1:${PORT}; see $LOG_FILE or run '$0 stop'"
    fi
    mkdir -p "$VAR_DIR"
    nohup redis-server --bind 127.0.0.1 --port "$PORT" --protected-mode yes --save "" --appendonly no \
        --dir "$VAR_DIR" --daemonize no --logfile "" >"$LOG_FILE" 2>&1 &
    local pid=$!
    echo "$pid" >"$PID_FILE"
    local deadline=$((SECONDS + START_TIMEOUT))
    until answers; do
        if ! kill -0 "$pid" 2>/dev/null; then
            rm -f "$PID_FILE"
            log "redis-server exited during start-up; last log lines:"
            tail -n 20 "$LOG_FILE" >&2 || true
            die "could not start redis on 127.0.0.1:${PORT} (port in use?)"
        fi
        if (( SECONDS >= deadline )); then
            tail -n 20 "$LOG_FILE" >&2 || true
            die "redis did not answer PING on 127.0.0.1:${PORT} within ${START_TIMEOUT}s (pid $pid left running; '$0 stop' to end it)"
        fi
        sleep 0.1
    done
    echo "redis ready on ${URL} (pid $pid, log $LOG_FILE)"
}

stop() {
    local pid
    if ! pid="$(running_pid)"; then
        rm -f "$PID_FILE"
        if answers; then
            log "something answers on 127.0.0.1:${PORT} but it was not started by this script; left alone"
        fi
        echo "redis stopped"
        return 0
    fi
    kill "$pid"
    local deadline=$((SECONDS + 15))
    while kill -0 "$pid" 2>/dev/null; do
        if (( SECONDS >= deadline )); then
            log "pid $pid did not exit after SIGTERM; sending SIGKILL"
            kill -9 "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.1
    done
    rm -f "$PID_FILE"
    echo "redis stopped"
}

status() {
    if answers; then
        echo "redis running on ${URL}"
        return 0
    fi
    echo "redis not answering on 127.0.0.1:${PORT}" >&2
    return 1
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    url) echo "$URL" ;;
    *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
