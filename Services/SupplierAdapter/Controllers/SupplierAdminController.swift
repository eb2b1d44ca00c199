// Operators manage the supplier registry through the gateway:
//   GET /api/v1/admin/suppliers, POST (register), GET|PATCH /api/v1/admin/suppliers/{code}.
// Secrets go in and never come out: answers show the key and whether a secret is set.

import FoundationEssentials
import Hummingbird
import Shared

struct SupplierAdminController: Sendable {
    let repository: SupplierRepository
    let lanes: SupplierLanes
    let defaultPoolSize: Int

    struct SupplierView: ResponseEncodable, Equatable {
        let code: String
        let name: String
        let `protocol`: String
        let baseURL: String
        let enabled: Bool
        let status: String
        let timeoutMs: Int
        let bookingTimeoutMs: Int
        let poolSize: Int
        let apiKey: String
        let hasSecret: Bool
        /// This replica's circuit breaker for the supplier: closed, half_open or open (each replica keeps its own).
        let breaker: String?
        let updatedAt: Date?

        enum CodingKeys: String, CodingKey {
            case code, name, `protocol`, baseURL = "base_url", enabled, status, timeoutMs = "timeout_ms", bookingTimeoutMs = "booking_timeout_ms"
            case poolSize = "pool_size", apiKey = "api_key", hasSecret = "has_secret", breaker, updatedAt = "updated_at"
        }

        init(_ config: SupplierConfig, breaker: String? = nil) {
            code = config.code
            name = config.name
            self.protocol = config.protocolKind.rawValue
            baseURL = config.baseURL
            enabled = config.enabled
            status = config.status.rawValue
            timeoutMs = config.timeoutMs
            bookingTimeoutMs = config.bookingTimeoutMs
            poolSize = config.poolSize
            apiKey = config.credentials.key
            hasSecret = !config.credentials.secret.isEmpty
            self.breaker = breaker
            updatedAt = config.updatedAt
        }
    }

    struct Credentials: Decodable {
        var key: String
        var secret: String
    }

    /// A registration (every field) or a change (any of them).
    struct SupplierInput: Decodable {
        var code: String?
        var name: String?
        var `protocol`: SupplierProtocolKind?
        var baseURL: String?
        var enabled: Bool?
        var status: SupplierStatus?
        var timeoutMs: Int?
        var bookingTimeoutMs: Int?
        var poolSize: Int?
        var credentials: Credentials?

        enum CodingKeys: String, CodingKey {
            case code, name, `protocol`, baseURL = "base_url", enabled, status, timeoutMs = "timeout_ms", bookingTimeoutMs = "booking_timeout_ms"
            case poolSize = "pool_size", credentials
        }
    }

    func add(to router: Router<PlatformRequestContext>) {
        let admin = router.group("api/v1/admin/suppliers")
        admin.get { _, context in
            _ = try context.requireOperator()
            return try await repository.all().map(view)
        }
        admin.post { request, context in
            let who = try context.requireOperator()
            let input = try await request.decode(as: SupplierInput.self, context: context)
            let supplier = try registration(input)
            guard let created = try await repository.create(supplier, by: who.tenantId) else {
                throw Problem(.conflict, code: "supplier_exists", detail: "A supplier with code '\(supplier.code)' is already registered; PATCH it instead.")
            }
            try await lanes.reload()
            return EditedResponse(status: .created, response: view(created))
        }
        admin.get(":code") { _, context in
            _ = try context.requireOperator()
            return view(try await existing(try context.parameters.require("code")))
        }
        admin.patch(":code") { request, context in
            let who = try context.requireOperator()
            let code = try context.parameters.require("code")
            let change = try self.change(try await request.decode(as: SupplierInput.self, context: context))
            guard let updated = try await repository.update(code, change, by: who.tenantId) else { throw notFound(code) }
            try await lanes.reload()
            return view(updated)
        }
    }

    /// The registration with this replica's breaker state (none for a supplier without a lane yet).
    func view(_ config: SupplierConfig) -> SupplierView {
        SupplierView(config, breaker: lanes.lane(config.code)?.breakerState)
    }

    func existing(_ code: String) async throws -> SupplierConfig {
        guard let supplier = try await repository.find(code) else { throw notFound(code) }
        return supplier
    }

    func notFound(_ code: String) -> Problem {
        Problem(.notFound, code: "unknown_supplier", detail: "No supplier '\(code)' is registered.")
    }

    func registration(_ input: SupplierInput) throws -> SupplierConfig {
        guard let code = input.code, SupplierConfig.isValidCode(code) else {
            throw Problem(.badRequest, code: "invalid_supplier", detail: "code is required: 2 to 40 of a-z, 0-9, '_' and '-'.")
        }
        guard let name = input.name, let kind = input.protocol, input.baseURL != nil, let credentials = input.credentials else {
            throw Problem(.badRequest, code: "invalid_supplier", detail: "name, protocol (bedbank_json or ota_xml), base_url and credentials {key, secret} are required.")
        }
        let change = try self.change(input)
        return SupplierConfig(
            code: code, name: name, protocolKind: kind, baseURL: change.baseURL!, enabled: input.enabled ?? true, status: input.status ?? .active,
            timeoutMs: input.timeoutMs ?? 10_000, bookingTimeoutMs: input.bookingTimeoutMs ?? 30_000, poolSize: input.poolSize ?? defaultPoolSize,
            credentials: SupplierCredentials(key: credentials.key, secret: credentials.secret), updatedAt: nil)
    }

    func change(_ input: SupplierInput) throws -> SupplierChange {
        func invalid(_ detail: String) -> Problem { Problem(.badRequest, code: "invalid_supplier", detail: detail) }
        try TextRule.name.check(input.name, field: "name", code: "invalid_supplier")
        var baseURL: String?
        if let text = try TextRule.url.check(input.baseURL, field: "base_url", code: "invalid_supplier") {
            guard let url = SupplierConfig.normalizedBaseURL(text) else { throw invalid("base_url must be an http(s) URL with a host and no query, like https://api.supplier.com.") }
            baseURL = url
        }
        for (field, value) in [("timeout_ms", input.timeoutMs), ("booking_timeout_ms", input.bookingTimeoutMs)] {
            if let value, !SupplierConfig.timeoutRange.contains(value) { throw invalid("\(field) must be \(SupplierConfig.timeoutRange.lowerBound) to \(SupplierConfig.timeoutRange.upperBound).") }
        }
        if let size = input.poolSize, !SupplierConfig.poolRange.contains(size) { throw invalid("pool_size must be 1 to 1000.") }
        try TextRule.secret.check(input.credentials?.key, field: "credentials.key", code: "invalid_supplier")
        try TextRule.secret.check(input.credentials?.secret, field: "credentials.secret", code: "invalid_supplier")
        return SupplierChange(
            name: input.name, protocolKind: input.protocol, baseURL: baseURL, enabled: input.enabled, status: input.status, timeoutMs: input.timeoutMs,
            bookingTimeoutMs: input.bookingTimeoutMs, poolSize: input.poolSize,
            credentials: input.credentials.map { SupplierCredentials(key: $0.key, secret: $0.secret) })
    }
}
