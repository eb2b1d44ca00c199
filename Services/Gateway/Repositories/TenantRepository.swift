// Tenants and their API keys in schema `gateway`.

import FoundationEssentials
import Shared

struct Tenant: Codable, Equatable, Sendable {
    enum Kind: String, Codable, Sendable { case distributor, `operator` }
    enum Status: String, Codable, Sendable { case active, suspended }

    /// A lower-case UUID.
    var id: String
    var name: String
    var kind: Kind
    var contactEmail: String?
    var status: Status
    var webhookURL: String?
    var hasWebhookSecret: Bool
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, kind, contactEmail = "contact_email", status, webhookURL = "webhook_url", hasWebhookSecret = "has_webhook_secret", createdAt = "created_at"
    }
}

struct APIKey: Codable, Equatable, Sendable {
    enum Status: String, Codable, Sendable { case active, revoked }

    var keyId: String
    var tenantId: String
    var role: Role
    var label: String?
    var status: Status
    var createdAt: Date
    var revokedAt: Date?

    enum CodingKeys: String, CodingKey {
        case keyId = "api_key", tenantId = "tenant_id", role, label, status, createdAt = "created_at", revokedAt = "revoked_at"
    }
}

/// What the token exchange needs about a key.
struct KeyCredential: Sendable {
    var key: APIKey
    var secretHash: String
    var tenantStatus: Tenant.Status
}

/// Key ids and tenants whose tokens no longer work.
struct Revocations: Sendable, Equatable {
    var keys: Set<String> = []
    var tenants: Set<String> = []
}

struct TenantRepository: Sendable {
    let pool: PostgresPool

    private static let tenantColumns = "id, name, kind, contact_email, status, webhook_url, webhook_secret IS NOT NULL AS has_secret, created_at"
    private static let keyColumns = "key_id, tenant_id, role, label, status, created_at, revoked_at"

    func create(_ tenant: Tenant, sealedWebhookSecret: String?) async throws -> Tenant {
        let rows = try await pool.query(
            """
            INSERT INTO gateway.tenants (id, name, kind, contact_email, webhook_url, webhook_secret)
            VALUES ($1, $2, $3, $4, $5, $6) RETURNING \(Self.tenantColumns)
            """,
            [tenant.id, tenant.name, tenant.kind.rawValue, tenant.contactEmail, tenant.webhookURL, sealedWebhookSecret])
        return try Self.tenant(rows.first!)
    }

    func tenants() async throws -> [Tenant] {
        try await pool.query("SELECT \(Self.tenantColumns) FROM gateway.tenants ORDER BY created_at").map(Self.tenant)
    }

    func tenant(_ id: String) async throws -> Tenant? {
        try await pool.query("SELECT \(Self.tenantColumns) FROM gateway.tenants WHERE id = $1", [id]).first.map(Self.tenant)
    }

    /// Changes only the fields given; a nil `webhookURL`/secret leaves them as they are.
    func update(_ id: String, name: String?, contactEmail: String?, status: Tenant.Status?, webhookURL: String?, sealedWebhookSecret: String?) async throws -> Tenant? {
        try await pool.query(
            """
            UPDATE gateway.tenants SET name = COALESCE($2, name), contact_email = COALESCE($3, contact_email),
                status = COALESCE($4, status), webhook_url = COALESCE($5, webhook_url),
                webhook_secret = COALESCE($6, webhook_secret), updated_at = now()
            WHERE id = $1 RETURNING \(Self.tenantColumns)
            """,
            [id, name, contactEmail, status?.rawValue, webhookURL, sealedWebhookSecret]
        ).first.map(Self.tenant)
    }

    func addKey(_ key: APIKey, secretHash: String) async throws -> APIKey {
        let rows = try await pool.query(
            "INSERT INTO gateway.api_keys (key_id, tenant_id, role, secret_hash, label) VALUES ($1, $2, $3, $4, $5) RETURNING \(Self.keyColumns)",
            [key.keyId, key.tenantId, key.role.rawValue, secretHash, key.label])
        return try Self.key(rows.first!)
    }

    /// Creates or re-secrets a key with a fixed id (the bootstrap operator account).
    func upsertKey(_ key: APIKey, secretHash: String) async throws {
        try await pool.execute(
            """
            INSERT INTO gateway.api_keys (key_id, tenant_id, role, secret_hash, label) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (key_id) DO UPDATE SET secret_hash = EXCLUDED.secret_hash, status = 'active', revoked_at = NULL
            """,
            [key.keyId, key.tenantId, key.role.rawValue, secretHash, key.label])
    }

    func keys(of tenant: String) async throws -> [APIKey] {
        try await pool.query("SELECT \(Self.keyColumns) FROM gateway.api_keys WHERE tenant_id = $1 ORDER BY created_at", [tenant]).map(Self.key)
    }

    func credential(_ keyId: String) async throws -> KeyCredential? {
        guard let row = try await pool.query(
            """
            SELECT k.key_id, k.tenant_id, k.role, k.label, k.status, k.created_at, k.revoked_at, k.secret_hash, t.status AS tenant_status
            FROM gateway.api_keys k JOIN gateway.tenants t ON t.id = k.tenant_id WHERE k.key_id = $1
            """,
            [keyId]
        ).first else { return nil }
        return KeyCredential(
            key: try Self.key(row), secretHash: try row.string("secret_hash"),
            tenantStatus: Tenant.Status(rawValue: try row.string("tenant_status")) ?? .suspended)
    }

    /// Revokes a key of `tenant`; nil when there is no such key.
    func revoke(_ keyId: String, of tenant: String) async throws -> APIKey? {
        try await pool.query(
            """
            UPDATE gateway.api_keys SET status = 'revoked', revoked_at = COALESCE(revoked_at, now())
            WHERE key_id = $1 AND tenant_id = $2 RETURNING \(Self.keyColumns)
            """,
            [keyId, tenant]
        ).first.map(Self.key)
    }

    func revocations() async throws -> Revocations {
        async let keys = pool.query("SELECT key_id FROM gateway.api_keys WHERE status = 'revoked'")
        async let tenants = pool.query("SELECT id FROM gateway.tenants WHERE status <> 'active'")
        return Revocations(
            keys: Set(try await keys.map { try $0.string("key_id") }),
            tenants: Set(try await tenants.map { try $0.string("id") }))
    }

    private static func tenant(_ row: PostgresRow) throws -> Tenant {
        Tenant(
            id: try row.string("id"), name: try row.string("name"), kind: Tenant.Kind(rawValue: try row.string("kind")) ?? .distributor,
            contactEmail: try row.optionalString("contact_email"), status: Tenant.Status(rawValue: try row.string("status")) ?? .suspended,
            webhookURL: try row.optionalString("webhook_url"), hasWebhookSecret: try row.bool("has_secret"), createdAt: try row.date("created_at"))
    }

    private static func key(_ row: PostgresRow) throws -> APIKey {
        APIKey(
            keyId: try row.string("key_id"), tenantId: try row.string("tenant_id"), role: Role(rawValue: try row.string("role")) ?? .distributor,
            label: try row.optionalString("label"), status: APIKey.Status(rawValue: try row.string("status")) ?? .revoked,
            createdAt: try row.date("created_at"), revokedAt: try row.optionalDate("revoked_at"))
    }
}
