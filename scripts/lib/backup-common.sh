# What scripts/backup.sh and scripts/restore.sh share: ClickHouse over HTTP, and the summaries
# (per table: rows and a checksum independent of row order) that prove a restore whole.

source "$(dirname "${BASH_SOURCE[0]}")/say.sh"

# CLICKHOUSE_URL -> CH_HTTP (http://host:port), CH_DATABASE, CH_USER, CH_PASSWORD.
clickhouse_endpoint() {
    local rest=${1#clickhouse://} credentials=""
    [[ $rest == *@* ]] && { credentials=${rest%%@*}; rest=${rest#*@}; }
    CH_HTTP="http://${rest%%/*}"
    CH_DATABASE=${rest#*/}
    [ "$CH_DATABASE" != "$rest" ] && [ -n "$CH_DATABASE" ] || die "CLICKHOUSE_URL names no database: $1"
    CH_USER=${credentials%%:*}; CH_USER=${CH_USER:-${CLICKHOUSE_USER:-default}}
    CH_PASSWORD=""; [[ $credentials == *:* ]] && CH_PASSWORD=${credentials#*:}
    CH_PASSWORD=${CH_PASSWORD:-${CLICKHOUSE_PASSWORD:-}}
}

# ch_query SQL: the answer on stdout; a refusal fails with ClickHouse's own message.
ch_query() { ch_call --data-binary "$1" -- "$1"; }

# ch_insert SQL FILE: SQL ending in FORMAT ..., with FILE's rows.
ch_insert() { ch_call --url-query "query=$1" --data-binary "@$2" -- "$1"; }

ch_call() {
    local options=() answer status
    while [ "$1" != -- ]; do options+=("$1"); shift; done
    answer=$(mktemp)
    status=$(curl -sS -o "$answer" -w '%{http_code}' -u "$CH_USER:$CH_PASSWORD" "${options[@]}" "$CH_HTTP/") || status=000
    if [ "$status" != 200 ]; then
        echo "ClickHouse refused ($status): $2" >&2; head -c 1000 "$answer" >&2; rm -f "$answer"; exit 1
    fi
    cat "$answer"; rm -f "$answer"
}

clickhouse_tables() {
    ch_query "SELECT name FROM system.tables WHERE database = '$1' AND engine NOT LIKE '%View' ORDER BY name FORMAT TSVRaw"
}

# One line per table: name, rows, sum of the rows' hashes. (Callers write it to a file first: a
# failure inside $(...) or <(...) would go unnoticed.)
clickhouse_summary() {
    local table columns tables totals
    tables=$(clickhouse_tables "$1")
    for table in $tables; do
        # Each value as text: cityHash64 does not take every type (Decimal) on every server version.
        columns=$(ch_query "SELECT arrayStringConcat(groupArray(concat('toString(\`', name, '\`)')), ', ') FROM system.columns WHERE database = '$1' AND table = '$table' FORMAT TSVRaw")
        totals=$(ch_query "SELECT count(), sum(cityHash64($columns)) FROM \`$1\`.\`$table\` FORMAT TSVRaw")
        printf '%s\t%s\n' "$table" "$totals"
    done
}

# One line per table of every non-system schema: schema.table, rows, md5 of its rows' md5s in order.
postgres_summary() {
    psql "$1" -X -q -A -t -v ON_ERROR_STOP=1 <<'SQL'
SELECT format('SELECT %L || E''\t'' || count(*) || E''\t'' || md5(coalesce(string_agg(md5(t::text), '''' ORDER BY md5(t::text)), '''')) FROM %I.%I t',
              table_schema || '.' || table_name, table_schema, table_name)
FROM information_schema.tables
WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
ORDER BY table_schema, table_name \gexec
SQL
}
