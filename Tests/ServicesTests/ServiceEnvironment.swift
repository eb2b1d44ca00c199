// The environment a service gets in the tests: the servers scripts/test.sh started, plus test secrets.

import Foundation
import Shared

enum ServiceEnvironment {
    static let secrets = [
        "JWT_SECRET": "test-jwt-secret-0123456789abcdef0123",
        "ENCRYPTION_SECRET": "test-encryption-secret-0123456789ab",
        "GATEWAY_IDENTITY_SECRET": "test-gateway-identity-secret-0123456789",
        "OFFER_TOKEN_SECRET": "test-offer-token-secret-0123456789abcdef",
    ]

    /// Every dependency URL comes from scripts/test.sh; a run without them fails loudly in /ready.
    static var all: [String: String] {
        let process = ProcessInfo.processInfo.environment
        var env = secrets
        for dependency in Dependency.allCases { env[dependency.variable] = process[dependency.variable] }
        return env
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func executable(_ product: String) -> URL {
        packageRoot.appendingPathComponent(".build/debug/\(product)")
    }
}
