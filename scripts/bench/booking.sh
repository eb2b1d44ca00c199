#!/usr/bin/env bash
# Bookings end to end against scripts/dev.sh up (release), through the gateway as the demo data's
# first distributor: search -> price check -> book, with the simulator answering at once and then
# long-tailed (p50 50 ms, p99 300 ms):
#   1. confirmed bookings a second at saturation, CONCURRENCY callers each price-checking then booking
#      offers found beforehand, for SECONDS_EACH (target at 0 ms: at least 300/s);
#   2. the booking call's p50/p99 at PACED_RATE (50) bookings/s (target at 0 ms: p99 under 200 ms);
# then every invariant on the orders placed (scripts/lib/invariants.py): each final or explained, one
# booking at the supplier for every confirmed order and none for a closed one, the tenant's credit
# equal to its journal, no night oversold, the ledger matching the orders, every event published
# and in ClickHouse, no dead letter without its reason.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/dev-env.sh
source scripts/lib/infra.sh
source scripts/lib/services.sh
require_dev_stack
SECONDS_EACH=${SECONDS_EACH:-10} CONCURRENCY=${CONCURRENCY:-64} PACED_RATE=${PACED_RATE:-50} STAYS=${STAYS:-6}
GATEWAY=http://127.0.0.1:${SERVICE_PORT[gateway]}
SIM=http://127.0.0.1:${SERVICE_PORT[supplier-sim]}
PACKAGES=(python3 postgresql-client)
install_packages
build_release --product hotel-bench >/dev/null
BENCH=$(build_release --show-bin-path)/hotel-bench
source scripts/lib/bench-tenant.sh
trap 'restore_limits; set_latency 0 0' EXIT
infrastructure_env
source scripts/lib/bench-orders.sh
fund_tenant
RUN=$(date +%s)
DIR=$RUN_DIR/bench/booking-$RUN
mkdir -p "$DIR"

profile() {  # profile LABEL P50 P99 FIRST_DAY
    local label=$1
    mark_start
    say "offers for $label: $(collect "$DIR/$label-offers.txt" "$4") (searches at 0 ms)"
    # The last 600 for the paced run, the rest for saturation: every offer booked once.
    tail -n 600 "$DIR/$label-offers.txt" > "$DIR/$label-paced-offers.txt"
    head -n -600 "$DIR/$label-offers.txt" > "$DIR/$label-saturation-offers.txt"
    set_latency "$2" "$3"
    say "$label, $CONCURRENCY callers, ${SECONDS_EACH}s; CPU pressure $(pressure): $("$BENCH" bookings "$GATEWAY" "$TOKEN" "$DIR/$label-saturation-offers.txt" "$SECONDS_EACH" "$CONCURRENCY" "$DIR/$label-saturation.txt")"
    sleep 2
    say "$label, $PACED_RATE bookings/s, ${SECONDS_EACH}s; CPU pressure $(pressure): $("$BENCH" bookings-paced "$GATEWAY" "$TOKEN" "$DIR/$label-paced-offers.txt" "$PACED_RATE" "$SECONDS_EACH" "$DIR/$label-paced.txt")"
    set_latency 0 0
    sleep 3  # sagas still running settle
    check
}

say "booking benchmark, run $RUN; CPU pressure $(pressure); machine: $(machine_speed)"
profile "simulator-0ms" 0 0 40
profile "simulator-50-300ms" 50 300 80
