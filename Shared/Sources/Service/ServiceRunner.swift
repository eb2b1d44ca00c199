// Start-up shared by every executable: configuration, logging, middleware, operational routes, and a
// graceful run that drains on SIGTERM/SIGINT.

import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

public enum ServiceRunner {
    /// The body of every `main.swift`. Bad configuration ends the process with exit code 2 and one line naming the variable.
    public static func main(_ definition: ServiceDefinition, environment: EnvironmentVariables = EnvironmentVariables()) async {
        signal(SIGPIPE, SIG_IGN)
        let application: Application<RouterResponder<PlatformRequestContext>>
        do {
            application = try makeApplication(definition, environment: environment)
        } catch let error as ConfigurationError {
            FileHandle.standardError.write(Data("\(definition.name): configuration error: \(error)\n".utf8))
            exit(2)
        } catch {
            FileHandle.standardError.write(Data("\(definition.name): cannot start: \(error)\n".utf8))
            exit(1)
        }
        do {
            try await application.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        } catch {
            application.logger.critical("service stopped with an error", metadata: ["error": .string("\(error)")])
            exit(1)
        }
    }

    /// The whole object graph of one service, ready to run or to test.
    public static func makeApplication(
        _ definition: ServiceDefinition,
        environment: EnvironmentVariables,
        logSink: LogSink = .standardOutput
    ) throws -> Application<RouterResponder<PlatformRequestContext>> {
        let common = try CommonSettings(environment)
        let logger = Logger(label: definition.name) { _ in
            JSONLogHandler(service: definition.name, level: common.logLevel, sink: logSink)
        }
        let checks = try definition.dependencies.map { try $0.check(url: $0.url(in: environment)) }
        let registry = PrometheusCollectorRegistry()
        let metrics = HTTPMetrics(service: definition.name, registry: registry)

        let router = Router(context: PlatformRequestContext.self)
        // Middleware applies only to routes added after it.
        router.add(middleware: RequestIdentityMiddleware())
        router.add(middleware: ObservationMiddleware(metrics: metrics))
        router.add(middleware: BodyLimitMiddleware(maxBytes: common.maxBodyBytes))
        OperationalRoutes(service: definition.name, probe: ReadinessProbe(checks: checks), registry: registry).add(to: router)

        var setup = ServiceSetup(environment: environment, common: common, logger: logger, router: router, metrics: metrics)
        try definition.configure(&setup)

        return Application(
            router: router,
            configuration: .init(address: .hostname(common.host, port: common.port), serverName: definition.name),
            services: setup.services,
            onServerRunning: { channel in
                logger.info("listening", metadata: ["address": .string("\(channel.localAddress.map { "\($0)" } ?? "?")")])
            },
            logger: logger
        )
    }
}
