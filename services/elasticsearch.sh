#!/usr/bin/env bash
# Local single-node Elasticsearch for development and CI, built from Maven Central jars
# (no Docker, no tarball). See services/elasticsearch/README.md.
#
#   services/elasticsearch.sh start    build if needed, start, wait until the cluster is yellow
#   services/elasticsearch.sh stop     graceful stop (SIGTERM), waits for exit
#   services/elasticsearch.sh status   exit 0 if the node answers and is yellow/green
#
# Environment:
#   ES_PORT            HTTP port on 127.0.0.1 (default 9200)
#   ES_TRANSPORT_PORT  transport port or range on 127.0.0.1 (default 9300-9399)
#   ES_HOME            data/logs/config/pid dir (default <repo>/var/elasticsearch)
#   ES_HEAP            "1g" => -Xms1g -Xmx1g; or literal flags "-Xms256m -Xmx2g" (default -Xms512m -Xmx1g)
#   ES_JAVA_HOME       JDK to run with (else JAVA_HOME, else java on PATH); needs Java 17+
#   ES_JAVA_OPTS       extra JVM flags
#   ES_START_TIMEOUT   seconds to wait for yellow health on start (default 120)
#   ES_STOP_TIMEOUT    seconds to wait for exit on stop before SIGKILL (default 60)
#   MVN                maven command (default mvn)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
PROJECT_DIR="$SCRIPT_DIR/elasticsearch"
TARGET_DIR="$PROJECT_DIR/target"
LAUNCHER_JAR="$TARGET_DIR/es-launcher.jar"
LIB_DIR="$TARGET_DIR/lib"
BUILD_STAMP="$TARGET_DIR/.build-ok"
MAIN_CLASS="marketplace.search.EsLauncher"

