// A distributor's traffic at a steady rate, open loop (one request due every 1/RATE s, timed from
// when it was due, as PacedLoad): of every 100, 90 searches (bodies from a file, Zipf-like, so the
// popular ones are cached), 7 price checks and 2 bookings (offer ids from a file: each booking takes
// the next one, a price check any), and 1 cancellation of an order this run confirmed. A line per
// operation: count, p50/p99, and the answers that were not 2xx by status. The order numbers
// confirmed go to ORDERS_FILE, one a line, a record of the run.
// A booking is placed as a careful client places it: when nothing answers, a 5xx, or 409
// idempotency_key_in_flight, it is sent again under the same Idempotency-Key (up to 6 times, a second
// apart); its line counts the last answer. With TIMELINE_FILE, every call (each attempt) is written
// there as `epoch_ms operation status`, for scripts/chaos.sh to time recoveries.

import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
import NIOCore
import Shared

enum MixedLoad {
    enum Operation: String, CaseIterable, Sendable { case search, priceCheck = "price_check", booking, cancellation }

    /// Spread evenly: every tenth slot is not a search; of those ten, 7 price checks, 2 bookings, 1 cancellation.
    static func operation(_ index: Int) -> Operation {
        let slot = index % 100
        guard slot % 10 == 9 else { return .search }
        switch slot / 10 {
        case 0..<7: return .priceCheck
        case 7, 8: return .booking
        default: return .cancellation
        }
    }

    struct Result: Sendable {
        let operation: Operation
        let milliseconds: Double
        /// 0 when nothing answered; -1 when there was nothing to do (no order to cancel yet).
        let status: Int
    }

    /// Every call as it was sent: when (Unix ms), what, and its status.
    final class Timeline: Sendable {
        private let lines = NIOLockedValueBox<[String]>([])
        func record(_ operation: Operation, _ status: Int, sentAt: Date) {
            let line = "\(Int64(sentAt.timeIntervalSince1970 * 1000)) \(operation.rawValue) \(status)"
            lines.withLockedValue { $0.append(line) }
        }
        func write(to file: String) throws { try lines.withLockedValue { $0.joined(separator: "\n") + "\n" }.write(toFile: file, atomically: true, encoding: .utf8) }
    }

    static func run(gateway: String, token: String, searches: [ByteBuffer], offers: [String], rate: Int, seconds: Int, ordersFile: String,
                    timelineFile: String? = nil) async throws {
        let caller = BookingBench.Caller(client: HTTP1Client(connectTimeout: .seconds(5), maxIdlePerHost: 256), gateway: gateway, token: token)
        let timeline = Timeline()
        let interval = Duration.nanoseconds(1_000_000_000 / Int64(rate))
        let clock = ContinuousClock()
        let start = clock.now + .milliseconds(100)
        let zipf = PacedLoad.Zipf(count: searches.count)
        let nextOffer = NIOLockedValueBox(0)
        let confirmed = NIOLockedValueBox<[(id: String, number: String)]>([])
        let cancellable = NIOLockedValueBox<[String]>([])
        let results = await withTaskGroup(of: Result.self) { group in
            for index in 0..<(rate * seconds) {
                let due = start + interval * index
                try? await clock.sleep(until: due)
                let operation = operation(index)
                let search = searches[zipf.next()]
                group.addTask {
                    func timed(_ call: () async -> Int) async -> Int {
                        let sent = Date()
                        let status = await call()
                        timeline.record(operation, status, sentAt: sent)
                        return status
                    }
                    let status: Int
                    switch operation {
                    case .search:
                        status = await timed { await caller.status(.post, "/api/v1/search", body: search) }
                    case .priceCheck:
                        status = await timed { await caller.status(.post, "/api/v1/offers/\(offers[Int.random(in: 0..<offers.count)])/price-check") }
                    case .booking:
                        let offer = nextOffer.withLockedValue { next in defer { next += 1 }; return offers[next % offers.count] }
                        let (code, order) = await caller.place(offer) { status, sent in timeline.record(.booking, status, sentAt: sent) }
                        if let order {
                            confirmed.withLockedValue { $0.append(order) }
                            cancellable.withLockedValue { $0.append(order.id) }
                        }
                        status = code
                    case .cancellation:
                        if let order = cancellable.withLockedValue({ $0.popLast() }) {
                            status = await timed { await caller.status(.post, "/api/v1/orders/\(order)/cancel") }
                        } else {
                            status = -1
                        }
                    }
                    return Result(operation: operation, milliseconds: due.duration(to: clock.now).seconds * 1000, status: status)
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let elapsed = start.duration(to: clock.now)
        await caller.client.shutdown()
        try confirmed.withLockedValue { $0.map(\.number).joined(separator: "\n") }.write(toFile: ordersFile, atomically: true, encoding: .utf8)
        if let timelineFile { try timeline.write(to: timelineFile) }
        let done = results.filter { $0.status != -1 }
        print(String(format: "mixed rate=%d achieved=%.1f requests=%d not_2xx=%d", rate, Double(done.count) / elapsed.seconds, done.count,
                     done.filter { !(200..<300).contains($0.status) }.count))
        for operation in Operation.allCases {
            let mine = done.filter { $0.operation == operation }
            let latencies = mine.map(\.milliseconds)
            let failed = Dictionary(grouping: mine.filter { !(200..<300).contains($0.status) }, by: \.status).mapValues(\.count)
            print(String(format: "mixed rate=%d op=%@ n=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f not_2xx=%d", rate, operation.rawValue, mine.count,
                         OutboxHarness.percentile(latencies, 0.5), OutboxHarness.percentile(latencies, 0.99), latencies.max() ?? .nan,
                         failed.values.reduce(0, +))
                  + (failed.isEmpty ? "" : " statuses=" + failed.sorted { $0.key < $1.key }.map { "\($0.key == 0 ? "none" : String($0.key)):\($0.value)" }.joined(separator: ",")))
        }
    }
}

extension BookingBench.Caller {
    /// The status of a call through the gateway (0 when nothing answered).
    func status(_ method: HTTPRequest.Method, _ path: String, body: ByteBuffer? = nil) async -> Int {
        let answer = try? await client.execute(method, gateway + path, headers: headers(), body: body, timeout: .seconds(30))
        return answer?.status.code ?? 0
    }

    /// A booking, sent again under its Idempotency-Key while the answer says nothing final (no
    /// answer, a 5xx, the first attempt still in flight): the last status, and the order (id and
    /// number) when confirmed. `attempted` hears of every attempt.
    func place(_ offer: String, attempted: (Int, Date) -> Void = { _, _ in }) async -> (Int, (id: String, number: String)?) {
        let key = UUID().uuidString
        var (status, json) = (0, [String: Any]())
        for attempt in 1...6 {
            if attempt > 1 { try? await Task.sleep(for: .seconds(1)) }
            let sent = Date()
            (status, json) = await submit(offer, key: key)
            attempted(status, sent)
            let inFlight = status == 409 && json["code"] as? String == "idempotency_key_in_flight"
            guard status == 0 || status >= 500 || inFlight else { break }
        }
        guard status == 201, json["status"] as? String == "CONFIRMED", let id = json["id"] as? String, let number = json["number"] as? String
        else { return (status, nil) }
        return (201, (id, number))
    }
}
