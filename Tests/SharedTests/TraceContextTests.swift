// W3C traceparent parsing.

import Shared
import Testing

@Suite struct TraceContextTests {
    @Test func continuesAValidTraceInANewSpan() throws {
        let trace = try #require(TraceContext.continuing("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
        #expect(trace.traceId == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(trace.parentSpanId == "00f067aa0ba902b7")
        #expect(trace.spanId.count == 16 && trace.spanId != "00f067aa0ba902b7")
        #expect(trace.traceparent == "00-4bf92f3577b34da6a3ce929d0e0e4736-\(trace.spanId)-01")
    }

    @Test(arguments: [
        "", "garbage", "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e47zz-00f067aa0ba902b7-01",
    ])
    func rejectsMalformedHeaders(_ header: String) {
        #expect(TraceContext.continuing(header) == nil)
    }
}
