-- The statements risk sends for one reserve + capture pair of 1.00 (CreditRepository+Orders.swift),
-- each its own transaction, from pgbench: what PostgreSQL alone does for a pair on this machine
-- (the events written as already sent: the relay's publishing is not part of this baseline).
-- Variables: :prefix (tenants :prefix1 .. :prefixN), :accounts (N).
\set n random(1, :accounts)
\set id random(1, 1000000000000000)
WITH account AS (
    UPDATE risk.credit_accounts SET reserved = reserved + 1.00, updated_at = now()
    WHERE tenant_id = :prefix::text || :n AND currency = 'EUR' AND NOT frozen AND balance + credit_limit - reserved >= 1.00
    RETURNING tenant_id, balance, reserved, credit_limit
), reservation AS (
    INSERT INTO risk.credit_reservations (order_id, tenant_id, amount, status, expires_at)
    SELECT 'pgbench-' || :id::text, tenant_id, 1.00, 'reserved', now() + interval '30 minutes' FROM account RETURNING order_id
), journal AS (
    INSERT INTO risk.credit_journal (tenant_id, entry, order_id, reserved_change, balance, reserved, credit_limit, actor)
    SELECT tenant_id, 'reserved', 'pgbench-' || :id::text, 1.00, balance, reserved, credit_limit, 'pgbench' FROM account
), operation AS (
    INSERT INTO risk.credit_operations (order_id, operation, amount, answer)
    SELECT 'pgbench-' || :id::text, 'reserve', 1.00, '{"order_id":"pgbench","status":"reserved","amount":{"amount":"1.00","currency":"EUR"}}' FROM account
), outbox AS (
    INSERT INTO risk.outbox (id, event_type, body, traceparent, sent_at)
    SELECT gen_random_uuid(), 'credit.reserved', repeat('x', 600), NULL, now() WHERE EXISTS (SELECT 1 FROM account)
)
SELECT order_id FROM reservation;
SELECT r.order_id, r.tenant_id, r.amount, r.status, r.captured, r.refunded, r.expires_at, a.currency, o.amount AS asked, o.answer
FROM risk.credit_reservations r JOIN risk.credit_accounts a USING (tenant_id)
LEFT JOIN risk.credit_operations o ON o.order_id = r.order_id AND o.operation = 'capture'
WHERE r.order_id = 'pgbench-' || :id::text;
WITH reservation AS (
    UPDATE risk.credit_reservations SET status = 'captured', captured = 1.00, refunded = 0, updated_at = now()
    WHERE order_id = 'pgbench-' || :id::text AND status = 'reserved' AND captured = 0 AND refunded = 0
    RETURNING tenant_id
), account AS (
    UPDATE risk.credit_accounts a SET balance = a.balance - 1.00, reserved = a.reserved - 1.00, updated_at = now()
    FROM reservation r WHERE a.tenant_id = r.tenant_id
    RETURNING a.tenant_id, a.balance, a.reserved, a.credit_limit
), journal AS (
    INSERT INTO risk.credit_journal (tenant_id, entry, order_id, balance_change, reserved_change, balance, reserved, credit_limit, actor)
    SELECT tenant_id, 'captured', 'pgbench-' || :id::text, -1.00, -1.00, balance, reserved, credit_limit, 'pgbench' FROM account
), operation AS (
    INSERT INTO risk.credit_operations (order_id, operation, amount, answer)
    SELECT 'pgbench-' || :id::text, 'capture', NULL, '{"order_id":"pgbench","status":"captured"}' FROM account
), outbox AS (
    INSERT INTO risk.outbox (id, event_type, body, traceparent, sent_at)
    SELECT gen_random_uuid(), 'credit.captured', repeat('x', 600), NULL, now() WHERE EXISTS (SELECT 1 FROM account)
)
SELECT tenant_id FROM account;
