// Bookings through the gateway, on offer ids from searches made beforehand (a file, one a line, each
// booked once):
//   saturation: CONCURRENCY callers, each a price check then a booking (POST /api/v1/orders with a
//     new Idempotency-Key), for SECONDS: confirmed bookings a second; anything not 201 CONFIRMED
//     (sold out meanwhile, a price risen) counts as not confirmed, by its status and code;
//   paced: one booking due every 1/RATE s (open loop, timed from when it was due, as PacedLoad):
//     the booking call's p50/p99.
// The order numbers confirmed are written to ORDERS_FILE (one a line), a record of the run.

import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
import NIOCore
import Shared

enum BookingBench {
    struct Caller: Sendable {
        let client: HTTP1Client
        let gateway: String
        let token: String

        func headers(key: String? = nil) -> HTTPFields {
            var fields: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
            if let key { fields[.idempotencyKey] = key }
            return fields
        }

        /// The offer as it stands (a RECHECK rate gets its checked offer id), nil when sold out.
        func check(_ offer: String) async -> String? {
            guard let answer = try? await client.execute(.post, gateway + "/api/v1/offers/\(offer)/price-check", headers: headers(), timeout: .seconds(15)),
                answer.status == .ok, let json = try? JSONSerialization.jsonObject(with: Data(buffer: answer.body)) as? [String: Any],
                let renewed = (json["offer"] as? [String: Any])?["offer_id"] as? String
            else { return nil }
            return renewed
        }

        /// A booking (a new Idempotency-Key unless given): its status and the answer's JSON (status 0 when nothing answered).
        func submit(_ offer: String, key: String = UUID().uuidString) async -> (status: Int, json: [String: Any]) {
            let body = #"{"offer_id":"\#(offer)","guests":[{"first_name":"Bench","last_name":"Guest"}],"contact":{"email":"bench@example.com"},"price_tolerance":{"percent":"10"}}"#
            guard let answer = try? await client.execute(.post, gateway + "/api/v1/orders", headers: headers(key: key), body: ByteBuffer(string: body),
                                                         timeout: .seconds(60))
            else { return (0, [:]) }
            return (answer.status.code, (try? JSONSerialization.jsonObject(with: Data(buffer: answer.body)) as? [String: Any]) ?? [:])
        }

        /// The booking's status and its order number (201 CONFIRMED) or problem code.
        func book(_ offer: String) async -> (status: Int, outcome: String) {
            let (status, json) = await submit(offer)
            if status == 0 { return (0, "no_answer") }
            if status == 201, json["status"] as? String == "CONFIRMED", let number = json["number"] as? String { return (201, number) }
            return (status, json["code"] as? String ?? json["status"] as? String ?? "?")
        }
    }

    static func saturation(gateway: String, token: String, offers: [String], seconds: Int, concurrency: Int, ordersFile: String) async throws {
        let caller = Caller(client: HTTP1Client(connectTimeout: .seconds(5), maxIdlePerHost: concurrency * 2), gateway: gateway, token: token)
        let next = NIOLockedValueBox(0)
        let confirmed = NIOLockedValueBox<[String]>([])
        let refused = NIOLockedValueBox<[String: Int]>([:])
        let outcome = await ClosedLoop.run(concurrency: concurrency, seconds: seconds) { _, _ in
            let index = next.withLockedValue { value in defer { value += 1 }; return value }
            guard index < offers.count else { return false }
            guard let offer = await caller.check(offers[index]) else {
                refused.withLockedValue { $0["price_check_sold_out", default: 0] += 1 }
                return false
            }
            let (status, result) = await caller.book(offer)
            guard status == 201 else {
                refused.withLockedValue { $0["\(status) \(result)", default: 0] += 1 }
                return false
            }
            confirmed.withLockedValue { $0.append(result) }
            return true
        }
        await caller.client.shutdown()
        try confirmed.withLockedValue { $0.joined(separator: "\n") }.write(toFile: ordersFile, atomically: true, encoding: .utf8)
        let other = refused.withLockedValue { $0 }.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",")
        print("bookings " + outcome.line("confirmed", seconds: seconds) + " (price check + booking) concurrency=\(concurrency) offers_used=\(min(next.withLockedValue { $0 }, offers.count)) not_confirmed={\(other)}")
    }

    static func paced(gateway: String, token: String, offers: [String], rate: Int, seconds: Int, ordersFile: String) async throws {
        let caller = Caller(client: HTTP1Client(connectTimeout: .seconds(5)), gateway: gateway, token: token)
        let interval = Duration.nanoseconds(1_000_000_000 / Int64(rate))
        let clock = ContinuousClock()
        let start = clock.now + .milliseconds(100)
        let results = await withTaskGroup(of: (Double, Int, String).self) { group in
            for index in 0..<min(rate * seconds, offers.count) {
                let due = start + interval * index
                try? await clock.sleep(until: due)
                group.addTask {
                    let (status, outcome) = await caller.book(offers[index])
                    return (due.duration(to: clock.now).seconds * 1000, status, outcome)
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        await caller.client.shutdown()
        let confirmed = results.filter { $0.1 == 201 }
        try confirmed.map(\.2).joined(separator: "\n").write(toFile: ordersFile, atomically: true, encoding: .utf8)
        let latencies = confirmed.map(\.0)
        let other = Dictionary(grouping: results.filter { $0.1 != 201 }) { "\($0.1) \($0.2)" }.mapValues(\.count).sorted { $0.key < $1.key }
        print(String(format: "bookings paced rate=%d confirmed=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f", rate, confirmed.count,
                     OutboxHarness.percentile(latencies, 0.5), OutboxHarness.percentile(latencies, 0.99), latencies.max() ?? .nan)
              + " not_confirmed={" + other.map { "\($0.key):\($0.value)" }.joined(separator: ",") + "}")
    }
}
