#!/usr/bin/env bash
# Stops, starts or restarts one of the servers scripts/test.sh runs; fault tests use it.
#   scripts/test-server.sh stop|start|restart postgres|redis|rabbitmq|clickhouse
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/test-env.sh
source scripts/lib/infra.sh
action=${1:?usage: test-server.sh stop|start|restart SERVER} server=${2:?which server}
stop() {
    case $server in
        postgres) stop_postgres ;;
        rabbitmq) stop_rabbitmq ;;
        *) stop_pidfile "$RUN_DIR/$server.pid" ;;
    esac
}
start() { "start_$server"; }
case $action in
    stop) stop ;;
    start) start ;;
    restart) stop; start ;;
    *) die "unknown action $action" ;;
esac
