#!/usr/bin/env bash
# Matching against the simulator's ground truth, from an empty catalog, with the release binaries of
# scripts/dev.sh up: a supplier-adapter and a matching of their own on a fresh database (hotel_bench),
# the dev stack's supplier-sim as the suppliers.
#   1. A full mapping run (about 6,000 records): time, rate, decisions; precision and recall.
#   2. Lookups, per kind (a city's ~110 hotels, 2 km around a point, 50 ids, a supplier code): the most
#      requests per second over CONCURRENCY connections, and p50 / p99 at a steady RATE (hey, DURATION s).
# Targets (issue 5): precision >= 0.99, recall >= 0.97, the run under 60 s, lookup p99 under 5 ms.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/dev-env.sh
source scripts/lib/infra.sh
source scripts/lib/services.sh
require_dev_stack
[ -x .build/release/matching ] || die "run scripts/dev.sh up first"
DURATION=${DURATION:-10} CONCURRENCY=${CONCURRENCY:-8} RATE=${RATE:-1000}
ADAPTER_PORT=${ADAPTER_PORT:-18183} MATCHING_PORT=${MATCHING_PORT:-18184}
SIMULATOR=http://127.0.0.1:${SERVICE_PORT[supplier-sim]}
BENCH_DIR=$RUN_DIR/bench/matching
PACKAGES=(hey python3)
install_packages
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
say "lookups: hey, ${DURATION}s each: the most over $CONCURRENCY connections, then latency at $RATE req/s (4 workers)"
printf '%-8s %12s %14s %10s %10s\n' LOOKUP 'REQ/S (max)' "REQ/S (@$RATE)" P50_MS P99_MS
worst=0
while read -r kind url; do
    out=$(hey -z "${DURATION}s" -c "$CONCURRENCY" "$url")
    grep -q '\[200\]' <<<"$out" || { say "$out"; die "$kind: no 200 answers"; }
    max=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
    out=$(hey -z "${DURATION}s" -c 4 -q $((RATE / 4)) "$url")
    read -r rps p50 p99 < <(awk '/Requests\/sec/ {rps=$2} / 50% in/ {p50=$3*1000} / 99% in/ {p99=$3*1000} END {printf "%.0f %.2f %.2f\n", rps, p50, p99}' <<<"$out")
    printf '%-8s %12s %14s %10s %10s\n' "$kind" "$max" "$rps" "$p50" "$p99"
    worst=$(python3 -c "print(max($worst, $p99))")
done <"$BENCH_DIR/lookups.txt"
python3 -c "print(f'\nworst lookup p99 at $RATE req/s: {$worst:.2f} ms (target < 5 ms: {\"met\" if $worst < 5 else \"NOT met\"})')"
