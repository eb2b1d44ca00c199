// gateway: its definition, settings and object graph.

import Hummingbird
import Shared

/// The gateway settings, with their defaults (docs/configuration.md).
struct GatewaySettings: Sendable {
    var jwtSecret: String
    var jwtExpiryHours: Int
    var rateLimit: RateLimit
    /// Seals tenants' webhook secrets and suppliers' webhook secrets at rest.
    var encryptionSecret: String
    /// The bootstrap operator account (ADMIN_API_KEY / ADMIN_API_SECRET), when set.
    var bootstrapOperator: (key: String, secret: String)?
    var upstreams: [Upstream: UpstreamTarget]
    var breaker: BreakerPolicy
    var webhooks: WebhookSettings
    /// Signs the identity passed to the services.
    var identity: GatewayIdentity
    /// Open connections one client address may hold (0: no cap; behind a proxy every client shares its address).
    var maxConnectionsPerClient: Int

    init(_ env: EnvironmentVariables) throws {
        jwtSecret = try env.secret("JWT_SECRET", minimumBytes: 32)
        jwtExpiryHours = try env.int("JWT_EXPIRY_HOURS", default: 24, range: 1...720)
        rateLimit = RateLimit(
            max: try env.int("RATE_LIMIT_MAX", default: 100, range: 1...1_000_000),
            window: .milliseconds(try env.int("RATE_LIMIT_WINDOW_MS", default: 60000, range: 1...86_400_000)))
        encryptionSecret = try env.secret("ENCRYPTION_SECRET", minimumBytes: 32)
        switch (env.optional("ADMIN_API_KEY"), env.optional("ADMIN_API_SECRET")) {
        case (nil, nil): bootstrapOperator = nil
        case (let key?, _?) where !(8...100).contains(key.count):
            throw ConfigurationError(variable: "ADMIN_API_KEY", problem: "must be 8 to 100 characters")
        case (let key?, _?): bootstrapOperator = (key, try env.secret("ADMIN_API_SECRET", minimumBytes: 32))
        case (nil, _?): throw ConfigurationError(variable: "ADMIN_API_KEY", problem: "is missing: ADMIN_API_SECRET is set without it")
        case (_?, nil): throw ConfigurationError(variable: "ADMIN_API_SECRET", problem: "is missing: ADMIN_API_KEY is set without it")
        }
        var upstreams: [Upstream: UpstreamTarget] = [:]
        for upstream in Upstream.upstreams {
            let url = try env.baseURL(of: upstream)
            let timeout = try env.int(upstream.timeoutVariable, default: Int(upstream.defaultTimeout.milliseconds), range: 1...600_000)
            guard let origin = HTTP1Client.Origin(url) else {
                throw ConfigurationError(variable: upstream.urlVariable, problem: "must be an http URL with a plain host name, like http://\(upstream.rawValue):8080, got '\(url)'")
            }
            upstreams[upstream] = UpstreamTarget(baseURL: url, timeout: .milliseconds(timeout), origin: origin)
        }
        self.upstreams = upstreams
        breaker = BreakerPolicy()
        breaker.consecutiveFailures = try env.int("BREAKER_FAILURES", default: 5, range: 1...1000)
        breaker.openFor = .milliseconds(try env.int("BREAKER_OPEN_MS", default: 10_000, range: 1...3_600_000))
        webhooks = try WebhookSettings(env)
        maxConnectionsPerClient = try env.int("MAX_CONNECTIONS_PER_CLIENT", default: 256, range: 0...1_000_000)
        identity = GatewayIdentity(secret: try env.secret(CommonSettings.gatewayIdentityVariable, minimumBytes: 32))
    }
}

enum GatewayService {
    static let definition = definition(table: .platform)

    /// The gateway routing by `table` (tests add routes of their own).
    static func definition(table: RouteTable) -> ServiceDefinition {
        ServiceDefinition(
            name: "gateway", dependencies: [.postgres, .redis, .rabbitmq],
            schemas: [.service("gateway", migrations: GatewayMigrations.all), .platform], acceptsGatewayIdentity: false,
            isPublicEntry: true
        ) { setup in
            try configure(&setup, settings: try GatewaySettings(setup.environment), table: table)
        }
    }

