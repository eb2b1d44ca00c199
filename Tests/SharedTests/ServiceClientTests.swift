// A call to another service carries the caller's request id and trace, and its failures say who
// answered what.

import Foundation
import Hummingbird
import HummingbirdTesting
import Shared
import Testing
import TestSupport

@Suite struct ServiceClientTests {
    @Test func callsCarryTheRequestIdAndContinueTheTrace() async throws {
        let app = try TestService.application()
        try await app.test(.live) { client in
            let service = ServiceClient(.pricing, baseURL: "http://127.0.0.1:\(try #require(client.port))", http: HTTP1Client())
            let origin = CallOrigin(requestId: "req-77", trace: .root())
            let seen = try await service.get("/origin", as: [String: String].self, origin: origin, timeout: .seconds(5))
            #expect(seen["request_id"] == "req-77")
            #expect(seen["trace_id"] == origin.trace.traceId, "the callee continues the caller's trace")
            #expect(seen["parent_span"] == origin.trace.spanId, "under the caller's span")

            let job = CallOrigin.job()
            #expect(try await service.get("/origin", as: [String: String].self, origin: job, timeout: .seconds(5))["trace_id"] == job.trace.traceId)
        }
    }

    @Test func failuresNameTheServiceTheStatusAndItsProblemCode() async throws {
        let app = try TestService.application()
        try await app.test(.live) { client in
            let service = ServiceClient(.pricing, baseURL: "http://127.0.0.1:\(try #require(client.port))", http: HTTP1Client())
            do {
                _ = try await service.get("/nowhere", as: [String: String].self, origin: .job(), timeout: .seconds(5))
                Issue.record("a 404 decoded")
            } catch ServiceCallError.answered(let callee, let path, let status, let code, _) {
                #expect(callee == .pricing && path == "/nowhere" && status == 404 && code == "not_found")
            }
        }
        let dead = ServiceClient(.risk, baseURL: "http://127.0.0.1:1", http: HTTP1Client())
        do {
            _ = try await dead.get("/credit", as: [String: String].self, origin: .job(), timeout: .seconds(2))
            Issue.record("a dead port answered")
        } catch ServiceCallError.unreachable(let callee, let path, _) {
            #expect(callee == .risk && path == "/credit")
        }
    }
}
