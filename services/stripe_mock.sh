#!/usr/bin/env bash
# stripe-mock (Stripe's own API mock) for payment tests, on 127.0.0.1 only. Idempotent.
#
#   services/stripe_mock.sh start    install the pinned version if missing, start, wait until it answers
#   services/stripe_mock.sh stop     stop the process we started (pid file), wait for it to exit
#   services/stripe_mock.sh status   exit 0 if it answers
#   services/stripe_mock.sh url      print the API base to put in STRIPE_API_BASE
#
# Environment:
#   STRIPE_MOCK_PORT           HTTP port on 127.0.0.1 (default 12111)
#   STRIPE_MOCK_HTTPS_PORT     HTTPS port on 127.0.0.1 (default: the HTTP port + 1)
#   STRIPE_MOCK_START_TIMEOUT  seconds to wait for it to answer (default 30)
#   VAR_DIR                    pid and log directory (default <repo>/var)
#
# Tests: STRIPE_API_BASE=http://127.0.0.1:12111 STRIPE_SECRET_KEY=sk_test_123 (any sk_test_ key works).
set -euo pipefail

# The newest version the Go module proxy served when this was written (go list -m -versions).
STRIPE_MOCK_VERSION="v0.203.0"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
VAR_DIR="${VAR_DIR:-$REPO_ROOT/var}"
PORT="${STRIPE_MOCK_PORT:-12111}"
HTTPS_PORT="${STRIPE_MOCK_HTTPS_PORT:-$((PORT + 1))}"
START_TIMEOUT="${STRIPE_MOCK_START_TIMEOUT:-30}"
PID_FILE="$VAR_DIR/stripe-mock.pid"
LOG_FILE="$VAR_DIR/stripe-mock.log"
BASE_URL="http://127.0.0.1:${PORT}"

log() { echo "stripe_mock.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

binary() {
    command -v go >/dev/null 2>&1 || die "the Go toolchain is not on PATH (needed to install stripe-mock)"
    echo "$(go env GOPATH)/bin/stripe-mock"
}

ensure_installed() {
    BIN="$(binary)"
    # "stripe-mock -version" prints "master" for go-installed builds; the module version is in the binary.
    if [[ -x "$BIN" ]] && go version -m "$BIN" 2>/dev/null | grep -Eq "^[[:space:]]+mod[[:space:]]+github.com/stripe/stripe-mock[[:space:]]+${STRIPE_MOCK_VERSION}[[:space:]]"; then
        return 0
    fi
    log "installing github.com/stripe/stripe-mock@${STRIPE_MOCK_VERSION} ..."
    go install "github.com/stripe/stripe-mock@${STRIPE_MOCK_VERSION}" \
        || die "go install github.com/stripe/stripe-mock@${STRIPE_MOCK_VERSION} failed (is the Go module proxy reachable?)"
    [[ -x "$BIN" ]] || die "stripe-mock not found at $BIN after go install"
}

# Any sk_test_ key is accepted; a 200 on a list endpoint means the API answers.
answers() {
    curl -fsS --max-time 3 -o /dev/null -H "Authorization: Bearer sk_test_123" "${BASE_URL}/v1/customers" 2>/dev/null
}

# The pid from our pid file, if that process is alive and is stripe-mock (guards against a recycled pid).
running_pid() {
    [[ -f "$PID_FILE" ]] || return 1
    local pid
    pid="$(tr -dc '0-9' <"$PID_FILE")"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
    if [[ -r "/proc/$pid/cmdline" ]]; then
        tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "stripe-mock" || return 1
    fi
    echo "$pid"
}

start() {
    if answers; then
        echo "stripe-mock already running on ${BASE_URL}"
        return 0
    fi
    ensure_installed
    if running_pid >/dev/null; then
        die "stripe-mock (pid $(running_pid)) is running but does not answer on ${BASE_URL}; see $LOG_FILE or run '$0 stop'"
    fi
    mkdir -p "$VAR_DIR"
    # Explicit addresses: with only -http-port stripe-mock would listen on every interface.
    nohup "$BIN" -http-addr "127.0.0.1:${PORT}" -https-addr "127.0.0.1:${HTTPS_PORT}" >"$LOG_FILE" 2>&1 &
    local pid=$!
    echo "$pid" >"$PID_FILE"
    local deadline=$((SECONDS + START_TIMEOUT))
    until answers; do
        if ! kill -0 "$pid" 2>/dev/null; then
            rm -f "$PID_FILE"
            log "stripe-mock exited during start-up; last log lines:"
            tail -n 20 "$LOG_FILE" >&2 || true
            die "could not start stripe-mock on 127.0.0.1:${PORT} (port in use?)"
        fi
        if (( SECONDS >= deadline )); then
            tail -n 20 "$LOG_FILE" >&2 || true
            die "stripe-mock did not answer on ${BASE_URL} within ${START_TIMEOUT}s (pid $pid left running; '$0 stop' to end it)"
        fi
        sleep 0.2
    done
    echo "stripe-mock ${STRIPE_MOCK_VERSION} ready on ${BASE_URL} (pid $pid, log $LOG_FILE)"
}

stop() {
    local pid
    if ! pid="$(running_pid)"; then
        rm -f "$PID_FILE"
        if answers; then
            log "something answers on ${BASE_URL} but it was not started by this script (no live pid in $PID_FILE); left alone"
        fi
        echo "stripe-mock stopped"
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
    echo "stripe-mock stopped"
}

status() {
    if answers; then
        echo "stripe-mock running on ${BASE_URL}"
        return 0
    fi
    echo "stripe-mock not answering on ${BASE_URL}" >&2
    return 1
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    url) echo "$BASE_URL" ;;
    *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
