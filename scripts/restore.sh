#!/usr/bin/env bash
# Restores a scripts/backup.sh backup into the PostgreSQL database of DATABASE_URL and the ClickHouse
# database of CLICKHOUSE_URL, then proves it whole: every table's rows and checksum equal the backup's.
#   scripts/restore.sh BACKUP_DIR
# Both targets must be empty (a new database: restoring over live data is refused). PostgreSQL is
# restored by a superuser (DATABASE_URL names one): rows go in past row-level security, and every
# object gets its owner back (the services' role, which must exist). Create the database first, with
# the extensions of compose/postgres-init.sql:
#   createdb -O hotel hotel_restored && psql -d hotel_restored -f compose/postgres-init.sql
# The ClickHouse database is created if missing. Stop the services (or point them at the restored
# databases) before switching over; see docs/deployment.md.
set -euo pipefail
source "$(dirname "$0")/lib/backup-common.sh"

backup=${1:?usage: scripts/restore.sh BACKUP_DIR}
: "${DATABASE_URL:?set DATABASE_URL (the database to restore into)}" "${CLICKHOUSE_URL:?set CLICKHOUSE_URL (the database to restore into)}"
[ -f "$backup/postgres.dump" ] && [ -f "$backup/SHA256SUMS" ] || die "$backup is not a backup made by scripts/backup.sh"
( cd "$backup" && sha256sum --quiet -c SHA256SUMS ) || die "$backup is damaged: its files do not match SHA256SUMS"
clickhouse_endpoint "$CLICKHOUSE_URL"

tables=$(psql "$DATABASE_URL" -X -A -t -c "SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')")
[ "$tables" = 0 ] || die "the PostgreSQL target already holds $tables tables: restore into a new, empty database"
ch_query "CREATE DATABASE IF NOT EXISTS \`$CH_DATABASE\`" >/dev/null
present=$(clickhouse_tables "$CH_DATABASE")
[ -z "$present" ] || die "the ClickHouse database $CH_DATABASE already holds tables: restore into a new one"

say "PostgreSQL <- $backup/postgres.dump"
# Extensions are the superuser's (postgres-init.sql, run on the new database first): skipped here.
list=$(mktemp); trap 'rm -f "$list" "$list".*' EXIT
pg_restore --list "$backup/postgres.dump" | grep -v ' EXTENSION ' >"$list"
pg_restore --exit-on-error --use-list="$list" --dbname="$DATABASE_URL" "$backup/postgres.dump"

say "ClickHouse $CH_DATABASE <- $backup/clickhouse/"
for definition in "$backup"/clickhouse/*.sql; do
    [ -e "$definition" ] || continue
    table=$(basename "$definition" .sql)
    # The definition names the database it was taken from: the table is created in the target instead.
    ch_query "$(sed -E "1s/^(CREATE TABLE )[^ ]+\.(\`?$table\`?)/\1\`$CH_DATABASE\`.\2/" "$definition")" >/dev/null
    ch_insert "INSERT INTO \`$CH_DATABASE\`.\`$table\` FORMAT Native" "${definition%.sql}.native" >/dev/null
done

say "verifying"
postgres_summary "$DATABASE_URL" >"$list.postgres"
clickhouse_summary "$CH_DATABASE" >"$list.clickhouse"
diff "$list.postgres" "$backup/postgres.summary" >&2 || die "PostgreSQL differs from the backup (above: < restored, > backup)"
diff "$list.clickhouse" "$backup/clickhouse.summary" >&2 || die "ClickHouse differs from the backup (above: < restored, > backup)"
say "restored and verified: $(wc -l <"$backup/postgres.summary") PostgreSQL tables, $(wc -l <"$backup/clickhouse.summary") ClickHouse tables, every row"
