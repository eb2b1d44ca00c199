# The backup test (scripts/test.sh runs it after the suites, on their servers and data): backs up the
# test databases with scripts/backup.sh, restores into scratch databases with scripts/restore.sh
# (which compares every table's rows and checksum with the backup's), and checks that a damaged
# backup and a non-empty target are refused. Needs infra.sh and infrastructure_env.

backup_test() {
    local dir=$RUN_DIR/backup-test bin scratch=hotel_restore_check
    bin=$(pg_bin)
    rm -rf "$dir"; mkdir -p "$dir"
    # Rows whose text is easy to get wrong, in both stores, beside whatever the suites left.
    psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 <<'SQL'
DROP TABLE IF EXISTS public.backup_check;
CREATE TABLE public.backup_check (id bigint PRIMARY KEY, name text, amount numeric(14,2), at timestamptz, tags text[]);
INSERT INTO public.backup_check VALUES (1, 'Hôtel "Élysée"; tab	here', 1234.50, '2026-12-06 10:00:00+00', '{a,b}'), (2, NULL, -0.01, NULL, '{}'), (3, E'line\nbreak \\ back', 0, now(), NULL);
SQL
    source_ch=$CLICKHOUSE_URL
    clickhouse_endpoint "$source_ch"
    ch_query "DROP TABLE IF EXISTS \`$CH_DATABASE\`.backup_check" >/dev/null
    ch_query "CREATE TABLE \`$CH_DATABASE\`.backup_check (id UInt64, name String, amount Decimal(14, 2), day Date) ENGINE = MergeTree ORDER BY id" >/dev/null
    ch_query "INSERT INTO \`$CH_DATABASE\`.backup_check VALUES (1, 'Hôtel \"Élysée\"', 1234.50, '2026-12-06'), (2, '', -0.01, '1970-01-02')" >/dev/null

    # The least-privileged backup role docs/deployment.md describes (the services' role cannot read
    # the tables under forced row-level security whole, and must not).
    as_pg "$bin/psql" -h "$RUN_DIR/postgres" -p "$PG_PORT" -U postgres -d postgres -X -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
SELECT 'CREATE ROLE hotel_backup LOGIN PASSWORD ''backup_pass'' BYPASSRLS IN ROLE pg_read_all_data'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hotel_backup') \gexec
SQL
    say "backup test: scripts/backup.sh"
    local made backup_url=postgresql://hotel_backup:backup_pass@127.0.0.1:$PG_PORT/hotel_db
    made=$(DATABASE_URL=$backup_url scripts/backup.sh "$dir") || die "backup test: scripts/backup.sh failed"

    # Scratch targets: a new database with the superuser's extensions, a new ClickHouse database.
    as_pg "$bin/psql" -h "$RUN_DIR/postgres" -p "$PG_PORT" -U postgres -d postgres -X -q -v ON_ERROR_STOP=1 \
        -c "DROP DATABASE IF EXISTS $scratch" -c "CREATE DATABASE $scratch OWNER hotel" >/dev/null
    as_pg "$bin/psql" -h "$RUN_DIR/postgres" -p "$PG_PORT" -U postgres -d "$scratch" -X -q -v ON_ERROR_STOP=1 <compose/postgres-init.sql >/dev/null
    ch_query "DROP DATABASE IF EXISTS $scratch" >/dev/null
    # Restored by the superuser (through the socket, as the DBA would).
    local target_pg="postgresql:///$scratch?host=$RUN_DIR/postgres&port=$PG_PORT&user=postgres" target_ch=${source_ch%/*}/$scratch

    say "backup test: scripts/restore.sh into $scratch"
    DATABASE_URL=$target_pg CLICKHOUSE_URL=$target_ch scripts/restore.sh "$made" || die "backup test: the restore failed or differs from the backup"
    local tables
    tables=$(wc -l <"$made/postgres.summary")
    [ "$tables" -ge 20 ] || die "backup test: only $tables PostgreSQL tables were backed up: the suites' schemas are missing"
    grep -q "^public.backup_check	3	" "$made/postgres.summary" || die "backup test: public.backup_check is not in the backup with its 3 rows"
    grep -q "^backup_check	2	" "$made/clickhouse.summary" || die "backup test: ClickHouse backup_check is not in the backup with its 2 rows"

    say "backup test: a second restore over the restored data is refused"
    if DATABASE_URL=$target_pg CLICKHOUSE_URL=$target_ch scripts/restore.sh "$made" 2>"$dir/refused.log"; then
        die "backup test: restoring over a non-empty database was not refused"
    fi
    grep -q "already holds" "$dir/refused.log" || die "backup test: unclear refusal: $(cat "$dir/refused.log")"

    say "backup test: a damaged backup is refused"
    printf 'x' >>"$made/postgres.dump"
    if DATABASE_URL=$target_pg CLICKHOUSE_URL=$target_ch scripts/restore.sh "$made" 2>"$dir/damaged.log"; then
        die "backup test: a damaged backup was restored"
    fi
    grep -q "damaged" "$dir/damaged.log" || die "backup test: unclear refusal: $(cat "$dir/damaged.log")"

    as_pg "$bin/psql" -h "$RUN_DIR/postgres" -p "$PG_PORT" -U postgres -d postgres -X -q -c "DROP DATABASE $scratch" >/dev/null
    ch_query "DROP DATABASE $scratch" >/dev/null
    ch_query "DROP TABLE \`$CH_DATABASE\`.backup_check" >/dev/null
    psql "$DATABASE_URL" -X -q -c "DROP TABLE public.backup_check"
    say "backup test: passed ($tables PostgreSQL tables and $(wc -l <"$made/clickhouse.summary") ClickHouse tables restored and verified)"
}