ES_PORT="${ES_PORT:-9200}"
ES_TRANSPORT_PORT="${ES_TRANSPORT_PORT:-9300-9399}"
ES_HOME="${ES_HOME:-$REPO_ROOT/var/elasticsearch}"
[[ "$ES_HOME" == /* ]] || ES_HOME="$PWD/$ES_HOME"
ES_START_TIMEOUT="${ES_START_TIMEOUT:-120}"
ES_STOP_TIMEOUT="${ES_STOP_TIMEOUT:-60}"
MVN="${MVN:-mvn}"

BASE_URL="http://127.0.0.1:${ES_PORT}"
PID_FILE="$ES_HOME/elasticsearch.pid"
LOG_DIR="$ES_HOME/logs"
LOG_FILE="$LOG_DIR/elasticsearch.log"

log() { echo "elasticsearch.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# --- helpers ---------------------------------------------------------------

command -v curl >/dev/null 2>&1 || die "curl is required (apt-get install curl)"

health_ok() {
    # 200 only once the cluster is at least yellow (408 on timeout)
    curl -fsS --max-time 5 "${BASE_URL}/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1
}

port_answers() {
    curl -sS --max-time 3 -o /dev/null "${BASE_URL}/" 2>/dev/null
}

es_version() {
    curl -fsS --max-time 5 "${BASE_URL}/" 2>/dev/null \
        | tr -d '\n' | sed -n 's/.*"number"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p'
}

ready_line() {
    local version
    version="$(es_version || true)"
    echo "elasticsearch ready on ${BASE_URL} (version ${version:-unknown})"
}

# pid from the pid file if that process is alive and is our launcher for this ES_HOME
running_pid() {
    [[ -f "$PID_FILE" ]] || return 1
    local pid
    pid="$(tr -dc '0-9' <"$PID_FILE")"
    [[ -n "$pid" ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    if [[ -r "/proc/$pid/cmdline" ]]; then
        # guard against a recycled pid
        tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "$MAIN_CLASS" || return 1
    fi
    echo "$pid"
}

java_bin() {
    local home="${ES_JAVA_HOME:-${JAVA_HOME:-}}"
    if [[ -n "$home" ]]; then
        [[ -x "$home/bin/java" ]] || die "no java at $home/bin/java (ES_JAVA_HOME/JAVA_HOME)"
        echo "$home/bin/java"
    else
        command -v java >/dev/null 2>&1 || die "java not found (install a JDK 17+ or set ES_JAVA_HOME)"
        command -v java
    fi
}

java_feature_version() {
    # "17.0.15" -> 17 ; "25" -> 25
    "$1" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^[[:space:]]*java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}

needs_build() {
    [[ -f "$BUILD_STAMP" && -f "$LAUNCHER_JAR" && -d "$LIB_DIR" ]] || return 0
    # rebuild when the pom or any source is newer than the last successful build
    [[ -n "$(find "$PROJECT_DIR/pom.xml" "$PROJECT_DIR/src" -newer "$BUILD_STAMP" -print -quit 2>/dev/null)" ]]
}

build() {
    command -v "$MVN" >/dev/null 2>&1 || die "maven ('$MVN') not found; install maven (apt-get install maven) or set MVN"
    log "building launcher and classpath with maven (first run downloads ~85 MB into ~/.m2 from Maven Central) ..."
    rm -f "$BUILD_STAMP"
    rm -rf "$LIB_DIR"
    local start=$SECONDS build_log="$ES_HOME/logs/build.log"
    mkdir -p "$ES_HOME/logs"
    if ! "$MVN" -B -Dstyle.color=never -f "$PROJECT_DIR/pom.xml" package >"$build_log" 2>&1 </dev/null; then
        tail -n 50 "$build_log" >&2 || true
        die "maven build failed (full output: $build_log)"
    fi
    [[ -f "$LAUNCHER_JAR" && -d "$LIB_DIR" ]] || die "maven build did not produce $LAUNCHER_JAR and $LIB_DIR"
    touch "$BUILD_STAMP"
    log "build done in $((SECONDS - start))s"
}

heap_flags() {
    local heap="${ES_HEAP:-}"
    if [[ -z "$heap" ]]; then
        echo "-Xms512m -Xmx1g"
    elif [[ "$heap" == -* ]]; then
        echo "$heap"
    else
        echo "-Xms$heap -Xmx$heap"
    fi
}

print_log_tail() {
    if [[ -f "$LOG_FILE" ]]; then
        log "last 50 lines of $LOG_FILE:"
        tail -n 50 "$LOG_FILE" >&2 || true
    else
        log "no log file at $LOG_FILE"
    fi
}

# serialize start/stop so two concurrent invocations cannot both launch a node
take_lock() {
    mkdir -p "$ES_HOME"
    if command -v flock >/dev/null 2>&1; then
        exec 9>"$ES_HOME/.control.lock"
        flock -w "$((ES_START_TIMEOUT + ES_STOP_TIMEOUT))" 9 || die "could not lock $ES_HOME/.control.lock"
    fi
}

wait_until_ready() {
    local pid="$1" deadline=$((SECONDS + ES_START_TIMEOUT))
    while ((SECONDS < deadline)); do
        if health_ok; then
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            log "elasticsearch process $pid exited during startup"
            return 1
        fi
        sleep 0.5
    done
    log "elasticsearch did not reach yellow health on ${BASE_URL} within ${ES_START_TIMEOUT}s"
    return 1
}

# --- subcommands -----------------------------------------------------------

cmd_start() {
    take_lock

    if health_ok; then
        log "already running and healthy on ${BASE_URL}"
        ready_line
        return 0
    fi

    local pid
    if pid="$(running_pid)"; then
        # started by us but not healthy yet (still starting, or stuck): wait for it
        log "elasticsearch (pid $pid) is already starting; waiting for it"
        if wait_until_ready "$pid"; then
            ready_line
            return 0
        fi
        print_log_tail
        die "elasticsearch (pid $pid) is running but not healthy; try: $0 stop && $0 start"
    fi
    rm -f "$PID_FILE"

    if port_answers; then
        die "something else is answering on ${BASE_URL} but it is not a healthy elasticsearch; choose another ES_PORT"
    fi

    if needs_build; then
        build
    fi

    local java feature
    java="$(java_bin)"
    feature="$(java_feature_version "$java")"
    [[ -n "$feature" && "$feature" -ge 17 ]] || die "$java is Java '${feature:-?}'; Elasticsearch 8 needs Java 17+"

    mkdir -p "$ES_HOME/tmp" "$LOG_DIR" "$ES_HOME/data" "$ES_HOME/config"
    if [[ -f "$LOG_FILE" ]]; then
        mv -f "$LOG_FILE" "$LOG_FILE.1"
    fi

    # JVM flags: the subset of the distribution's SystemJvmOptions/jvm.options that applies
    # to an embedded node (no security manager, no entitlement agent).
    local -a jvm_opts
    # shellcheck disable=SC2207
    jvm_opts=($(heap_flags))
    jvm_opts+=(
        -XX:+UseG1GC
        -Xss1m
        -XX:+ExitOnOutOfMemoryError
        "-XX:ErrorFile=$LOG_DIR/hs_err_pid%p.log"
        "-Djava.io.tmpdir=$ES_HOME/tmp"
        -Djava.awt.headless=true
        -Dfile.encoding=UTF-8
        -Djna.nosys=true
        -XX:-OmitStackTraceInFastThrow
        -Dio.netty.noUnsafe=true
        -Dio.netty.noKeySetOptimization=true
        -Dio.netty.recycler.maxCapacityPerThread=0
        -Dlog4j.shutdownHookEnabled=false
        -Dlog4j2.disable.jmx=true
        -Dlog4j2.formatMsgNoLookups=true
        -Djava.locale.providers=CLDR
    )
    if ((feature >= 21)); then
        jvm_opts+=(--enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector)
    fi
    if [[ -n "${ES_JAVA_OPTS:-}" ]]; then
        # shellcheck disable=SC2206
        jvm_opts+=(${ES_JAVA_OPTS})
    fi

    log "starting elasticsearch on ${BASE_URL} (home $ES_HOME, java $feature, log $LOG_FILE)"
    ES_HOME="$ES_HOME" ES_PORT="$ES_PORT" ES_TRANSPORT_PORT="$ES_TRANSPORT_PORT" \
        nohup "$java" "${jvm_opts[@]}" -cp "$LAUNCHER_JAR:$LIB_DIR/*" "$MAIN_CLASS" \
        >"$LOG_FILE" 2>&1 </dev/null 9>&- &
    pid=$!
    echo "$pid" >"$PID_FILE"

    if wait_until_ready "$pid"; then
        ready_line
        return 0
    fi
    print_log_tail
    if kill -0 "$pid" 2>/dev/null; then
        log "stopping the half-started node (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        local deadline=$((SECONDS + 20))
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.5; done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$PID_FILE"
    die "elasticsearch failed to start on ${BASE_URL}; full log: $LOG_FILE"
}

cmd_stop() {
    take_lock
    local pid
    if ! pid="$(running_pid)"; then
        rm -f "$PID_FILE"
        if port_answers; then
            log "not running from $ES_HOME (no live pid file), but something answers on ${BASE_URL}; not touching it"
        else
            log "not running"
        fi
        return 0
    fi
    log "stopping elasticsearch (pid $pid) ..."
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + ES_STOP_TIMEOUT))
    while kill -0 "$pid" 2>/dev/null; do
        if ((SECONDS >= deadline)); then
            log "pid $pid still alive after ${ES_STOP_TIMEOUT}s; sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            sleep 1
            break
        fi
        sleep 0.5
    done
    rm -f "$PID_FILE"
    log "stopped"
}

cmd_status() {
    if health_ok; then
        local pid
        pid="$(running_pid || echo '?')"
        echo "elasticsearch running on ${BASE_URL} (version $(es_version || echo unknown), pid ${pid})"
        return 0
    fi
    if pid="$(running_pid)"; then
        echo "elasticsearch process $pid is up but ${BASE_URL} is not healthy (yet)"
    else
        echo "elasticsearch is not running on ${BASE_URL}"
    fi
    return 1
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    restart) cmd_stop && cmd_start ;;
    *)
        echo "usage: $0 {start|stop|status|restart}" >&2
        exit 2
        ;;
esac
