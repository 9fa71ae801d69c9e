#!/usr/bin/env bash
# Elasticsearch for development and CI: Elastic's own minimal distribution
# (org.elasticsearch.distribution.integ-test-zip, from Maven Central) plus the site's small plugin
# (services/elasticsearch/, GET / and two tokenizers the minimal distribution lacks).
# One node by default; ES_NODES=3 starts three nodes on loopback that form one cluster.
# See services/elasticsearch/README.md.
#
#   services/elasticsearch.sh start          install if needed, start every node, wait for health
#   services/elasticsearch.sh stop           graceful stop of every node (SIGTERM, then SIGKILL after ES_STOP_TIMEOUT)
#   services/elasticsearch.sh status         exit 0 if the cluster answers and is yellow/green
#   services/elasticsearch.sh url            print the HTTP address of node 1
#   services/elasticsearch.sh install        only download the distribution and install the plugin
#   services/elasticsearch.sh start-node I   start node I of a cluster (e.g. after kill-node)
#   services/elasticsearch.sh stop-node I    stop node I gracefully
#   services/elasticsearch.sh kill-node I    SIGKILL node I (a crash, for failover tests)
#
# Environment:
#   ES_PORT            HTTP port of node 1 on 127.0.0.1 (default 9200); node I listens on ES_PORT+I-1
#   ES_TRANSPORT_PORT  one node: transport port or range (default 9300-9399);
#                      several nodes: transport port of node 1 (default ES_PORT+100), node I uses +I-1
#   ES_NODES           number of nodes forming the cluster (default 1: discovery.type=single-node)
#   ES_HOME            config/data/logs/pid of the node(s) (default <repo>/var/elasticsearch; node I of
#                      several lives in ES_HOME/node-I)
#   ES_CLUSTER_NAME    default techmarket
#   ES_HEAP            "1g" => -Xms1g -Xmx1g; or literal flags "-Xms256m -Xmx2g" (default -Xms512m -Xmx1g)
#   ES_SECURITY        true: security on (users and API keys; TLS stays off on loopback). Needs ES_PASSWORD
#   ES_USERNAME        superuser created in the file realm when ES_SECURITY=true (default techmarket_admin)
#   ES_PASSWORD        its password (at least 6 characters)
#   ES_DIST_ROOT       where the distribution is unpacked (default <repo>/var/elasticsearch-dist)
#   ES_JAVA_HOME       JDK to run with (else JAVA_HOME, else the java on PATH); Java 17+
#   ES_RUN_AS          user that runs the nodes when this script runs as root (default elasticsearch,
#                      created if missing): Elasticsearch refuses to run as root
#   ES_START_TIMEOUT   seconds to wait for health on start (default 180)
#   ES_STOP_TIMEOUT    seconds to wait for exit on stop before SIGKILL (default 60)
#   MVN                maven command (default mvn)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
PLUGIN_DIR="$SCRIPT_DIR/elasticsearch"
ES_VERSION="8.19.21"
PLUGIN_ZIP="$PLUGIN_DIR/target/marketplace-search-${ES_VERSION}-plugin.zip"

