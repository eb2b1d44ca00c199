#!/usr/bin/env bash
# What one proxied request costs the gateway in CPU instructions, counted by valgrind (callgrind):
# unlike time on a shared VM, the count is the same from run to run, so it shows what a change to
# the hot path saves. A second gateway, the release build, runs under callgrind on a spare port
# against the dev stack (scripts/dev.sh up); hey sends WARMUP requests and then, in a second run,
# WARMUP + REQUESTS; the difference divided by REQUESTS is the cost of a request. Counted: what the
# event loops run when a socket is ready (a request, Redis's and the upstream's answers, all the way
# to the response written) and the rate limiter's Redis batches; not counted: background jobs on
# their timers (the webhook dispatcher polls PostgreSQL every second), which under valgrind's
# slowness would pass for request costs. User-space instructions only: the kernel's share is not.
# The same authenticated GET as scripts/bench/gateway.sh (query-engine's /health through the fast lane).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/dev-env.sh
source scripts/lib/infra.sh
source scripts/lib/services.sh
require_dev_stack
WARMUP=${WARMUP:-480} REQUESTS=${REQUESTS:-2000} PORT=${PORT:-18090}
# hey shares the requests among its 8 workers evenly: counts must divide by 8.
[ $((WARMUP % 8)) = 0 ] && [ $((REQUESTS % 8)) = 0 ] || die "WARMUP and REQUESTS must be multiples of 8"
GATEWAY=http://127.0.0.1:${SERVICE_PORT[gateway]}
BENCH_DIR=$RUN_DIR/bench/gateway-instructions
PACKAGES=(valgrind binutils hey python3)
install_packages
build_release --product gateway >/dev/null
mkdir -p "$BENCH_DIR"
# valgrind 3.19 cannot read the DWARF 5 the Swift toolchain writes: the symbol table is enough.
objcopy --strip-debug "$(build_release --show-bin-path)/gateway" "$BENCH_DIR/gateway"
infrastructure_env
service_urls_env
source scripts/lib/bench-tenant.sh
GATEWAY_PID=
trap 'restore_limits; [ -n "$GATEWAY_PID" ] && kill "$GATEWAY_PID" 2>/dev/null || true' EXIT

# Instructions the gateway ran, in all, while serving `count` requests after it started.
count_instructions() {
    local count=$1 out=$BENCH_DIR/callgrind.$1 log=$BENCH_DIR/gateway.$1.log pid
    rm -f "$out" "$log"  # (an old log's "ready" must not be taken for this run's)
    env "${SERVICE_PROCESS_ENV[@]}" PORT=$PORT HOST=127.0.0.1 valgrind --tool=callgrind --callgrind-out-file="$out" \
        --collect-atstart=no --toggle-collect='*SelectableEventLoopC06handleC0_7channel*' --toggle-collect='*RedisAdmissionsC4send*' \
        "$BENCH_DIR/gateway" >"$log" 2>&1 &
    pid=$!
    GATEWAY_PID=$pid
    # Ready, and done with its start-up work (the operator account's slow hash).
    wait_for "the gateway under callgrind" 300 grep -q "operator account ready" "$log"
    hey -n "$count" -c 8 -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/services/query-engine/health" >"$BENCH_DIR/hey.$1.txt"
    grep -qE "^\s+\[200\]\s+$count responses" "$BENCH_DIR/hey.$1.txt" || { cat "$BENCH_DIR/hey.$1.txt" >&2; die "not every answer was 200"; }
    kill -INT "$pid"
    wait "$pid" || true
    callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}'
}

say "counting: $WARMUP requests, then $((WARMUP + REQUESTS)) (each run starts a gateway under callgrind: a few minutes)"
base=$(count_instructions "$WARMUP")
more=$(count_instructions "$((WARMUP + REQUESTS))")
python3 -c "print(f'gateway: {($more - $base) / $REQUESTS:,.0f} instructions per proxied request (user space; {$REQUESTS} requests)')"
