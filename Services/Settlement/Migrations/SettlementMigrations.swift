// Schema `settlement`: the double-entry ledger. An entry is one event's effect in one currency; its
// postings debit and credit accounts (`receivable:<tenant>`, `payable:<supplier>`, `sales`,
// `cost_of_sales`, `penalty_income`). PostgreSQL itself refuses an entry whose debits and credits
// differ (a constraint trigger checked at commit) and any change to a posting once written.

import Shared

enum SettlementMigrations {
    static let all = [
        Migration(
            id: "001", name: "ledger",
            up: """
                CREATE TABLE ledger_entries (
                    id BIGSERIAL PRIMARY KEY,
                    event_id UUID NOT NULL,
                    event_type TEXT NOT NULL,
                    order_id TEXT NOT NULL,
                    tenant_id TEXT,
                    kind TEXT NOT NULL CHECK (kind IN ('sale', 'purchase', 'refund', 'penalty', 'purchase_reversal')),
                    currency CHAR(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
                    occurred_at TIMESTAMPTZ NOT NULL,
                    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    -- an event's effect is written once, whatever the redeliveries
                    UNIQUE (event_id, kind)
                );
                CREATE INDEX ledger_entries_by_order ON ledger_entries (order_id);
                CREATE TABLE ledger_postings (
                    entry_id BIGINT NOT NULL REFERENCES ledger_entries (id),
                    account TEXT NOT NULL CHECK (length(account) BETWEEN 1 AND 200),
                    debit NUMERIC(20, 4) NOT NULL DEFAULT 0 CHECK (debit >= 0),
                    credit NUMERIC(20, 4) NOT NULL DEFAULT 0 CHECK (credit >= 0),
                    CHECK ((debit = 0) <> (credit = 0))
                );
                CREATE INDEX ledger_postings_by_account ON ledger_postings (account);
                CREATE INDEX ledger_postings_by_entry ON ledger_postings (entry_id);

                CREATE FUNCTION ledger_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF (SELECT sum(debit) - sum(credit) FROM settlement.ledger_postings WHERE entry_id = NEW.entry_id) <> 0 THEN
                        RAISE EXCEPTION 'ledger entry % does not balance', NEW.entry_id USING ERRCODE = '23514';
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE CONSTRAINT TRIGGER ledger_postings_balanced AFTER INSERT ON ledger_postings
                    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_entry_balanced();
                CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'the ledger is append-only: post a reversing entry instead' USING ERRCODE = '23514';
                END $$;
                CREATE TRIGGER ledger_postings_append_only BEFORE UPDATE OR DELETE ON ledger_postings
                    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
                CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
                    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
                """,
            down: """
                DROP TABLE ledger_postings;
                DROP TABLE ledger_entries;
                DROP FUNCTION ledger_entry_balanced();
                DROP FUNCTION ledger_append_only();
                """),
    ]
}
