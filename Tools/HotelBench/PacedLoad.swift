// Latency at a fixed request rate, measured the way wrk2 and vegeta do: an open-loop load, one
// request due every 1/RATE s whatever happened to the ones before it, each timed from when it was due
// (a slow answer delays nothing and hides nothing: no coordinated omission). hey's `-q` fires its
// workers together, so at 1,000 req/s over 10 workers it sends bursts of 10 every 10 ms instead.
// A GET, or POSTs of bodies from a file (one JSON a line) chosen in turn or Zipf-like; for searches,
// the sources' outcomes are counted (the cache's hit ratio, supplier calls per search).
// PACED_TIMELINE=FILE writes each request's due time (s) and latency (ms), a line each, to find
// when the slow ones came (a periodic stall shows as a column of them).

import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
import NIOCore
import Shared

enum PacedLoad {
    enum Pick: String { case inTurn = "in-turn", zipf }

    static func run(rate: Int, seconds: Int, url: String, headers: [String], bodies: [ByteBuffer] = [], pick: Pick = .inTurn) async throws {
        var fields = HTTPFields()
        for header in headers {
            let parts = header.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let name = HTTPField.Name(String(parts[0])) else { throw Usage("header '\(header)' is not 'Name: value'") }
            fields[name] = parts[1].trimmingCharacters(in: .whitespaces)
        }
        if !bodies.isEmpty { fields[.contentType] = "application/json" }
        let client = HTTP1Client(connectTimeout: .seconds(2)), sent = fields
        let interval = Duration.nanoseconds(1_000_000_000 / Int64(rate))
        let clock = ContinuousClock()
        let start = clock.now + .milliseconds(100)
        let outcomes = NIOLockedValueBox<[String: Int]>([:])
        let zipf = Zipf(count: bodies.count)
        let results = await withTaskGroup(of: (Duration, Int, Duration, Int).self) { group in
            for index in 0..<(rate * seconds) {
                let due = start + interval * index
                try? await clock.sleep(until: due)
                let body: ByteBuffer? = bodies.isEmpty ? nil : bodies[pick == .zipf ? zipf.next() : index % bodies.count]
                group.addTask {
                    let late = due.duration(to: clock.now)
                    let response = try? await client.execute(body == nil ? .get : .post, url, headers: sent, body: body, timeout: .seconds(10))
                    if let response, body != nil { Self.count(response.body, into: outcomes) }
                    return (due.duration(to: clock.now), response?.status.code ?? 0, late, index)
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let elapsed = start.duration(to: clock.now)
        await client.shutdown()
        let latencies = results.map { $0.0.seconds * 1000 }
        let failed = results.filter { !(200..<300).contains($0.1) }.count
        let lateness = results.map { $0.2.seconds * 1000 }
        var line = String(format: "paced p50_ms=%.2f p99_ms=%.2f max_ms=%.2f requests=%d not_2xx=%d rate=%.0f sent_late_p99_ms=%.2f",
                          OutboxHarness.percentile(latencies, 0.5), OutboxHarness.percentile(latencies, 0.99), latencies.max() ?? .nan,
                          results.count, failed, Double(results.count) / elapsed.seconds, OutboxHarness.percentile(lateness, 0.99))
        if failed > 0 {
            let statuses = Dictionary(grouping: results.filter { !(200..<300).contains($0.1) }, by: \.1).mapValues(\.count)
            line += " statuses=" + statuses.sorted { $0.key < $1.key }.map { "\($0.key == 0 ? "none" : String($0.key)):\($0.value)" }.joined(separator: ",")
        }
        let counted = outcomes.withLockedValue { $0 }
        if !counted.isEmpty {
            let answers = counted.values.reduce(0, +), hits = (counted["cached"] ?? 0) + (counted["stale"] ?? 0)
            let calls = answers - hits
            line += String(format: " sources=%d hit_ratio=%.4f supplier_calls_per_search=%.3f", answers, Double(hits) / Double(max(answers, 1)),
                           Double(calls) / Double(max(results.count - failed, 1)))
            line += " outcomes=" + counted.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",")
        }
        print(line)
        if let path = ProcessInfo.processInfo.environment["PACED_TIMELINE"] {
            let rows = results.sorted { $0.3 < $1.3 }.map { String(format: "%.3f %.2f", (interval * $0.3).seconds, $0.0.seconds * 1000) }
            try? rows.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    /// Counts the `sources[].outcome` of a search answer. Only the answer's last member is parsed
    /// (`sources`, a few hundred bytes): parsing a whole page of offers cost the load generator more
    /// CPU than the services it measured.
    static func count(_ body: ByteBuffer, into outcomes: NIOLockedValueBox<[String: Int]>) {
        // `sources` closes the answer: only its tail is searched (a generic search of a whole page is slow).
        let bytes = Array(body.readableBytesView.suffix(4096))
        guard let start = bytes.lastRange(of: Array(#""sources":"#.utf8)),
            let json = try? JSONSerialization.jsonObject(with: Data([UInt8(ascii: "{")] + bytes[start.lowerBound...])) as? [String: Any],
            let sources = json["sources"] as? [[String: Any]]
        else { return }
        outcomes.withLockedValue { counts in
            for source in sources { counts[source["outcome"] as? String ?? "?", default: 0] += 1 }
        }
    }

    /// Indexes 0..<count drawn with probability proportional to 1/(index + 1).
    struct Zipf: Sendable {
        let cumulative: [Double]
        init(count: Int) {
            var total = 0.0
            cumulative = (0..<max(count, 1)).map { index in
                total += 1 / Double(index + 1)
                return total
            }
        }
        func next() -> Int {
            let target = Double.random(in: 0..<(cumulative.last ?? 1))
            return cumulative.firstIndex { $0 > target } ?? 0
        }
    }

    struct Usage: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
