// The revocation list every request is checked against, kept in memory and reloaded when a key or
// tenant changes anywhere (NOTIFY gateway.credentials), whenever the listener (re)connects, and
// every 30 s as a fallback. A revoked key's tokens stop at once on the replica that revoked it
// and within a NOTIFY round trip on the others.

import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import Shared

final class RevocationList: Sendable {
    private let current = NIOLockedValueBox(Revocations())

    func isRevoked(keyId: String, tenantId: String) -> Bool {
        current.withLockedValue { list in
            list.keys.contains(keyId) || list.tenants.contains(tenantId)
        }
    }

    func replace(with revocations: Revocations) { current.withLockedValue { $0 = revocations } }
    func revoke(keyId: String) { current.withLockedValue { _ = $0.keys.insert(keyId) } }
    func suspend(tenant: String) { current.withLockedValue { _ = $0.tenants.insert(tenant) } }
}

struct CredentialWatcher: Service {
    let list: RevocationList
    let repository: TenantRepository
    let settings: PostgresSettings
    let logger: Logger

    func run() async throws {
        try await PostgresListener.reloading(settings: settings, channels: [GatewayMigrations.credentialsChannel], every: .seconds(30), logger: logger) {
            do {
                list.replace(with: try await repository.revocations())
            } catch {
                logger.warning("cannot reload the revocation list", metadata: ["error": .string("\(error)")])
            }
        }
    }
}
