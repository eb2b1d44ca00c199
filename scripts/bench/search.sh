#!/usr/bin/env bash
# Search through the gateway with a distributor's token, against scripts/dev.sh up (release, every
# service, the simulator's three suppliers mapped), 20 hotels a page, latency paced (hotel-bench:
# open loop, each request timed from when it was due):
#   1. warm: one search repeated (its answers cached), at WARM_RATES (500 and 1,000 req/s): p50
#      and p99 (target: p99 < 20 ms at 1,000 req/s);
#   2. cold: every simulated supplier answering in exactly 1 s (the simulator's fault plan), a stay
#      never asked before each time, COLD_RATE req/s: p50 and p99 (target: p99 <= 1 s + 150 ms);
#   3. mix: MIX_SECONDS (300) of searches drawn Zipf-like over 20 cities x 30 stays at MIX_RATE:
#      the cache's hit ratio (fresh or stale; target >= 0.96) and supplier calls per search;
#   4. pricing's batch: 1,000 offers priced per call (POST /prices/by-hotel, internal, as search
#      sends it; then the same offers through POST /prices for comparison), PRICING_RATE calls a
#      second: p99 (target < 5 ms).
# Offers are priced with five markup rules (scripts/lib/bench-rules.sh), disabled again at the end.
# Every process shares the machine's 2 cores with the load generator: read p99s with the machine's
# pressure (printed) in mind.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/dev-env.sh
source scripts/lib/infra.sh
source scripts/lib/services.sh
require_dev_stack
DURATION=${DURATION:-10} COLD_RATE=${COLD_RATE:-5} COLD_SECONDS=${COLD_SECONDS:-20} MIX_SECONDS=${MIX_SECONDS:-300} MIX_RATE=${MIX_RATE:-50}
PRICING_RATE=${PRICING_RATE:-20} WARM_RATES=${WARM_RATES:-500 1000}
GATEWAY=http://127.0.0.1:${SERVICE_PORT[gateway]}
PRICING=http://127.0.0.1:${SERVICE_PORT[pricing]}
SIMULATOR=http://127.0.0.1:${SERVICE_PORT[supplier-sim]}
BENCH_DIR=$RUN_DIR/bench/search
PACKAGES=(python3)
install_packages
build_release --product hotel-bench >/dev/null
BENCH=$(build_release --show-bin-path)/hotel-bench
mkdir -p "$BENCH_DIR"
source scripts/lib/bench-tenant.sh
source scripts/lib/bench-rules.sh
faults_off() { for s in globebeds otaconnect sunbeds; do curl -sf -o /dev/null -X DELETE "$SIMULATOR/admin/faults/$s" || true; done; }
trap 'faults_off; restore_limits; bench_rules disable || true' EXIT
# Searches and batches are priced with five markup rules, as a platform with operators has some.
bench_rules enable

# Bodies, one JSON a line: python writes them (cities of the simulated world, stays from 20 days ahead).
python3 - "$BENCH_DIR" "$((RANDOM % 240))" "$((RANDOM % 18))" <<'PY'
import datetime, json, sys
out, offset, age = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
cities = [("Paris", "FR"), ("London", "GB"), ("Tokyo", "JP"), ("Beijing", "CN"), ("Shanghai", "CN"), ("New York", "US"), ("Rome", "IT"),
          ("Barcelona", "ES"), ("Berlin", "DE"), ("Dubai", "AE"), ("Singapore", "SG"), ("Bangkok", "TH"), ("Seoul", "KR"), ("Sydney", "AU"),
          ("Hong Kong", "HK"), ("Istanbul", "TR"), ("Osaka", "JP"), ("Taipei", "TW"), ("Kuala Lumpur", "MY"), ("Guangzhou", "CN")]
today = datetime.date.today()
def body(city, country, days, nights=2, adults=2, children=()):
    check_in = today + datetime.timedelta(days=days)
    room = {"adults": adults, **({"children_ages": list(children)} if children else {})}
    return json.dumps({"destination": {"city": city, "country": country}, "check_in": str(check_in),
                       "check_out": str(check_in + datetime.timedelta(days=nights)), "rooms": [room], "currency": "EUR", "page_size": 20})
open(f"{out}/warm.txt", "w").write(body("Paris", "FR", 20) + "\n")
# Cold: a stay never asked before, each request (from a random day, with a child of a random age, so
# that a run soon after another is cold too: its stays' answers are kept for 10 minutes).
open(f"{out}/cold.txt", "w").write("\n".join(body(c, k, 200 + offset + d, nights=1 + d % 3, adults=1 + d % 2, children=[age])
                                             for d in range(60) for c, k in cities[:2]) + "\n")
# The mix: 20 cities x 30 stays, most asked first (Zipf over the list: popular cities' near stays first).
pairs = [(c, k, 25 + s) for s in range(30) for c, k in cities]
pairs.sort(key=lambda p: (p[2] - 25) * 20 + cities.index((p[0], p[1])) * 3)
open(f"{out}/mix.txt", "w").write("\n".join(body(c, k, d) for c, k, d in pairs) + "\n")
PY

