// Reading headers: once-sent headers without joins, and headers another parser read.

import HTTPTypes
import NIOHTTP1
@testable import Shared
import Testing

@Suite struct HTTPFieldsTests {
    @Test func aHeaderSentOnceIsReadWithoutJoiningRepeats() {
        let fields: HTTPFields = [.requestId: "first", HTTPField.Name("x-request-id")!: "second", .contentType: "text/plain"]
        #expect(fields.first(.requestId) == "first" && fields[.requestId] == "first, second", "the subscript joins, first does not")
        #expect(fields.first(HTTPField.Name("X-REQUEST-ID")!) == "first", "names in any case")
        #expect(fields.first(.traceparent) == nil)
    }

    @Test func parsedHeadersKeepTheirOrderAndLeaveOutNamesThatAreNotTokens() {
        let parsed = HTTPHeaders([("Content-Type", "text/plain"), ("Bad Name", "x"), ("X-Seen", "a"), ("x-seen", "b")])
        let fields = HTTPFields(parsed: parsed)
        #expect(fields.map(\.name.rawName) == ["Content-Type", "X-Seen", "x-seen"] && fields[values: HTTPField.Name("X-Seen")!] == ["a", "b"])
    }
}
