// Webhooks through a real gateway, RabbitMQ and PostgreSQL: signed supplier webhooks accepted once,
// order events delivered to distributors, retried until a flaky receiver accepts, dead-lettered,
// replayed.

import Foundation
@testable import Gateway
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
@testable import Shared
import Testing
import TestSupport

@Suite(.serialized) struct GatewayWebhookTests {
    @Test func supplierWebhooksAreVerifiedAcceptedOnceAndPublished() async throws {
        let harness = GatewayHarness()
        let supplier = "HBX-\(UUID().uuidString.prefix(6))"
        let secret = "supplier-secret-\(UUID().uuidString)"
        try await harness.withEvents(bindingKey: "supplier.webhook.received") { received in
            try await harness.run { client in
                let admin = try await client.adminToken()
                try await client.execute(
                    uri: "/api/v1/admin/supplier-webhooks/\(supplier)", method: .put,
                    headers: [.authorization: "Bearer \(admin)", .contentType: "application/json"],
                    body: ByteBuffer(string: #"{"secret": "\#(secret)"}"#)) { #expect($0.status == .noContent) }

                let body = #"{"hotel_code": "H1", "status": "stop_sell"}"#
                let now = Int(Date().timeIntervalSince1970)
                let signed = WebhookSignature.header(secret: secret, timestamp: now, body: Array(body.utf8))
                func post(_ body: String, signature: String?, id: String?, supplier: String = supplier) async throws -> (Int, String?) {
                    var headers: HTTPFields = [.contentType: "application/json"]
                    if let signature { headers[.signature] = signature }
                    if let id { headers[.webhookId] = id }
                    return try await client.execute(uri: "/api/v1/webhooks/suppliers/\(supplier)", method: .post, headers: headers, body: ByteBuffer(string: body)) {
                        ($0.status.code, (try? JSONSerialization.jsonObject(with: Data(buffer: $0.body)) as? [String: Any])?["code"] as? String)
                    }
                }

                let accepted = try await post(body, signature: signed, id: "wh-1")
                #expect(accepted.0 == 202)
                #expect(try await post(body, signature: signed, id: "wh-1") == (409, "webhook_replayed"))
                #expect(try await post(body, signature: signed, id: "wh-2") == (409, "webhook_replayed"), "a captured message under a new id")
                let resigned = WebhookSignature.header(secret: secret, timestamp: now + 1, body: Array(body.utf8))
                #expect(try await post(body, signature: resigned, id: "wh-1") == (409, "webhook_replayed"), "the supplier's retry of the same id")
                #expect(try await post(body.replacing("stop_sell", with: "open"), signature: signed, id: "wh-3") == (401, "invalid_signature"))
                let stale = WebhookSignature.header(secret: secret, timestamp: now - 400, body: Array(body.utf8))
                #expect(try await post(body, signature: stale, id: "wh-4") == (401, "signature_expired"))
                let wrongSecret = WebhookSignature.header(secret: "not-the-secret-at-all", timestamp: now, body: Array(body.utf8))
                #expect(try await post(body, signature: wrongSecret, id: "wh-5") == (401, "invalid_signature"))
                #expect(try await post(body, signature: "v1=abc", id: "wh-6") == (401, "invalid_signature"))
                #expect(try await post(body, signature: nil, id: "wh-7") == (401, "invalid_signature"))
                #expect(try await post(body, signature: signed, id: "wh-8", supplier: "NOBODY") == (401, "invalid_signature"))
                let fresh = WebhookSignature.header(secret: secret, timestamp: now + 2, body: Array(body.utf8))
                #expect(try await post(body, signature: fresh, id: nil) == (400, "missing_webhook_id"))
                let notJSON = WebhookSignature.header(secret: secret, timestamp: now, body: Array("hello".utf8))
                #expect(try await post("hello", signature: notJSON, id: "wh-9") == (400, "invalid_body"))

                // Other tests publish supplier webhook events too: only this supplier's count here.
                func ours() -> [EventEnvelope] {
                    received.withLockedValue { $0 }.filter {
                        if case .object(let payload) = $0.data { return payload["supplier_code"] == .string(supplier) }
                        return false
                    }
                }
                #expect(try await eventually { ours().count >= 1 })
                try await Task.sleep(for: .milliseconds(300))
                let events = ours()
                #expect(events.count == 1, "only the accepted webhook is published")
                guard case .object(let payload)? = events.first?.data else { Issue.record("no payload"); return }
                #expect(payload["supplier_code"] == .string(supplier))
                #expect(payload["webhook_id"] == .string("wh-1"))
                #expect(payload["body"] == .object(["hotel_code": .string("H1"), "status": .string("stop_sell")]))
                #expect(payload["received_at"] != nil)
            }
        }
    }

    @Test func aFloodFromOneSupplierIsCutOffBeforeAnySecretLookup() async throws {
        let harness = GatewayHarness()
        let supplier = "FLOOD-\(UUID().uuidString.prefix(6))"
        // The supplier is over its limit for the next minute at least: the rate limit's theoretical
        // arrival time two windows ahead of Redis's clock (a full window refills 100 a second).
        let redis = RedisClient(settings: try RedisSettings(EnvironmentVariables(harness.environment)))
        let fill = RedisScript("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
            local window = tonumber(ARGV[1])
            redis.call('SET', KEYS[1], string.format('%.3f', now + 2 * window), 'PX', 2 * window)
            return 1
            """)
        let window = Int(SupplierWebhookController.attempts.window.milliseconds)
        _ = try await redis.eval(fill, keys: ["ratelimit:gcra:webhook:" + supplier], arguments: [String(window)])
        try await redis.shutdown()
        try await harness.run { client in
            try await client.execute(
                uri: "/api/v1/webhooks/suppliers/\(supplier)", method: .post, headers: [.contentType: "application/json", .signature: "t=1,v1=00"],
                body: ByteBuffer(string: "{}")
            ) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter] != nil)
            }
            try await client.execute(
                uri: "/api/v1/webhooks/suppliers/OTHER-\(supplier)", method: .post, headers: [.contentType: "application/json", .signature: "t=1,v1=00"],
                body: ByteBuffer(string: "{}")
            ) { #expect($0.status == .unauthorized, "another supplier is unaffected") }
        }
    }

    @Test func orderEventsReachTheTenantsWebhookAfterRetries() async throws {
        let receiver = WebhookReceiver(secret: "receiver-secret-0123456789")
        try await receiver.start()
        defer { Task { await receiver.stop() } }
        receiver.failures.withLockedValue { $0 = 2 }
        let harness = GatewayHarness()
        try await harness.run { client in
            let admin = try await client.adminToken()
            let tenant = try await client.json(
                "/api/v1/admin/tenants", .post, token: admin,
                body: ["name": "Hooked Travel", "webhook_url": receiver.url, "webhook_secret": receiver.secret], expect: .created)
            let tenantId = try #require(tenant["id"] as? String)
            let quiet = try await client.newDistributor(admin: admin)

            // What only the platform may know (`data.internal`: the supplier, the net price) is not delivered.
            let order = JSONValue.object(["order_id": .string("o-1")])
            let event = EventEnvelope(
                type: "order.confirmed", producer: "test", tenantId: tenantId, traceId: nil,
                data: .object(["order": order, "internal": .object(["supplier": .string("HBX"), "net": .string("80.00")])]))
            let other = EventEnvelope(type: "order.confirmed", producer: "test", tenantId: quiet.tenant, traceId: nil, data: .object(["order_id": .string("o-2")]))
            try await harness.publish([event, other, event])

            #expect(try await eventually(within: .seconds(30)) { receiver.accepted.withLockedValue { $0.count } == 1 }, "delivered on the third attempt")
            #expect(receiver.attempts.withLockedValue { $0 } == 3)
            let delivered = try #require(receiver.accepted.withLockedValue { $0.first })
            #expect(delivered.webhookId == event.id.uuidString.lowercased())
            #expect(delivered.eventType == "order.confirmed")
            let sent = try PlatformJSON.decoder.decode(EventEnvelope.self, from: Data(delivered.body))
            let expected = EventEnvelope(
                id: event.id, type: event.type, occurredAt: event.occurredAt, producer: event.producer, tenantId: event.tenantId, traceId: nil,
                data: .object(["order": order]))
            #expect(sent == expected, "the body is the event as published, without data.internal: \(sent) \(expected)")
            #expect(!String(decoding: delivered.body, as: UTF8.self).contains("HBX"))

            var deliveries: [[String: Any]] = []
            #expect(try await eventually {
                let log = try await client.json("/api/v1/admin/webhook-deliveries?tenant=\(tenantId)", .get, token: admin, expect: .ok)
                deliveries = log["deliveries"] as? [[String: Any]] ?? []
                return deliveries.first?["status"] as? String == "delivered"
            })
            #expect(deliveries.count == 1, "the duplicate event is not delivered twice")
            let entry = try #require(deliveries.first)
            #expect(entry["status"] as? String == "delivered")
            #expect(entry["attempts"] as? Int == 3)
            #expect(entry["last_status"] as? Int == 200)
            let none = try await client.json("/api/v1/admin/webhook-deliveries?tenant=\(quiet.tenant)", .get, token: admin, expect: .ok)
            #expect((none["deliveries"] as? [Any])?.isEmpty == true, "a tenant without a webhook gets no deliveries")

            let id = try #require(entry["id"] as? String)
            try await client.json("/api/v1/admin/webhook-deliveries/\(id)/replay", .post, token: admin, expect: .accepted)
            #expect(try await eventually { receiver.accepted.withLockedValue { $0.count } == 2 }, "replayed")
        }
    }

    @Test func deliveriesThatNeverSucceedAreDeadLetteredAndCanBeReplayed() async throws {
        let receiver = WebhookReceiver(secret: "receiver-secret-abcdefghij")
        try await receiver.start()
        defer { Task { await receiver.stop() } }
        receiver.failures.withLockedValue { $0 = .max }
        let harness = GatewayHarness()
        try await harness.run { client in
            let admin = try await client.adminToken()
            let tenant = try await client.json(
                "/api/v1/admin/tenants", .post, token: admin,
                body: ["name": "Broken Hooks", "webhook_url": receiver.url, "webhook_secret": receiver.secret], expect: .created)
            let tenantId = try #require(tenant["id"] as? String)
            let event = EventEnvelope(type: "order.cancelled", producer: "test", tenantId: tenantId, traceId: nil, data: .object(["order_id": .string("o-3")]))
            try await harness.publish([event])

            var entry: [String: Any] = [:]
            #expect(try await eventually(within: .seconds(20)) {
                let log = try await client.json("/api/v1/admin/webhook-deliveries?tenant=\(tenantId)&status=dead", .get, token: admin, expect: .ok)
                entry = (log["deliveries"] as? [[String: Any]])?.first ?? [:]
                return !entry.isEmpty
            }, "dead-lettered when the retry window (6 s here, 24 h by default) ends")
            #expect((entry["attempts"] as? Int ?? 0) >= 3)
            #expect(entry["last_status"] as? Int == 503)
            let id = try #require(entry["id"] as? String)
            let detail = try await client.json("/api/v1/admin/webhook-deliveries/\(id)", .get, token: admin, expect: .ok)
            #expect((detail["payload"] as? [String: Any])?["type"] as? String == "order.cancelled")

            receiver.failures.withLockedValue { $0 = 0 }
            let replayed = try await client.json("/api/v1/admin/webhook-deliveries/\(id)/replay", .post, token: admin, expect: .accepted)
            #expect(replayed["status"] as? String == "pending")
            #expect(try await eventually { receiver.accepted.withLockedValue { $0.count } == 1 })
            try await client.json("/api/v1/admin/webhook-deliveries/\(UUID().uuidString)/replay", .post, token: admin, expect: .notFound)
            try await client.json("/api/v1/admin/webhook-deliveries?status=lost", .get, token: admin, expect: .badRequest)
        }
    }
}

extension GatewayHarness {
    func publish(_ events: [EventEnvelope]) async throws {
        let publisher = EventPublisher(settings: try AMQPSettings(EnvironmentVariables(environment)), logger: .init(label: "test"))
        try await publisher.publish(events)
        try await publisher.shutdown()
    }

    /// Events with `bindingKey` published while `body` runs, on a queue of their own.
    func withEvents(bindingKey: String, _ body: @escaping @Sendable (NIOLockedValueBox<[EventEnvelope]>) async throws -> Void) async throws {
        let settings = try AMQPSettings(EnvironmentVariables(environment))
        let spec = ConsumerSpec(queue: "test.\(UUID().uuidString.prefix(8).lowercased())", bindingKeys: [bindingKey])
        try await BrokerAdmin(settings: settings).declare(spec)
        let received = NIOLockedValueBox<[EventEnvelope]>([])
        let consumer = EventConsumer(settings: settings, spec: spec, logger: .init(label: "test")) { batch in
            let events = try batch.map { try EventEnvelope(delivery: $0) }
            received.withLockedValue { $0.append(contentsOf: events) }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await consumer.run() }
            try await body(received)
            group.cancelAll()
        }
    }
}

/// A distributor's webhook endpoint on a real port: checks every signature, fails the first
/// `failures` requests with 503, and records what it accepted.
final class WebhookReceiver: Sendable {
    struct Received: Sendable {
        var webhookId: String?
        var eventType: String?
        var body: [UInt8]
    }

    let secret: String
    let server = LocalServer()
    let failures = NIOLockedValueBox(0)
    let attempts = NIOLockedValueBox(0)
    let accepted = NIOLockedValueBox<[Received]>([])

    init(secret: String) { self.secret = secret }

    var url: String { server.base + "/hooks" }

    func start() async throws {
        let router = Router()
        router.post("/hooks") { request, _ -> HTTPResponse.Status in
            let body = Array(buffer: try await request.body.collect(upTo: 1 << 20))
            do {
                try WebhookSignature.verify(request.headers[.signature] ?? "", secret: self.secret, body: body, now: Int(Date().timeIntervalSince1970))
            } catch {
                Issue.record("the receiver got a badly signed webhook: \(error)")
                return .unauthorized
            }
            self.attempts.withLockedValue { $0 += 1 }
            let fail = self.failures.withLockedValue { remaining in
                guard remaining > 0 else { return false }
                if remaining != .max { remaining -= 1 }
                return true
            }
            if fail { return .serviceUnavailable }
            let received = Received(webhookId: request.headers[.webhookId], eventType: request.headers[.eventType], body: body)
            self.accepted.withLockedValue { $0.append(received) }
            return .ok
        }
        try await server.start(router, probe: "/hooks")
    }

    func stop() async { await server.stop() }
}
