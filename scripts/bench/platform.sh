#!/usr/bin/env bash
# The whole platform under a distributor's traffic, against scripts/dev.sh up (release), with the
# simulator's suppliers long-tailed (p50 50 ms, p99 300 ms):
#   1. a mixed load (hotel-bench mixed: 90 % search, 7 % price check, 2 % booking, 1 % cancellation,
#      open loop) at each rate of RATES for SECONDS_EACH, stopping after the first step that
#      saturates (over 1 % failed: no answer, 5xx or 429; or the rate not reached): p50/p99 per operation and the CPU of
#      every process group (/proc, as pidstat reads it);
#   2. searches alone (SEARCH_COST_RATE, 15/s) and bookings alone (BOOKING_COST_RATE, 4/s), each
#      once the CPU is quiet again, for the CPU milliseconds each costs every service; with the
#      CPU per request of the lowest mixed step: the sizing table;
#   3. every invariant on the orders placed (scripts/lib/invariants.py), and the report with its chart
#      (docs/images/platform-latency.png with CHART=docs, else in the run directory).
# Targets (issue 24): at 200 req/s, search p99 under 100 ms warm and booking p99 under 500 ms.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/dev-env.sh
source scripts/lib/infra.sh
source scripts/lib/services.sh
require_dev_stack
RATES=${RATES:-10 20 30 50 100 150 200} SECONDS_EACH=${SECONDS_EACH:-20} COST_SECONDS=${COST_SECONDS:-20}
SEARCH_COST_RATE=${SEARCH_COST_RATE:-15} BOOKING_COST_RATE=${BOOKING_COST_RATE:-4}
GATEWAY=http://127.0.0.1:${SERVICE_PORT[gateway]}
SIM=http://127.0.0.1:${SERVICE_PORT[supplier-sim]}
PACKAGES=(python3 postgresql-client python3-matplotlib)
install_packages
build_release --product hotel-bench >/dev/null
BENCH=$(build_release --show-bin-path)/hotel-bench
source scripts/lib/bench-tenant.sh
infrastructure_env
source scripts/lib/bench-orders.sh
trap 'restore_limits; set_latency 0 0' EXIT
DIR=$RUN_DIR/bench/platform-$(date +%s)
mkdir -p "$DIR"
fund_tenant
cpu() { python3 scripts/lib/cpu_account.py snapshot "$RUN_DIR" > "$DIR/cpu-$1.start"; }
cpu_end() { python3 scripts/lib/cpu_account.py snapshot "$RUN_DIR" > "$DIR/cpu-$1.end"; python3 scripts/lib/cpu_account.py diff "$DIR/cpu-$1.start" "$DIR/cpu-$1.end" > "$DIR/cpu-$1.json"; }

search_bodies "$DIR/searches.txt"
# Offers to book, each once: 2 % of every step, and the cost step's.
offers=$(collect "$DIR/offers.txt" 120 "${STAYS:-12}")
[ "$offers" -ge 200 ] || die "only $offers offers found: are the simulator's suppliers registered and enabled (scripts/dev.sh up)?"
say "offers: $offers (searches at 0 ms); CPU pressure $(pressure); machine: $(machine_speed)"
mark_start
set_latency 50 300
say "warming the cache: $("$BENCH" mixed "$GATEWAY" "$TOKEN" "$DIR/searches.txt" "$DIR/offers.txt" 10 20 "$DIR/orders-warm.txt" | head -1)"

for rate in $RATES; do
    quiet  # the previous step's renewals and sagas are done
    cpu "$rate"
    "$BENCH" mixed "$GATEWAY" "$TOKEN" "$DIR/searches.txt" "$DIR/offers.txt" "$rate" "$SECONDS_EACH" "$DIR/orders-$rate.txt" > "$DIR/mixed-$rate.txt"
    cpu_end "$rate"
    say "$rate req/s (CPU pressure $(pressure)):"; sed 's/^/    /' "$DIR/mixed-$rate.txt"
    if python3 - "$DIR/mixed-$rate.txt" "$rate" <<'PY'
# Saturated: over 1 % of the calls failed (no answer, 5xx, 429; a booking's 409, sold out or
# repriced since the search, is the business), or under 95 % of the rate achieved.
import re, sys
lines = open(sys.argv[1]).read().splitlines()
f = dict(re.findall(r"(\w+)=(\S+)", lines[0]))
failed = sum(int(n) for line in lines[1:] for status, n in re.findall(r"(\w+):(\d+)", dict(re.findall(r"(\w+)=(\S+)", line)).get("statuses", ""))
             if status == "none" or int(status) >= 500 or int(status) == 429)
sys.exit(0 if failed > 0.01 * int(f["requests"]) or float(f["achieved"]) < 0.95 * int(sys.argv[2]) else 1)
PY
    then say "saturated at $rate req/s"; break; fi
done

quiet
say "cost: searches alone, $SEARCH_COST_RATE/s for ${COST_SECONDS}s (CPU pressure $(pressure))"
cpu cost-search
"$BENCH" paced-post "$SEARCH_COST_RATE" "$COST_SECONDS" "$GATEWAY/api/v1/search" "$DIR/searches.txt" zipf "Authorization: Bearer $TOKEN" > "$DIR/cost-search.txt"
cpu_end cost-search
say "    $(cat "$DIR/cost-search.txt")"
quiet
say "cost: bookings alone, $BOOKING_COST_RATE/s for ${COST_SECONDS}s (CPU pressure $(pressure))"
tail -n $((BOOKING_COST_RATE * COST_SECONDS)) "$DIR/offers.txt" > "$DIR/cost-offers.txt"
cpu cost-booking
"$BENCH" bookings-paced "$GATEWAY" "$TOKEN" "$DIR/cost-offers.txt" "$BOOKING_COST_RATE" "$COST_SECONDS" "$DIR/orders-cost.txt" > "$DIR/cost-booking.txt"
sleep 5  # the events each booking sets off (settlement, bi) are part of its cost
cpu_end cost-booking
say "    $(cat "$DIR/cost-booking.txt")"
set_latency 0 0

sleep 3
say "invariants:"
check
chart=$DIR/platform-latency.png
[ "${CHART:-}" = docs ] && chart=docs/images/platform-latency.png
/usr/bin/python3 scripts/lib/platform_report.py "$DIR" "$SECONDS_EACH" "$chart" | tee "$DIR/report.md"
