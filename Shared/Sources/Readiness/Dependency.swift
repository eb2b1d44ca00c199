// The infrastructure a service can declare it needs, with the variable that locates each.

import FoundationEssentials
import Glibc

public enum Dependency: String, Sendable, CaseIterable {
    case postgres, redis, rabbitmq, clickhouse

    public var variable: String {
        switch self {
        case .postgres: "DATABASE_URL"
        case .redis: "REDIS_URL"
        case .rabbitmq: "RABBITMQ_URL"
        case .clickhouse: "CLICKHOUSE_URL"
        }
    }

    var schemes: [String] {
        switch self {
        case .postgres: ["postgresql", "postgres"]
        case .redis: ["redis"]
        case .rabbitmq: ["amqp"]
        case .clickhouse: ["clickhouse", "http"]
        }
    }

    var example: String {
        switch self {
        case .postgres: "postgresql://hotel:hotel_pass@127.0.0.1:5432/hotel_db"
        case .redis: "redis://127.0.0.1:6379/0"
        case .rabbitmq: "amqp://guest:guest@127.0.0.1:5672"
        case .clickhouse: "clickhouse://127.0.0.1:8123/hotel_analytics"
        }
    }

    /// PostgreSQL and ClickHouse hold what a service answers from; Redis and RabbitMQ only speed it
    /// up or carry its events later.
    public var isRequiredForReadiness: Bool { self == .postgres || self == .clickhouse }

    /// Reads and validates this dependency's URL from the environment.
    public func url(in env: EnvironmentVariables) throws -> URL {
        try env.url(variable, schemes: schemes, example: example)
    }

}

/// One dependency answering, or not, within `timeout`; when it answers, its server version.
public protocol DependencyCheck: Sendable {
    var name: String { get }
    /// Whether the service can serve without it (false): a service still answers without Redis (no
    /// cache, no shared rate limit) or RabbitMQ (events wait in the outbox), not without its database.
    var isRequired: Bool { get }
    func check(timeout: Duration) async throws -> String?
}

extension DependencyCheck {
    public var isRequired: Bool { Dependency(rawValue: name)?.isRequiredForReadiness ?? true }
}

/// Why a dependency did not answer, in its own words.
public struct DependencyFailure: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
