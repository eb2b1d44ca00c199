// Schema `platform`: the config center and feature flags (seed 003's DDL), with a NOTIFY on every
// change so running services reload at once. The gateway owns and migrates it.

public enum PlatformMigrations {
    public static let schema = "platform"
    public static let channel = "platform.config"

    public static let all = [
        Migration(
            id: "001", name: "config_center",
            up: """
                CREATE TABLE platform_config (
                    id SERIAL PRIMARY KEY,
                    key VARCHAR(255) NOT NULL UNIQUE,
                    value JSONB NOT NULL,
                    env VARCHAR(20) NOT NULL DEFAULT 'production',
                    description TEXT,
                    updated_at TIMESTAMPTZ DEFAULT NOW(),
                    updated_by VARCHAR(100)
                );
                CREATE INDEX idx_config_env_key ON platform_config(env, key);
                CREATE TABLE feature_flags (
                    id SERIAL PRIMARY KEY,
                    name VARCHAR(100) NOT NULL UNIQUE,
                    enabled BOOLEAN NOT NULL DEFAULT false,
                    rollout_pct INTEGER NOT NULL DEFAULT 100 CHECK (rollout_pct BETWEEN 0 AND 100),
                    whitelist TEXT[],
                    description TEXT,
                    created_at TIMESTAMPTZ DEFAULT NOW()
                );
                CREATE FUNCTION config_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('platform.config', TG_TABLE_NAME);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER platform_config_changed AFTER INSERT OR UPDATE OR DELETE ON platform_config
                    FOR EACH STATEMENT EXECUTE FUNCTION config_changed();
                CREATE TRIGGER feature_flags_changed AFTER INSERT OR UPDATE OR DELETE ON feature_flags
                    FOR EACH STATEMENT EXECUTE FUNCTION config_changed();
                INSERT INTO platform_config (key, value, description) VALUES
                    ('matching.algorithm.weights',
                     '{"price_weight": 0.4, "rating_weight": 0.3, "availability_weight": 0.2, "supplier_reliability_weight": 0.1}',
                     'Supplier ranking weights for weighted_score');
                INSERT INTO feature_flags (name, enabled, rollout_pct, description) VALUES
                    ('supplier.realtime.sync', false, 100, 'Push supplier allotment changes in real time'),
                    ('risk.auto.reject', false, 100, 'Reject orders at or above the risk threshold instead of reviewing them'),
                    ('matching.ai.boost', false, 100, 'Extra weight from the AI matching score'),
                    ('settlement.auto.reconcile', false, 100, 'Reconcile supplier statements automatically'),
                    ('admin.v2', false, 100, 'Admin console v2');
                """,
            down: """
                DROP TABLE feature_flags;
                DROP TABLE platform_config;
                DROP FUNCTION config_changed();
                """),
        Migration(
            id: "002", name: "config_audit",
            up: """
                CREATE TABLE config_changes (
                    id BIGSERIAL PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('config', 'flag')),
                    name TEXT NOT NULL,
                    env VARCHAR(20),
                    old_value JSONB,
                    new_value JSONB NOT NULL,
                    changed_by TEXT NOT NULL,
                    changed_at TIMESTAMPTZ NOT NULL DEFAULT now()
                );
                CREATE INDEX config_changes_recent ON config_changes (changed_at DESC);
                """,
            down: "DROP TABLE config_changes;"),
    ]
}
