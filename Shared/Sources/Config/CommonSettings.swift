// Settings every service reads: where it listens, how much it logs, how large a body it accepts.

import Logging

public struct CommonSettings: Sendable {
    public var host: String
    public var port: Int
    public var logLevel: Logger.Level
    public var maxBodyBytes: Int
    /// Verifies the identity the gateway passes on; without it the service trusts no identity.
    public var gatewayIdentity: GatewayIdentity?
    /// What `/health` reports: `APP_VERSION` (set by the image build), or the source's version.
    public var version = CommonSettings.sourceVersion

    /// The platform's version in this source tree.
    public static let sourceVersion = "0.4.0"

    public init(host: String = "0.0.0.0", port: Int = 8080, logLevel: Logger.Level = .info, maxBodyBytes: Int = 1 << 20) {
        self.host = host
        self.port = port
        self.logLevel = logLevel
        self.maxBodyBytes = maxBodyBytes
    }

    /// `PORT` (8080 as in the seed), `HOST` (0.0.0.0), `LOG_LEVEL` (info), `MAX_BODY_BYTES` (1 MiB),
    /// `GATEWAY_IDENTITY_SECRET` (optional, at least 32 bytes).
    public init(_ env: EnvironmentVariables) throws {
        self.host = env.string("HOST", default: "0.0.0.0")
        self.port = try env.int("PORT", default: 8080, range: 0...65535)
        self.logLevel = try Self.logLevel(env)
        self.maxBodyBytes = try env.int("MAX_BODY_BYTES", default: 1 << 20, range: 1...(64 << 20))
        version = env.string("APP_VERSION", default: Self.sourceVersion)
        if env.optional(Self.gatewayIdentityVariable) != nil {
            gatewayIdentity = GatewayIdentity(secret: try env.secret(Self.gatewayIdentityVariable, minimumBytes: 32))
        }
    }

    public static let gatewayIdentityVariable = "GATEWAY_IDENTITY_SECRET"

    static let levels: [String: Logger.Level] = [
        "trace": .trace, "debug": .debug, "info": .info, "notice": .notice,
        "warn": .warning, "warning": .warning, "error": .error, "critical": .critical,
    ]

    static func logLevel(_ env: EnvironmentVariables) throws -> Logger.Level {
        let raw = env.string("LOG_LEVEL", default: "info").lowercased()
        guard let level = levels[raw] else {
            throw ConfigurationError(
                variable: "LOG_LEVEL",
                problem: "must be one of trace, debug, info, warn, error, critical, got '\(raw)'"
            )
        }
        return level
    }
}
