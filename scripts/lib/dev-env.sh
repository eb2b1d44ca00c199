# Ports and data directory of the dev stack (scripts/dev.sh up), overridable; sourced by dev.sh and
# the benchmarks that run against it. (scripts/lib/test-env.sh is the test servers' counterpart.)
RUN_DIR=$PWD/.run
PG_PORT=${PG_PORT:-5432} REDIS_PORT=${REDIS_PORT:-6379} RABBIT_PORT=${RABBIT_PORT:-5672}
RABBIT_DIST_PORT=${RABBIT_DIST_PORT:-25672} RABBIT_NODE=hotel-dev@localhost CLICKHOUSE_PORT=${CLICKHOUSE_PORT:-8123}

# For a benchmark against the running stack: its secrets exported, or a clear stop.
require_dev_stack() {
    [ -f "$RUN_DIR/secrets.env" ] || die "run scripts/dev.sh up first"
    set -a; source "$RUN_DIR/secrets.env"; set +a
}
