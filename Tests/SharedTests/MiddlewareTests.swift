// Request identity, problem+json, body limits, access logs and metrics, through the router.

import Foundation
import Hummingbird
import HummingbirdTesting
import Shared
import Testing

@Suite struct MiddlewareTests {
    @Test func echoesCallersRequestIdAndContinuesTheirTrace() async throws {
        let sink = LogSink.capturing()
        let app = try TestService.application(sink: sink)
        let callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
        try await app.test(.router) { client in
            let headers: HTTPFields = [.requestId: "req-42", .traceparent: "00-\(callerTrace)-00f067aa0ba902b7-01"]
            try await client.execute(uri: "/hotels/7", method: .get, headers: headers) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.requestId] == "req-42")
                let echoed = try #require(response.headers[.traceparent]).split(separator: "-")
                #expect(echoed[1] == Substring(callerTrace))
                #expect(echoed[2] != "00f067aa0ba902b7", "this service opens its own span")
            }
        }
        let lines = try sink.captured.map(json(line:))
        let handlerLine = try #require(lines.first { $0["message"] as? String == "looking up hotel" })
        let accessLine = try #require(lines.first { $0["message"] as? String == "request completed" })
        for line in [handlerLine, accessLine] {
            #expect(line["traceId"] as? String == callerTrace)
            #expect((line["context"] as? [String: Any])?["requestId"] as? String == "req-42")
        }
        let access = try #require(accessLine["context"] as? [String: Any])
        #expect(access["route"] as? String == "/hotels/{id}")
        #expect(access["status"] as? Int == 200)
        #expect(access["method"] as? String == "GET")
        #expect(access["durationMs"] is Double)
    }

    @Test func generatesRequestIdAndTraceWhenAbsentOrUnsafe() async throws {
        let app = try TestService.application()
        try await app.test(.router) { client in
            let headers: HTTPFields = [.requestId: "bad id\u{7f}", .traceparent: "00-zz-00-01"]
            try await client.execute(uri: "/hotels/1", method: .get, headers: headers) { response in
                let id = try #require(response.headers[.requestId])
                #expect(id.count == 32 && id != "bad id\u{7f}")
                let trace = try #require(response.headers[.traceparent])
                #expect(TraceContext.continuing(trace) != nil, "a valid generated traceparent")
            }
        }
    }

    @Test func badBodyIsProblemJSONNamingTheField() async throws {
        let app = try TestService.application()
        try await app.test(.router) { client in
            let body = ByteBuffer(string: #"{"guest_name": "Li"}"#)
            try await client.execute(uri: "/bookings", method: .post, headers: [.requestId: "r1"], body: body) { response in
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType] == "application/problem+json")
                let problem = try json(response.body)
                #expect(problem["code"] as? String == "invalid_body")
                #expect(problem["status"] as? Int == 400)
                #expect(problem["request_id"] as? String == "r1")
                #expect((problem["detail"] as? String)?.contains("nights") == true)
                #expect(problem["title"] as? String == "Bad Request")
                #expect((problem["type"] as? String)?.hasSuffix("/invalid_body") == true)
            }
            try await client.execute(uri: "/bookings", method: .post, body: ByteBuffer(string: "{not json")) { response in
                #expect(response.status == .badRequest)
                #expect((try? json(response.body))?["code"] as? String == "invalid_body")
            }
        }
    }

    @Test func unknownRouteIsProblemJSON404() async throws {
        let app = try TestService.application()
        try await app.test(.router) { client in
            try await client.execute(uri: "/nowhere", method: .get) { response in
                #expect(response.status == .notFound)
                #expect((try? json(response.body))?["code"] as? String == "not_found")
            }
        }
    }

    @Test func bodyOverTheLimitIs413() async throws {
        let app = try TestService.application()
        try await app.test(.router) { client in
            let big = ByteBuffer(string: String(repeating: "x", count: 300))
            try await client.execute(uri: "/bookings", method: .post, body: big) { response in
                #expect(response.status == .contentTooLarge)
                #expect((try? json(response.body))?["code"] as? String == "payload_too_large")
            }
            let small = ByteBuffer(string: #"{"guest_name":"Li","nights":2}"#)
            try await client.execute(uri: "/bookings", method: .post, body: small) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "Li for 2")
            }
        }
    }

    @Test func unexpectedErrorIs500ProblemLoggedAtErrorAndTimed() async throws {
        let sink = LogSink.capturing()
        let app = try TestService.application(sink: sink)
        try await app.test(.router) { client in
            try await client.execute(uri: "/explode", method: .get) { response in
                #expect(response.status == .internalServerError)
                let problem = try json(response.body)
                #expect(problem["code"] as? String == "internal_error")
                #expect((problem["detail"] as? String)?.contains("Failure") == false, "no internals leak to the caller")
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#"http_requests_total{service="kit-test",route="/explode",method="GET",status="500"} 1"#))
                #expect(text.contains(#"http_request_duration_seconds_count{service="kit-test",route="/explode",method="GET",status="500"} 1"#))
            }
        }
        let errorLine = try #require(try sink.captured.map(json(line:)).first { $0["level"] as? String == "ERROR" })
        #expect((errorLine["context"] as? [String: Any])?["error"] as? String == "SharedTests.Failure()")
    }
}
