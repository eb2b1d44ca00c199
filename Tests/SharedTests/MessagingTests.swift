// Publisher confirms, consumption, retries and dead-lettering against the real RabbitMQ.

import Foundation
import NIOConcurrencyHelpers
import Shared
import Testing
import TestSupport

struct Booked: Codable, Equatable {
    let orderId: String
    let amount: String

    enum CodingKeys: String, CodingKey { case orderId = "order_id", amount }
}

func amqpSettings() throws -> AMQPSettings {
    AMQPSettings(url: URL(string: try TestInfrastructure.url(.rabbitmq))!)
}

/// A consumer on a fresh queue bound to a fresh routing-key namespace, running while `body` runs.
func withConsumer<T>(
    _ configure: (inout ConsumerSpec) -> Void = { _ in },
    settings given: AMQPSettings? = nil,
    handler: @escaping EventConsumer.Handler,
    _ body: (ConsumerSpec) async throws -> T
) async throws -> T {
    let namespace = "test\(UUID().uuidString.prefix(8).lowercased())"
    var spec = ConsumerSpec(queue: "\(namespace).consumer", bindingKeys: ["\(namespace).#"])
    configure(&spec)
    let settings = try given ?? amqpSettings()
    try await BrokerAdmin(settings: settings).declare(spec)
    let consumer = EventConsumer(settings: settings, spec: spec, logger: TestInfrastructure.logger, handler: handler)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await consumer.run() }
        defer { group.cancelAll() }
        return try await body(spec)
    }
}

@Suite struct MessagingTests {
    @Test func publishConfirmConsumeRoundTripWithHeaders() async throws {
        let received = NIOLockedValueBox<[Delivery]>([])
        let publisher = EventPublisher(settings: try amqpSettings(), logger: TestInfrastructure.logger)
        try await withConsumer(handler: { batch in received.withLockedValue { $0 += batch } }) { spec in
            let namespace = spec.queue.split(separator: ".")[0]
            let trace = TraceContext.root()
            let events = try (1...3).map { n in
                try EventEnvelope(type: "\(namespace).order.confirmed", producer: "order", tenantId: "t-1", trace: trace,
                                  payload: Booked(orderId: "o-\(n)", amount: "10\(n).50"))
            }
            try await publisher.publish(events)
            #expect(try await eventually { received.withLockedValue { $0.count } == 3 })
            let deliveries = received.withLockedValue { $0 }
            #expect(Set(deliveries.map(\.messageId)) == Set(events.map { $0.id.uuidString.lowercased() }))
            for delivery in deliveries {
                #expect(delivery.type == "\(namespace).order.confirmed")
                #expect(delivery.routingKey == delivery.type)
                #expect(delivery.persistent, "an event is kept on the broker's disk unless its publisher says otherwise")
                let traceparent = try #require(delivery.headers["traceparent"])
                #expect(TraceContext.continuing(traceparent)?.traceId == trace.traceId)
                let envelope = try EventEnvelope(delivery: delivery)
                let sent = try #require(events.first { $0.id == envelope.id })
                #expect(envelope.data == sent.data && envelope.tenantId == sent.tenantId && envelope.traceId == sent.traceId)
                #expect(abs(envelope.occurredAt.timeIntervalSince(sent.occurredAt)) < 0.001)
                #expect(try envelope.payload(as: Booked.self).orderId.hasPrefix("o-"))
            }
        }
        try await publisher.shutdown()
    }

    @Test func failingHandlerRetriesThenDeadLetters() async throws {
        let attempts = NIOLockedValueBox<[Int]>([])
        let publisher = EventPublisher(settings: try amqpSettings(), logger: TestInfrastructure.logger)
        struct Refused: Error {}
        try await withConsumer({ $0.maxAttempts = 3; $0.retryDelay = .milliseconds(200) }, handler: { batch in
            attempts.withLockedValue { $0 += batch.map(\.attempt) }
            throw Refused()
        }) { spec in
            let namespace = spec.queue.split(separator: ".")[0]
            let event = EventEnvelope(type: "\(namespace).order.created", producer: "order", tenantId: nil, traceId: nil, data: .object([:]))
            try await publisher.publish([event])
            let admin = BrokerAdmin(settings: try amqpSettings())
            #expect(try await eventually { try await admin.messageCount(queue: spec.deadLetterQueue) == 1 })
            #expect(try await admin.messageCount(queue: spec.queue) == 0)
            #expect(try await admin.messageCount(queue: spec.retryQueue) == 0)
        }
        // The batch attempt and the one-by-one attempt both see each delivery; attempts count per delivery.
        #expect(Set(attempts.withLockedValue { $0 }) == [1, 2, 3])
        try await publisher.shutdown()
    }

