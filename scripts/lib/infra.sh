# Shared by scripts/dev.sh and scripts/test.sh: install the Debian packages the platform needs and run
# PostgreSQL, Redis, RabbitMQ and ClickHouse as plain processes on loopback, with data, logs and pid
# files under one directory. Callers set RUN_DIR and the *_PORT variables, then call these functions.

PACKAGES=(libpq-dev libhiredis-dev librabbitmq-dev libssl-dev openssl ca-certificates postgresql redis-server rabbitmq-server clickhouse-server curl python3)
PG_BIN=""

source "$(dirname "${BASH_SOURCE[0]}")/say.sh"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Installs only what is missing; policy-rc.d keeps the packages' own services from starting.
install_packages() {
    local missing=()
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

pg_bin() {
    [ -n "$PG_BIN" ] && { echo "$PG_BIN"; return; }
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [ -x "$PG_BIN/initdb" ] || die "PostgreSQL binaries not found under /usr/lib/postgresql"
    echo "$PG_BIN"
}

# PostgreSQL refuses to run as root: as root it runs as the 'postgres' user the package created.
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A process that exited but was not reaped (a daemon's parent here is an init that may not reap)
# still answers kill -0: count it as gone.
running() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
alive() { running "$(cat "$1" 2>/dev/null)"; }

wait_for() { # description seconds command...
    local what=$1 limit=$2; shift 2
    local deadline=$((SECONDS + limit))
    until "$@" >/dev/null 2>&1; do
        [ $SECONDS -ge $deadline ] && die "$what did not answer within ${limit}s (logs under $RUN_DIR)"
        sleep 0.3
    done
}

start_postgres() {
    local dir=$RUN_DIR/postgres bin; bin=$(pg_bin)
    mkdir -p "$dir" "$RUN_DIR/logs"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        mkdir -p "$dir/data"
        [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$dir"
        as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    [ "$(id -u)" = 0 ] && { touch "$RUN_DIR/logs/postgres.log"; chown postgres:postgres "$dir" "$RUN_DIR/logs/postgres.log"; }
    if ! as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        as_pg "$bin/pg_ctl" -D "$dir/data" -l "$RUN_DIR/logs/postgres.log" -w -t 60 \
            -o "-h 127.0.0.1 -p $PG_PORT -k $dir -c max_connections=300 -c fsync=${PG_FSYNC:-on}" start >/dev/null \
            || die "PostgreSQL did not start; see $RUN_DIR/logs/postgres.log"
    fi
    head -1 "$dir/data/postmaster.pid" > "$RUN_DIR/postgres.pid"
    wait_for PostgreSQL 30 as_pg "$bin/pg_isready" -h "$dir" -p "$PG_PORT"
    as_pg "$bin/psql" -h "$dir" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q >/dev/null <<SQL
SELECT 'CREATE ROLE hotel LOGIN PASSWORD ''hotel_pass'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hotel') \gexec
SELECT 'CREATE DATABASE hotel_db OWNER hotel'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'hotel_db') \gexec
SQL
    # Extensions only a superuser may create (earthdistance is not a trusted extension): matching's
    # geo search needs them; its migration then finds them present (compose/postgres-init.sql does the same).
    as_pg "$bin/psql" -h "$dir" -p "$PG_PORT" -U postgres -d hotel_db -v ON_ERROR_STOP=1 -q <"$PWD/compose/postgres-init.sql" >/dev/null
}

stop_postgres() {
    local dir=$RUN_DIR/postgres bin; bin=$(pg_bin)
    [ -f "$dir/data/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1
    rm -f "$RUN_DIR/postgres.pid"
}

start_redis() {
    local dir=$RUN_DIR/redis
    mkdir -p "$dir" "$RUN_DIR/logs"
    alive "$RUN_DIR/redis.pid" && return 0
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$dir" --daemonize yes \
        --pidfile "$RUN_DIR/redis.pid" --logfile "$RUN_DIR/logs/redis.log" --save "" --appendonly no >/dev/null
    wait_for Redis 20 redis-cli -p "$REDIS_PORT" ping
}

rabbit_env() {
    local dir=$RUN_DIR/rabbitmq
    export RABBITMQ_NODENAME=$RABBIT_NODE RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=$RABBIT_PORT \
        RABBITMQ_DIST_PORT=$RABBIT_DIST_PORT RABBITMQ_MNESIA_BASE=$dir/mnesia RABBITMQ_LOG_BASE=$dir/log \
        RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins RABBITMQ_CONFIG_FILE=$dir/rabbitmq \
        RABBITMQ_PID_FILE=$dir/beam.pid RABBITMQ_ADVANCED_CONFIG_FILE=$dir/advanced.config \
        ERL_CRASH_DUMP=$dir/erl_crash.dump
}

start_rabbitmq() {
    local dir=$RUN_DIR/rabbitmq
    mkdir -p "$dir/log" "$RUN_DIR/logs"
    alive "$RUN_DIR/rabbitmq.pid" && return 0
    echo "[]." > "$dir/enabled_plugins"
    printf 'loopback_users = none\nlog.console = false\n' > "$dir/rabbitmq.conf"
    ( rabbit_env; exec /usr/lib/rabbitmq/bin/rabbitmq-server >"$RUN_DIR/logs/rabbitmq.log" 2>&1 ) &
    echo $! > "$RUN_DIR/rabbitmq.pid"
    ( rabbit_env; wait_for RabbitMQ 90 /usr/lib/rabbitmq/bin/rabbitmqctl -n "$RABBIT_NODE" await_startup --timeout 5 ) || exit 1
}

# The pid `up` records is the rabbitmq-server wrapper's; the Erlang VM writes its own to beam.pid.
stop_rabbitmq() {
    local dir=$RUN_DIR/rabbitmq
    if [ -f "$dir/beam.pid" ] && running "$(cat "$dir/beam.pid")"; then
        ( rabbit_env; timeout 60 /usr/lib/rabbitmq/bin/rabbitmqctl -n "$RABBIT_NODE" stop "$dir/beam.pid" ) >/dev/null 2>&1 || true
        stop_pidfile "$dir/beam.pid"
    elif (exec 3<>"/dev/tcp/127.0.0.1/$RABBIT_PORT") 2>/dev/null; then
        # A node whose files are gone (an interrupted run): ask it to stop by name.
        ( rabbit_env; timeout 60 /usr/lib/rabbitmq/bin/rabbitmqctl -n "$RABBIT_NODE" stop ) >/dev/null 2>&1 || true
    fi
    stop_pidfile "$RUN_DIR/rabbitmq.pid"
}

start_clickhouse() {
    local dir=$RUN_DIR/clickhouse
    mkdir -p "$dir/data" "$dir/tmp" "$dir/user_files" "$dir/format_schemas" "$RUN_DIR/logs"
    alive "$RUN_DIR/clickhouse.pid" && return 0
    cat > "$dir/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <logger><level>warning</level><log>$RUN_DIR/logs/clickhouse.log</log><errorlog>$RUN_DIR/logs/clickhouse.err.log</errorlog><size>50M</size><count>2</count></logger>
    <listen_host>127.0.0.1</listen_host>
    <http_port>$CLICKHOUSE_PORT</http_port>
    <tcp_port>$((CLICKHOUSE_PORT + 1))</tcp_port>
    <interserver_http_port>$((CLICKHOUSE_PORT + 2))</interserver_http_port>
    <path>$dir/data/</path>
    <tmp_path>$dir/tmp/</tmp_path>
    <user_files_path>$dir/user_files/</user_files_path>
    <format_schema_path>$dir/format_schemas/</format_schema_path>
    <users_config>$dir/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <mark_cache_size>268435456</mark_cache_size>
    <uncompressed_cache_size>268435456</uncompressed_cache_size>
    <max_concurrent_queries>100</max_concurrent_queries>
</yandex>
XML
    cat > "$dir/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>
    <users>
        <default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default>
        <hotel><password>hotel_click</password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></hotel>
    </users>
    <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
XML
    ( cd "$dir" && exec clickhouse-server --config-file="$dir/config.xml" >"$RUN_DIR/logs/clickhouse.out" 2>&1 ) &
    echo $! > "$RUN_DIR/clickhouse.pid"
    wait_for ClickHouse 60 curl -sf "http://127.0.0.1:$CLICKHOUSE_PORT/ping"
    curl -sf "http://127.0.0.1:$CLICKHOUSE_PORT/" --data-binary "CREATE DATABASE IF NOT EXISTS hotel_analytics" >/dev/null
}

# Stops a process by its pid file and waits for it to go.
stop_pidfile() {
    local file=$1
    alive "$file" || { rm -f "$file"; return 0; }
    local pid; pid=$(cat "$file")
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 100); do running "$pid" || break; sleep 0.1; done
    running "$pid" && kill -KILL "$pid" 2>/dev/null
    rm -f "$file"
}

# The test ports lie in Linux's ephemeral range (32768-60999): keep outgoing connections off them, or
# on a busy machine a client socket (or one in TIME_WAIT) can hold a port when its server starts.
reserve_ports() {
    local file=/proc/sys/net/ipv4/ip_local_reserved_ports current
    [ -w "$file" ] || return 0
    current=$(cat "$file")
    echo "${current:+$current,}$PG_PORT,$REDIS_PORT,$RABBIT_PORT,$RABBIT_DIST_PORT,$CLICKHOUSE_PORT-$((CLICKHOUSE_PORT + 2))" > "$file" || true
}

start_infrastructure() {
    reserve_ports
    start_postgres
    start_redis
    start_rabbitmq
    start_clickhouse
}

stop_infrastructure() {
    stop_pidfile "$RUN_DIR/clickhouse.pid"
    stop_rabbitmq
    stop_pidfile "$RUN_DIR/redis.pid"
    stop_postgres
}

infrastructure_env() {
    export DATABASE_URL="postgresql://hotel:hotel_pass@127.0.0.1:$PG_PORT/hotel_db"
    export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
    export RABBITMQ_URL="amqp://guest:guest@127.0.0.1:$RABBIT_PORT"
    export CLICKHOUSE_URL="clickhouse://127.0.0.1:$CLICKHOUSE_PORT/hotel_analytics"
}
