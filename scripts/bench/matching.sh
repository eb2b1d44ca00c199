#!/usr/bin/env bash
# Matching against the simulator's ground truth, from an empty catalog, with the release binaries of
# scripts/dev.sh up: a supplier-adapter and a matching of their own on a fresh database (hotel_bench),
# the dev stack's supplier-sim as the suppliers.
#   1. A full mapping run (about 6,000 records): time, rate, decisions; precision and recall.
#   2. Lookups, per kind (a city's ~110 hotels, 2 km around a point, 50 ids, a supplier code): the most
#      requests per second over CONCURRENCY connections (hey), and p50 / p99 at a steady RATE, paced
#      open loop (hotel-bench), DURATION s, the medians of ROUNDS rounds, beside matching's /health
#      measured the same way: what this machine gives any endpoint.
# Targets (issue 5): precision >= 0.99, recall >= 0.97, the run under 60 s, lookup p99 under 5 ms.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/dev-env.sh
source scripts/lib/infra.sh
source scripts/lib/services.sh
require_dev_stack
[ -x .build/release/matching ] || die "run scripts/dev.sh up first"
DURATION=${DURATION:-10} CONCURRENCY=${CONCURRENCY:-8} RATE=${RATE:-1000} ROUNDS=${ROUNDS:-3}
ADAPTER_PORT=${ADAPTER_PORT:-18183} MATCHING_PORT=${MATCHING_PORT:-18184}
SIMULATOR=http://127.0.0.1:${SERVICE_PORT[supplier-sim]}
BENCH_DIR=$RUN_DIR/bench/matching
PACKAGES=(hey python3)
install_packages
build_release --product hotel-bench >/dev/null
BENCH=$(build_release --show-bin-path)/hotel-bench
curl -sf -o /dev/null "$SIMULATOR/health" || die "supplier-sim is not running at $SIMULATOR (scripts/dev.sh up)"

say "a fresh database: hotel_bench"
pg=$RUN_DIR/postgres bin=$(pg_bin)
as_pg "$bin/psql" -h "$pg" -p "$PG_PORT" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
    -c "DROP DATABASE IF EXISTS hotel_bench WITH (FORCE)" -c "CREATE DATABASE hotel_bench OWNER hotel" >/dev/null
as_pg "$bin/psql" -h "$pg" -p "$PG_PORT" -U postgres -d hotel_bench -q -v ON_ERROR_STOP=1 <"$PWD/compose/postgres-init.sql" >/dev/null

infrastructure_env
export DATABASE_URL="postgresql://hotel:hotel_pass@127.0.0.1:$PG_PORT/hotel_bench" MIGRATE_ON_START=true LOG_LEVEL=warning HOST=127.0.0.1
mkdir -p "$BENCH_DIR"
PORT=$ADAPTER_PORT .build/release/supplier-adapter >"$BENCH_DIR/supplier-adapter.log" 2>&1 &
adapter_pid=$!
PORT=$MATCHING_PORT SUPPLIER_ADAPTER_URL=http://127.0.0.1:$ADAPTER_PORT .build/release/matching >"$BENCH_DIR/matching.log" 2>&1 &
matching_pid=$!
cleanup() { kill "$adapter_pid" "$matching_pid" 2>/dev/null || true; }
trap cleanup EXIT
up() { curl -sf -o /dev/null "http://127.0.0.1:$1/ready"; }
wait_for "the bench supplier-adapter" 30 up "$ADAPTER_PORT"
wait_for "the bench matching" 30 up "$MATCHING_PORT"

say "mapping every record from scratch"
python3 scripts/bench/matching.py "http://127.0.0.1:$ADAPTER_PORT" "http://127.0.0.1:$MATCHING_PORT" "$SIMULATOR" "$BENCH_DIR"

say ""
say "lookups: the most requests per second over $CONCURRENCY connections (hey, ${DURATION}s), then latency at $RATE req/s"
say "paced (hotel-bench: open loop, one request due every 1/RATE s), $ROUNDS rounds; 'health' (matching's /health) is the machine's floor"
RESULTS=$BENCH_DIR/lookups-results.txt
: > "$RESULTS"
{ echo "health http://127.0.0.1:$MATCHING_PORT/health"; cat "$BENCH_DIR/lookups.txt"; } > "$BENCH_DIR/lookups-all.txt"
while read -r kind url; do
    out=$(hey -z "${DURATION}s" -c "$CONCURRENCY" "$url")
    grep -q '\[200\]' <<<"$out" || { say "$out"; die "$kind: no 200 answers"; }
    echo "0 $kind max $(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")" >> "$RESULTS"
done <"$BENCH_DIR/lookups-all.txt"
for round in $(seq "$ROUNDS"); do
    while read -r kind url; do
        out=$("$BENCH" paced "$RATE" "$DURATION" "$url")
        grep -q "not_2xx=0 " <<<"$out" || die "$kind: answers other than 2xx: $out"
        echo "$round $kind paced $(sed -E 's/.*p50_ms=([0-9.]+) p99_ms=([0-9.]+).*sent_late_p99_ms=([0-9.]+).*/\1 \2 \3/' <<<"$out")" >> "$RESULTS"
    done <"$BENCH_DIR/lookups-all.txt"
done
python3 - "$RESULTS" "$RATE" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
rate = sys.argv[2]
kinds = list(dict.fromkeys(r[1] for r in rows))
maxima = {r[1]: r[3] for r in rows if r[2] == "max"}
paced = {k: [tuple(map(float, r[3:6])) for r in rows if r[1] == k and r[2] == "paced"] for k in kinds}
print(f"{'LOOKUP':<8} {'REQ/S (max)':>12} {'P50_MS':>8} {'P99_MS':>8}   P99 PER ROUND (the load generator's own lateness p99)")
for k in kinds:
    p50 = statistics.median(v[0] for v in paced[k]); p99 = statistics.median(v[1] for v in paced[k])
    print(f"{k:<8} {maxima[k]:>12} {p50:>8.2f} {p99:>8.2f}   " + " ".join(f"{v[1]:.2f} ({v[2]:.2f})" for v in paced[k]))
worst = max(statistics.median(v[1] for v in paced[k]) for k in kinds if k != "health")
floor = statistics.median(v[1] for v in paced["health"])
print(f"\nworst lookup p99 at {rate} req/s (median over rounds): {worst:.2f} ms (target < 5 ms: {'met' if worst < 5 else 'NOT met'}); "
      f"the floor (/health) {floor:.2f} ms")
PY
