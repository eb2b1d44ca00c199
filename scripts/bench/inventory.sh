#!/usr/bin/env bash
# Direct-contract inventory against scripts/dev.sh up (release), on inventory's internal API:
#   1. holds of one room for three nights as fast as CONCURRENCY callers make them, all on one
#      hotel's room type (contended), then spread over HOTELS (200) hotels (target: 1,000 holds/s
#      spread); afterwards the oversell check: on every night sold + held <= allotment, and the rooms
#      held equal the holds made;
#   2. availability of 50 hotels x 7 nights at AVAIL_RATE (500) req/s (target: p99 under 10 ms),
#      as the service runs (AVAILABILITY_CACHE_MS: each replica keeps what it read of a hotel and
#      stay for a second; the holds just made forgot all 200 hotels, so the run begins cold), beside
#      the floor: inventory's /health at the same rate in the same minute.
# The run contracts its own hotels (ids <run><nnn>, one room type, allotment 10,000 a night).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/dev-env.sh
source scripts/lib/infra.sh
source scripts/lib/services.sh
require_dev_stack
SECONDS_EACH=${SECONDS_EACH:-8} CONCURRENCY=${CONCURRENCY:-32} HOTELS=${HOTELS:-200} AVAIL_RATE=${AVAIL_RATE:-500}
INVENTORY=http://127.0.0.1:${SERVICE_PORT[inventory]}
PACKAGES=(python3)
install_packages
build_release --product hotel-bench >/dev/null
BENCH=$(build_release --show-bin-path)/hotel-bench
RUN=$(date +%s)
DIR=$RUN_DIR/bench/inventory-$RUN
mkdir -p "$DIR"

# Contracts, calendar and rate keys (straight to inventory, as an operator the gateway signed).
python3 - "$INVENTORY" "$RUN" "$HOTELS" "$DIR" <<'PY'
import datetime, json, os, sys
sys.path.insert(0, "scripts/lib")
from platform_api import call, operator_headers
inventory, run, hotels, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
secret = os.environ["GATEWAY_IDENTITY_SECRET"]
def admin(method, path, body):
    status, answer = call(inventory, method, path, body, operator_headers(secret, method, path))
    if status not in (200, 201):
        sys.exit(f"{method} {path}: {status} {answer}")
day = lambda n: str(datetime.date.today() + datetime.timedelta(days=n))
ids = [run * 1000 + n for n in range(hotels)]
for hotel in ids:
    admin("POST", "/api/v1/admin/inventory/hotels", {"hotel_id": hotel, "name": f"Bench {hotel}", "currency": "EUR"})
    admin("PUT", f"/api/v1/admin/inventory/hotels/{hotel}/room-types/DBL", {"name": "Double", "max_occupancy": 2})
    admin("PUT", f"/api/v1/admin/inventory/hotels/{hotel}/rate-plans/BAR", {"name": "Flexible", "board": "BB", "refundable": True})
    admin("POST", f"/api/v1/admin/inventory/hotels/{hotel}/calendar",
          {"updates": [{"room_type": "DBL", "from": day(30), "to": day(37), "allotment": 10000, "prices": {"BAR": "100.00"}}]})
keys = []
for hotel in ids:
    status, answer = call(inventory, "POST", "/availability", {"check_in": day(30), "check_out": day(33), "occupancy": {"adults": 2}, "hotel_codes": [str(hotel)]})
    if status != 200 or not answer["offers"]:
        sys.exit(f"availability of {hotel}: {status} {answer}")
    keys.append(answer["offers"][0]["rate_key"])
open(f"{out}/one-key.txt", "w").write(keys[0] + "\n")
open(f"{out}/keys.txt", "w").write("\n".join(keys) + "\n")
with open(f"{out}/availability.txt", "w") as f:
    for i in range(500):
        chosen = [str(ids[(i * 7 + j) % len(ids)]) for j in range(50)]
        f.write(json.dumps({"check_in": day(30), "check_out": day(37), "occupancy": {"adults": 2}, "hotel_codes": chosen}) + "\n")
json.dump(ids, open(f"{out}/hotels.json", "w"))
PY
say "$HOTELS hotels contracted (allotment 10,000 a night); CPU pressure $(pressure); machine: $(machine_speed)"
CONTENDED=$("$BENCH" holds "$INVENTORY" "$DIR/one-key.txt" "$SECONDS_EACH" "$CONCURRENCY")
say "one hotel's room type, $CONCURRENCY callers, ${SECONDS_EACH}s: $CONTENDED"
SPREAD=$("$BENCH" holds "$INVENTORY" "$DIR/keys.txt" "$SECONDS_EACH" "$CONCURRENCY")
say "spread over $HOTELS hotels, $CONCURRENCY callers, ${SECONDS_EACH}s; CPU pressure $(pressure): $SPREAD"
MADE=$(( $(sed -E 's/.*holds=([0-9]+).*/\1/' <<<"$CONTENDED") + $(sed -E 's/.*holds=([0-9]+).*/\1/' <<<"$SPREAD") ))

python3 - "$INVENTORY" "$DIR" "$MADE" <<'PY'
import datetime, json, os, sys
sys.path.insert(0, "scripts/lib")
from platform_api import call, operator_headers
inventory, out, made = sys.argv[1], sys.argv[2], int(sys.argv[3])
secret = os.environ["GATEWAY_IDENTITY_SECRET"]
day = lambda n: str(datetime.date.today() + datetime.timedelta(days=n))
oversold, held = [], {day(n): 0 for n in (30, 31, 32)}
for hotel in json.load(open(f"{out}/hotels.json")):
    path = f"/api/v1/admin/inventory/hotels/{hotel}/calendar?from={day(30)}&to={day(37)}"
    status, page = call(inventory, "GET", path, headers=operator_headers(secret, "GET", path))
    for night in page["nights"]:
        if night["sold"] + night["held"] > night["allotment"]:
            oversold.append((hotel, night["night"]))
        if night["night"] in held:
            held[night["night"]] += night["held"] + night["sold"]
consistent = all(rooms == made for rooms in held.values())
print(f"oversell check: {len(oversold)} nights over their allotment; rooms taken per night {sorted(set(held.values()))} for {made} holds made: "
      + ("consistent" if consistent else "INCONSISTENT"), file=sys.stderr)
sys.exit(0 if not oversold and consistent else 1)
PY

say "availability, 50 hotels x 7 nights at $AVAIL_RATE req/s, 10s; CPU pressure $(pressure): $("$BENCH" paced-post "$AVAIL_RATE" 10 "$INVENTORY/availability" "$DIR/availability.txt" in-turn)"
say "floor, /health at $AVAIL_RATE req/s, 10s; CPU pressure $(pressure): $("$BENCH" paced "$AVAIL_RATE" 10 "$INVENTORY/health")"
