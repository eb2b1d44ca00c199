// The JSON kit on a search's hottest document: a supplier's answer as query-engine keeps it in
// Redis ({"at": ..., "offers": [...]}, about a thousand offers), read and written COUNT times.
// The CPU a search spends on it, without the network or the rest of the platform.

import Foundation
import Shared

enum CodingBench {
    struct Answer: JSONReadable, JSONWritable {
        var at: Int64
        var offers: [SupplierOffer]

        init(json: inout JSONReader) throws {
            var at: Int64 = 0, offers: [SupplierOffer] = []
            try json.object { reader, key in
                switch key {
                case "at": at = Int64(try reader.int())
                case "offers": offers = try reader.array(of: SupplierOffer.self)
                default: try reader.skip()
                }
            }
            (self.at, self.offers) = (at, offers)
        }

        func write(json: inout JSONWriter) {
            json.object {
                $0.field("at", at)
                $0.key("offers")
                $0.array(offers) { $0.value($1) }
            }
        }
    }

    static func run(file: String, count: Int) throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        var answer = try JSONReader.read(Answer.self, from: bytes)
        let clock = ContinuousClock()
        let read = clock.measure {
            for _ in 0..<count { answer = try! JSONReader.read(Answer.self, from: bytes) }
        }
        var size = 0
        let written = clock.measure {
            for _ in 0..<count { size = JSONWriter.bytes(of: answer, capacity: 512 * answer.offers.count + 64).count }
        }
        func each(_ duration: Duration) -> String { String(format: "%.3f", duration / .milliseconds(1) / Double(count)) }
        print("coding offers=\(answer.offers.count) bytes=\(bytes.count) written=\(size) read_ms=\(each(read)) write_ms=\(each(written))")
    }

    /// Pricing's batch (`POST /prices`): the request read and an answer of as many priced offers written.
    static func prices(file: String, count: Int) throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        var batch = try JSONReader.read(PriceBatchRequest.self, from: bytes)
        let clock = ContinuousClock()
        let read = clock.measure {
            for _ in 0..<count { batch = try! JSONReader.read(PriceBatchRequest.self, from: bytes) }
        }
        let result = PriceBatchResult(offers: batch.offers.map { PricedOffer(id: $0.id, sell: $0.net, net: $0.net, ruleId: nil, guardApplied: nil, unpriced: nil) })
        var size = 0
        let written = clock.measure {
            for _ in 0..<count { size = JSONWriter.bytes(of: result, capacity: 96 * result.offers.count + 64).count }
        }
        func each(_ duration: Duration) -> String { String(format: "%.3f", duration / .milliseconds(1) / Double(count)) }
        print("prices offers=\(batch.offers.count) bytes=\(bytes.count) written=\(size) read_ms=\(each(read)) write_ms=\(each(written))")
    }
}
