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
        try measure("coding", file: file, count: count, as: Answer.self) { $0 } size: { answer in
            JSONWriter.bytes(of: answer, capacity: 512 * answer.offers.count + 64).count
        }
    }

    /// Pricing's batch (`POST /prices`): the request read and an answer of as many priced offers written.
    static func prices(file: String, count: Int) throws {
        try measure("prices", file: file, count: count, as: PriceBatchRequest.self) { batch in
            PriceBatchResult(offers: batch.offers.map { PricedOffer(id: $0.id, sell: $0.net, net: $0.net, ruleId: nil, guardApplied: nil, unpriced: nil) })
        } size: { result in
            JSONWriter.bytes(of: result, capacity: 128 * result.offers.count + 64).count
        }
    }

    /// Reads FILE as `Read` COUNT times, then writes what `answer` makes of it COUNT times: ms each.
    static func measure<Read: JSONReadable, Written>(
        _ name: String, file: String, count: Int, as: Read.Type, answer: (Read) -> Written, size: (Written) -> Int
    ) throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        var document = try JSONReader.read(Read.self, from: bytes)
        let clock = ContinuousClock()
        let read = clock.measure {
            for _ in 0..<count { document = try! JSONReader.read(Read.self, from: bytes) }
        }
        let written = answer(document)
        var writtenSize = 0
        let writing = clock.measure {
            for _ in 0..<count { writtenSize = size(written) }
        }
        func each(_ duration: Duration) -> String { String(format: "%.3f", duration / .milliseconds(1) / Double(count)) }
        print("\(name) bytes=\(bytes.count) written=\(writtenSize) read_ms=\(each(read)) write_ms=\(each(writing))")
    }
}
