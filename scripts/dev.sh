#!/usr/bin/env bash
# Runs the whole platform locally, without Docker.
#   scripts/dev.sh up            install what is missing, start PostgreSQL, Redis, RabbitMQ, ClickHouse,
#                                build (release), start every service, wait until all are ready
#   scripts/dev.sh down          stop exactly what `up` started
#   scripts/dev.sh status        what runs where
#   scripts/dev.sh logs SERVICE  follow one service's log (or postgres, redis, rabbitmq, clickhouse)
#   scripts/dev.sh demo          walk a distributor and an operator through the running platform
#                                (scripts/lib/journey.py: search, book, webhook, cancel, the books)
# Ports: services 8080-8090; PostgreSQL 5432, Redis 6379, RabbitMQ 5672, ClickHouse 8123 (override with
# PG_PORT, REDIS_PORT, RABBIT_PORT, CLICKHOUSE_PORT). Everything lives under .run/.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/lib/dev-env.sh
source scripts/lib/infra.sh
source scripts/lib/services.sh

secrets() {
    local file=$RUN_DIR/secrets.env
    if [ ! -f "$file" ]; then
        mkdir -p "$RUN_DIR"
        ( umask 077; printf 'JWT_SECRET=%s\nENCRYPTION_SECRET=%s\n' "$(openssl rand -hex 32)" "$(openssl rand -hex 32)" > "$file" )
    fi
    # The bootstrap operator account the gateway creates at start (added to older secrets files too).
    if ! grep -q '^ADMIN_API_KEY=' "$file"; then
        ( umask 077; printf 'ADMIN_API_KEY=hk_admin_%s\nADMIN_API_SECRET=%s\n' "$(openssl rand -hex 6)" "$(openssl rand -hex 32)" >> "$file" )
    fi
    # Signs the identity the gateway passes to the services (added to older secrets files too).
    if ! grep -q '^GATEWAY_IDENTITY_SECRET=' "$file"; then
        ( umask 077; printf 'GATEWAY_IDENTITY_SECRET=%s\n' "$(openssl rand -hex 32)" >> "$file" )
    fi
    # Signs the offer ids searches hand out (added to older secrets files too).
    if ! grep -q '^OFFER_TOKEN_SECRET=' "$file"; then
        ( umask 077; printf 'OFFER_TOKEN_SECRET=%s\n' "$(openssl rand -hex 32)" >> "$file" )
    fi
    set -a; source "$file"; set +a
}

# Two demo distributors with API keys, created once through the gateway's API.
demo_credentials() {
    [ -f "$RUN_DIR/demo-credentials.json" ] && return 0
    python3 scripts/lib/demo-credentials.py "http://127.0.0.1:${SERVICE_PORT[gateway]}" "$RUN_DIR/demo-credentials.json"
}

status_table() {
    printf '%-18s %-6s %-8s %-10s %s\n' SERVICE PORT PID STATE URL
    local name pid state
    for name in "${SERVICES[@]}"; do
        pid=$(cat "$RUN_DIR/pids/$name.pid" 2>/dev/null || echo -)
        if ! alive "$RUN_DIR/pids/$name.pid"; then state=stopped
        elif ready "$name"; then state=ready
        else state=not-ready; fi
        printf '%-18s %-6s %-8s %-10s %s\n' "$name" "${SERVICE_PORT[$name]}" "$pid" "$state" "http://127.0.0.1:${SERVICE_PORT[$name]}"
    done
    printf '%-18s %-6s %-8s\n' postgres "$PG_PORT" "$(cat "$RUN_DIR/postgres.pid" 2>/dev/null || echo -)"
    printf '%-18s %-6s %-8s\n' redis "$REDIS_PORT" "$(cat "$RUN_DIR/redis.pid" 2>/dev/null || echo -)"
    printf '%-18s %-6s %-8s\n' rabbitmq "$RABBIT_PORT" "$(cat "$RUN_DIR/rabbitmq.pid" 2>/dev/null || echo -)"
    printf '%-18s %-6s %-8s\n' clickhouse "$CLICKHOUSE_PORT" "$(cat "$RUN_DIR/clickhouse.pid" 2>/dev/null || echo -)"
}

up() {
    local started=$SECONDS name
    install_packages
    start_infrastructure
    say "infrastructure ready ($((SECONDS - started))s); building (release; the first build takes about 7 minutes)"
    build_release
    mkdir -p "$RUN_DIR/pids" "$RUN_DIR/logs"
    secrets
    infrastructure_env
    service_urls_env
    for name in "${SERVICES[@]}"; do start_service "$name"; done
    for name in "${SERVICES[@]}"; do
        wait_for "$name (/ready; see .run/logs/$name.log)" 30 ready "$name"
    done
    demo_credentials
    python3 scripts/lib/demo-suppliers.py "http://127.0.0.1:${SERVICE_PORT[gateway]}" "http://127.0.0.1:${SERVICE_PORT[supplier-sim]}"
    python3 scripts/lib/demo-inventory.py "http://127.0.0.1:${SERVICE_PORT[gateway]}" "http://127.0.0.1:${SERVICE_PORT[supplier-sim]}"
    status_table
    say ""
    say "Demo credentials (operator and two distributors): $RUN_DIR/demo-credentials.json"
    say "Suppliers: the simulator's three, registered in supplier-adapter and mapped by matching (GET /api/v1/admin/suppliers)"
    say "Direct contracts: three hotels kept current by the simulator's channel manager (GET /api/v1/admin/inventory/hotels)"
    say "Up in $((SECONDS - started))s. Try: curl -s localhost:8080/health; scripts/dev.sh logs gateway; scripts/dev.sh down"
}

down() {
    local i
    for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do stop_pidfile "$RUN_DIR/pids/${SERVICES[$i]}.pid"; done
    stop_infrastructure
    say "stopped"
}

logs() {
    local name=${1:?usage: scripts/dev.sh logs SERVICE}
    local file=$RUN_DIR/logs/$name.log
    [ -f "$file" ] || die "no log for '$name' (services: ${SERVICES[*]}; also postgres, redis, rabbitmq, clickhouse)"
    tail -n 100 -F "$file"
}

# The journey a newcomer sees, against what `up` started (the demo data's first distributor).
demo() {
    ready gateway || die "the platform is not running: scripts/dev.sh up"
    python3 scripts/lib/journey.py "http://127.0.0.1:${SERVICE_PORT[gateway]}" "$RUN_DIR/demo-credentials.json"
}

case "${1:-}" in
    up) up ;;
    demo) demo ;;
    down) down ;;
    status) status_table ;;
    logs) logs "${2:-}" ;;
    *) say "usage: scripts/dev.sh up|down|status|demo|logs SERVICE"; exit 64 ;;
esac
