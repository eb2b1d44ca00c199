// The broker going away under a publisher. Run after the other suites by scripts/test.sh.

import Foundation
import Shared
import Testing

@Suite(.serialized) struct MessagingFaultTests {
    @Test func publishOnABrokenConnectionFailsLoudlyThenRecovers() async throws {
        let publisher = EventPublisher(settings: try amqpSettings(), logger: TestInfrastructure.logger)
        let event = { EventEnvelope(type: "fault.test", producer: "test", tenantId: nil, traceId: nil, data: .null) }
        try await publisher.publish([event()])
        try TestInfrastructure.server("stop", "rabbitmq")
        await #expect(throws: AMQPError.self) { try await publisher.publish([event()]) }
        try TestInfrastructure.server("start", "rabbitmq")
        try await publisher.publish([event()])
        try await publisher.shutdown()
    }
}
