#!/usr/bin/env bash
# Chaos: the platform that scripts/dev.sh up runs, under a steady mixed load from every demo
# distributor (hotel-bench mixed: searches, price checks, bookings retried under their
# Idempotency-Key as a careful client does, cancellations), while its parts fail one after another:
#   each service killed (kill -9) and started again, then order with supplier-adapter at once;
#   RabbitMQ stopped, PostgreSQL stopped as by a crash (pg_ctl -m immediate), Redis killed, each
#   started again; one supplier that hangs, another that answers garbage (the simulator's faults).
# A fault has its own time slot (SLOT seconds; a component stays down DOWN seconds). Per fault: the
# errors the load saw, the seconds from the component's return until every /ready is green again and
# until the load's last error. Then, once the sagas and the outbox relays have settled, every
# invariant (scripts/lib/invariants.py): orders final or explained, one supplier booking per confirmed
# order and none for a closed one, no night oversold, every credit account equal to its journal,
# the ledger balanced and matching the orders, every outbox event published and in ClickHouse, no
# dead letter without its logged reason. Exits non-zero when an invariant or the 10 s recovery fails.
#   scripts/chaos.sh                     every fault (about 10 minutes)
#   FAULTS="order redis" scripts/chaos.sh
# Environment: RATE (requests a second per distributor, 4: the two together at 8 req/s stay below
# what this 2-core machine serves, docs/measurements.md), SLOT (30), DOWN (5).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/dev-env.sh
source scripts/lib/infra.sh
source scripts/lib/services.sh
require_dev_stack
infrastructure_env
service_urls_env
RATE=${RATE:-4} SLOT=${SLOT:-30} DOWN=${DOWN:-5} LEAD=20 TAIL=15
read -r -a FAULT_LIST <<<"${FAULTS:-gateway query-engine order supplier-adapter matching pricing settlement inventory risk bi order+supplier-adapter rabbitmq postgres redis supplier-hang supplier-garbage}"
GATEWAY=http://127.0.0.1:${SERVICE_PORT[gateway]}
SIM=http://127.0.0.1:${SERVICE_PORT[supplier-sim]}
PACKAGES=(python3 postgresql-client)
install_packages
build_release --product hotel-bench >/dev/null
BENCH=$(build_release --show-bin-path)/hotel-bench
source scripts/lib/bench-tenant.sh
source scripts/lib/bench-orders.sh
read -r -a SUPPLIER_LIST <<<"$SIM_SUPPLIERS"
[ ${#SUPPLIER_LIST[@]} -ge 2 ] || die "the simulator has fewer than two suppliers"
DIR=$RUN_DIR/chaos/$(date +%s)
mkdir -p "$DIR"
all_ready() { local name; for name in "${SERVICES[@]}"; do ready "$name" || return 1; done; }
LOAD_PIDS=()
heal() {
    local name
    for pid in "${LOAD_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    { start_postgres; start_redis; start_rabbitmq; } >/dev/null 2>&1 || true
    for name in "${SERVICES[@]}"; do start_service "$name"; done
    set_latency 0 0
    restore_limits
}
trap heal EXIT

# --- the load -------------------------------------------------------------------------------------
say "chaos: ${#FAULT_LIST[@]} faults, ${SLOT}s each; the load: $RATE req/s from each of ${#TENANTS[@]} distributors; run directory $DIR"
search_bodies "$DIR/searches.txt"
first=$((150 + RANDOM % 200))  # each distributor books its own 6 stays, 3 days apart
for i in "${!TENANTS[@]}"; do
    TENANT=${TENANTS[$i]} fund_tenant
    offers=$(TOKEN=${TOKENS[$i]} collect "$DIR/offers-$i.txt" $((first + 20 * i)) 6)
    say "distributor $((i + 1)): $offers offers to book"
done
set_latency 50 300
seconds=$((LEAD + ${#FAULT_LIST[@]} * SLOT + TAIL))
mark_start
for i in "${!TENANTS[@]}"; do
    "$BENCH" mixed "$GATEWAY" "${TOKENS[$i]}" "$DIR/searches.txt" "$DIR/offers-$i.txt" "$RATE" "$seconds" "$DIR/orders-$i.txt" "$DIR/timeline-$i.txt" \
        >"$DIR/load-$i.txt" 2>&1 &
    LOAD_PIDS+=($!)
done

# --- the faults -----------------------------------------------------------------------------------
kill_service() { kill -9 "$(cat "$RUN_DIR/pids/$1.pid")" 2>/dev/null || true; rm -f "$RUN_DIR/pids/$1.pid"; }
break_it() {  # the fault begins
    case $1 in
        rabbitmq) stop_rabbitmq ;;
        postgres) as_pg "$(pg_bin)/pg_ctl" -D "$RUN_DIR/postgres/data" -m immediate -w stop >/dev/null ;;
        redis) kill -9 "$(cat "$RUN_DIR/redis.pid")"; rm -f "$RUN_DIR/redis.pid" ;;
        supplier-hang) fault_plan "${SUPPLIER_LIST[0]}" '{"latency_p50_ms":50,"latency_p99_ms":300,"timeout_rate":1,"hang_ms":30000}' ;;
        supplier-garbage) fault_plan "${SUPPLIER_LIST[1]}" '{"latency_p50_ms":50,"latency_p99_ms":300,"malformed_rate":1}' ;;
        *+*) kill_service "${1%+*}"; kill_service "${1#*+}" ;;
        *) kill_service "$1" ;;
    esac
}
mend_it() {  # the component returns
    case $1 in
        rabbitmq) start_rabbitmq ;;
        postgres) start_postgres ;;
        redis) start_redis ;;
        supplier-hang | supplier-garbage) set_latency 50 300 ;;
        *+*) start_service "${1%+*}"; start_service "${1#*+}" ;;
        *) start_service "$1" ;;
    esac
}
sleep "$LEAD"
for n in "${!FAULT_LIST[@]}"; do
    fault=${FAULT_LIST[$n]} slot_end=$((START_MS + (LEAD + (n + 1) * SLOT) * 1000))
    broken=$(now_ms)
    break_it "$fault"
    sleep "$DOWN"
    mend_it "$fault" >/dev/null
    returned=$(now_ms) green=-
    until [ "$(now_ms)" -ge "$slot_end" ]; do
        if [ "$green" = - ] && all_ready; then green=$(now_ms); fi
        sleep 0.2
    done
    echo "$fault $broken $returned $green $slot_end" >>"$DIR/faults.txt"
    say "  $fault: back after $(( (returned - broken) / 1000 )) s; every /ready green $([ "$green" = - ] && echo "NOT within the slot" || echo "$(( (green - returned) / 1000 )).$(( (green - returned) % 1000 / 100 )) s after")"
done
for pid in "${LOAD_PIDS[@]}"; do wait "$pid" || true; done
LOAD_PIDS=()
for i in "${!TENANTS[@]}"; do say "distributor $((i + 1)):"; sed 's/^/    /' "$DIR/load-$i.txt"; done
set_latency 0 0

# --- the verdict ----------------------------------------------------------------------------------
status=0
python3 scripts/lib/chaos.py "$DIR" | tee "$DIR/recovery.md" || status=1
check "${TENANTS[@]}" | tee "$DIR/invariants.txt" || status=1
[ $status = 0 ] && say "chaos: nothing lost, nothing booked twice, every recovery within 10 s" || say "chaos: FAILED (see $DIR)"
exit $status
