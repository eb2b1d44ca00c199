#!/usr/bin/env bash
# Events from order's outbox into settlement's ledger and bi's ClickHouse, and bi's reports over a
# million orders' events, against scripts/dev.sh up (release). Phases (scripts/bench/events.py):
#   throughput  EVENTS (20,000) payment.captured rows into orders.outbox at once: relay, ledger and
#               ClickHouse rates (targets: ledger >= 1,000/s, ClickHouse >= 5,000/s);
#   bi_pipeline the same into ClickHouse with settlement paused (SIGSTOP; it catches up after);
#   drain       each consumer alone on EVENTS waiting in its queue (bi, then settlement; both
#               paused with SIGSTOP while the relay fills their queues);
#   lag         RATE (500) events/s for SECONDS_EACH (20) s: p50/p99 from outbox insert to stored;
#   reports     ORDERS (1,000,000) orders' events (plus 2 searches and a supplier call per order)
#               written into ClickHouse on days of 2021, each report REPEAT (5) times through the
#               gateway (target: every report under 500 ms); the 2021 partitions dropped after.
# Arguments name phases to run (default all). The events' tenant is bench-events-<run>.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/dev-env.sh
source scripts/lib/infra.sh
source scripts/lib/services.sh
require_dev_stack
infrastructure_env
GATEWAY=http://127.0.0.1:${SERVICE_PORT[gateway]}
source scripts/lib/bench-tenant.sh
trap restore_limits EXIT
say "CPU pressure before: $(pressure)"
RUN_DIR=$RUN_DIR GATEWAY=$GATEWAY ADMIN=$ADMIN CLICKHOUSE_HTTP="http://127.0.0.1:$CLICKHOUSE_PORT/" python3 scripts/bench/events.py "$@"
say "CPU pressure after: $(pressure)"