AUTH="Authorization: Bearer $TOKEN"
say "warm search (one body, its answers cached), paced ${DURATION}s; CPU pressure $(pressure); machine: $(machine_speed)"
for rate in $WARM_RATES; do
    # Warm means the answers fresh and the search kept: asked for 3 s first (a question left alone
    # for longer than the freshness period starts stale, and its first searches are served stale).
    "$BENCH" paced-post 50 3 "$GATEWAY/api/v1/search" "$BENCH_DIR/warm.txt" in-turn "$AUTH" >/dev/null
    say "  $rate req/s: $("$BENCH" paced-post "$rate" "$DURATION" "$GATEWAY/api/v1/search" "$BENCH_DIR/warm.txt" in-turn "$AUTH")"
done

quiet
say "cold search (every supplier answering in 1 s, a new stay each time) at $COLD_RATE req/s, ${COLD_SECONDS}s; CPU pressure $(pressure)"
for s in globebeds otaconnect sunbeds; do
    curl -sf -o /dev/null -X PUT "$SIMULATOR/admin/faults/$s" -H 'Content-Type: application/json' -d '{"latency_min_ms": 1000, "latency_max_ms": 1000}'
done
say "  $("$BENCH" paced-post "$COLD_RATE" "$COLD_SECONDS" "$GATEWAY/api/v1/search" "$BENCH_DIR/cold.txt" in-turn "$AUTH")"
faults_off

say "mix: Zipf over 20 cities x 30 stays at $MIX_RATE req/s for ${MIX_SECONDS}s; CPU pressure $(pressure)"
mix=$("$BENCH" paced-post "$MIX_RATE" "$MIX_SECONDS" "$GATEWAY/api/v1/search" "$BENCH_DIR/mix.txt" zipf "$AUTH")
say "  $mix"
# The cache starts empty: each question's first asking of each supplier is a miss.
sources=$(sed -n 's/.* sources=\([0-9]*\) .*/\1/p' <<<"$mix")
[ -n "$sources" ] && say "  the most possible: $(python3 -c "print(f'{1 - 600 * 3 / $sources:.4f}')") (each of the 600 questions' first asking of each of the 3 suppliers a miss)"

quiet  # the mix's renewals done
say "pricing: 1,000 offers a call at $PRICING_RATE calls/s, ${DURATION}s; CPU pressure $(pressure)"
# A search's batch: 28 hotels, each offered by the three suppliers (each in its own currency), 4
# rooms x 3 rate plans each; written in both of pricing's shapes, the same offers in the same order.
python3 - "$BENCH_DIR" "$TENANT" <<'PY'
import json, sys
suppliers = [("globebeds", "EUR"), ("otaconnect", "USD"), ("sunbeds", "CNY")]
plans = [("RO", True), ("BB", True), ("BB", False)]
groups = [{"supplier": s, "master_hotel_id": 1 + h, "country_code": "FR", "city": "Paris", "stars": 1 + h % 5, "check_in": "2027-06-01",
           "net_currency": c, "offers": [{"board": b, "refundable": r, "net": f"{80 + (h * 37 + room * 11 + p * 5) % 300}.{(h + room + p) % 100:02d}"}
                                         for room in range(4) for p, (b, r) in enumerate(plans)]}
          for h in range(28) for s, c in suppliers]
left = 1000
for group in groups:
    group["offers"] = group["offers"][:left]
    left -= len(group["offers"])
groups = [g for g in groups if g["offers"]]
offers = [{"id": str(i), **{k: v for k, v in g.items() if k not in ("offers", "net_currency")}, "board": o["board"], "refundable": o["refundable"],
           "net": {"amount": o["net"], "currency": g["net_currency"]}} for i, (g, o) in enumerate((g, o) for g in groups for o in g["offers"])]
open(f"{sys.argv[1]}/prices.txt", "w").write(json.dumps({"tenant_id": sys.argv[2], "currency": "EUR", "offers": offers}) + "\n")
open(f"{sys.argv[1]}/prices-by-hotel.txt", "w").write(json.dumps({"tenant_id": sys.argv[2], "currency": "EUR", "hotels": groups}) + "\n")
PY
# Each with pricing's CPU a batch (from /proc), and pricing's /health at the same rate: the floor a
# request pays on this machine (at a low rate an idle core's wake-up is most of it).
pricing_ticks() { awk '{print $14 + $15}' "/proc/$(cat "$RUN_DIR/pids/pricing.pid")/stat"; }
price_batches() {
    local before answer
    before=$(pricing_ticks)
    answer=$("$BENCH" paced-post "$PRICING_RATE" "$DURATION" "$PRICING$1" "$BENCH_DIR/$2" in-turn)
    echo "$answer cpu_ms_per_batch=$(python3 -c "print(f'{($(pricing_ticks) - $before) * 1000 / $(getconf CLK_TCK) / ($PRICING_RATE * $DURATION):.2f}')")"
}
say "  by hotel (as PricingClient sends it): $(price_batches /prices/by-hotel prices-by-hotel.txt)"
say "  offer by offer (POST /prices):        $(price_batches /prices prices.txt)"
say "  floor (pricing's /health):            $("$BENCH" paced "$PRICING_RATE" "$DURATION" "$PRICING/health")"
