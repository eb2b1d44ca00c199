// Schema `pricing`: exchange rates against the base currency (DEFAULT_CURRENCY), markup rules and
// tenant groups, and every change made to them, who made it and when.

import Shared

enum PricingMigrations {
    static let all = [
        Migration(
            id: "001", name: "exchange_rates",
            up: """
                CREATE TABLE exchange_rates (
                    base CHAR(3) NOT NULL CHECK (base ~ '^[A-Z]{3}$'),
                    currency CHAR(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$' AND currency <> base),
                    -- units of the base one unit of the currency buys
                    rate NUMERIC(24, 10) NOT NULL CHECK (rate > 0),
                    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    updated_by TEXT NOT NULL,
                    PRIMARY KEY (base, currency)
                );
                CREATE TABLE exchange_rate_changes (
                    id BIGSERIAL PRIMARY KEY,
                    base CHAR(3) NOT NULL,
                    currency CHAR(3) NOT NULL,
                    -- null: the rate was set for the first time / removed
                    old_rate NUMERIC(24, 10),
                    new_rate NUMERIC(24, 10),
                    changed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    changed_by TEXT NOT NULL
                );
                CREATE INDEX exchange_rate_changes_currency ON exchange_rate_changes (base, currency, changed_at DESC);
                """,
            down: "DROP TABLE exchange_rate_changes; DROP TABLE exchange_rates;"),
        Migration(
            id: "002", name: "markup_rules",
            up: """
                -- Rules are never deleted: disabled, they stay with their history.
                CREATE TABLE markup_rules (
                    id UUID PRIMARY KEY,
                    name TEXT NOT NULL,
                    -- MarkupRule.Scope and .Effect as JSON: pricing reads every rule into memory and
                    -- matches there; the service checks them before they are written.
                    scope JSONB NOT NULL CHECK (jsonb_typeof(scope) = 'object'),
                    effect JSONB NOT NULL CHECK (effect->>'type' IN ('percent', 'fixed')),
                    priority INTEGER NOT NULL DEFAULT 0,
                    enabled BOOLEAN NOT NULL DEFAULT true,
                    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    updated_by TEXT NOT NULL
                );
                CREATE TABLE markup_rule_changes (
                    id BIGSERIAL PRIMARY KEY,
                    rule_id UUID NOT NULL REFERENCES markup_rules (id),
                    action TEXT NOT NULL CHECK (action IN ('created', 'updated', 'disabled', 'enabled')),
                    before JSONB,
                    after JSONB NOT NULL,
                    changed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    changed_by TEXT NOT NULL
                );
                CREATE INDEX markup_rule_changes_rule ON markup_rule_changes (rule_id, changed_at DESC);
                -- Groups of tenants a rule can name (tier-1 agencies, a brand's OTAs).
                CREATE TABLE tenant_groups (
                    tenant_id TEXT NOT NULL,
                    group_name TEXT NOT NULL,
                    added_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    added_by TEXT NOT NULL,
                    PRIMARY KEY (tenant_id, group_name)
                );
                -- Every replica reloads what it prices with when any of it changes.
                CREATE FUNCTION notify_price_book() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('pricing.book', TG_TABLE_NAME);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER markup_rules_notify AFTER INSERT OR UPDATE OR DELETE ON markup_rules FOR EACH STATEMENT EXECUTE FUNCTION notify_price_book();
                CREATE TRIGGER tenant_groups_notify AFTER INSERT OR UPDATE OR DELETE ON tenant_groups FOR EACH STATEMENT EXECUTE FUNCTION notify_price_book();
                CREATE TRIGGER exchange_rates_notify AFTER INSERT OR UPDATE OR DELETE ON exchange_rates FOR EACH STATEMENT EXECUTE FUNCTION notify_price_book();
                """,
            down: """
                DROP TRIGGER exchange_rates_notify ON exchange_rates;
                DROP TABLE tenant_groups;
                DROP TABLE markup_rule_changes;
                DROP TABLE markup_rules;
                DROP FUNCTION notify_price_book();
                """),
    ]
}
