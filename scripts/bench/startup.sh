#!/usr/bin/env bash
# Measures, for every service: time from process start to its first 200 on /ready, and resident
# memory after it has idled for a few seconds. Needs the dev infrastructure (scripts/dev.sh up) and
# starts a second copy of each binary on a spare port, so the running stack is not disturbed.
# Targets (issue 2): under 1 s to ready, under 30 MB resident.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/dev-env.sh
source scripts/lib/infra.sh
source scripts/lib/services.sh
require_dev_stack
infrastructure_env
service_urls_env
IDLE=${IDLE_SECONDS:-5}

# RSS counts the shared libraries' pages (Swift runtime, Foundation, ICU) that every service maps
# and the kernel shares; PSS divides those among the processes sharing them; PRIVATE is what the
# process alone holds. PSS is measured while the dev stack's copies run too.
# EXECUTOR: "loops" when Swift's tasks run on NIO's event loops, "POOL" when the service warned that
# they could not (a build that ships that way serves far fewer requests per core).
mkdir -p "$RUN_DIR/bench/startup"
printf '%-18s %10s %8s %8s %11s %9s\n' SERVICE READY_MS RSS_MB PSS_MB PRIVATE_MB EXECUTOR
for name in "${SERVICES[@]}"; do
    port=$((18000 + ${SERVICE_PORT[$name]} - 8080))
    start=$(now_ms)
    log=$RUN_DIR/bench/startup/$name.log
    env "${SERVICE_PROCESS_ENV[@]}" PORT=$port INTERNAL_PORT=$((port + 1000)) HOST=127.0.0.1 LOG_LEVEL=warn "$BIN/$name" >"$log" 2>&1 &
    pid=$!
    trap 'kill $pid 2>/dev/null || true' EXIT
    until curl -sf -o /dev/null "http://127.0.0.1:$port/ready"; do
        kill -0 $pid 2>/dev/null || die "$name exited"
        [ $(( $(now_ms) - start )) -gt 10000 ] && die "$name not ready in 10 s"
        sleep 0.005
    done
    ready=$(( $(now_ms) - start ))
    sleep "$IDLE"
    read -r rss pss private < <(awk '/^Rss:/ {r+=$2} /^Pss:/ {p+=$2} /^Private_(Clean|Dirty):/ {u+=$2} END {printf "%.1f %.1f %.1f\n", r/1024, p/1024, u/1024}' /proc/$pid/smaps)
    kill -TERM $pid; wait $pid 2>/dev/null || true
    executor=loops; grep -q "cooperative pool" "$log" && executor=POOL
    printf '%-18s %10d %8s %8s %11s %9s\n' "$name" "$ready" "$rss" "$pss" "$private" "$executor"
done
