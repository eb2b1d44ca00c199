// The tables in ClickHouse (database `hotel_analytics`), created when bi starts or first writes.
// SQL kept to what the Debian ClickHouse (18.16) and the current one both run.
//
// `events` holds every event once it is merged: a ReplacingMergeTree whose sorting key ends with the
// event id, so a redelivered event (same type, day and id) collapses into one row when parts merge.
// Until then duplicates may sit in unmerged parts: every report reads `FINAL`, which merges them
// away at query time, so counts are exact at once (docs/bi.md). Beside the typed columns reports
// use, `data` keeps the whole event (its envelope) as JSON.

enum AnalyticsSchema {
    static let events = "events"

    static let columns = [
        "event_id", "type", "occurred_at", "day", "producer", "tenant_id", "order_id", "supplier", "hotel_id", "city", "check_in", "check_out",
        "currency", "price", "cost", "has_cost", "penalty", "operation", "outcome", "latency_ms", "hotels", "data",
    ]

    static let create = """
        CREATE TABLE IF NOT EXISTS events (
            event_id String,
            type String,
            occurred_at DateTime,
            day Date,
            producer String,
            tenant_id String,
            order_id String,
            supplier String,
            hotel_id Int64,
            city String,
            check_in Date,
            check_out Date,
            currency String,
            price Decimal64(4),
            cost Decimal64(4),
            has_cost UInt8,
            penalty Decimal64(4),
            operation String,
            outcome String,
            latency_ms Float64,
            hotels UInt32,
            data String
        ) ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(day) ORDER BY (type, day, event_id)
        """
}
