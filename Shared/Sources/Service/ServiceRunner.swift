// Start-up shared by every executable: configuration, logging, middleware, operational routes, and a
// graceful run that drains on SIGTERM/SIGINT.

import FoundationEssentials
import Glibc
import Hummingbird
import HummingbirdCore
import NIOCore
import NIOPosix
import Logging
import Prometheus
import ServiceLifecycle

public enum ServiceRunner {
    /// The body of every `main.swift`. Bad configuration ends the process with exit code 2 and one line naming the variable.
    /// `SERVICE migrate up|down|status` runs migrations and exits; with `MIGRATE_ON_START=true` (dev)
    /// the service applies pending migrations before it listens.
    public static func main(
        _ definition: ServiceDefinition,
        environment: EnvironmentVariables = EnvironmentVariables(),
        arguments: [String] = CommandLine.arguments
    ) async {
        signal(SIGPIPE, SIG_IGN)
        ProcessMemory.limitArenas()
        ProcessMemory.keepFreedForReuse()
        // Log lines leave through a writer thread: every way out of the process writes them first.
        atexit { LogSink.standardOutput.flush() }
        // Swift tasks run on NIO's event loops; blocking work stays on the kit's own threads.
        let onEventLoops = EventLoopExecutor.install()
        if arguments.count > 1 {
            exit(await MigrateCommand.run(definition, environment: environment, arguments: Array(arguments.dropFirst())))
        }
        let assembly: Assembly
        do {
            assembly = try assemble(definition, environment: environment, logSink: .standardOutput)
        } catch let error as ConfigurationError {
            printError("\(definition.name): configuration error: \(error)\n")
            exit(2)
        } catch {
            printError("\(definition.name): cannot start: \(error)\n")
            exit(1)
        }
        let application = assembly.application
        if !onEventLoops { application.logger.warning("Swift tasks run on the cooperative pool: the event-loop executor could not be installed") }
        do {
            try await migrateOnStart(definition, clients: assembly.clients, environment: environment, logger: application.logger)
            try await application.runService(gracefulShutdownSignals: [.sigterm, .sigint])
            application.logger.info("stopped")
        } catch {
            application.logger.critical("service stopped with an error", metadata: ["error": .string("\(error)")])
            exit(1)
        }
    }

    /// With `MIGRATE_ON_START=true` (dev), applies the service's pending migrations before it listens.
    static func migrateOnStart(_ definition: ServiceDefinition, clients: ServiceClients, environment: EnvironmentVariables, logger: Logger) async throws {
        guard environment.string("MIGRATE_ON_START", default: "false") == "true", let pool = clients.postgres else { return }
        for plan in definition.schemas {
            let applied = try await plan.migrator(pool).up()
            logger.info("migrated", metadata: ["schema": .string(plan.schema), "applied": .string(applied.joined(separator: ","))])
        }
    }

    /// The whole object graph of one service, ready to run or to test.
    public static func makeApplication(
        _ definition: ServiceDefinition,
        environment: EnvironmentVariables,
        logSink: LogSink = .standardOutput
    ) throws -> Application<RouterResponder<PlatformRequestContext>> {
        try assemble(definition, environment: environment, logSink: logSink).application
    }

    /// A service's application with the clients it made and the routes it serves.
    struct Assembly {
        var application: Application<RouterResponder<PlatformRequestContext>>
        var clients: ServiceClients
        /// "GET /api/v1/admin/tenants/{tenant}", one per method and path.
        var routes: [String]
    }

    static func assemble(_ definition: ServiceDefinition, environment: EnvironmentVariables, logSink: LogSink) throws -> Assembly {
        let common = try CommonSettings(environment)
        let logger = Logger(label: definition.name) { _ in
            JSONLogHandler(service: definition.name, level: common.logLevel, sink: logSink)
        }
        let clients = try ServiceClients(definition, environment: environment, logger: logger)
        let registry = PrometheusCollectorRegistry()
        let spans = try SpanExportSettings(environment).map {
            SpanExporter(settings: $0, service: definition.name, version: common.version, registry: registry, logger: logger)
        }
        let metrics = HTTPMetrics(service: definition.name, registry: registry, spans: spans)

        let router = Router(context: PlatformRequestContext.self)
        // Middleware applies only to routes added after it.
        router.add(middleware: RequestIdentityMiddleware())
        router.add(middleware: ObservationMiddleware(metrics: metrics))
        router.add(middleware: BodyLimitMiddleware(maxBytes: common.maxBodyBytes))
        if definition.acceptsGatewayIdentity { router.add(middleware: GatewayIdentityMiddleware(verifier: common.gatewayIdentity)) }
        let readiness = ReadinessProbe(checks: clients.readinessChecks, registry: registry, logger: logger)
        let operational = OperationalRoutes(service: definition.name, version: common.version, probe: readiness, registry: registry)
        var internalServer: [any Service] = []
        if definition.isPublicEntry {
            operational.addPublic(to: router)
            internalServer.append(internalApplication(operational, common: common, metrics: metrics, logger: logger))
        } else {
            operational.add(to: router)
        }

        var setup = ServiceSetup(
            environment: environment, common: common, logger: logger, router: router, metrics: metrics, clients: clients, readiness: readiness)
        try definition.configure(&setup)

        let routes = router.routes.map { "\($0.method) \($0.path)" }
        let handlers = setup.channelHandlers, limit = setup.connectionLimit, timeouts = common.requestTimeouts
        let application = Application(
            router: router,
            server: HTTPServerBuilder { responder in
                PlatformHTTP1Channel(responder: responder, timeouts: timeouts, connectionLimit: limit, handlers: handlers)
            },
            configuration: .init(address: .hostname(common.host, port: common.port), serverName: definition.name),
            services: clients.services + setup.services + internalServer + [MemoryScavenger()] + (spans.map { [$0] } ?? []),
            onServerRunning: { channel in
                logger.info("listening", metadata: ["address": .string("\(channel.localAddress.map { "\($0)" } ?? "?")")])
            },
            logger: logger
        )
        return Assembly(application: application, clients: clients, routes: routes)
    }
}

extension ServiceRunner {
    /// The operational routes in full on `INTERNAL_PORT`, for the platform's own network (Prometheus,
    /// the orchestrator's probes, operators), apart from the public port.
    static func internalApplication(_ operational: OperationalRoutes, common: CommonSettings, metrics: HTTPMetrics, logger: Logger) -> some Service {
        let router = Router(context: PlatformRequestContext.self)
        router.add(middleware: RequestIdentityMiddleware())
        router.add(middleware: ObservationMiddleware(metrics: metrics))
        operational.add(to: router)
        return Application(
            router: router, configuration: .init(address: .hostname(common.host, port: common.internalPort), serverName: "internal"),
            onServerRunning: { channel in
                logger.info("listening (internal)", metadata: ["address": .string("\(channel.localAddress.map { "\($0)" } ?? "?")")])
            },
            logger: logger)
    }
}

/// One line on standard error, for messages that must reach an operator before logging exists.
func printError(_ line: String) {
    var bytes = Array(line.utf8)
    _ = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress!, $0.count) }
}
