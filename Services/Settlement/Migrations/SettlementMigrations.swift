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
        Migration(
            id: "002", name: "statements and reconciliations",
            up: """
                -- the bookings as the supplier should bill them (from payment.captured and order.cancelled)
                CREATE TABLE supplier_bookings (
                    order_id TEXT PRIMARY KEY,
                    supplier TEXT NOT NULL,
                    supplier_reference TEXT,
                    our_reference TEXT NOT NULL,
                    check_in DATE NOT NULL,
                    check_out DATE NOT NULL,
                    net NUMERIC(20, 4) NOT NULL,
                    currency CHAR(3) NOT NULL,
                    cancelled BOOLEAN NOT NULL DEFAULT false,
                    supplier_penalty NUMERIC(20, 4)
                );
                CREATE INDEX supplier_bookings_by_stay ON supplier_bookings (supplier, check_out);

                -- a cycle closes once; a second closer (another replica) waits on its row and finds it closed
                CREATE TABLE cycles (
                    cycle_end TIMESTAMPTZ PRIMARY KEY,
                    cycle_start TIMESTAMPTZ,
                    closed_by TEXT NOT NULL,
                    closed_at TIMESTAMPTZ NOT NULL DEFAULT now()
                );
                -- invoice numbers: taken in the transaction that issues the statement, so a rollback leaves no gap
                CREATE TABLE invoice_series (
                    series TEXT PRIMARY KEY,
                    last_number BIGINT NOT NULL CHECK (last_number >= 0)
                );
                CREATE TABLE statements (
                    id UUID PRIMARY KEY,
                    series TEXT NOT NULL REFERENCES invoice_series (series),
                    number BIGINT NOT NULL CHECK (number > 0),
                    invoice_number TEXT NOT NULL UNIQUE,
                    party_kind TEXT NOT NULL CHECK (party_kind IN ('distributor', 'supplier')),
                    party TEXT NOT NULL,
                    currency CHAR(3) NOT NULL,
                    cycle_end TIMESTAMPTZ NOT NULL REFERENCES cycles (cycle_end),
                    period_start TIMESTAMPTZ,
                    total NUMERIC(20, 4) NOT NULL,
                    line_count INT NOT NULL,
                    issued_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    UNIQUE (series, number),
                    UNIQUE (party_kind, party, currency, cycle_end)
                );
                CREATE INDEX statements_by_party ON statements (party_kind, party, issued_at DESC);
                -- a ledger posting on a party's account appears on one statement only
                CREATE TABLE statement_lines (
                    statement_id UUID NOT NULL REFERENCES statements (id),
                    entry_id BIGINT NOT NULL REFERENCES ledger_entries (id),
                    account TEXT NOT NULL,
                    order_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    occurred_at TIMESTAMPTZ NOT NULL,
                    amount NUMERIC(20, 4) NOT NULL,
                    UNIQUE (entry_id, account)
                );
                CREATE INDEX statement_lines_by_statement ON statement_lines (statement_id, occurred_at);

                CREATE TABLE reconciliations (
                    id UUID PRIMARY KEY,
                    supplier TEXT NOT NULL,
                    source TEXT NOT NULL CHECK (source IN ('upload', 'supplier')),
                    period_from DATE NOT NULL,
                    period_to DATE NOT NULL,
                    matched INT NOT NULL,
                    amount_mismatches INT NOT NULL,
                    missing_ours INT NOT NULL,
                    missing_theirs INT NOT NULL,
                    result JSONB NOT NULL,
                    created_by TEXT NOT NULL,
                    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
                );
                CREATE INDEX reconciliations_by_supplier ON reconciliations (supplier, created_at DESC);
                """,
            down: """
                DROP TABLE reconciliations;
                DROP TABLE statement_lines;
                DROP TABLE statements;
                DROP TABLE invoice_series;
                DROP TABLE cycles;
                DROP TABLE supplier_bookings;
                """),
    ]
}
