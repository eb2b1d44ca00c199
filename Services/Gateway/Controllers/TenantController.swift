// Operators manage distributor tenants and their API keys. A key's secret is returned once, at
// issue, and stored only as a salted slow hash.

import FoundationEssentials
import Hummingbird
import NIOPosix
import Shared

struct TenantController {
    let repository: TenantRepository
    let revocations: RevocationList
    let secrets: SecretBox

    struct TenantInput: Decodable {
        var name: String?
        var contactEmail: String?
        var status: Tenant.Status?
        var webhookURL: String?
        var webhookSecret: String?
        enum CodingKeys: String, CodingKey {
            case name, contactEmail = "contact_email", status, webhookURL = "webhook_url", webhookSecret = "webhook_secret"
        }
    }

    struct TenantList: ResponseEncodable { var tenants: [Tenant] }
    struct KeyList: ResponseEncodable {
        var keys: [APIKey]
    }

    /// A new key with its secret, shown only in this response.
    struct IssuedKey: ResponseEncodable {
        var key: APIKey
        var apiSecret: String
        enum CodingKeys: String, CodingKey { case apiSecret = "api_secret" }
        func encode(to encoder: any Encoder) throws {
            try key.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(apiSecret, forKey: .apiSecret)
        }
    }

    struct KeyInput: Decodable { var label: String? }

    func add(to admin: RouterGroup<PlatformRequestContext>) {
        admin.post("/tenants") { request, context in
            let input = try await request.decode(as: TenantInput.self, context: context)
            return EditedResponse(status: .created, response: try await create(input))
        }
        admin.get("/tenants") { _, _ in TenantList(tenants: try await repository.tenants()) }
        admin.get("/tenants/{tenant}") { _, context in try await tenant(context) }
        admin.patch("/tenants/{tenant}") { request, context in
            try await update(try tenantId(context), try await request.decode(as: TenantInput.self, context: context))
        }
        admin.post("/tenants/{tenant}/keys") { request, context in
            let input = try await request.decode(as: KeyInput.self, context: context)
            let label = try TextRule.label.check(input.label, field: "label")
            return EditedResponse(status: .created, response: try await issueKey(for: try await tenant(context), label: label))
        }
        admin.get("/tenants/{tenant}/keys") { _, context in KeyList(keys: try await repository.keys(of: try await tenant(context).id)) }
        admin.delete("/tenants/{tenant}/keys/{key}") { _, context in try await revoke(context) }
        admin.post("/tenants/{tenant}/keys/{key}/rotate") { _, context in
            let old = try await revoke(context)
            return EditedResponse(status: .created, response: try await issueKey(for: try await tenant(context), label: old.label))
        }
    }

    func create(_ input: TenantInput) async throws -> Tenant {
        guard let name = input.name?.trimmed else { throw Problem(.badRequest, code: "invalid_tenant", detail: "name is required (1 to 200 characters).") }
        try TextRule.name.check(name, field: "name", code: "invalid_tenant")
        let tenant = Tenant(
            id: UUID().uuidString.lowercased(), name: name, kind: .distributor,
            contactEmail: try TextRule.email.check(input.contactEmail, field: "contact_email", code: "invalid_tenant"), status: .active,
            webhookURL: try Self.validated(webhookURL: input.webhookURL), hasWebhookSecret: false, createdAt: Date())
        return try await repository.create(tenant, sealedWebhookSecret: try sealed(input.webhookSecret))
    }

    func update(_ id: String, _ input: TenantInput) async throws -> Tenant {
        let name = try TextRule.name.check(input.name?.trimmed, field: "name", code: "invalid_tenant")
        let email = try TextRule.email.check(input.contactEmail, field: "contact_email", code: "invalid_tenant")
        guard let tenant = try await repository.update(
            id, name: name, contactEmail: email, status: input.status,
            webhookURL: try Self.validated(webhookURL: input.webhookURL), sealedWebhookSecret: try sealed(input.webhookSecret))
        else { throw Self.noTenant(id) }
        if tenant.status == .suspended { revocations.suspend(tenant: id) }
        return tenant
    }

    func issueKey(for tenant: Tenant, label: String?) async throws -> IssuedKey {
        let secret = "hs_" + Base64URL.encode(Digest.randomBytes(32))
        let hash = try await NIOThreadPool.singleton.runIfActive { PasswordHash.make(secret) }
        let key = APIKey(
            keyId: "hk_" + Digest.hex(Digest.randomBytes(12)), tenantId: tenant.id, role: tenant.kind == .operator ? .admin : .distributor,
            label: label, status: .active, createdAt: Date(), revokedAt: nil)
        return IssuedKey(key: try await repository.addKey(key, secretHash: hash), apiSecret: secret)
    }

    func revoke(_ context: PlatformRequestContext) async throws -> APIKey {
        let keyId = try TextRule.code.check(try context.parameters.require("key"), field: "key", code: "invalid_key_id")
        guard let key = try await repository.revoke(keyId, of: try tenantId(context)) else {
            throw Problem(.notFound, code: "key_not_found", detail: "This tenant has no API key \(keyId).")
        }
        revocations.revoke(keyId: keyId)
        return key
    }

    private func tenant(_ context: PlatformRequestContext) async throws -> Tenant {
        let id = try tenantId(context)
        guard let tenant = try await repository.tenant(id) else { throw Self.noTenant(id) }
        return tenant
    }

    private func tenantId(_ context: PlatformRequestContext) throws -> String {
        try context.uuid("tenant", code: "invalid_tenant_id", naming: "a tenant id")
    }

    private func sealed(_ secret: String?) throws -> String? {
        guard let secret else { return nil }
        try TextRule(length: 16...200).check(secret, field: "webhook_secret", code: "invalid_webhook_secret")
        return try secrets.seal(secret, context: "tenant-webhook")
    }

    static func validated(webhookURL: String?) throws -> String? {
        guard let webhookURL else { return nil }
        try TextRule.url.check(webhookURL, field: "webhook_url", code: "invalid_webhook_url")
        guard let url = URL(string: webhookURL), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            throw Problem(.badRequest, code: "invalid_webhook_url", detail: "webhook_url must be an absolute http(s) URL.")
        }
        return webhookURL
    }

    static func noTenant(_ id: String) -> Problem {
        Problem(.notFound, code: "tenant_not_found", detail: "There is no tenant \(id).")
    }
}

extension Tenant: ResponseEncodable {}
extension APIKey: ResponseEncodable {}
