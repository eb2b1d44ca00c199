// Redis for every service: a pool of hiredis connections on their own threads, the commands the
// platform uses, Lua scripts by EVALSHA, and a lock with a token released by compare-and-delete.

import FoundationEssentials
import Glibc
import Logging
import ServiceLifecycle

public final class RedisClient: Service, Sendable {
    public let settings: RedisSettings
    private let pool: BlockingPool<RedisConnection>
    /// A server down for longer than the reconnect window fails every command at once until it is back.
    let outage = OutageGate()

    public init(settings: RedisSettings) {
        self.settings = settings
        self.pool = BlockingPool(size: settings.poolSize, name: "redis") { RedisConnection(settings: settings) }
    }

    /// Any command; arguments are sent binary-safe.
    @discardableResult
    public func command(_ arguments: [String]) async throws -> RedisReply {
        try await command(bytes: arguments.map { Array($0.utf8) })
    }

    @discardableResult
    public func command(bytes arguments: [[UInt8]]) async throws -> RedisReply {
        let window = settings.reconnectWindow, outage = outage
        return try await pool.with { connection in
            try outage.connect(window: window, unavailable: RedisError.connection("Redis is unreachable (commands fail at once until it is back)")) {
                try connection.ensureConnected()
            }
            return try connection.command(arguments)
        }
    }

    public func get(_ key: String) async throws -> String? {
        try await command(["GET", key]).string
    }

    public enum Condition: Sendable { case always, ifAbsent, ifPresent }

    /// SET with an optional expiry (EX/PX chosen by precision); false when the condition stopped it.
    @discardableResult
    public func set(_ key: String, _ value: String, expiry: Duration? = nil, condition: Condition = .always) async throws -> Bool {
        var arguments = ["SET", key, value]
        if let expiry {
            let millis = Int(expiry.milliseconds)
            arguments += millis % 1000 == 0 ? ["EX", String(millis / 1000)] : ["PX", String(millis)]
        }
        switch condition {
        case .always: break
        case .ifAbsent: arguments.append("NX")
        case .ifPresent: arguments.append("XX")
        }
        return try await command(arguments) != .null
    }

    @discardableResult
    public func delete(_ keys: String...) async throws -> Int {
        try await command(["DEL"] + keys).integer ?? 0
    }

    public func increment(_ key: String) async throws -> Int {
        try await command(["INCR", key]).integer ?? 0
    }

    @discardableResult
    public func expire(_ key: String, after ttl: Duration) async throws -> Bool {
        try await command(["PEXPIRE", key, String(Int(ttl.milliseconds))]).integer == 1
    }

    /// Runs a script by its SHA-1, loading it with EVAL the first time the server has not seen it.
    public func eval(_ script: RedisScript, keys: [String] = [], arguments: [String] = []) async throws -> RedisReply {
        try await script.run(keys: keys, arguments: arguments) { try await command($0) }
    }

    // MARK: locks

    public struct Lock: Sendable, Equatable {
        public let key: String
        public let token: String
    }

    /// SET key token NX PX ttl: the lock, or nil when someone else holds it.
    public func acquireLock(_ name: String, ttl: Duration) async throws -> Lock? {
        let lock = Lock(key: "lock:" + name, token: Base64URL.encode(Digest.randomBytes(16)))
        return try await set(lock.key, lock.token, expiry: ttl, condition: .ifAbsent) ? lock : nil
    }

    /// Deletes the lock only if it is still ours (it may have expired and been taken by another).
    @discardableResult
    public func release(_ lock: Lock) async throws -> Bool {
        try await eval(.compareAndDelete, keys: [lock.key], arguments: [lock.token]).integer == 1
    }

    // MARK: Service

    public func run() async throws {
        try? await gracefulShutdown()
        try await shutdown()
    }

    public func shutdown() async throws {
        await pool.shutdown { $0.close() }
    }
}

/// A Lua script known by its SHA-1.
public struct RedisScript: Sendable {
    public let source: String
    public let sha1: String

    public init(_ source: String) {
        self.source = source
        self.sha1 = Digest.hex(Digest.sha1(Array(source.utf8)))
    }

    /// EVALSHA through `send`, and EVAL the first time the server has not seen the script.
    func run(keys: [String], arguments: [String], _ send: ([String]) async throws -> RedisReply) async throws -> RedisReply {
        let (byHash, whole) = commands(keys: keys, arguments: arguments)
        do {
            return try await send(byHash)
        } catch where Self.unknown(error) {
            return try await send(whole)
        }
    }

    /// EVALSHA's command, and EVAL's for a server that has not seen the script.
    func commands(keys: [String], arguments: [String]) -> (byHash: [String], whole: [String]) {
        let tail = [String(keys.count)] + keys + arguments
        return (["EVALSHA", sha1] + tail, ["EVAL", source] + tail)
    }

    /// The server's answer to EVALSHA of a script it has not seen.
    static func unknown(_ error: any Error) -> Bool {
        guard case RedisError.server(let message) = error else { return false }
        return message.hasPrefix("NOSCRIPT")
    }

    public static let compareAndDelete = RedisScript(
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end"
    )
}
