# For benchmarks that book through the gateway (booking.sh, platform.sh, chaos.sh): the simulator's
# latency, offers collected from searches, and every invariant checked on the orders confirmed.
# Needs GATEWAY, SIM, TOKEN, TENANT, ADMIN (bench-tenant.sh) and DATABASE_URL (infrastructure_env).

admin() { curl -sf "$@" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json'; }
SIM_SUPPLIERS=$(curl -sf "$SIM/admin/suppliers" | python3 -c 'import json,sys; print(" ".join(s["code"] for s in json.load(sys.stdin)))')
set_latency() {
    local code
    for code in $SIM_SUPPLIERS; do
        if [ "$1" = 0 ]; then curl -sf -m 60 -o /dev/null -X DELETE "$SIM/admin/faults/$code" || true
        else curl -sf -m 60 -o /dev/null -X PUT "$SIM/admin/faults/$code" -H 'Content-Type: application/json' -d "{\"latency_p50_ms\":$1,\"latency_p99_ms\":$2}"; fi
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

# Every invariant, on the orders confirmed (their numbers in the files given).
check() {
    python3 - "$SIM" "$SIM_SUPPLIERS" "$@" <<'PY'
import collections, json, sys, urllib.request
sim, suppliers, files = sys.argv[1], sys.argv[2].split(), sys.argv[3:]
numbers = [line for name in files for line in open(name).read().split("\n") if line]
held = collections.Counter()
for code in suppliers:
    for booking in json.load(urllib.request.urlopen(f"{sim}/admin/bookings?supplier={code}", timeout=60)):
        if booking["client_reference"].startswith("HP"):
            held[booking["client_reference"]] += 1
supplier_numbers = [n for n in numbers if held[n] > 0]
twice = [reference for reference, count in held.items() if count > 1]
print(f"supplier bookings: {len(supplier_numbers)} confirmed orders booked once at a supplier "
      f"(the rest direct contracts: {len(numbers) - len(supplier_numbers)}), references booked twice: {len(twice)}")
sys.exit(1 if twice else 0)
PY
    admin "$GATEWAY/api/v1/admin/credit/accounts/$TENANT/check" | python3 -c 'import json,sys; c=json.load(sys.stdin); print("credit ledger consistent:", c["consistent"]); sys.exit(0 if c["consistent"] else 1)'
    psql -Atq "$DATABASE_URL" -c "SELECT 'nights oversold: ' || count(*) FROM inventory.nights WHERE sold + held > allotment"
    psql -Atq "$DATABASE_URL" -c "SELECT 'orders of the tenant by status: ' || string_agg(s || '=' || n, ' ') FROM (SELECT order_status || '/' || supplier_status AS s, count(*) AS n FROM orders.orders WHERE tenant_id = '$TENANT' GROUP BY 1 ORDER BY 1) t"
    psql -Atq "$DATABASE_URL" -c "SELECT 'confirmed without a capture: ' || count(*) FROM orders.orders o LEFT JOIN risk.credit_reservations r ON r.order_id = o.id::text WHERE o.tenant_id = '$TENANT' AND o.order_status = 'CONFIRMED' AND r.status IS DISTINCT FROM 'captured'"
}

