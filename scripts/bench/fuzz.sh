#!/usr/bin/env bash
# The public API fuzzed longer than scripts/test.sh does: Schemathesis (scripts/lib/fuzz.sh) against
# scripts/dev.sh up, with the operator's and the first distributor's tokens, EXAMPLES (100) per
# operation and phase, SEED (random; printed so a failure can be replayed). Both tenants' rate limits
# are raised for the run and put back after. The operator's half creates, changes and disables
# things at random (tenants, suppliers, rules, flags): run it on a dev stack you can throw away
# (scripts/dev.sh down, then up).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/dev-env.sh
source scripts/lib/infra.sh
source scripts/lib/services.sh
source scripts/lib/fuzz.sh
require_dev_stack
EXAMPLES=${EXAMPLES:-100} SEED=${SEED:-$RANDOM}
GATEWAY=http://127.0.0.1:${SERVICE_PORT[gateway]}
PACKAGES=(python3 python3-venv)
install_packages
source scripts/lib/bench-tenant.sh
trap restore_limits EXIT
OPERATOR_TENANT=$(python3 -c "import base64,json,sys; p='$ADMIN'.split('.')[1]; print(json.loads(base64.urlsafe_b64decode(p + '=' * (-len(p) % 4)))['tenant_id'])")
put_limits "$(python3 -c "import json; v=json.loads('$(limits)'); v['$OPERATOR_TENANT']={'max':1000000,'window_ms':1000}; print(json.dumps(v))")"
say "fuzzing $GATEWAY: $EXAMPLES examples, seed $SEED"
started=$(date +%s)
fuzz_api "$GATEWAY" "$RUN_DIR/demo-credentials.json" "$EXAMPLES" "$RUN_DIR/fuzz" "$SEED"
say "fuzz: no failures in $(($(date +%s) - started)) s (logs: $RUN_DIR/fuzz/)"
