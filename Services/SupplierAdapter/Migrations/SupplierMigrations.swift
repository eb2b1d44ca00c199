// Schema `supplier`: the supplier registry. Credentials are stored sealed (AES-256-GCM under
// ENCRYPTION_SECRET, bound to the supplier code), never in clear.

import Shared

enum SupplierMigrations {
    static let all = [
        Migration(
            id: "001", name: "suppliers",
            up: """
                CREATE TABLE suppliers (
                    code TEXT PRIMARY KEY CHECK (code ~ '^[a-z0-9][a-z0-9_-]{1,39}$'),
                    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
                    protocol TEXT NOT NULL CHECK (protocol IN ('bedbank_json', 'ota_xml')),
                    base_url TEXT NOT NULL CHECK (base_url ~ '^https?://'),
                    enabled BOOLEAN NOT NULL DEFAULT true,
                    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'degraded', 'suspended')),
                    timeout_ms INTEGER NOT NULL CHECK (timeout_ms BETWEEN 100 AND 120000),
                    booking_timeout_ms INTEGER NOT NULL CHECK (booking_timeout_ms BETWEEN 100 AND 120000),
                    pool_size INTEGER NOT NULL CHECK (pool_size BETWEEN 1 AND 1000),
                    -- SecretBox-sealed JSON {"key": ..., "secret": ...}
                    credentials TEXT NOT NULL,
                    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    updated_by TEXT NOT NULL
                );
                """,
            down: "DROP TABLE suppliers;"),
    ]
}
