// Tables every service schema has: the transactional outbox and the inbox of consumed event ids.
// The outbox's NOTIFY on insert (kit.001) is dropped by kit.003: relays are woken in process
// (OutboxBell). Unqualified names resolve to the schema being migrated.

enum KitMigrations {
    static let all = [outbox, inbox, quietOutbox]

    static let outbox = Migration(
        id: "kit.001", name: "outbox",
        up: """
            CREATE TABLE outbox (
                seq bigserial PRIMARY KEY,
                id uuid NOT NULL UNIQUE,
                event_type text NOT NULL,
                body text NOT NULL,
                traceparent text,
                created_at timestamptz NOT NULL DEFAULT now(),
                sent_at timestamptz
            );
            CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL;
            \(notifyOnInsert)
            """,
        down: """
            DROP TABLE outbox;
            DROP FUNCTION outbox_notify();
            """)

    static let inbox = Migration(
        id: "kit.002", name: "inbox",
        up: """
            CREATE TABLE inbox (
                consumer text NOT NULL,
                event_id uuid NOT NULL,
                received_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (consumer, event_id)
            );
            """,
        down: "DROP TABLE inbox;")

    /// A NOTIFY at every commit serialized the commits of every notifying transaction of the
    /// cluster (PostgreSQL takes one lock for it) and woke every listening backend of the database.
    static let quietOutbox = Migration(
        id: "kit.003", name: "outbox_without_notify",
        up: """
            DROP TRIGGER outbox_notify ON outbox;
            DROP FUNCTION outbox_notify();
            """,
        down: notifyOnInsert)

    /// kit.001's NOTIFY on insert, which kit.003 drops and undoing kit.003 puts back.
    static let notifyOnInsert = """
        CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify(TG_TABLE_SCHEMA || '.outbox', '');
            RETURN NULL;
        END $$;
        CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
        """
}
