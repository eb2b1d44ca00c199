// What a service is: its name, the infrastructure it needs, and how it adds its own routes and jobs.

import Hummingbird
import Logging
import ServiceLifecycle

public struct ServiceDefinition: Sendable {
    public let name: String
    public let dependencies: [Dependency]
    /// Reads the service's own settings (throwing ConfigurationError) and adds its routes and background services.
    public let configure: @Sendable (inout ServiceSetup) throws -> Void

    public init(name: String, dependencies: [Dependency], configure: @escaping @Sendable (inout ServiceSetup) throws -> Void = { _ in }) {
        self.name = name
        self.dependencies = dependencies
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
    /// Background work (relays, consumers, sweepers) run beside the HTTP server and drained with it.
    public var services: [any Service] = []
}
