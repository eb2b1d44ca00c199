// W3C traceparent parsing.

@testable import Shared
import Testing

@Suite struct TraceContextTests {
    @Test func continuesAValidTraceInANewSpan() throws {
        let trace = try #require(TraceContext.continuing("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
        #expect(trace.traceId == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(trace.parentSpanId == "00f067aa0ba902b7")
        #expect(trace.spanId.count == 16 && trace.spanId != "00f067aa0ba902b7")
        #expect(trace.traceparent == "00-4bf92f3577b34da6a3ce929d0e0e4736-\(trace.spanId)-01")
        let upper = try #require(TraceContext.continuing(" 00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01 "))
        #expect(upper.traceId == "4bf92f3577b34da6a3ce929d0e0e4736" && upper.parentSpanId == "00f067aa0ba902b7", "upper case and spaces are accepted, ids kept in lower case")
        let later = try #require(TraceContext.continuing("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-abc-"), "a later version's extra fields")
        #expect(later.traceId == "4bf92f3577b34da6a3ce929d0e0e4736" && later.flags == "01")
    }

    /// Ids come from a pool of random bytes refilled in bulk: across many refills no bytes are
    /// handed out twice, and every id is well-formed.
    @Test func randomIdsAreDistinctAcrossRefills() {
        let ids = (0..<5000).map { _ in RandomHex.make(bytes: 16) }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.utf8.count == 32 && $0.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) } })
        let roots = (0..<1000).map { _ in TraceContext.root() }
        #expect(Set(roots.map(\.traceId)).count == 1000 && Set(roots.map(\.spanId)).count == 1000)
        #expect(RandomHex.make(bytes: 5000).utf8.count == 10000, "more than the pool holds at once")
    }

    @Test(arguments: [
        "", "garbage", "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e47zz-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-011",
        "FF-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",
        "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-\u{10}1",
    ])
    func rejectsMalformedHeaders(_ header: String) {
        #expect(TraceContext.continuing(header) == nil)
    }
}
