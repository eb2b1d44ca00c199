// Room holds against inventory's internal API as fast as CONCURRENCY callers make them, one room
// each, on the rate keys given (in turn: one key is one room type's nights, contended), every order
// new: holds a second, and the latency of a hold. A refused hold (sold out) counts as failed.

import Foundation
import HTTPTypes
import NIOCore
import Shared

enum HoldBench {
    static func holds(url: String, keys: [String], seconds: Int, concurrency: Int) async throws {
        let client = HTTP1Client(connectTimeout: .seconds(2), maxIdlePerHost: concurrency * 2)
        let run = UUID().uuidString.prefix(8).lowercased()
        let headers: HTTPFields = [.contentType: "application/json"]
        let outcome = await ClosedLoop.run(concurrency: concurrency, seconds: seconds) { worker, index in
            let key = keys[(worker + index * concurrency) % keys.count]
            let body = #"{"order_id":"bench-\#(run)-\#(worker)-\#(index)","rate_key":"\#(key)","rooms":1}"#
            let held = try? await client.execute(.post, url + "/holds", headers: headers, body: ByteBuffer(string: body), timeout: .seconds(10))
            return held?.status == .created
        }
        await client.shutdown()
        print("inventory " + outcome.line("holds", seconds: seconds) + " rate_keys=\(keys.count) concurrency=\(concurrency)")
    }
}