    /// RABBITMQ_QUEUE_TYPE=quorum: the same retries and dead-lettering, on queues of that type (a
    /// classic declaration of the same queue is refused as inequivalent).
    @Test func quorumQueuesRetryAndDeadLetterAlike() async throws {
        var quorum = try amqpSettings()
        quorum.queueType = .quorum
        let attempts = NIOLockedValueBox<[Int]>([])
        let publisher = EventPublisher(settings: quorum, logger: TestInfrastructure.logger)
        struct Refused: Error {}
        try await withConsumer({ $0.maxAttempts = 2; $0.retryDelay = .milliseconds(200) }, settings: quorum, handler: { batch in
            attempts.withLockedValue { $0 += batch.map(\.attempt) }
            throw Refused()
        }) { spec in
            let namespace = spec.queue.split(separator: ".")[0]
            try await publisher.publish([EventEnvelope(type: "\(namespace).order.created", producer: "order", tenantId: nil, traceId: nil, data: .object([:]))])
            let admin = BrokerAdmin(settings: quorum)
            #expect(try await eventually { try await admin.messageCount(queue: spec.deadLetterQueue) == 1 })
            #expect(try await admin.messageCount(queue: spec.queue) == 0)
            let classic = try amqpSettings()
            await #expect(throws: AMQPError.self, "the queues are quorum queues") { try await BrokerAdmin(settings: classic).declare(spec) }
        }
        #expect(Set(attempts.withLockedValue { $0 }) == [1, 2])
        try await publisher.shutdown()
    }

    @Test func aHandlerThatRecoversIsNotDeadLettered() async throws {
        let calls = NIOLockedValueBox(0)
        let handled = NIOLockedValueBox<[String]>([])
        let publisher = EventPublisher(settings: try amqpSettings(), logger: TestInfrastructure.logger)
        struct Flaky: Error {}
        try await withConsumer({ $0.retryDelay = .milliseconds(100) }, handler: { batch in
            if calls.withLockedValue({ $0 += 1; return $0 }) <= 2 { throw Flaky() }
            handled.withLockedValue { $0 += batch.map(\.messageId) }
        }) { spec in
            let namespace = spec.queue.split(separator: ".")[0]
            let event = EventEnvelope(type: "\(namespace).order.closed", producer: "order", tenantId: nil, traceId: nil, data: .null)
            try await publisher.publish([event])
            #expect(try await eventually { handled.withLockedValue { $0 } == [event.id.uuidString.lowercased()] })
            #expect(try await BrokerAdmin(settings: try amqpSettings()).messageCount(queue: spec.deadLetterQueue) == 0)
        }
        try await publisher.shutdown()
    }
}

/// A consumer's gather window, timed: in scripts/test.sh's quiet phase with the fault suites (under the
/// whole suite's load a publish can take longer than the window).
@Suite struct GatherWindowFaultTests {
    /// Three events published 200 ms apart: one batch when the consumer gathers for two seconds, three without.
    @Test(arguments: [(Duration.seconds(2), 1), (Duration.zero, 3)])
    func batchesGatherForTheirWindow(gather: Duration, batches: Int) async throws {
        let sizes = NIOLockedValueBox<[Int]>([])
        let publisher = EventPublisher(settings: try amqpSettings(), logger: TestInfrastructure.logger)
        try await withConsumer({ $0.gather = gather }, handler: { batch in sizes.withLockedValue { $0.append(batch.count) } }) { spec in
            let namespace = spec.queue.split(separator: ".")[0]
            for n in 1...3 {
                try await publisher.publish([try EventEnvelope(type: "\(namespace).order.confirmed", producer: "order", tenantId: nil, trace: nil,
                                                               payload: Booked(orderId: "o-\(n)", amount: "1.00"))])
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(try await eventually { sizes.withLockedValue { $0.reduce(0, +) } == 3 })
            #expect(sizes.withLockedValue { $0.count } == batches, "\(sizes.withLockedValue { $0 })")
        }
        try await publisher.shutdown()
    }
}
