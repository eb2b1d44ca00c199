// Answers in the suppliers' own formats (not the platform's problem+json): JSON for bed banks, XML
// for OpenTravel, and the misbehaviour the fault plan asks for.

import FoundationEssentials
import Hummingbird
import Shared

enum SimulatorResponse {
    /// A document written by hand when it can be (the availability answer: BedBank+JSON.swift), else by JSONEncoder.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let bytes = (value as? any JSONWritable).map { JSONWriter.bytes(of: $0, capacity: 64 * 1024) }
            ?? (try? PlatformJSON.encoder.encode(value)).map(Array.init) ?? Array("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func xml(_ element: XMLElement, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/xml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: element.documentBytes)))
    }

    /// A body cut off half-way, as a supplier behind a failing proxy sends it.
    static func malformed(contentType: String, sample: String) -> Response {
        Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: String(sample.prefix(sample.count / 2)))))
    }

    static func body(_ request: Request, limit: Int = 1 << 20) async throws -> ByteBuffer {
        try await request.body.collect(upTo: limit)
    }
}

/// Applies a supplier's fault plan around one call.
struct FaultInjector: Sendable {
    let board: FaultBoard

    /// Set while a booking the plan refuses as sold out runs: the desk says sold out whatever it has.
    @TaskLocal static var soldOut = false

    /// `booking`: the call makes a booking, which `bookTimeoutRate` lets happen and then answers too late.
    func run(_ supplier: String, booking: Bool = false, error: () -> Response, malformed: () -> Response, _ body: () async throws -> Response)
        async throws -> Response
    {
        let plan = board.plan(supplier)
        var random = SystemRandomNumberGenerator()
        let (latency, outcome) = plan.draw(using: &random)
        let clock = ContinuousClock()
        let due = clock.now + latency
        func answerWhenDue(extra: Duration = .zero) async throws {
            if latency + extra > .zero { try await Task.sleep(until: due + extra, clock: clock) }
        }
        switch outcome {
        case .hang:
            try await answerWhenDue(extra: .milliseconds(plan.hangMs))
            return error()
        case .error:
            try await answerWhenDue()
            return error()
        case .malformed:
            try await answerWhenDue()
            return malformed()
        case .normal:
            // The latency is the time to the answer: the answer is worked out first, then held until then
            // (a supplier set to answer in 1 s answers in 1 s, not in 1 s plus the time to write its answer).
            let soldOut = booking && Double.random(in: 0..<1, using: &random) < plan.bookSoldOutRate
            let response = soldOut ? try await Self.$soldOut.withValue(true) { try await body() } : try await body()
            try await answerWhenDue()
            if soldOut { return response }
            if booking, Double.random(in: 0..<1, using: &random) < plan.bookTimeoutRate {
                try await Task.sleep(for: .milliseconds(plan.hangMs))
            }
            return response
        }
    }
}
