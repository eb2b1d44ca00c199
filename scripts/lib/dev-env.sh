# Ports and data directory of the dev stack (scripts/dev.sh up), overridable; sourced by dev.sh and
# the benchmarks that run against it. (scripts/lib/test-env.sh is the test servers' counterpart.)
RUN_DIR=$PWD/.run
PG_PORT=${PG_PORT:-5432} REDIS_PORT=${REDIS_PORT:-6379} RABBIT_PORT=${RABBIT_PORT:-5672}
RABBIT_DIST_PORT=${RABBIT_DIST_PORT:-25672} RABBIT_NODE=hotel-dev@localhost CLICKHOUSE_PORT=${CLICKHOUSE_PORT:-8123}
BIN=${BIN:-$PWD/.build/release}
now_ms() { date +%s%3N; }
# The machine's CPU pressure over the last 10 s (avg10=...), printed beside a benchmark's figures.
pressure() { awk '/some/ {print $2}' /proc/pressure/cpu; }
# How fast this machine is today: the milliseconds one core takes for a fixed loop, best of three
# (the machine's speed varies from day to day by up to two times; figures of different days compare
# through it).
machine_speed() {
    python3 -c '
import time
best = None
for _ in range(3):
    t = time.perf_counter(); s = 0
    for i in range(3_000_000): s += i * i
    best = min(best or 1e9, time.perf_counter() - t)
print(f"a fixed loop took {best * 1000:.0f} ms on one core")'
}
# Waits until the work a benchmark step set off (renewals, sagas, events) is done: CPU pressure
# under 10 % over 10 s, or a minute gone.
quiet() {
    local i
    for i in $(seq 30); do
        awk '/some/ {split($2, a, "="); exit !(a[2] < 10)}' /proc/pressure/cpu && return 0
        sleep 2
    done
}

# For a benchmark against the running stack: its secrets exported, or a clear stop.
require_dev_stack() {
    [ -f "$RUN_DIR/secrets.env" ] || die "run scripts/dev.sh up first"
    set -a; source "$RUN_DIR/secrets.env"; set +a
}

# One service of the stack started (unless it runs), its output appended to .run/logs/NAME.log; needs
# the secrets, infrastructure_env and service_urls_env exported (dev.sh up, scripts/chaos.sh).
start_service() {
    local name=$1 pidfile=$RUN_DIR/pids/$1.pid
    alive "$pidfile" && return 0
    local extra=()
    # The simulator's channel manager pushes its hotels' updates to the gateway every minute.
    [ "$name" = supplier-sim ] && extra=(SIM_CHANNEL_URL="http://127.0.0.1:${SERVICE_PORT[gateway]}/api/v1/webhooks/channels/simcm")
    # Operators may set the simulator's fault plans through the API (the console's Suppliers page).
    [ "$name" = supplier-adapter ] && extra=(SUPPLIER_SIMULATOR_URL="http://127.0.0.1:${SERVICE_PORT[supplier-sim]}")
    env "${SERVICE_PROCESS_ENV[@]}" "${extra[@]}" PORT=${SERVICE_PORT[$name]} HOST=127.0.0.1 LOG_LEVEL=${LOG_LEVEL:-info} MIGRATE_ON_START=true \
        nohup "$BIN/$name" >>"$RUN_DIR/logs/$name.log" 2>&1 &
    echo $! > "$pidfile"
}

ready() { curl -sf -m 2 -o /dev/null "http://127.0.0.1:${SERVICE_PORT[$1]}/ready"; }

