// What a service is: its name, the infrastructure it needs, and how it adds its own routes and jobs.

import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

public struct ServiceDefinition: Sendable {
    public let name: String
    public let dependencies: [Dependency]
    /// The PostgreSQL schemas the service owns and migrates, in order.
    public let schemas: [SchemaPlan]
    /// Whether the service takes the caller's identity from the gateway's signed headers (every
    /// service but the gateway itself, which verifies tokens).
    public let acceptsGatewayIdentity: Bool
    /// The platform's public entry (the gateway): its port answers only liveness and readiness;
    /// versions, dependencies and metrics move to `INTERNAL_PORT`.
    public let isPublicEntry: Bool
    /// Reads the service's own settings (throwing ConfigurationError) and adds its routes and background services.
    public let configure: @Sendable (inout ServiceSetup) throws -> Void

    public init(
        name: String, dependencies: [Dependency], schemas: [SchemaPlan] = [], acceptsGatewayIdentity: Bool = true, isPublicEntry: Bool = false,
        configure: @escaping @Sendable (inout ServiceSetup) throws -> Void = { _ in }
    ) {
        self.name = name
        self.dependencies = dependencies
        self.schemas = schemas
        self.acceptsGatewayIdentity = acceptsGatewayIdentity
        self.isPublicEntry = isPublicEntry
        self.configure = configure
    }
}

/// What a service's `configure` gets to work with.
public struct ServiceSetup {
    public let environment: EnvironmentVariables
    public let common: CommonSettings
    public let logger: Logger
    public let router: Router<PlatformRequestContext>
    public let metrics: HTTPMetrics
    public let clients: ServiceClients
    /// What `/ready` asks: the service's own dependencies.
    public let readiness: ReadinessProbe
    /// Background work (relays, consumers, sweepers) run beside the HTTP server and drained with it.
    public var services: [any Service] = []
    /// Handlers each connection's pipeline gets between NIO's HTTP/1 parts and their conversion to
    /// HTTP types for the router (the gateway's fast lane).
    public var channelHandlers: @Sendable () -> [any RemovableChannelHandler] = { [] }
    /// A cap on open connections per client address (the public entry sets one).
    public var connectionLimit: ClientConnectionLimit?
}

/// A schema and its migrations.
public struct SchemaPlan: Sendable {
    public let schema: String
    public let migrations: [Migration]
    public let includingKit: Bool

    /// A service's own schema: the kit's outbox and inbox, then its migrations.
    public static func service(_ schema: String, migrations: [Migration] = []) -> SchemaPlan {
        SchemaPlan(schema: schema, migrations: migrations, includingKit: true)
    }

    /// The config center (owned by the gateway).
    public static let platform = SchemaPlan(schema: PlatformMigrations.schema, migrations: PlatformMigrations.all, includingKit: false)

    public func migrator(_ pool: PostgresPool) -> Migrator {
        Migrator(pool: pool, schema: schema, migrations: migrations, includingKit: includingKit)
    }
}

extension ServiceSetup {
    /// Publishes, after commit, the events the service appends to its outbox in `schema`.
    public mutating func relayOutbox(schema: String) {
        guard let pool = clients.postgres, let publisher = clients.publisher else { return }
        services.append(OutboxRelay(settings: .init(schema: schema), pool: pool, publisher: publisher, logger: logger, metrics: metrics.registry))
    }

    /// Consumes what `handling` declares: each new event handled once, inside the transaction that
    /// records it in the inbox (see EventHandling).
    public mutating func consume<Payload>(_ handling: EventHandling<Payload>) {
        guard let amqp = clients.amqp, let pool = clients.postgres else { return }
        let logger = logger
        services.append(EventConsumer(settings: amqp, spec: handling.spec, logger: logger) { batch in
            for work in try await handling.handle(batch, pool: pool) {
                do {
                    try await work()
                } catch {
                    logger.warning("work after handling events failed", metadata: ["queue": .string(handling.spec.queue), "error": .string("\(error)")])
                }
            }
        })
    }
}
