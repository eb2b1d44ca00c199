# For a benchmark through the gateway: TOKEN, a bearer token of the demo data's first distributor
# (TENANT), and TENANTS/TOKENS, every demo distributor's; their rate limits are raised for the run;
# `restore_limits` (call it at exit) puts the old ones back.
# Needs GATEWAY and the dev stack's secrets (require_dev_stack).
[ -f "$RUN_DIR/demo-credentials.json" ] || die "run scripts/dev.sh up first"
json() { python3 -c "import json,sys; v=json.load(sys.stdin)$1; print(v if isinstance(v, str) else json.dumps(v))"; }
token() { curl -sf "$GATEWAY/api/v1/auth/token" -H 'Content-Type: application/json' -d "{\"api_key\":\"$1\",\"api_secret\":\"$2\"}" | json "['access_token']"; }
ADMIN=$(token "$ADMIN_API_KEY" "$ADMIN_API_SECRET")
TENANTS=() TOKENS=()
while read -r tenant key secret; do TENANTS+=("$tenant") TOKENS+=("$(token "$key" "$secret")"); done < <(
    python3 -c "import json; [print(d['tenant_id'], d['api_key'], d['api_secret']) for d in json.load(open('$RUN_DIR/demo-credentials.json'))['distributors']]")
TENANT=${TENANTS[0]} TOKEN=${TOKENS[0]}
limits() { curl -sf "$GATEWAY/api/v1/admin/config/gateway.rate_limits" -H "Authorization: Bearer $ADMIN" | json "['value']" 2>/dev/null || echo "{}"; }
put_limits() {
    curl -sf -o /dev/null -X PUT "$GATEWAY/api/v1/admin/config/gateway.rate_limits" -H "Authorization: Bearer $ADMIN" \
        -H 'Content-Type: application/json' -d "{\"value\": $1}"
}
ORIGINAL_LIMITS=$(limits)
put_limits "$(python3 -c "import json, sys; v=json.loads('$ORIGINAL_LIMITS'); v.update({t: {'max': 1000000, 'window_ms': 1000} for t in sys.argv[1:]}); print(json.dumps(v))" "${TENANTS[@]}")"
restore_limits() { put_limits "$ORIGINAL_LIMITS" || true; }
