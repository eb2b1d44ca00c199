// How to reach RabbitMQ, from RABBITMQ_URL (amqp://user:pass@host:5672/vhost).

import FoundationEssentials
import Glibc

public struct AMQPSettings: Sendable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var vhost: String
    /// Seconds; the library answers heartbeats only inside its calls, so owners wake at least this often.
    public var heartbeatSeconds: Int = 30
    public var timeout: Duration = .seconds(5)
    /// `RABBITMQ_QUEUE_TYPE`: how consumers' queues are declared, `classic` or `quorum` (replicated
    /// across a cluster by Raft: the highly available choice, docs/deployment.md).
    public var queueType = QueueType.classic

    public enum QueueType: String, Sendable, CaseIterable {
        case classic, quorum
    }

    public init(url: URL) {
        host = url.host ?? "127.0.0.1"
        port = url.port ?? 5672
        user = url.user(percentEncoded: false) ?? "guest"
        password = url.password(percentEncoded: false) ?? "guest"
        vhost = Self.vhost(url)
    }

    /// `amqp://host` and `amqp://host/` mean the default vhost `/`; otherwise the path names it.
    static func vhost(_ url: URL) -> String {
        let path = String(url.path(percentEncoded: false).drop(while: { $0 == "/" }))
        return path.isEmpty ? "/" : path
    }

    public init(_ env: EnvironmentVariables) throws {
        self.init(url: try Dependency.rabbitmq.url(in: env))
        let type = env.string("RABBITMQ_QUEUE_TYPE", default: "classic")
        guard let known = QueueType(rawValue: type) else {
            throw ConfigurationError(variable: "RABBITMQ_QUEUE_TYPE", problem: "must be classic or quorum, got '\(type)'")
        }
        queueType = known
    }
}

public struct AMQPError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
