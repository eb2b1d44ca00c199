# For benchmarks that book through the gateway (booking.sh, platform.sh, chaos.sh): the simulator's
# fault plans, offers collected from searches, and every invariant (scripts/lib/invariants.py) on
# the orders placed since `mark_start`.
# Needs GATEWAY, SIM, TOKEN, TENANT, ADMIN (bench-tenant.sh) and DATABASE_URL (infrastructure_env).

admin() { curl -sf "$@" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json'; }
SIM_SUPPLIERS=$(curl -sf "$SIM/admin/suppliers" | python3 -c 'import json,sys; print(" ".join(s["code"] for s in json.load(sys.stdin)))')
fault_plan() {  # fault_plan SUPPLIER JSON: the simulator's faults for one supplier (DELETE with "-")
    if [ "$2" = - ]; then curl -sf -m 60 -o /dev/null -X DELETE "$SIM/admin/faults/$1"
    else curl -sf -m 60 -o /dev/null -X PUT "$SIM/admin/faults/$1" -H 'Content-Type: application/json' -d "$2"; fi \
        || say "  the simulator did not take the fault plan for $1 within 60 s"
}
set_latency() {  # set_latency P50_MS P99_MS (0 0: none) for every supplier
    local code
    for code in $SIM_SUPPLIERS; do
        if [ "$1" = 0 ]; then fault_plan "$code" -; else fault_plan "$code" "{\"latency_p50_ms\":$1,\"latency_p99_ms\":$2}"; fi
    done
}
# The distributor's credit: a prepaid account in CNY, topped up for the run.
fund_tenant() {
    admin -o /dev/null -X POST "$GATEWAY/api/v1/admin/credit/accounts" -d "{\"tenant_id\":\"$TENANT\",\"kind\":\"prepaid\",\"currency\":\"CNY\"}" || true
    admin -o /dev/null -X POST "$GATEWAY/api/v1/admin/credit/accounts/$TENANT/top-ups" -d '{"amount":{"amount":"100000000.00","currency":"CNY"}}'
}
# Search bodies, one a line: 20 cities x 30 stays (hotel-bench draws them Zipf-like: the popular ones
# warm in the cache, the tail not).
search_bodies() {  # search_bodies FILE
    python3 - "$1" <<'PY'
import datetime, json, sys
cities = [("Paris", "FR"), ("London", "GB"), ("Tokyo", "JP"), ("Beijing", "CN"), ("Shanghai", "CN"), ("New York", "US"), ("Rome", "IT"),
          ("Barcelona", "ES"), ("Berlin", "DE"), ("Dubai", "AE"), ("Singapore", "SG"), ("Bangkok", "TH"), ("Seoul", "KR"), ("Sydney", "AU"),
          ("Hong Kong", "HK"), ("Istanbul", "TR"), ("Osaka", "JP"), ("Taipei", "TW"), ("Kuala Lumpur", "MY"), ("Guangzhou", "CN")]
today = datetime.date.today()
bodies = []
for stay in range(30):
    for city, country in cities:
        check_in = today + datetime.timedelta(days=25 + stay)
        bodies.append(json.dumps({"destination": {"city": city, "country": country}, "check_in": str(check_in),
                                  "check_out": str(check_in + datetime.timedelta(days=2)), "rooms": [{"adults": 2}], "currency": "EUR", "page_size": 20}))
open(sys.argv[1], "w").write("\n".join(bodies) + "\n")
PY
}
# Offers: searches of cities over stays far apart (each booking takes a room of a hotel for two
# nights; a room type's few rooms are shared by its boards: at most two offers of a room a stay).
collect() {  # collect FILE FIRST_DAY [STAYS]
    python3 - "$GATEWAY" "$TOKEN" "$1" "$2" "${3:-${STAYS:-6}}" <<'PY'
import datetime, json, random, sys, urllib.request
gateway, token, out, first, stays = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
cities = [("Paris", "FR"), ("London", "GB"), ("Berlin", "DE"), ("Rome", "IT"), ("Barcelona", "ES"), ("Tokyo", "JP"), ("Seoul", "KR"), ("Bangkok", "TH")]
offers = []
for stay in range(stays):
    check_in = datetime.date.today() + datetime.timedelta(days=first + 3 * stay)
    for city, country in cities:
        body = {"destination": {"city": city, "country": country}, "check_in": str(check_in), "check_out": str(check_in + datetime.timedelta(days=2)),
                "rooms": [{"adults": 2}], "page_size": 100}
        request = urllib.request.Request(gateway + "/api/v1/search", data=json.dumps(body).encode(), method="POST",
                                         headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
        found = json.load(urllib.request.urlopen(request, timeout=60))
        for hotel in found["hotels"]:
            per_room = {}
            for room in hotel["rooms"]:
                for offer in room["offers"]:
                    if per_room.setdefault(offer["room_name"], 0) < 2:
                        per_room[offer["room_name"]] += 1
                        offers.append(offer["offer_id"])
random.shuffle(offers)
open(out, "w").write("\n".join(offers))
print(len(offers))
PY
}

# What `check` compares with: the moment (Unix ms) and the dead letters then.
mark_start() { START_MS=$(date +%s%3N) DEAD_LETTERS=$(invariants dead-letters); }
invariants() {
    ADMIN=$ADMIN SIM=$SIM SIM_SUPPLIERS=$SIM_SUPPLIERS RUN_DIR=$RUN_DIR RABBIT_NODE=$RABBIT_NODE CLICKHOUSE_PORT=$CLICKHOUSE_PORT \
        python3 scripts/lib/invariants.py "$@"
}
# Every invariant on the orders the tenants placed since `mark_start` (default: TENANT).
check() { invariants check "$GATEWAY" "$START_MS" "$DEAD_LETTERS" "${@:-$TENANT}"; }
