// A small service built through the real ServiceRunner, with routes that exercise the kit.

import Foundation
import Hummingbird
import Shared

struct Booking: Decodable {
    let guestName: String
    let nights: Int

    enum CodingKeys: String, CodingKey { case guestName = "guest_name", nights }
}

struct Failure: Error {}

enum TestService {
    static func definition(dependencies: [Dependency] = [], connectionsPerClient: Int? = nil) -> ServiceDefinition {
        ServiceDefinition(name: "kit-test", dependencies: dependencies) { setup in
            setup.connectionLimit = connectionsPerClient.map { ClientConnectionLimit(maxPerClient: $0) }
            setup.router.get("/hotels/{id}") { _, context in
                context.logger.info("looking up hotel")
                return "hotel \(context.parameters.get("id") ?? "")"
            }
            setup.router.post("/bookings") { request, context -> String in
                let booking = try await request.decode(as: Booking.self, context: context)
                return "\(booking.guestName) for \(booking.nights)"
            }
            setup.router.get("/whoami") { _, context -> String in
                let caller = try context.requireIdentity()
                return "\(caller.tenantId) as \(caller.role)"
            }
            if let pool = setup.clients.postgres {
                setup.router.get("/database-time") { _, _ -> String in try await pool.query("SELECT now()::text AS now").first?.string("now") ?? "" }
            }
            setup.router.get("/origin") { request, context -> [String: String] in
                ["request_id": context.requestId, "trace_id": context.trace.traceId, "parent_span": context.trace.parentSpanId ?? ""]
            }
            setup.router.get("/explode") { _, _ -> String in throw Failure() }
            setup.router.get("/sleep/{ms}") { _, context -> String in
                try await Task.sleep(for: .milliseconds(try context.parameters.require("ms", as: Int.self)))
                return "slept"
            }
            setup.router.get("/slow") { _, _ -> String in
                try await Task.sleep(for: .milliseconds(800))
                return "done"
            }
        }
    }

    static func application(
        dependencies: [Dependency] = [],
        environment: [String: String] = [:],
        connectionsPerClient: Int? = nil,
        sink: LogSink = .capturing()
    ) throws -> some ApplicationProtocol {
        try ServiceRunner.makeApplication(
            definition(dependencies: dependencies, connectionsPerClient: connectionsPerClient),
            environment: EnvironmentVariables(["MAX_BODY_BYTES": "256"].merging(environment) { _, new in new }),
            logSink: sink
        )
    }
}

func json(_ buffer: ByteBuffer) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any] ?? [:]
}

func json(line: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
}
