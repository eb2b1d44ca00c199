// The clients of the infrastructure a service declared, made once at start and shared by its
// routes and jobs; readiness asks them (the real pool, not a side connection).

import FoundationEssentials
import Glibc
import Logging
import ServiceLifecycle

public struct ServiceClients: Sendable {
    public let postgres: PostgresPool?
    public let redis: RedisClient?
    public let publisher: EventPublisher?
    public let amqp: AMQPSettings?
    public let config: ConfigClient?
    public let clickhouse: ClickHouseEndpoint?

    init(_ definition: ServiceDefinition, environment: EnvironmentVariables, logger: Logger) throws {
        let declared = Set(definition.dependencies)
        postgres = declared.contains(.postgres)
            ? PostgresPool(settings: try PostgresSettings(environment, applicationName: definition.name), logger: logger) : nil
        redis = declared.contains(.redis) ? RedisClient(settings: try RedisSettings(environment)) : nil
        amqp = declared.contains(.rabbitmq) ? try AMQPSettings(environment) : nil
        publisher = amqp.map { EventPublisher(settings: $0, logger: logger) }
        clickhouse = declared.contains(.clickhouse) ? try ClickHouseEndpoint(environment) : nil
        config = postgres.map {
            ConfigClient(pool: $0, environment: environment.string("CONFIG_ENV", default: "production"), logger: logger)
        }
    }

    /// Background work the clients need: pools that close at shutdown, heartbeats, config reloads.
    var services: [any Service] {
        let all: [(any Service)?] = [postgres, redis, publisher, config]
        return all.compactMap { $0 }
    }

    var readinessChecks: [any DependencyCheck] {
        var checks: [any DependencyCheck] = []
        if let postgres { checks.append(PoolPing(pool: postgres)) }
        if let redis { checks.append(RedisClientPing(client: redis)) }
        if let amqp { checks.append(RabbitMQPing(settings: amqp)) }
        if let clickhouse { checks.append(ClickHousePing(endpoint: clickhouse)) }
        return checks
    }
}

struct PoolPing: DependencyCheck {
    let pool: PostgresPool
    var name: String { "postgres" }
    func check(timeout: Duration) async throws -> String? {
        try await pool.query("SELECT current_setting('server_version') AS version").first?.string("version")
    }
}

struct RedisClientPing: DependencyCheck {
    let client: RedisClient
    var name: String { "redis" }
    func check(timeout: Duration) async throws -> String? {
        guard let info = try await client.command(["INFO", "server"]).string else { throw DependencyFailure("INFO answered nothing") }
        let line = info.split(whereSeparator: \.isNewline).first { $0.hasPrefix("redis_version:") }
        return line.map { String($0.dropFirst("redis_version:".count)) }
    }
}