ES_PORT="${ES_PORT:-9200}"
ES_NODES="${ES_NODES:-1}"
ES_HOME="${ES_HOME:-$REPO_ROOT/var/elasticsearch}"
[[ "$ES_HOME" == /* ]] || ES_HOME="$PWD/$ES_HOME"
ES_DIST_ROOT="${ES_DIST_ROOT:-$REPO_ROOT/var/elasticsearch-dist}"
DIST="$ES_DIST_ROOT/elasticsearch-$ES_VERSION"
ES_CLUSTER_NAME="${ES_CLUSTER_NAME:-techmarket}"
ES_SECURITY="${ES_SECURITY:-false}"
ES_USERNAME="${ES_USERNAME:-techmarket_admin}"
ES_RUN_AS="${ES_RUN_AS:-elasticsearch}"
ES_START_TIMEOUT="${ES_START_TIMEOUT:-180}"
ES_STOP_TIMEOUT="${ES_STOP_TIMEOUT:-60}"
MVN="${MVN:-mvn}"
if ((ES_NODES > 1)); then
    ES_TRANSPORT_PORT="${ES_TRANSPORT_PORT:-$((ES_PORT + 100))}"
else
    ES_TRANSPORT_PORT="${ES_TRANSPORT_PORT:-9300-9399}"
fi

log() { echo "elasticsearch.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

command -v curl >/dev/null 2>&1 || die "curl is required (apt-get install curl)"
[[ "$ES_SECURITY" != true || ${#ES_PASSWORD} -ge 6 ]] || die "ES_SECURITY=true needs ES_PASSWORD (6+ characters)"

# --- layout ------------------------------------------------------------------

node_home() { if ((ES_NODES > 1)); then echo "$ES_HOME/node-$1"; else echo "$ES_HOME"; fi; }
node_port() { echo $((ES_PORT + $1 - 1)); }
node_url() { echo "http://127.0.0.1:$(node_port "$1")"; }
node_pid_file() { echo "$(node_home "$1")/elasticsearch.pid"; }
node_log() { echo "$(node_home "$1")/logs/$ES_CLUSTER_NAME.log"; }

curl_es() {
    if [[ "$ES_SECURITY" == true ]]; then
        curl -u "$ES_USERNAME:$ES_PASSWORD" "$@"
    else
        curl "$@"
    fi
}

running_pid() {
    local file pid
    file="$(node_pid_file "$1")"
    [[ -f "$file" ]] || return 1
    pid="$(cat "$file" 2>/dev/null || true)"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

health_ok() {
    # 200 only once the cluster is at least yellow with every node joined (408 on timeout)
    curl_es -fsS --max-time 5 \
        "$(node_url "${1:-1}")/_cluster/health?wait_for_status=yellow&wait_for_nodes=${ES_NODES}&timeout=1s" \
        >/dev/null 2>&1
}

port_answers() { curl -sS --max-time 3 -o /dev/null "$(node_url "$1")/" 2>/dev/null; }

es_version() {
    curl_es -fsS --max-time 5 "$(node_url 1)/" 2>/dev/null |
        sed -n 's/.*"number"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' | head -n1
}

ready_line() { echo "elasticsearch ready on $(node_url 1) (version $(es_version || echo unknown), ${ES_NODES} node(s))"; }

java_home() {
    local home="${ES_JAVA_HOME:-${JAVA_HOME:-}}"
    if [[ -z "$home" ]]; then
        local java
        java="$(command -v java)" || die "no java on PATH; install a JDK 17+ or set ES_JAVA_HOME"
        home="$(dirname "$(dirname "$(readlink -f "$java")")")"
    fi
    [[ -x "$home/bin/java" ]] || die "$home/bin/java not found; set ES_JAVA_HOME to a JDK 17+"
    echo "$home"
}

# --- running as an unprivileged user ------------------------------------------

as_es_user() {
    if [[ "$(id -u)" -eq 0 ]]; then
        setpriv --reuid="$ES_RUN_AS" --regid="$ES_RUN_AS" --init-groups -- "$@"
    else
        "$@"
    fi
}

prepare_user() {
    [[ "$(id -u)" -eq 0 ]] || return 0
    command -v setpriv >/dev/null 2>&1 || die "setpriv (util-linux) is required to run Elasticsearch as $ES_RUN_AS"
    if ! id "$ES_RUN_AS" >/dev/null 2>&1; then
        log "creating system user $ES_RUN_AS (Elasticsearch refuses to run as root)"
        useradd --system --no-create-home --shell /usr/sbin/nologin "$ES_RUN_AS"
    fi
}

# The unprivileged user must reach the distribution and the node homes: grant traverse (not read) on
# any parent directory that denies it, e.g. a checkout under a private home directory.
grant_traverse() {
    [[ "$(id -u)" -eq 0 ]] || return 0
    local dir="$1"
    while [[ "$dir" != "/" ]]; do
        if ! as_es_user test -x "$dir" 2>/dev/null; then
            log "granting traverse permission on $dir to $ES_RUN_AS"
            chmod o+x "$dir"
        fi
        dir="$(dirname "$dir")"
    done
}

# --- installation ---------------------------------------------------------------

install_distribution() {
    [[ -x "$DIST/bin/elasticsearch" ]] && return 0
    local zip="$ES_DIST_ROOT/elasticsearch-$ES_VERSION.zip"
    log "downloading Elastic's distribution $ES_VERSION from Maven Central (~107 MB, once)"
    "$MVN" -q dependency:copy \
        "-Dartifact=org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip" \
        "-DoutputDirectory=$ES_DIST_ROOT" >"$ES_DIST_ROOT/download.log" 2>&1 ||
        { tail -n 30 "$ES_DIST_ROOT/download.log" >&2; die "download failed (see $ES_DIST_ROOT/download.log)"; }
    rm -rf "$DIST.partial" && mkdir -p "$DIST.partial"
    if command -v unzip >/dev/null 2>&1; then
        unzip -q "$zip" -d "$DIST.partial"
    else  # a bare machine may lack unzip; Python's zipfile does not keep the executable bits
        python3 -m zipfile -e "$zip" "$DIST.partial"
        chmod +x "$DIST.partial/elasticsearch-$ES_VERSION"/bin/*
    fi
    mv "$DIST.partial/elasticsearch-$ES_VERSION" "$DIST" && rm -rf "$DIST.partial" "$zip"
    chmod -R o+rX "$DIST"
}

plugin_needs_build() {
    [[ -f "$PLUGIN_ZIP" ]] || return 0
    [[ -n "$(find "$PLUGIN_DIR/pom.xml" "$PLUGIN_DIR/src" -newer "$PLUGIN_ZIP" -print -quit)" ]]
}

install_plugin() {
    if plugin_needs_build; then
        log "building the site's plugin with maven"
        "$MVN" -q -f "$PLUGIN_DIR/pom.xml" package >"$ES_DIST_ROOT/plugin-build.log" 2>&1 ||
            { tail -n 30 "$ES_DIST_ROOT/plugin-build.log" >&2; die "plugin build failed"; }
    fi
    local stamp="$DIST/plugins/marketplace-search/.installed-from"
    if [[ -f "$stamp" && ! "$PLUGIN_ZIP" -nt "$stamp" ]]; then
        return 0
    fi
    local java_home_dir
    java_home_dir="$(java_home)"
    if [[ -d "$DIST/plugins/marketplace-search" ]]; then
        ES_JAVA_HOME="$java_home_dir" "$DIST/bin/elasticsearch-plugin" remove marketplace-search >/dev/null
    fi
    ES_JAVA_HOME="$java_home_dir" "$DIST/bin/elasticsearch-plugin" install --batch "file://$PLUGIN_ZIP" \
        >"$ES_DIST_ROOT/plugin-install.log" 2>&1 ||
        { cat "$ES_DIST_ROOT/plugin-install.log" >&2; die "plugin install failed"; }
    echo "$PLUGIN_ZIP" >"$stamp"
    chmod -R o+rX "$DIST/plugins"
}

cmd_install() {
    mkdir -p "$ES_DIST_ROOT"
    exec 8>"$ES_DIST_ROOT/.install.lock"
    flock -w 600 8 || die "could not lock $ES_DIST_ROOT/.install.lock"
    install_distribution
    install_plugin
    exec 8>&-
}

# --- one node -----------------------------------------------------------------------

heap_flags() {
    local heap="${ES_HEAP:-}"
    if [[ -z "$heap" ]]; then
        printf '%s\n' -Xms512m -Xmx1g
    elif [[ "$heap" == -* ]]; then
        printf '%s\n' $heap
    else
        printf '%s\n' "-Xms$heap" "-Xmx$heap"
    fi
}

write_node_config() {
    local i="$1" home conf
    home="$(node_home "$i")"
    conf="$home/config"
    mkdir -p "$conf" "$home/data" "$home/logs" "$home/tmp"
    if [[ ! -f "$conf/jvm.options" ]]; then
        cp -r "$DIST/config/." "$conf/"
    fi
    heap_flags >"$conf/jvm.options.d/heap.options"
    {
        echo "# Written by services/elasticsearch.sh on every start; edit the script, not this file."
        echo "cluster.name: $ES_CLUSTER_NAME"
        echo "node.name: node-$i"
        echo "network.host: 127.0.0.1"
        echo "http.port: $(node_port "$i")"
        echo "path.data: $home/data"
        echo "path.logs: $home/logs"
        echo "cluster.routing.allocation.disk.threshold_enabled: false"
        if ((ES_NODES > 1)); then
            local base="${ES_TRANSPORT_PORT%%-*}" seeds="" masters="" j
            for ((j = 1; j <= ES_NODES; j++)); do
                seeds+="${seeds:+, }\"127.0.0.1:$((base + j - 1))\""
                masters+="${masters:+, }node-$j"
            done
            echo "transport.port: $((base + i - 1))"
            echo "discovery.seed_hosts: [$seeds]"
            echo "cluster.initial_master_nodes: [$masters]"
        else
            echo "transport.port: $ES_TRANSPORT_PORT"
            echo "discovery.type: single-node"
        fi
        if [[ "$ES_SECURITY" == true ]]; then
            echo "xpack.security.enabled: true"
            echo "xpack.security.http.ssl.enabled: false"
            echo "xpack.security.transport.ssl.enabled: false"
            echo "xpack.security.authc.api_key.enabled: true"
        else
            echo "xpack.security.enabled: false"
        fi
    } >"$conf/elasticsearch.yml"
    if [[ "$ES_SECURITY" == true ]]; then
        # the file realm: one superuser for the scripts and the tests; the site itself uses an API key
        ES_PATH_CONF="$conf" ES_JAVA_HOME="$(java_home)" "$DIST/bin/elasticsearch-users" userdel "$ES_USERNAME" \
            >/dev/null 2>&1 || true
        ES_PATH_CONF="$conf" ES_JAVA_HOME="$(java_home)" \
            "$DIST/bin/elasticsearch-users" useradd "$ES_USERNAME" -p "$ES_PASSWORD" -r superuser >/dev/null
    fi
    if [[ "$(id -u)" -eq 0 ]]; then
        chown -R "$ES_RUN_AS:$ES_RUN_AS" "$home"
    fi
}

start_node() {
    local i="$1" home pid
    home="$(node_home "$i")"
    if pid="$(running_pid "$i")"; then
        log "node-$i already running (pid $pid)"
        return 0
    fi
    if port_answers "$i"; then
        die "something else answers on $(node_url "$i"); choose another ES_PORT"
    fi
    write_node_config "$i"
    grant_traverse "$home"
    grant_traverse "$DIST"
    local log_file
    log_file="$(node_log "$i")"
    [[ -f "$log_file" ]] && mv -f "$log_file" "$log_file.1"
    log "starting node-$i on $(node_url "$i") (home $home)"
    # -d returns once the node has started (or failed); the node writes its own pid file.
    if ! as_es_user env ES_JAVA_HOME="$(java_home)" ES_PATH_CONF="$home/config" ES_TMPDIR="$home/tmp" \
        "$DIST/bin/elasticsearch" -d -p "$(node_pid_file "$i")" >"$home/logs/start.out" 2>&1 </dev/null; then
        [[ -f "$log_file" ]] && tail -n 40 "$log_file" >&2
        die "node-$i failed to start; full log: $log_file"
    fi
}

stop_node() {
    local i="$1" signal="${2:-TERM}" pid
    if ! pid="$(running_pid "$i")"; then
        rm -f "$(node_pid_file "$i")"
        return 0
    fi
    log "stopping node-$i (pid $pid, SIG$signal)"
    kill "-$signal" "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + ES_STOP_TIMEOUT))
    while kill -0 "$pid" 2>/dev/null; do
        if ((SECONDS >= deadline)); then
            log "pid $pid still alive after ${ES_STOP_TIMEOUT}s; sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        sleep 0.2
    done
    rm -f "$(node_pid_file "$i")"
}

wait_until_healthy() {
    local deadline=$((SECONDS + ES_START_TIMEOUT))
    while ((SECONDS < deadline)); do
        health_ok 1 && return 0
        sleep 0.5
    done
    return 1
}

take_lock() {
    mkdir -p "$ES_HOME"
    exec 9>"$ES_HOME/.control.lock"
    flock -w "$((ES_START_TIMEOUT + ES_STOP_TIMEOUT))" 9 || die "could not lock $ES_HOME/.control.lock"
}

# --- subcommands -------------------------------------------------------------------------

cmd_start() {
    take_lock
    if health_ok 1; then
        log "already running and healthy on $(node_url 1)"
        ready_line
        return 0
    fi
    cmd_install
    prepare_user
    # Nodes start side by side: a cluster node waits for its peers to elect a master anyway.
    local i failed=0
    local -a pids=()
    for ((i = 1; i <= ES_NODES; i++)); do
        start_node "$i" &
        pids+=($!)
    done
    for i in "${pids[@]}"; do
        wait "$i" || failed=1
    done
    ((failed == 0)) || die "a node failed to start (see above)"
    if wait_until_healthy; then
        ready_line
        return 0
    fi
    tail -n 40 "$(node_log 1)" >&2 || true
    die "the cluster did not reach yellow with ${ES_NODES} node(s) within ${ES_START_TIMEOUT}s"
}

cmd_stop() {
    take_lock
    local i
    for ((i = ES_NODES; i >= 1; i--)); do
        stop_node "$i"
    done
    log "stopped"
}

cmd_status() {
    if health_ok 1; then
        echo "elasticsearch running on $(node_url 1) (version $(es_version || echo unknown), ${ES_NODES} node(s))"
        return 0
    fi
    echo "elasticsearch is not healthy on $(node_url 1)"
    return 1
}

node_arg() {
    [[ "${1:-}" =~ ^[0-9]+$ ]] && ((${1} >= 1 && ${1} <= ES_NODES)) || die "node number 1..$ES_NODES expected"
    echo "$1"
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    restart) cmd_stop && cmd_start ;;
    install) cmd_install ;;
    url) node_url 1 ;;
    start-node) i="$(node_arg "${2:-}")"; take_lock; cmd_install; prepare_user; start_node "$i" ;;
    stop-node) i="$(node_arg "${2:-}")"; take_lock; stop_node "$i" ;;
    kill-node) i="$(node_arg "${2:-}")"; take_lock; stop_node "$i" KILL ;;
    *)
        echo "usage: $0 {start|stop|status|restart|install|url|start-node I|stop-node I|kill-node I}" >&2
        exit 2
        ;;
esac
