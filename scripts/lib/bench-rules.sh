# Markup rules as an operator might have them, for benchmarks that price (five rules named "bench:
# ...": everywhere, France with breakfast, Paris for the bench tenant, one hotel, one supplier's
# non-refundable rates): `bench_rules enable` makes them (once) and enables them, `bench_rules
# disable` disables them again, so the demo's prices are left as they were.
# Needs GATEWAY, ADMIN and TENANT (scripts/lib/bench-tenant.sh).
bench_rules() {
    python3 - "$1" "$GATEWAY" "$ADMIN" "$TENANT" <<'PY'
import json, sys, urllib.request
action, gateway, token, tenant = sys.argv[1:]
wanted = [
    ("bench: everywhere", {}, {"type": "percent", "percent": "10"}),
    ("bench: France with breakfast", {"country_code": "FR", "board": "BB"}, {"type": "percent", "percent": "12"}),
    ("bench: Paris for the bench tenant", {"city": "Paris", "tenant_id": tenant}, {"type": "percent", "percent": "9"}),
    ("bench: hotel 5", {"master_hotel_id": 5}, {"type": "fixed", "amount": "15.00", "currency": "EUR"}),
    ("bench: sunbeds non-refundable", {"supplier": "sunbeds", "refundable": False}, {"type": "percent", "percent": "6"}),
]
def call(method, path, body=None):
    request = urllib.request.Request(gateway + "/api/v1/admin/pricing/rules" + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)
existing = {rule["name"]: rule for rule in call("GET", "")["rules"]}
for name, scope, effect in wanted:
    rule = existing.get(name) or (call("POST", "", {"name": name, "scope": scope, "effect": effect, "enabled": False}) if action == "enable" else None)
    if rule and rule["enabled"] != (action == "enable"):
        call("POST", f"/{rule['id']}/{action}")
PY
}
