#!/usr/bin/env bash
# Credit operations against scripts/dev.sh up (release): reserve + capture pairs of 1.00 on risk's
# internal API, as fast as CONCURRENCY callers make them, for SECONDS:
#   1. spread over ACCOUNTS (100) accounts (target: at least 2,000 pairs/s);
#   2. on one hot account (target: at least 500 pairs/s);
#   each followed by the same pairs from pgbench straight to PostgreSQL (scripts/bench/sql/credit-pair.sql):
#   what the database alone does on this machine, and the service's share of it;
# then every account's ledger check through the gateway (the account equals the sums of its journal);
#   3. risk assessments at ASSESS_RATE (500) req/s, every order new, over the run's tenants (target:
#      p99 under 5 ms), paced like the search benchmark.
# Accounts are opened for the run (tenants bench-credit-<run>-N, prepaid, topped up).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/dev-env.sh
source scripts/lib/infra.sh
source scripts/lib/services.sh
require_dev_stack
infrastructure_env
SECONDS_EACH=${SECONDS_EACH:-10} CONCURRENCY=${CONCURRENCY:-32} ACCOUNTS=${ACCOUNTS:-100} ASSESS_RATE=${ASSESS_RATE:-500}
GATEWAY=http://127.0.0.1:${SERVICE_PORT[gateway]}
RISK=http://127.0.0.1:${SERVICE_PORT[risk]}
PACKAGES=(python3)
install_packages
build_release --product hotel-bench >/dev/null
BENCH=$(build_release --show-bin-path)/hotel-bench
source scripts/lib/bench-tenant.sh
trap restore_limits EXIT
# The run's own operator calls (opening and checking every account) stay within a raised limit too.
ADMIN_TENANT=$(python3 -c "import base64,json,sys; p=sys.argv[1].split('.')[1]; p+='='*(-len(p)%4); print(json.loads(base64.urlsafe_b64decode(p))['tenant_id'])" "$ADMIN")
put_limits "$(python3 -c "import json; v=json.loads('$ORIGINAL_LIMITS'); [v.__setitem__(t, {'max': 1000000, 'window_ms': 1000}) for t in ('$TENANT', '$ADMIN_TENANT')]; print(json.dumps(v))")"
sleep 2  # the gateways read the changed config within a second
admin() { curl -sf "$@" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json'; }

RUN=$(date +%s)
TENANTS=()
for n in $(seq 1 "$ACCOUNTS"); do
    tenant="bench-credit-$RUN-$n"
    admin -o /dev/null -X POST "$GATEWAY/api/v1/admin/credit/accounts" -d "{\"tenant_id\":\"$tenant\",\"kind\":\"prepaid\",\"currency\":\"EUR\"}"
    admin -o /dev/null -X POST "$GATEWAY/api/v1/admin/credit/accounts/$tenant/top-ups" -d '{"amount":{"amount":"100000000.00","currency":"EUR"}}'
    TENANTS+=("$tenant")
done
say "$ACCOUNTS accounts opened; CPU pressure $(pressure); machine: $(machine_speed)"
# The baseline, in the same run: risk's statements for a pair sent by pgbench straight to PostgreSQL.
baseline() { # accounts
    pgbench -n -M prepared -c "$CONCURRENCY" -j 2 -T "$SECONDS_EACH" -D prefix="bench-credit-$RUN-" -D accounts="$1" \
        -f scripts/bench/sql/credit-pair.sql "$DATABASE_URL" 2>&1 | awk '/^tps/ { printf "%.0f", $3 }'
}
pairs_per_s() { sed -n 's/.*per_s=\([0-9]*\).*/\1/p' <<<"$1"; }
ratio() { python3 -c "import sys; print(f'{int(sys.argv[1]) / max(1, int(sys.argv[2])):.2f}')" "$1" "$2"; }
spread=$("$BENCH" credit-pairs "$RISK" "$(IFS=,; echo "${TENANTS[*]}")" EUR "$SECONDS_EACH" "$CONCURRENCY")
say "spread over $ACCOUNTS accounts, $CONCURRENCY callers, ${SECONDS_EACH}s: $spread"
alone=$(baseline "$ACCOUNTS")
say "  PostgreSQL alone (pgbench, the same statements, $CONCURRENCY clients): $alone pairs/s; the service reaches $(ratio "$(pairs_per_s "$spread")" "$alone") of it"
hot=$("$BENCH" credit-pairs "$RISK" "${TENANTS[0]}" EUR "$SECONDS_EACH" "$CONCURRENCY")
say "one hot account, $CONCURRENCY callers, ${SECONDS_EACH}s; CPU pressure $(pressure): $hot"
alone=$(baseline 1)
say "  PostgreSQL alone on that account: $alone pairs/s; the service reaches $(ratio "$(pairs_per_s "$hot")" "$alone") of it"

BODIES=$RUN_DIR/bench/credit-assessments.txt
mkdir -p "$(dirname "$BODIES")"
python3 - "$BODIES" "$RUN" "$ACCOUNTS" "$((ASSESS_RATE * SECONDS_EACH))" <<'PY'
import datetime, json, sys
out, run, accounts, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
check_in = datetime.date.today() + datetime.timedelta(days=30)
with open(out, "w") as f:
    for i in range(count):
        f.write(json.dumps({"tenant_id": f"bench-credit-{run}-{1 + i % accounts}", "order_id": f"bench-assess-{run}-{i}",
                            "amount": {"amount": f"{100 + i % 900}.00", "currency": "EUR"}, "check_in": str(check_in),
                            "check_out": str(check_in + datetime.timedelta(days=2)), "city": "Paris", "client_ip": f"198.51.100.{i % 250}",
                            "guests": [{"first_name": "Guest", "last_name": f"N{i}", "email": f"guest{i}@example.com"}]}) + "\n")
PY
say "assessments at $ASSESS_RATE req/s, ${SECONDS_EACH}s, each order new; CPU pressure $(pressure): $("$BENCH" paced-post "$ASSESS_RATE" "$SECONDS_EACH" "$RISK/assessments" "$BODIES" in-turn)"

inconsistent=0
for tenant in "${TENANTS[@]}"; do
    admin "$GATEWAY/api/v1/admin/credit/accounts/$tenant/check" | python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["consistent"] else 1)' || inconsistent=$((inconsistent + 1))
done
say "ledger check: $((ACCOUNTS - inconsistent)) of $ACCOUNTS accounts consistent"
[ "$inconsistent" -eq 0 ]
