#!/usr/bin/env bash
# Is the platform up? Waits (up to --timeout seconds, default 120) until the gateway at URL answers
# /health and /ready, then, given an operator key (ADMIN_API_KEY and ADMIN_API_SECRET), until the
# operator health report shows every service alive and ready, none red, each running --version.
#   scripts/health-check.sh [URL] [--version TAG] [--timeout SECONDS]      (URL: http://127.0.0.1:8080)
# Exit 0 healthy, 1 not healthy in time (what was wrong last is printed), 2 bad usage.
set -euo pipefail

url=http://127.0.0.1:8080 version="" timeout=120
while [ $# -gt 0 ]; do
    case $1 in
        --version) version=${2:?--version needs a tag}; shift 2 ;;
        --timeout) timeout=${2:?--timeout needs seconds}; shift 2 ;;
        -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
        http://*|https://*) url=${1%/}; shift ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
deadline=$((SECONDS + timeout))
problem=""

# check: one round; true when healthy, else $problem says why.
check() {
    local status
    status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url/health" || true)
    [ "$status" = 200 ] || { problem="$url/health answered ${status:-nothing}"; return 1; }
    status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url/ready" || true)
    [ "$status" = 200 ] || { problem="$url/ready answered $status"; return 1; }
    [ -n "${ADMIN_API_KEY:-}" ] && [ -n "${ADMIN_API_SECRET:-}" ] || return 0
    local token report
    token=$(curl -s --max-time 5 -H 'Content-Type: application/json' \
        -d "{\"api_key\":\"$ADMIN_API_KEY\",\"api_secret\":\"$ADMIN_API_SECRET\"}" "$url/api/v1/auth/token" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin).get("access_token", ""))' 2>/dev/null || true)
    [ -n "$token" ] || { problem="the operator key was not accepted by $url/api/v1/auth/token"; return 1; }
    report=$(curl -s --max-time 10 -H "Authorization: Bearer $token" "$url/api/v1/admin/health" || true)
    problem=$(python3 - "$version" "$report" <<'PY'
import json, sys
version, report = sys.argv[1], sys.argv[2]
try:
    report = json.loads(report)
except ValueError:
    print("the health report is not JSON"); sys.exit()
wrong = []
for service in report.get("services", []):
    if service["status"] == "red":
        wrong.append(f"{service['name']} is red ({service.get('detail') or 'not answering'})")
    elif version and service.get("version") != version:
        wrong.append(f"{service['name']} runs {service.get('version')}, not {version}")
if len(report.get("services", [])) < 10:
    wrong.append(f"the report lists {len(report.get('services', []))} services, not 10")
for dependency in report.get("dependencies", []):
    if dependency["status"] == "red":
        wrong.append(f"{dependency['name']} is down")
print("; ".join(wrong))
PY
)
    [ -z "$problem" ]
}

until check; do
    if [ $SECONDS -ge $deadline ]; then
        echo "NOT HEALTHY after ${timeout}s: $problem" >&2
        exit 1
    fi
    sleep 3
done
echo "healthy: $url${version:+ (every service on $version)}"
