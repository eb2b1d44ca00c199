// The supplier registry in schema `supplier`. Credentials are sealed with SecretBox (AES-256-GCM,
// bound to the supplier code) on the way in and opened on the way out.

import FoundationEssentials
import Shared

/// The fields of a supplier a change sets; nil keeps the current value.
struct SupplierChange: Sendable {
    var name: String?
    var protocolKind: SupplierProtocolKind?
    var baseURL: String?
    var enabled: Bool?
    var status: SupplierStatus?
    var timeoutMs: Int?
    var bookingTimeoutMs: Int?
    var poolSize: Int?
    var credentials: SupplierCredentials?
}

struct SupplierRepository: Sendable {
    let pool: PostgresPool
    let secrets: SecretBox

    static let columns = "code, name, protocol, base_url, enabled, status, timeout_ms, booking_timeout_ms, pool_size, credentials, updated_at"
    static let credentialsContext = "supplier-credentials:"

    func all() async throws -> [SupplierConfig] {
        try await pool.query("SELECT \(Self.columns) FROM supplier.suppliers ORDER BY code").map(config)
    }

    func find(_ code: String) async throws -> SupplierConfig? {
        try await pool.query("SELECT \(Self.columns) FROM supplier.suppliers WHERE code = $1", [code]).first.map(config)
    }

    /// Creates a supplier; nil when the code is taken.
    func create(_ supplier: SupplierConfig, by who: String) async throws -> SupplierConfig? {
        let sealed = try seal(supplier.credentials, code: supplier.code)
        return try await pool.query(
            """
            INSERT INTO supplier.suppliers (code, name, protocol, base_url, enabled, status, timeout_ms, booking_timeout_ms, pool_size, credentials, updated_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            ON CONFLICT (code) DO NOTHING
            RETURNING \(Self.columns)
            """,
            [supplier.code, supplier.name, supplier.protocolKind.rawValue, supplier.baseURL, supplier.enabled, supplier.status.rawValue, supplier.timeoutMs,
             supplier.bookingTimeoutMs, supplier.poolSize, sealed, who]
        ).first.map(config)
    }

    /// Applies `change`; nil when there is no such supplier.
    func update(_ code: String, _ change: SupplierChange, by who: String) async throws -> SupplierConfig? {
        let sealed = try change.credentials.map { try seal($0, code: code) }
        return try await pool.query(
            """
            UPDATE supplier.suppliers SET name = COALESCE($2, name), protocol = COALESCE($3, protocol), base_url = COALESCE($4, base_url),
                enabled = COALESCE($5::boolean, enabled), status = COALESCE($6, status), timeout_ms = COALESCE($7::integer, timeout_ms),
                booking_timeout_ms = COALESCE($8::integer, booking_timeout_ms), pool_size = COALESCE($9::integer, pool_size),
                credentials = COALESCE($10, credentials), updated_by = $11, updated_at = now()
            WHERE code = $1
            RETURNING \(Self.columns)
            """,
            [code, change.name, change.protocolKind?.rawValue, change.baseURL, change.enabled, change.status?.rawValue, change.timeoutMs,
             change.bookingTimeoutMs, change.poolSize, sealed, who]
        ).first.map(config)
    }

    func seal(_ credentials: SupplierCredentials, code: String) throws -> String {
        try secrets.seal(String(decoding: try PlatformJSON.encoder.encode(credentials), as: UTF8.self), context: Self.credentialsContext + code)
    }

    private func config(_ row: PostgresRow) throws -> SupplierConfig {
        let code = try row.string("code")
        let opened = try secrets.open(try row.string("credentials"), context: Self.credentialsContext + code)
        return SupplierConfig(
            code: code, name: try row.string("name"), protocolKind: SupplierProtocolKind(rawValue: try row.string("protocol")) ?? .bedBankJSON,
            baseURL: try row.string("base_url"), enabled: try row.bool("enabled"), status: SupplierStatus(rawValue: try row.string("status")) ?? .active,
            timeoutMs: try row.int("timeout_ms"), bookingTimeoutMs: try row.int("booking_timeout_ms"), poolSize: try row.int("pool_size"),
            credentials: try PlatformJSON.decoder.decode(SupplierCredentials.self, from: Data(opened.utf8)), updatedAt: try row.optionalDate("updated_at"))
    }
}
