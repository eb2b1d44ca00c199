// How to reach Redis.

import FoundationEssentials
import Glibc

public struct RedisSettings: Sendable {
    public var host: String
    public var port: Int
    public var password: String?
    public var database: Int
    public var poolSize: Int
    /// Per-command limit on waiting for the server.
    public var commandTimeout: Duration
    /// How long the first commands wait for an unreachable server to come back (a restart) before
    /// failing; after that, commands fail at once until it is back.
    public var reconnectWindow: Duration

    public init(url: URL, poolSize: Int = 10, commandTimeout: Duration = .seconds(2), reconnectWindow: Duration = .seconds(2)) {
        host = url.host ?? "127.0.0.1"
        port = url.port ?? 6379
        password = url.password(percentEncoded: false)
        database = Int(url.path.drop { $0 == "/" }) ?? 0
        self.poolSize = poolSize
        self.commandTimeout = commandTimeout
        self.reconnectWindow = reconnectWindow
    }

    /// `REDIS_URL` and `REDIS_POOL_SIZE` (10).
    public init(_ env: EnvironmentVariables) throws {
        self.init(url: try Dependency.redis.url(in: env), poolSize: try env.int("REDIS_POOL_SIZE", default: 10, range: 1...200))
    }
}
