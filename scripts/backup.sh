#!/usr/bin/env bash
# Backs up the platform's data: PostgreSQL (every schema, pg_dump's custom format) and ClickHouse
# (each table's definition and its rows in ClickHouse's Native format), with a manifest of row counts
# and checksums that scripts/restore.sh verifies.
#   scripts/backup.sh [DIR]        (default: backups/) -> DIR/hotel-<UTC time>/
# Reads DATABASE_URL and CLICKHOUSE_URL (clickhouse://[user:password@]host:8123/database, or
# CLICKHOUSE_USER / CLICKHOUSE_PASSWORD), as the services do. The PostgreSQL role must bypass
# row-level security, or the tables that enforce it cannot be read whole: a superuser (compose's
# `hotel` is one), or a backup role made once by a superuser:
#   CREATE ROLE hotel_backup LOGIN PASSWORD '...' BYPASSRLS IN ROLE pg_read_all_data;
# For compose, from the host (both are published on 127.0.0.1):
#   DATABASE_URL=postgresql://hotel:...@127.0.0.1:5432/hotel_db \
#   CLICKHOUSE_URL=clickhouse://hotel:...@127.0.0.1:8123/hotel_analytics scripts/backup.sh
# Needs pg_dump of the server's major version or newer, curl and sha256sum. Keep backups off the host.
set -euo pipefail
source "$(dirname "$0")/lib/backup-common.sh"

: "${DATABASE_URL:?set DATABASE_URL}" "${CLICKHOUSE_URL:?set CLICKHOUSE_URL}"
clickhouse_endpoint "$CLICKHOUSE_URL"
target=${1:-backups}/hotel-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$target/clickhouse"
umask 077

say "PostgreSQL -> $target/postgres.dump"
pg_dump --format=custom --file="$target/postgres.dump" "$DATABASE_URL"
postgres_summary "$DATABASE_URL" >"$target/postgres.summary"

say "ClickHouse $CH_DATABASE -> $target/clickhouse/"
tables=$(clickhouse_tables "$CH_DATABASE")
for table in $tables; do
    ch_query "SHOW CREATE TABLE \`$CH_DATABASE\`.\`$table\` FORMAT TSVRaw" >"$target/clickhouse/$table.sql"
    ch_query "SELECT * FROM \`$CH_DATABASE\`.\`$table\` FORMAT Native" >"$target/clickhouse/$table.native"
done
clickhouse_summary "$CH_DATABASE" >"$target/clickhouse.summary"

( cd "$target" && find . -type f ! -name SHA256SUMS -print0 | sort -z | xargs -0 sha256sum >SHA256SUMS )
say "backup complete: $target ($(du -sh "$target" | cut -f1); $(wc -l <"$target/postgres.summary") PostgreSQL tables, $(wc -l <"$target/clickhouse.summary") ClickHouse tables)"
echo "$target"
