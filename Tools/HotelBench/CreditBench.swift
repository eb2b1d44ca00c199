// Reserve + capture pairs against risk's internal API as fast as CONCURRENCY callers make them, each
// on one of the tenants given (in turn), every order new: pairs a second, and the latency of a pair.

import Foundation
import HTTPTypes
import NIOCore
import Shared

enum CreditBench {
    static func pairs(url: String, tenants: [String], currency: String, seconds: Int, concurrency: Int) async throws {
        let client = HTTP1Client(connectTimeout: .seconds(2), maxIdlePerHost: concurrency * 2)
        let run = UUID().uuidString.prefix(8).lowercased()
        let headers: HTTPFields = [.contentType: "application/json"]
        let outcome = await ClosedLoop.run(concurrency: concurrency, seconds: seconds) { worker, index in
            let tenant = tenants[(worker + index * concurrency) % tenants.count]
            let order = "bench-\(run)-\(worker)-\(index)"
            let reserve = #"{"tenant_id":"\#(tenant)","order_id":"\#(order)","amount":{"amount":"1.00","currency":"\#(currency)"}}"#
            let reserved = try? await client.execute(.post, url + "/credit/reservations", headers: headers, body: ByteBuffer(string: reserve), timeout: .seconds(10))
            guard reserved?.status == .created else { return false }
            let captured = try? await client.execute(.post, url + "/credit/reservations/\(order)/capture", headers: headers, body: ByteBuffer(string: "{}"), timeout: .seconds(10))
            return captured?.status == .ok
        }
        await client.shutdown()
        print("credit " + outcome.line("pairs", seconds: seconds) + " tenants=\(tenants.count) concurrency=\(concurrency)")
    }
}
