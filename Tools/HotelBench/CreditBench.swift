// Reserve + capture pairs against risk's internal API as fast as CONCURRENCY callers make them, each
// on one of the tenants given (in turn), every order new: pairs a second, and the latency of a pair.

import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
import NIOCore
import Shared

enum CreditBench {
    static func pairs(url: String, tenants: [String], currency: String, seconds: Int, concurrency: Int) async throws {
        let client = HTTP1Client(connectTimeout: .seconds(2), maxIdlePerHost: concurrency * 2)
        let clock = ContinuousClock()
        let end = clock.now + .seconds(seconds)
        let run = UUID().uuidString.prefix(8).lowercased()
        let headers: HTTPFields = [.contentType: "application/json"]
        let results = await withTaskGroup(of: (ok: Int, failed: Int, latencies: [Double]).self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var ok = 0, failed = 0, latencies: [Double] = []
                    var index = 0
                    while clock.now < end {
                        let tenant = tenants[(worker + index * concurrency) % tenants.count]
                        let order = "bench-\(run)-\(worker)-\(index)"
                        index += 1
                        let started = clock.now
                        let reserve = #"{"tenant_id":"\#(tenant)","order_id":"\#(order)","amount":{"amount":"1.00","currency":"\#(currency)"}}"#
                        let reserved = try? await client.execute(.post, url + "/credit/reservations", headers: headers, body: ByteBuffer(string: reserve), timeout: .seconds(10))
                        let captured = reserved?.status == .created
                            ? try? await client.execute(.post, url + "/credit/reservations/\(order)/capture", headers: headers, body: ByteBuffer(string: "{}"), timeout: .seconds(10))
                            : nil
                        if captured?.status == .ok {
                            ok += 1
                            latencies.append(started.duration(to: clock.now).seconds * 1000)
                        } else {
                            failed += 1
                        }
                    }
                    return (ok, failed, latencies)
                }
            }
            return await group.reduce(into: (ok: 0, failed: 0, latencies: [Double]())) {
                $0.ok += $1.ok
                $0.failed += $1.failed
                $0.latencies += $1.latencies
            }
        }
        await client.shutdown()
        print(String(
            format: "credit pairs=%d failed=%d pairs_per_s=%.0f pair_p50_ms=%.2f pair_p99_ms=%.2f tenants=%d concurrency=%d", results.ok, results.failed,
            Double(results.ok) / Double(seconds), OutboxHarness.percentile(results.latencies, 0.5), OutboxHarness.percentile(results.latencies, 0.99),
            tenants.count, concurrency))
    }
}
