#!/usr/bin/env bash
# Data kit benchmarks (issue 3), against the dev infrastructure (started if it is not running):
#   1. trivial queries through PostgresPool vs pgbench on the same server, same connections, same run
#      (target: ratio >= 0.7)
#   2. outbox end to end, commit -> consumed: sustained events/s (target >= 5,000/s)
#   3. commit -> consumed lag at 1,000 events/s (target: p99 < 100 ms)
# Usage: scripts/bench/data-kit.sh [SECONDS=10] [CONNECTIONS=5]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN=${1:-10} CONNECTIONS=${2:-5}
source scripts/lib/dev-env.sh
source scripts/lib/infra.sh
source scripts/lib/services.sh
install_packages
start_infrastructure
infrastructure_env
build_release --product hotel-bench >/dev/null
BENCH=$(build_release --show-bin-path)/hotel-bench

echo "== PostgreSQL: SELECT 1, $CONNECTIONS connections, ${SECONDS_PER_RUN}s each"
script=$(mktemp); echo "SELECT 1;" > "$script"
pgbench_tps=$(PGPASSWORD=hotel_pass "$(pg_bin)/pgbench" -n -M extended -h 127.0.0.1 -p "$PG_PORT" -U hotel -c "$CONNECTIONS" -j 2 \
    -T "$SECONDS_PER_RUN" -f "$script" hotel_db 2>/dev/null | awk '/^tps/ {print int($3); exit}')
rm -f "$script"
pool_line=$("$BENCH" pool "$SECONDS_PER_RUN" "$CONNECTIONS" 64)
pool_qps=$(echo "$pool_line" | sed -E 's/.*pool_qps=([0-9]+).*/\1/')
echo "pgbench:      $pgbench_tps queries/s"
echo "PostgresPool: $pool_qps queries/s"
echo "ratio:        $(echo "scale=2; $pool_qps / $pgbench_tps" | bc) (target >= 0.7)"

echo "== Outbox end to end (commit -> published with confirms -> consumed into the inbox)"
"$BENCH" outbox-throughput 50000
"$BENCH" outbox-lag 1000 "$SECONDS_PER_RUN"
