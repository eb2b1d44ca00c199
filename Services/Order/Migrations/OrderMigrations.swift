// Schema `orders`: the orders with their four statuses, the saga's step and lease, the offer's
// terms as booked; every change in the order history; the Idempotency-Keys distributors placed
// orders with (24 hours). Tenant tables are under row-level security: a session that names its
// tenant (`orders.tenant`, set per transaction for distributors' reads) sees only that tenant's rows.

import Shared

enum OrderMigrations {
    static let all = [
        Migration(
            id: "001", name: "orders",
            up: """
                CREATE TABLE orders (
                    id UUID PRIMARY KEY,
                    -- our reference at the supplier (client_reference): one booking per order, found by it
                    number TEXT NOT NULL UNIQUE CHECK (length(number) BETWEEN 1 AND 64),
                    tenant_id TEXT NOT NULL CHECK (length(tenant_id) BETWEEN 1 AND 100),
                    client_reference TEXT CHECK (length(client_reference) <= 64),
                    order_status TEXT NOT NULL CHECK (order_status IN ('INIT', 'CREATED', 'CONFIRMED', 'COMPLETED', 'CLOSED')),
                    payment_status TEXT NOT NULL CHECK (payment_status IN ('INIT', 'PENDING', 'PAID', 'REFUNDED', 'CLOSED')),
                    supplier_status TEXT NOT NULL CHECK (supplier_status IN ('NONE', 'REQUESTED', 'CONFIRMED', 'UNKNOWN', 'FAILED', 'CANCELLED')),
                    close_reason TEXT CHECK (close_reason IN ('CREATE_FAILED', 'CUSTOMER_CANCELLED', 'PAYMENT_TIMEOUT', 'OPS_CLOSED', 'EXPIRED',
                        'SUPPLIER_FAILED', 'RISK_REJECTED')),
                    step TEXT NOT NULL,
                    -- compare-and-swap: every change names the version it read
                    version INT NOT NULL DEFAULT 1,
                    hold BOOLEAN NOT NULL DEFAULT false,
                    hold_expires_at TIMESTAMPTZ,
                    offer_id TEXT NOT NULL,
                    terms JSONB NOT NULL,
                    supplier TEXT NOT NULL,
                    master_hotel_id BIGINT NOT NULL,
                    check_in DATE NOT NULL,
                    check_out DATE NOT NULL,
                    sell NUMERIC(20, 4) NOT NULL,
                    currency CHAR(3) NOT NULL,
                    -- the price of the offer the order was placed with: tolerance is measured from it
                    agreed NUMERIC(20, 4) NOT NULL,
                    net NUMERIC(20, 4) NOT NULL,
                    net_currency CHAR(3) NOT NULL,
                    -- the credit reserved (the most the distributor accepted to pay) and what the price costs of it,
                    -- in the tenant account's currency: `charge` is captured, the rest released
                    reserved NUMERIC(20, 4),
                    charge NUMERIC(20, 4),
                    charge_currency CHAR(3),
                    tolerance JSONB,
                    guests JSONB NOT NULL,
                    contact JSONB NOT NULL,
                    remark TEXT,
                    client_ip TEXT,
                    risk JSONB,
                    supplier_reference TEXT,
                    penalty NUMERIC(20, 4),
                    refunded NUMERIC(20, 4),
                    closing TEXT,
                    failure JSONB,
                    attempts INT NOT NULL DEFAULT 0,
                    -- the suppliers that refused to book it (order.fallback.enabled tries others)
                    refused_by TEXT[] NOT NULL DEFAULT '{}',
                    next_attempt_at TIMESTAMPTZ,
                    lease_until TIMESTAMPTZ,
                    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    confirmed_at TIMESTAMPTZ,
                    closed_at TIMESTAMPTZ,
                    CHECK (check_in < check_out)
                );
                CREATE INDEX orders_by_tenant ON orders (tenant_id, created_at DESC, id DESC);
                CREATE INDEX orders_by_reference ON orders (tenant_id, client_reference) WHERE client_reference IS NOT NULL;
                -- what the keeper looks at: sagas to run, holds to expire, stays to complete
                CREATE INDEX orders_running ON orders (next_attempt_at) WHERE step NOT IN ('done', 'await_confirmation');
                CREATE INDEX orders_on_hold ON orders (hold_expires_at) WHERE step = 'await_confirmation';
                CREATE INDEX orders_to_complete ON orders (check_out) WHERE order_status = 'CONFIRMED';

                CREATE TABLE order_history (
                    order_id UUID NOT NULL REFERENCES orders (id),
                    seq BIGSERIAL,
                    tenant_id TEXT NOT NULL,
                    at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    -- who or what: 'distributor:<tenant>', 'operator:<tenant>', 'saga', 'keeper'
                    actor TEXT NOT NULL,
                    event TEXT NOT NULL,
                    from_state TEXT,
                    to_state TEXT,
                    step TEXT,
                    detail JSONB,
                    PRIMARY KEY (order_id, seq)
                );

                CREATE TABLE idempotency_keys (
                    tenant_id TEXT NOT NULL,
                    key TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
                    fingerprint TEXT NOT NULL,
                    order_id UUID NOT NULL,
                    -- the first final answer, replayed as it was
                    status INT,
                    body TEXT,
                    -- while the first request is being answered
                    answering_until TIMESTAMPTZ,
                    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    PRIMARY KEY (tenant_id, key)
                );
                CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);

                ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
                ALTER TABLE orders FORCE ROW LEVEL SECURITY;
                CREATE POLICY tenant_isolation ON orders
                    USING (coalesce(current_setting('orders.tenant', true), '') = '' OR tenant_id = current_setting('orders.tenant', true));
                ALTER TABLE order_history ENABLE ROW LEVEL SECURITY;
                ALTER TABLE order_history FORCE ROW LEVEL SECURITY;
                CREATE POLICY tenant_isolation ON order_history
                    USING (coalesce(current_setting('orders.tenant', true), '') = '' OR tenant_id = current_setting('orders.tenant', true));
                ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
                ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;
                CREATE POLICY tenant_isolation ON idempotency_keys
                    USING (coalesce(current_setting('orders.tenant', true), '') = '' OR tenant_id = current_setting('orders.tenant', true));
                """,
            down: """
                DROP TABLE idempotency_keys;
                DROP TABLE order_history;
                DROP TABLE orders;
                """),
        Migration(
            id: "002", name: "supplier penalty",
            up: """
                -- what the supplier charged for a cancellation, as it answered (settlement reconciles it)
                ALTER TABLE orders ADD COLUMN supplier_penalty NUMERIC(20, 4), ADD COLUMN supplier_penalty_currency CHAR(3);
                """,
            down: "ALTER TABLE orders DROP COLUMN supplier_penalty, DROP COLUMN supplier_penalty_currency;"),
    ]
}