    static func configure(_ setup: inout ServiceSetup, settings: GatewaySettings, table: RouteTable) throws {
        guard let pool = setup.clients.postgres, let redis = setup.clients.redis else { return }
        let repository = TenantRepository(pool: pool)
        let revocations = RevocationList()
        let signer = AccessTokenSigner(secret: settings.jwtSecret)
        let authenticator = Authenticator(signer: signer, revocations: revocations)
        let secrets = SecretBox(secret: settings.encryptionSecret)
        let pipeline = RedisPipeline(settings: redis.settings)
        setup.services.append(pipeline)
        let limiter = RateLimiter(redis: pipeline, defaults: settings.rateLimit, config: setup.clients.config, registry: setup.metrics.registry, logger: setup.logger)
        let internalClient = HTTP1Client(connectTimeout: .seconds(2))
        // Webhooks leave the platform (HTTPS, the system's trust store), never follow redirects, and
        // read at most 1 MB of a receiver's answer (only its status matters).
        let webhookClient = HTTP1Client(connectTimeout: .seconds(5), maxIdlePerHost: 8, maxResponseBytes: 1 << 20)
        let proxy = UpstreamProxy(client: internalClient, targets: settings.upstreams, identity: settings.identity, policy: settings.breaker, registry: setup.metrics.registry)

        let api = setup.router.group("/api/v1")
        OpenAPIController().add(to: api)
        AuthController(repository: repository, signer: signer, limiter: limiter, expiry: .seconds(settings.jwtExpiryHours * 3600)).add(to: api)
        let authenticated = api.group()
            .add(middleware: AuthenticationMiddleware(authenticator: authenticator))
            .add(middleware: RateLimitMiddleware(limiter: limiter))
        let admin = authenticated.group("/admin").add(middleware: AdminOnlyMiddleware())
        TenantController(repository: repository, revocations: revocations, secrets: secrets).add(to: admin)
        ConfigController(repository: ConfigRepository(pool: pool)).add(to: admin)
        let webhooks = WebhookRepository(pool: pool)
        SupplierWebhookController(repository: webhooks, secrets: secrets, limiter: limiter, inventory: settings.upstreams[.inventory]!, client: internalClient)
            .add(public: api, admin: admin)
        WebhookDeliveryController(repository: webhooks).add(to: admin)
        let board = HealthBoard(client: internalClient, targets: settings.upstreams, own: setup.readiness, version: setup.common.version)
        HealthController(board: board).add(admin: admin, root: setup.router)
        ConsoleController().add(root: setup.router)
        ProxyController(table: table, proxy: proxy).add(to: authenticated)
        // The hot path: authenticated GETs to live distributor routes, answered ahead of the router.
        let ownPaths = setup.router.routes.map { "\($0.path)" }.filter { !$0.hasSuffix("**") }
        let lane = FastLaneRoutes(
            table: table, ownPaths: ownPaths, authenticator: authenticator, limiter: limiter, proxy: proxy,
            metrics: setup.metrics, logger: setup.logger, serverName: "gateway")
        setup.channelHandlers = { [FastLane(lane)] }
        if settings.maxConnectionsPerClient > 0 { setup.connectionLimit = ClientConnectionLimit(maxPerClient: settings.maxConnectionsPerClient) }

        setup.services.append(internalClient)
        setup.services.append(webhookClient)
        setup.relayOutbox(schema: "gateway")
        setup.consume(WebhookIntake.handling)
        setup.services.append(WebhookDispatcher(
            repository: webhooks, client: webhookClient, secrets: secrets, settings: settings.webhooks, postgres: pool.settings,
            registry: setup.metrics.registry, logger: setup.logger))
        setup.services.append(CredentialWatcher(list: revocations, repository: repository, settings: pool.settings, logger: setup.logger))
        if let (key, secret) = settings.bootstrapOperator {
            setup.services.append(BootstrapOperator(repository: repository, keyId: key, secret: secret, logger: setup.logger))
        }
    }
}
