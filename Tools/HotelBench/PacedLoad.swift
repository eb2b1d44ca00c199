// Latency at a fixed request rate, measured the way wrk2 and vegeta do: an open-loop load, one GET
// due every 1/RATE s whatever happened to the ones before it, each timed from when it was due (a
// slow answer delays nothing and hides nothing: no coordinated omission). hey's `-q` fires its
// workers together, so at 1,000 req/s over 10 workers it sends bursts of 10 every 10 ms instead.

import Foundation
import HTTPTypes
import Shared

enum PacedLoad {
    static func run(rate: Int, seconds: Int, url: String, headers: [String]) async throws {
        var fields = HTTPFields()
        for header in headers {
            let parts = header.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let name = HTTPField.Name(String(parts[0])) else { throw Usage("header '\(header)' is not 'Name: value'") }
            fields[name] = parts[1].trimmingCharacters(in: .whitespaces)
        }
        let client = HTTP1Client(connectTimeout: .seconds(2)), sent = fields
        let interval = Duration.nanoseconds(1_000_000_000 / Int64(rate))
        let clock = ContinuousClock()
        let start = clock.now + .milliseconds(100)
        let results = await withTaskGroup(of: (Duration, Int, Duration).self) { group in
            for index in 0..<(rate * seconds) {
                let due = start + interval * index
                try? await clock.sleep(until: due)
                group.addTask {
                    let late = due.duration(to: clock.now)
                    let status = (try? await client.execute(.get, url, headers: sent, timeout: .seconds(5)).status.code) ?? 0
                    return (due.duration(to: clock.now), status, late)
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let elapsed = start.duration(to: clock.now)
        await client.shutdown()
        let latencies = results.map { $0.0.seconds * 1000 }
        let failed = results.filter { $0.1 != 200 }.count
        let lateness = results.map { $0.2.seconds * 1000 }
        print(String(format: "paced p50_ms=%.2f p99_ms=%.2f max_ms=%.2f requests=%d not_200=%d rate=%.0f sent_late_p99_ms=%.2f",
                     OutboxHarness.percentile(latencies, 0.5), OutboxHarness.percentile(latencies, 0.99), latencies.max() ?? .nan,
                     results.count, failed, Double(results.count) / elapsed.seconds, OutboxHarness.percentile(lateness, 0.99)))
    }

    struct Usage: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
