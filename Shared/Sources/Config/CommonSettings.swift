// Settings every service reads: where it listens, how much it logs, how large a body it accepts.

import Logging

public struct CommonSettings: Sendable {
    public var host: String
    public var port: Int
    /// Where the public entry serves its operational routes in full (`/metrics`, versions).
    public var internalPort = 9080
    public var logLevel: Logger.Level
    public var maxBodyBytes: Int
    /// How long a client may take to send a request, and to start the next one.
    public var requestTimeouts = RequestTimeouts()
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

    /// `PORT` (8080 as in the seed), `INTERNAL_PORT` (9080, the public entry's operational port), `HOST` (0.0.0.0), `LOG_LEVEL` (info), `MAX_BODY_BYTES` (1 MiB),
    /// `GATEWAY_IDENTITY_SECRET` (optional, at least 32 bytes), `HTTP_HEADER_TIMEOUT_MS` (10000),
    /// `HTTP_BODY_TIMEOUT_MS` (30000), `HTTP_IDLE_TIMEOUT_MS` (60000).
    public init(_ env: EnvironmentVariables) throws {
        self.host = env.string("HOST", default: "0.0.0.0")
        self.port = try env.int("PORT", default: 8080, range: 0...65535)
        self.internalPort = try env.int("INTERNAL_PORT", default: 9080, range: 0...65535)
        self.logLevel = try Self.logLevel(env)
        self.maxBodyBytes = try env.int("MAX_BODY_BYTES", default: 1 << 20, range: 1...(64 << 20))
        version = env.string("APP_VERSION", default: Self.sourceVersion)
        requestTimeouts = RequestTimeouts(
            head: .milliseconds(try env.int("HTTP_HEADER_TIMEOUT_MS", default: 10_000, range: 100...600_000)),
            body: .milliseconds(try env.int("HTTP_BODY_TIMEOUT_MS", default: 30_000, range: 100...3_600_000)),
            idle: .milliseconds(try env.int("HTTP_IDLE_TIMEOUT_MS", default: 60_000, range: 100...3_600_000)))
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
