// The first operator account, from ADMIN_API_KEY / ADMIN_API_SECRET: created (or its secret reset)
// at start, so a fresh platform can be administered at all.

import FoundationEssentials
import Logging
import ServiceLifecycle
import Shared

struct BootstrapOperator: Service {
    static let tenantId = "00000000-0000-4000-8000-000000000001"

    let repository: TenantRepository
    let keyId: String
    let secret: String
    let logger: Logger

    func run() async throws {
        var pause = Duration.milliseconds(200)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await ensure()
                logger.info("operator account ready", metadata: ["api_key": .string(keyId)])
                break
            } catch {
                logger.warning("cannot create the operator account yet", metadata: ["error": .string("\(error)")])
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(5))
            }
        }
        try? await gracefulShutdown()
    }

    func ensure() async throws {
        if try await repository.tenant(Self.tenantId) == nil {
            let tenant = Tenant(
                id: Self.tenantId, name: "Platform operators", kind: .operator, contactEmail: nil, status: .active,
                webhookURL: nil, hasWebhookSecret: false, createdAt: Date())
            _ = try? await repository.create(tenant, sealedWebhookSecret: nil)
        }
        if let existing = try await repository.credential(keyId), existing.key.status == .active, PasswordHash.verify(secret, against: existing.secretHash) {
            return
        }
        let key = APIKey(keyId: keyId, tenantId: Self.tenantId, role: .admin, label: "bootstrap", status: .active, createdAt: Date(), revokedAt: nil)
        try await repository.upsertKey(key, secretHash: PasswordHash.make(secret))
    }
}
