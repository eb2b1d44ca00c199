// Schema `risk`: credit accounts (one per distributor tenant), the reservations orders hold on
// them, each order's credit operations with the answer first given (replays answer it again), and
// the append-only journal of every movement with the figures after it; risk assessments, the
// tenants' daily order figures they compare with, and the blacklist.

import Shared

enum RiskMigrations {
    static let all = [
        Migration(
            id: "001", name: "credit",
            up: """
                CREATE TABLE credit_accounts (
                    tenant_id TEXT PRIMARY KEY CHECK (length(tenant_id) BETWEEN 1 AND 100),
                    kind TEXT NOT NULL CHECK (kind IN ('prepaid', 'credit_line')),
                    currency CHAR(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
                    -- money held (prepaid), or paid in less spent (credit line: negative while in use)
                    balance NUMERIC(20, 4) NOT NULL DEFAULT 0,
                    credit_limit NUMERIC(20, 4) NOT NULL DEFAULT 0 CHECK (credit_limit >= 0),
                    reserved NUMERIC(20, 4) NOT NULL DEFAULT 0 CHECK (reserved >= 0),
                    frozen BOOLEAN NOT NULL DEFAULT false,
                    opened_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    -- available = balance + limit - reserved never below zero, whatever runs at once
                    CONSTRAINT credit_accounts_no_overdraft CHECK (balance + credit_limit - reserved >= 0)
                );
                CREATE TABLE credit_reservations (
                    order_id TEXT PRIMARY KEY CHECK (length(order_id) BETWEEN 1 AND 100),
                    tenant_id TEXT NOT NULL REFERENCES credit_accounts (tenant_id),
                    amount NUMERIC(20, 4) NOT NULL CHECK (amount > 0),
                    status TEXT NOT NULL CHECK (status IN ('reserved', 'captured', 'released', 'expired')),
                    captured NUMERIC(20, 4) NOT NULL DEFAULT 0 CHECK (captured >= 0 AND captured <= amount),
                    refunded NUMERIC(20, 4) NOT NULL DEFAULT 0 CHECK (refunded >= 0 AND refunded <= captured),
                    expires_at TIMESTAMPTZ NOT NULL,
                    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
                );
                CREATE INDEX credit_reservations_due ON credit_reservations (expires_at) WHERE status = 'reserved';
                CREATE TABLE credit_operations (
                    order_id TEXT NOT NULL,
                    operation TEXT NOT NULL CHECK (operation IN ('reserve', 'capture', 'release', 'refund')),
                    amount NUMERIC(20, 4),
                    answer JSONB NOT NULL,
                    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    PRIMARY KEY (order_id, operation)
                );
                CREATE TABLE credit_journal (
                    id BIGSERIAL PRIMARY KEY,
                    tenant_id TEXT NOT NULL REFERENCES credit_accounts (tenant_id),
                    entry TEXT NOT NULL CHECK (entry IN (
                        'opened', 'top_up', 'limit_changed', 'frozen', 'unfrozen', 'reserved', 'captured', 'released', 'expired', 'refunded')),
                    order_id TEXT,
                    balance_change NUMERIC(20, 4) NOT NULL DEFAULT 0,
                    reserved_change NUMERIC(20, 4) NOT NULL DEFAULT 0,
                    limit_change NUMERIC(20, 4) NOT NULL DEFAULT 0,
                    -- the account's figures after this movement
                    balance NUMERIC(20, 4) NOT NULL,
                    reserved NUMERIC(20, 4) NOT NULL,
                    credit_limit NUMERIC(20, 4) NOT NULL,
                    actor TEXT NOT NULL,
                    note TEXT,
                    at TIMESTAMPTZ NOT NULL DEFAULT now()
                );
                CREATE INDEX credit_journal_tenant ON credit_journal (tenant_id, id);
                CREATE FUNCTION credit_journal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'the credit journal is append-only';
                END $$;
                CREATE TRIGGER credit_journal_append_only BEFORE UPDATE OR DELETE ON credit_journal
                    FOR EACH ROW EXECUTE FUNCTION credit_journal_append_only();
                CREATE TRIGGER credit_journal_no_truncate BEFORE TRUNCATE ON credit_journal
                    FOR EACH STATEMENT EXECUTE FUNCTION credit_journal_append_only();
                """,
            down: """
                DROP TABLE credit_journal;
                DROP FUNCTION credit_journal_append_only();
                DROP TABLE credit_operations;
                DROP TABLE credit_reservations;
                DROP TABLE credit_accounts;
                """),
        Migration(
            id: "002", name: "assessments",
            up: """
                -- every assessment, one per order, with its reasons; those to review wait in the queue
                CREATE TABLE assessments (
                    order_id TEXT PRIMARY KEY CHECK (length(order_id) BETWEEN 1 AND 100),
                    tenant_id TEXT NOT NULL,
                    amount NUMERIC(20, 4) NOT NULL,
                    currency CHAR(3) NOT NULL,
                    -- in the platform's base currency, when a rate was known
                    amount_base NUMERIC(24, 4),
                    score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
                    decision TEXT NOT NULL CHECK (decision IN ('approve', 'review', 'reject')),
                    reasons JSONB NOT NULL,
                    request JSONB NOT NULL,
                    review TEXT CHECK (review IN ('pending', 'approved', 'rejected')),
                    reviewed_by TEXT,
                    reviewed_at TIMESTAMPTZ,
                    review_comment TEXT,
                    assessed_at TIMESTAMPTZ NOT NULL DEFAULT now()
                );
                CREATE INDEX assessments_tenant ON assessments (tenant_id, assessed_at);
                CREATE INDEX assessments_pending ON assessments (assessed_at) WHERE review = 'pending';
                -- per tenant and day: orders assessed and their amount in the base currency (the 30-day average)
                CREATE TABLE tenant_days (
                    tenant_id TEXT NOT NULL,
                    day DATE NOT NULL,
                    orders INTEGER NOT NULL,
                    amount_base NUMERIC(24, 4) NOT NULL,
                    PRIMARY KEY (tenant_id, day)
                );
                CREATE TABLE blacklist (
                    kind TEXT NOT NULL CHECK (kind IN ('name', 'email', 'ip', 'tenant')),
                    -- normalized: lower case, single spaces
                    value TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 320),
                    reason TEXT,
                    added_by TEXT NOT NULL,
                    added_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    PRIMARY KEY (kind, value)
                );
                """,
            down: """
                DROP TABLE blacklist;
                DROP TABLE tenant_days;
                DROP TABLE assessments;
                """),
    ]
}
