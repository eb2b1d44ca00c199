#!/usr/bin/env bash
# Credit operations against scripts/dev.sh up (release): reserve + capture pairs of 1.00 on risk's
# internal API, as fast as CONCURRENCY callers make them, for SECONDS:
#   1. spread over ACCOUNTS (100) accounts (target: at least 2,000 pairs/s);
#   2. on one hot account (target: at least 500 pairs/s);
# then every account's ledger check through the gateway (the account equals the sums of its journal).
# Accounts are opened for the run (tenants bench-credit-<run>-N, prepaid, topped up).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/dev-env.sh
source scripts/lib/infra.sh
source scripts/lib/services.sh
require_dev_stack
SECONDS_EACH=${SECONDS_EACH:-10} CONCURRENCY=${CONCURRENCY:-32} ACCOUNTS=${ACCOUNTS:-100}
GATEWAY=http://127.0.0.1:${SERVICE_PORT[gateway]}
RISK=http://127.0.0.1:${SERVICE_PORT[risk]}
PACKAGES=(python3)
install_packages
build_release --product hotel-bench >/dev/null
BENCH=$(build_release --show-bin-path)/hotel-bench
source scripts/lib/bench-tenant.sh
trap restore_limits EXIT
pressure() { awk '/some/ {print $2}' /proc/pressure/cpu; }
admin() { curl -sf "$@" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json'; }

RUN=$(date +%s)
TENANTS=()
for n in $(seq 1 "$ACCOUNTS"); do
    tenant="bench-credit-$RUN-$n"
    admin -o /dev/null -X POST "$GATEWAY/api/v1/admin/credit/accounts" -d "{\"tenant_id\":\"$tenant\",\"kind\":\"prepaid\",\"currency\":\"EUR\"}"
    admin -o /dev/null -X POST "$GATEWAY/api/v1/admin/credit/accounts/$tenant/top-ups" -d '{"amount":{"amount":"100000000.00","currency":"EUR"}}'
    TENANTS+=("$tenant")
done
say "$ACCOUNTS accounts opened; CPU pressure $(pressure)"
say "spread over $ACCOUNTS accounts, $CONCURRENCY callers, ${SECONDS_EACH}s: $("$BENCH" credit-pairs "$RISK" "$(IFS=,; echo "${TENANTS[*]}")" EUR "$SECONDS_EACH" "$CONCURRENCY")"
say "one hot account, $CONCURRENCY callers, ${SECONDS_EACH}s; CPU pressure $(pressure): $("$BENCH" credit-pairs "$RISK" "${TENANTS[0]}" EUR "$SECONDS_EACH" "$CONCURRENCY")"

inconsistent=0
for tenant in "${TENANTS[@]}"; do
    admin "$GATEWAY/api/v1/admin/credit/accounts/$tenant/check" | python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["consistent"] else 1)' || inconsistent=$((inconsistent + 1))
done
say "ledger check: $((ACCOUNTS - inconsistent)) of $ACCOUNTS accounts consistent"
[ "$inconsistent" -eq 0 ]
