// Outbound webhooks: order events of tenants with a webhook become deliveries (consumer of
// `order.#`), and the dispatcher POSTs each due delivery signed with the tenant's secret, retrying
// failures with exponential backoff until the retry window ends, then dead-letters it. Woken by
// NOTIFY when deliveries are queued or replayed; polls every second for retries coming due.

import HTTPTypes
import FoundationEssentials
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import Prometheus
import ServiceLifecycle
import Shared

struct WebhookSettings: Sendable {
    var timeout: Duration = .seconds(10)
    var schedule = DeliverySchedule()
    /// Deliveries attempted at once.
    var concurrency = 16

    init(_ env: EnvironmentVariables) throws {
        timeout = .milliseconds(try env.int("WEBHOOK_TIMEOUT_MS", default: 10_000, range: 100...60_000))
        schedule.base = .milliseconds(try env.int("WEBHOOK_RETRY_BASE_MS", default: 10_000, range: 1...3_600_000))
        schedule.cap = .milliseconds(try env.int("WEBHOOK_RETRY_MAX_MS", default: 3_600_000, range: 1...86_400_000))
        schedule.giveUpAfter = .milliseconds(try env.int("WEBHOOK_RETRY_FOR_MS", default: 86_400_000, range: 1...(7 * 86_400_000)))
    }
}

/// Order events become deliveries for their tenant's webhook, once each (inbox).
enum WebhookIntake {
    static let handling = EventHandling<JSONValue>(queue: "gateway.webhooks", events: ["order.#"], schema: "gateway") { events, transaction in
        _ = try WebhookRepository.enqueue(events, on: transaction.connection)
    }
}

struct WebhookDispatcher: Service {
    let repository: WebhookRepository
    let client: HTTP1Client
    let secrets: SecretBox
    let settings: WebhookSettings
    let postgres: PostgresSettings
    let logger: Logger
    let outcomes: [String: Counter]
    private let lastPrune = NIOLockedValueBox(ContinuousClock.now)

    init(repository: WebhookRepository, client: HTTP1Client, secrets: SecretBox, settings: WebhookSettings, postgres: PostgresSettings, registry: PrometheusCollectorRegistry, logger: Logger) {
        self.repository = repository
        self.client = client
        self.secrets = secrets
        self.settings = settings
        self.postgres = postgres
        self.logger = logger
        outcomes = Dictionary(uniqueKeysWithValues: ["delivered", "retry", "dead"].map {
            ($0, registry.makeCounter(name: "webhook_deliveries_total", labels: [("outcome", $0)]))
        })
    }

    func run() async throws {
        try await PostgresListener.reloading(settings: postgres, channels: [GatewayMigrations.webhooksChannel], every: .seconds(1), logger: logger) {
            do {
                try await dispatchDue()
                try await pruneInboundIds()
            } catch {
                logger.warning("webhook dispatch failed", metadata: ["error": .string("\(error)")])
            }
        }
    }

    /// Attempts every due delivery, `concurrency` at a time.
    func dispatchDue() async throws {
        while !Task.isShuttingDownGracefully {
            let due = try await repository.claimDue(limit: settings.concurrency, lease: settings.timeout * 6 + .seconds(60))
            if due.isEmpty { return }
            await withTaskGroup(of: Void.self) { group in
                for delivery in due { group.addTask { await attempt(delivery) } }
            }
        }
    }

    func attempt(_ delivery: DueDelivery) async {
        let failure: (status: Int?, error: String)
        do {
            guard let sealed = delivery.sealedSecret else { throw WebhookFailure("the tenant has no webhook secret") }
            let status = try await post(delivery, secret: try secrets.open(sealed, context: "tenant-webhook"))
            if (200..<300).contains(status) {
                try await repository.markDelivered(delivery.id, httpStatus: status)
                outcomes["delivered"]?.increment()
                return
            }
            failure = (status, "HTTP \(status)")
        } catch {
            failure = (nil, "\(error)")
        }
        let age = Duration.milliseconds(Int64(Date().timeIntervalSince(delivery.windowStartedAt) * 1000))
        let delay = settings.schedule.delay(afterAttempt: delivery.attempts + 1, age: age, jitter: Double.random(in: 0.5...1))
        do {
            try await repository.markFailed(
                delivery.id, httpStatus: failure.status, error: failure.error, retryAt: delay.map { Date().addingTimeInterval($0.milliseconds / 1000) })
            outcomes[delay == nil ? "dead" : "retry"]?.increment()
            if delay == nil {
                logger.warning("webhook dead-lettered", metadata: ["delivery": .string(delivery.id), "event": .string(delivery.eventId), "error": .string(failure.error)])
            }
        } catch {
            logger.warning("cannot record a webhook attempt", metadata: ["delivery": .string(delivery.id), "error": .string("\(error)")])
        }
    }

    /// POSTs the event signed `X-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "t.body")>`; the HTTP status.
    func post(_ delivery: DueDelivery, secret: String) async throws -> Int {
        let body = Array(delivery.payload.utf8)
        let headers: HTTPFields = [
            .contentType: "application/json", .userAgent: "hotel-platform-webhooks/1",
            .webhookId: delivery.eventId, .eventType: delivery.eventType,
            .signature: WebhookSignature.header(secret: secret, timestamp: Int(Date().timeIntervalSince1970), body: body),
        ]
        let response = try await client.execute(.post, delivery.url, headers: headers, body: ByteBuffer(bytes: body), timeout: settings.timeout)
        return response.status.code
    }

    /// Once an hour: inbound webhook ids older than a week (signatures expire after 5 minutes).
    func pruneInboundIds() async throws {
        let due = lastPrune.withLockedValue { last in
            guard ContinuousClock.now - last >= .seconds(3600) else { return false }
            last = .now
            return true
        }
        if due { try await repository.pruneInbound(olderThan: .seconds(7 * 86400)) }
    }
}

struct WebhookFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
