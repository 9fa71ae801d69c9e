#!/usr/bin/env bash
# The Celery worker and beat (background tasks and periodic jobs), on the loopback Redis broker. Idempotent.
#
#   services/celery.sh start    start Redis (services/redis.sh) if needed, then a worker and beat; wait until
#                               the worker answers a ping
#   services/celery.sh stop     stop the worker and beat we started (pid files), wait for them to exit
#   services/celery.sh status   exit 0 if our worker runs and answers
#   services/celery.sh url      print the broker URL to put in CELERY_BROKER_URL
#
# Environment:
#   CELERY_BROKER_URL     default: services/redis.sh's Redis, database 2 (the cache uses 0)
#   CELERY_QUEUE          queue the worker serves (default techmarket)
#   CELERY_CONCURRENCY    worker processes (default 2)
#   CELERY_START_TIMEOUT  seconds to wait for the worker (default 60)
#   VAR_DIR               pid, log and beat-schedule directory (default <repo>/var)
# The worker reads the same settings as the site (DATABASE_URL, ELASTICSEARCH_URL, EMAIL_URL, ...): export
# them first. Beat only sends; the worker does the work.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
VAR_DIR="${VAR_DIR:-$REPO_ROOT/var}"
REDIS_PORT="${REDIS_PORT:-63790}"
export CELERY_BROKER_URL="${CELERY_BROKER_URL:-redis://127.0.0.1:${REDIS_PORT}/2}"
export CELERY_QUEUE="${CELERY_QUEUE:-techmarket}"
export DJANGO_DEBUG="${DJANGO_DEBUG:-1}"
CONCURRENCY="${CELERY_CONCURRENCY:-2}"
START_TIMEOUT="${CELERY_START_TIMEOUT:-60}"
CELERY="$REPO_ROOT/.venv/bin/celery"
WORKER_PID="$VAR_DIR/celery-worker.pid"
BEAT_PID="$VAR_DIR/celery-beat.pid"
NODE="worker-${CELERY_QUEUE}@127.0.0.1"

log() { echo "celery.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

alive() {  # pid file -> pid, if that process runs and is celery
    [[ -f "$1" ]] || return 1
    local pid
    pid="$(tr -dc '0-9' <"$1")"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q celery || return 1
    echo "$pid"
}

answers() {
    (cd "$REPO_ROOT" && "$CELERY" -A config inspect ping -d "$NODE" --timeout 2 >/dev/null 2>&1)
}

start() {
    case "$CELERY_BROKER_URL" in
        redis://127.0.0.1:*|redis://localhost:*) "$SCRIPT_DIR/redis.sh" start >/dev/null ;;
    esac
    mkdir -p "$VAR_DIR"
    cd "$REPO_ROOT"
    if ! alive "$WORKER_PID" >/dev/null; then
        nohup "$CELERY" -A config worker -Q "$CELERY_QUEUE" -n "$NODE" -c "$CONCURRENCY" --loglevel INFO \
            >"$VAR_DIR/celery-worker.log" 2>&1 &
        echo $! >"$WORKER_PID"
    fi
    if ! alive "$BEAT_PID" >/dev/null; then
        nohup "$CELERY" -A config beat --loglevel INFO -s "$VAR_DIR/celerybeat-schedule" \
            >"$VAR_DIR/celery-beat.log" 2>&1 &
        echo $! >"$BEAT_PID"
    fi
    local deadline=$((SECONDS + START_TIMEOUT))
    until answers; do
        alive "$WORKER_PID" >/dev/null || { tail -n 20 "$VAR_DIR/celery-worker.log" >&2; die "the worker exited"; }
        (( SECONDS < deadline )) || die "the worker did not answer within ${START_TIMEOUT}s (see $VAR_DIR/celery-worker.log)"
        sleep 0.5
    done
    echo "celery worker and beat running on $CELERY_BROKER_URL (queue $CELERY_QUEUE)"
}

stop_one() {
    local pid
    pid="$(alive "$1")" || { rm -f "$1"; return 0; }
    kill "$pid"  # SIGTERM: warm shutdown, the running task finishes (late-acked tasks are redelivered)
    local deadline=$((SECONDS + 60))
    while kill -0 "$pid" 2>/dev/null; do
        (( SECONDS < deadline )) || { log "pid $pid did not exit; SIGKILL"; kill -9 "$pid" 2>/dev/null || true; break; }
        sleep 0.2
    done
    rm -f "$1"
}

case "${1:-start}" in
    start) start ;;
    stop) stop_one "$BEAT_PID"; stop_one "$WORKER_PID"; echo "celery stopped" ;;
    status) alive "$WORKER_PID" >/dev/null && answers && echo "celery worker answering ($NODE)" ;;
    url) echo "$CELERY_BROKER_URL" ;;
    *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
