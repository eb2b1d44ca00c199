// The environment a service gets in the tests: the servers scripts/test.sh started, plus test secrets.

import Foundation
import Shared

enum ServiceEnvironment {
    static let secrets = [
        "JWT_SECRET": "test-jwt-secret-0123456789abcdef0123",
        "ENCRYPTION_SECRET": "test-encryption-secret-0123456789ab",
        "GATEWAY_IDENTITY_SECRET": "test-gateway-identity-secret-0123456789",
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

/// A TCP port nothing listens on now: the kernel picks it for a socket bound to port 0.
func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}
