#!/usr/bin/env bash
# What one request costs the service behind the gateway, in CPU instructions (valgrind's callgrind,
# the same from run to run on a noisy machine): query-engine's /health called directly, and the
# same through a gateway, which adds the request id, the trace, the caller's identity and its
# signature, all checked by the service. The difference is what a request through the gateway
# costs the service beyond a direct one (an nginx in front adds nothing the service reads).
# A second query-engine, the release build, runs under callgrind on a spare port; a second gateway
# (not under callgrind) forwards to it. Each count is the difference between WARMUP and
# WARMUP + REQUESTS requests, over the whole process (its background timers are counted too:
# small next to 2,000 requests). Needs the dev stack (scripts/dev.sh up).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/dev-env.sh
source scripts/lib/infra.sh
source scripts/lib/services.sh
require_dev_stack
WARMUP=${WARMUP:-480} REQUESTS=${REQUESTS:-2000} SERVICE_PORT_UNDER_TEST=${SERVICE_PORT_UNDER_TEST:-18185} GATEWAY_PORT=${GATEWAY_PORT:-18091}
[ $((WARMUP % 8)) = 0 ] && [ $((REQUESTS % 8)) = 0 ] || die "WARMUP and REQUESTS must be multiples of 8"
GATEWAY=http://127.0.0.1:${SERVICE_PORT[gateway]}
BENCH_DIR=$RUN_DIR/bench/upstream-instructions
PACKAGES=(valgrind binutils hey python3)
install_packages
build_release --product query-engine >/dev/null
build_release --product gateway >/dev/null
BIN=$(build_release --show-bin-path)
mkdir -p "$BENCH_DIR"
# valgrind 3.19 cannot read the DWARF 5 the Swift toolchain writes: the symbol table is enough.
objcopy --strip-debug "$BIN/query-engine" "$BENCH_DIR/query-engine"
infrastructure_env
service_urls_env
source scripts/lib/bench-tenant.sh
PIDS=()
trap 'restore_limits; [ ${#PIDS[@]} = 0 ] || kill "${PIDS[@]}" 2>/dev/null || true' EXIT

# Instructions query-engine ran, in all, after `count` requests by way of `path` (direct | gateway).
count_instructions() {
    local path=$1 count=$2 out=$BENCH_DIR/callgrind.$1.$2 service gateway
    rm -f "$out"
    env "${SERVICE_PROCESS_ENV[@]}" PORT=$SERVICE_PORT_UNDER_TEST HOST=127.0.0.1 valgrind --tool=callgrind --callgrind-out-file="$out" \
        "$BENCH_DIR/query-engine" >"$BENCH_DIR/query-engine.log" 2>&1 &
    service=$!
    PIDS=("$service")
    wait_for "query-engine under callgrind" 300 curl -sf -o /dev/null "http://127.0.0.1:$SERVICE_PORT_UNDER_TEST/ready"
    if [ "$path" = gateway ]; then
        rm -f "$BENCH_DIR/gateway.log"
        env "${SERVICE_PROCESS_ENV[@]}" PORT=$GATEWAY_PORT HOST=127.0.0.1 QUERY_ENGINE_URL=http://127.0.0.1:$SERVICE_PORT_UNDER_TEST \
            "$BIN/gateway" >"$BENCH_DIR/gateway.log" 2>&1 &
        gateway=$!
        PIDS+=("$gateway")
        wait_for "the second gateway" 60 grep -q "operator account ready" "$BENCH_DIR/gateway.log"
        hey -n "$count" -c 8 -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$GATEWAY_PORT/api/v1/services/query-engine/health" >"$BENCH_DIR/hey.txt"
        kill "$gateway"
    else
        hey -n "$count" -c 8 "http://127.0.0.1:$SERVICE_PORT_UNDER_TEST/health" >"$BENCH_DIR/hey.txt"
    fi
    grep -qE "^\s+\[200\]\s+$count responses" "$BENCH_DIR/hey.txt" || { cat "$BENCH_DIR/hey.txt" >&2; die "not every answer was 200"; }
    kill -INT "$service"
    wait "$service" || true
    PIDS=()
    callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}'
}

say "counting query-engine's instructions: $WARMUP requests, then $((WARMUP + REQUESTS)), directly and through a gateway (a few minutes)"
direct=$(( $(count_instructions direct "$((WARMUP + REQUESTS))") - $(count_instructions direct "$WARMUP") ))
through=$(( $(count_instructions gateway "$((WARMUP + REQUESTS))") - $(count_instructions gateway "$WARMUP") ))
python3 -c "
d, g = $direct / $REQUESTS, $through / $REQUESTS
print(f'query-engine: {d:,.0f} instructions a request called directly, {g:,.0f} through the gateway (+{g - d:,.0f}, {100 * (g - d) / d:.0f}%)')"
