// Schema `gateway`: tenants, their API keys (secrets only as salted slow hashes), supplier webhook
// secrets, inbound webhook ids (replay protection) and outbound deliveries.

import Shared

enum GatewayMigrations {
    /// NOTIFY channel: a key or tenant changed, so every replica reloads its revocation list.
    static let credentialsChannel = "gateway.credentials"
    /// Announces webhook deliveries that are due now.
    static let webhooksChannel = "gateway.webhooks"

    static let all = [
        Migration(
            id: "001", name: "tenants_and_keys",
            up: """
                CREATE TABLE tenants (
                    id UUID PRIMARY KEY,
                    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
                    kind TEXT NOT NULL CHECK (kind IN ('distributor', 'operator')),
                    contact_email TEXT,
                    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
                    webhook_url TEXT,
                    -- sealed (AES-256-GCM) under ENCRYPTION_SECRET
                    webhook_secret TEXT,
                    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
                );
                CREATE TABLE api_keys (
                    key_id TEXT PRIMARY KEY,
                    tenant_id UUID NOT NULL REFERENCES tenants (id),
                    role TEXT NOT NULL CHECK (role IN ('distributor', 'admin')),
                    secret_hash TEXT NOT NULL,
                    label TEXT,
                    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
                    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    revoked_at TIMESTAMPTZ
                );
                CREATE INDEX api_keys_tenant ON api_keys (tenant_id);
                CREATE FUNCTION credentials_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('gateway.credentials', TG_TABLE_NAME);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER api_keys_changed AFTER UPDATE OR DELETE ON api_keys
                    FOR EACH STATEMENT EXECUTE FUNCTION credentials_changed();
                CREATE TRIGGER tenants_changed AFTER UPDATE OR DELETE ON tenants
                    FOR EACH STATEMENT EXECUTE FUNCTION credentials_changed();
                """,
            down: """
                DROP TABLE api_keys;
                DROP TABLE tenants;
                DROP FUNCTION credentials_changed();
                """),
        Migration(
            id: "002", name: "webhooks",
            up: """
                CREATE TABLE supplier_webhook_secrets (
                    supplier_code TEXT PRIMARY KEY,
                    secret TEXT NOT NULL,
                    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
                );
                CREATE TABLE inbound_webhooks (
                    supplier_code TEXT NOT NULL,
                    webhook_id TEXT NOT NULL,
                    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    PRIMARY KEY (supplier_code, webhook_id)
                );
                CREATE TABLE webhook_deliveries (
                    id UUID PRIMARY KEY,
                    tenant_id UUID NOT NULL REFERENCES tenants (id),
                    event_id UUID NOT NULL,
                    event_type TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    url TEXT NOT NULL,
                    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
                    attempts INT NOT NULL DEFAULT 0,
                    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    last_status INT,
                    last_error TEXT,
                    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    delivered_at TIMESTAMPTZ,
                    UNIQUE (tenant_id, event_id)
                );
                CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
                CREATE INDEX webhook_deliveries_tenant ON webhook_deliveries (tenant_id, created_at DESC);
                """,
            down: """
                DROP TABLE webhook_deliveries;
                DROP TABLE inbound_webhooks;
                DROP TABLE supplier_webhook_secrets;
                """),
        Migration(
            id: "003", name: "webhook_retry_window",
            up: """
                -- Retries run for a window from the first attempt; an operator's replay starts a new one.
                ALTER TABLE webhook_deliveries ADD COLUMN window_started_at TIMESTAMPTZ NOT NULL DEFAULT now();
                CREATE INDEX inbound_webhooks_received ON inbound_webhooks (received_at);
                """,
            down: """
                DROP INDEX inbound_webhooks_received;
                ALTER TABLE webhook_deliveries DROP COLUMN window_started_at;
                """),
    ]
}
