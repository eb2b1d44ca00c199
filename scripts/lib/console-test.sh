# The console test (scripts/test.sh runs it after the suites): the whole platform from the debug
# build, on the test servers but in databases of its own (PostgreSQL and ClickHouse `hotel_console`,
# Redis db 3: what the suites left, sealed with their secrets, stays out of it) and ports
# 28080-28090 (internal 29080: below Linux's ephemeral range, 32768-60999, where a client socket of
# the suites could hold the port: "Address already in use"), with demo data made through the API (an
# operator, two distributors with credit, the simulator's suppliers mapped, and one supplier hotel
# whose name carries markup put in the review queue), then scripts/lib/console_test.py drives
# Chromium through the console and scripts/lib/console_firefox.py checks it in Firefox ESR; last,
# scripts/lib/journey.py (scripts/dev.sh demo) walks a distributor and an operator through it, and
# scripts/lib/fuzz.sh fuzzes the API with Schemathesis.
# Screenshots of every page: .run/console/. Needs infra.sh,
# services.sh and infrastructure_env.

PACKAGES+=(chromium chromium-driver firefox-esr)

# A subshell: the ports, URLs and secrets it exports, and its trap, end with it.
console_test() (
    local dir=$RUN_DIR/console bin=$PWD/.build/debug name pids=()
    rm -rf "$dir"; mkdir -p "$dir/logs"
    for name in "${SERVICES[@]}"; do SERVICE_PORT[$name]=$((SERVICE_PORT[$name] + 20000)); done
    service_urls_env
    # Its own databases, made afresh.
    local database=hotel_console
    as_pg "$(pg_bin)/psql" -h "$RUN_DIR/postgres" -p "$PG_PORT" -U postgres -d postgres -X -q -v ON_ERROR_STOP=1 \
        -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $database" -c "CREATE DATABASE $database OWNER hotel" >/dev/null
    as_pg "$(pg_bin)/psql" -h "$RUN_DIR/postgres" -p "$PG_PORT" -U postgres -d "$database" -X -q -v ON_ERROR_STOP=1 <compose/postgres-init.sql >/dev/null
    curl -sf "http://127.0.0.1:$CLICKHOUSE_PORT/" --data-binary "DROP DATABASE IF EXISTS $database" >/dev/null
    curl -sf "http://127.0.0.1:$CLICKHOUSE_PORT/" --data-binary "CREATE DATABASE $database" >/dev/null
    redis-cli -p "$REDIS_PORT" -n 3 flushdb >/dev/null
    export DATABASE_URL=${DATABASE_URL%/*}/$database CLICKHOUSE_URL=${CLICKHOUSE_URL%/*}/$database REDIS_URL=${REDIS_URL%/*}/3
    export JWT_SECRET=$(openssl rand -hex 32) ENCRYPTION_SECRET=$(openssl rand -hex 32) GATEWAY_IDENTITY_SECRET=$(openssl rand -hex 32) \
        OFFER_TOKEN_SECRET=$(openssl rand -hex 32) ADMIN_API_KEY=hk_admin_console ADMIN_API_SECRET=$(openssl rand -hex 32)
    trap 'kill "${pids[@]}" 2>/dev/null; wait "${pids[@]}" 2>/dev/null' EXIT
    # The test checks every step through the API besides the page's own calls: far more than an
    # operator's 100 requests a minute.
    for name in "${SERVICES[@]}"; do
        env "${SERVICE_PROCESS_ENV[@]}" PORT="${SERVICE_PORT[$name]}" INTERNAL_PORT=29080 HOST=127.0.0.1 LOG_LEVEL=warn \
            MIGRATE_ON_START=true SIM_HOTELS_PER_CITY=6 CONFIG_ENV=console-test SUPPLIER_SIMULATOR_URL="$SUPPLIER_SIM_URL" \
            RATE_LIMIT_MAX=100000 "$bin/$name" >"$dir/logs/$name.log" 2>&1 &
        pids+=($!)
    done
    for name in "${SERVICES[@]}"; do
        wait_for "$name for the console test (see $dir/logs/$name.log)" 60 curl -sf -o /dev/null "http://127.0.0.1:${SERVICE_PORT[$name]}/ready"
    done
    { python3 scripts/lib/demo-credentials.py "$GATEWAY_URL" "$dir/credentials.json" \
        && python3 scripts/lib/demo-suppliers.py "$GATEWAY_URL" "$SUPPLIER_SIM_URL" \
        && python3 scripts/lib/demo-inventory.py "$GATEWAY_URL" "$SUPPLIER_SIM_URL"; } >"$dir/demo.log" 2>&1 \
        || die "console test: demo data failed: $(tail -5 "$dir/demo.log")"
    # Two records waiting for review beside a real master hotel, from a supplier of their own (so
    # approving one breaks no master's one-record-per-supplier rule): a plain one, and one whose
    # name is markup; queued long ago, so first in the queue.
    psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || die "console test: planting the review records failed"
DELETE FROM matching.supplier_hotels WHERE supplier = 'consoletest';
INSERT INTO matching.supplier_hotels (supplier, code, name, address, city, country_code, latitude, longitude, content_hash)
SELECT 'consoletest', planted.code, planted.name, h.address, h.city, h.country_code, h.latitude + 0.0004, h.longitude, 'x'
FROM (SELECT * FROM matching.master_hotels ORDER BY id LIMIT 1) h,
     (VALUES ('REVIEW-1', 'Hotel Console Sample'), ('XSS-1', '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">Hôtel "Le Piège"')) AS planted (code, name);
INSERT INTO matching.mappings (supplier, code, master_hotel_id, status, method, score, updated_at)
SELECT 'consoletest', code, (SELECT min(id) FROM matching.master_hotels), 'review', 'auto', 0.61, '2000-01-01' FROM (VALUES ('REVIEW-1'), ('XSS-1')) AS planted (code);
SQL
    .run/venv/bin/python scripts/lib/console_test.py "$GATEWAY_URL" "$dir/credentials.json" "$dir/screens" || die "console test failed (logs: $dir/logs)"
    .run/venv/bin/python scripts/lib/console_firefox.py "$GATEWAY_URL" "$dir/credentials.json" "$dir/screens" || die "console test in Firefox failed (logs: $dir/logs)"
    # The journey of scripts/dev.sh demo, end to end through the gateway, every step checked.
    python3 scripts/lib/journey.py "$GATEWAY_URL" "$dir/credentials.json" >"$dir/journey.log" 2>&1 \
        || die "the journey failed: $(tail -5 "$dir/journey.log") (logs: $dir/logs)"
    say "journey: $(tail -1 "$dir/journey.log")"
    # Last, as it leaves data behind: the public API fuzzed with both tokens (scripts/bench/fuzz.sh
    # runs longer).
    fuzz_api "$GATEWAY_URL" "$dir/credentials.json" "${FUZZ_EXAMPLES:-10}" "$dir"
)
