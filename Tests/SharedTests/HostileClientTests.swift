// What a hostile or broken client sends, over real sockets: malformed chunked bodies, NUL in JSON,
// requests trickled or abandoned (slowloris), too many connections from one address. Deadlines of
// fractions of a second: the suite runs in scripts/test.sh's quiet phase with the fault suites.

import Foundation
import Hummingbird
import HummingbirdTesting
import Shared
import Testing
import TestSupport

@Suite struct HostileClientFaultTests {
    /// Fast deadlines, so a test waits fractions of a second.
    static let deadlines = ["HTTP_HEADER_TIMEOUT_MS": "400", "HTTP_BODY_TIMEOUT_MS": "400", "HTTP_IDLE_TIMEOUT_MS": "800"]

    static func errorLines(_ sink: LogSink) -> [String] {
        sink.captured.filter { $0.contains(#""level":"ERROR""#) || $0.contains(#""level":"CRITICAL""#) }
    }

    @Test(arguments: [
        ("a chunk size that is not hex", "zz\r\n{}\r\n0\r\n\r\n"),
        ("a chunk longer than declared", "3\r\n{\"guest_name\":\"Li\"}\r\n0\r\n\r\n"),
        ("a chunk size line without its end", "5;" + String(repeating: "x", count: 20) + "\r\n{}\r\n0\r\n\r\n"),
    ])
    func malformedChunkedBodyIs400WithoutAnErrorLine(_ case: (String, String)) async throws {
        let sink = LogSink.capturing()
        let app = try TestService.application(sink: sink)
        try await app.test(.live) { client in
            let connection = try await RawConnection.open(port: try #require(client.port))
            try await connection.send("POST /bookings HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + `case`.1)
            #expect(try await eventually(within: .seconds(5)) { connection.received.contains("\r\n\r\n") }, "\(`case`.0): an answer")
            #expect(connection.received.hasPrefix("HTTP/1.1 400"), "\(`case`.0): \(connection.received)")
            await connection.close()
        }
        #expect(Self.errorLines(sink).isEmpty, "\(`case`.0): \(Self.errorLines(sink))")
    }

    /// What is sent, by name (test arguments are printed: the requests themselves are 90 KiB).
    static let malformedHeads = [
        "a request line over 80 KiB": "GET /hotels/1?ids=" + String(repeating: "a", count: 90 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n",
        "headers over 80 KiB": "GET /hotels/1 HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "b", count: 90 * 1024) + "\r\n\r\n",
        "bytes that are not HTTP": "HELLO THERE\r\n\r\n",
    ]

    @Test(arguments: [
        ("a request line over 80 KiB", "431", "request_head_too_large"),
        ("headers over 80 KiB", "431", "request_head_too_large"),
        ("bytes that are not HTTP", "400", "malformed_request"),
    ])
    func malformedHeadIsAProblemAndTheConnectionCloses(_ case: (String, String, String)) async throws {
        let sink = LogSink.capturing()
        let app = try TestService.application(sink: sink)
        try await app.test(.live) { client in
            let connection = try await RawConnection.open(port: try #require(client.port))
            try await connection.send(try #require(Self.malformedHeads[`case`.0]))
            #expect(try await eventually(within: .seconds(5)) { connection.received.contains("\"code\":\"\(`case`.2)\"") }, "\(`case`.0): \(connection.received.prefix(300))")
            #expect(connection.received.hasPrefix("HTTP/1.1 \(`case`.1)"), "\(`case`.0)")
            #expect(connection.received.lowercased().contains("content-type: application/problem+json"), "\(`case`.0)")
            #expect(try await connection.waitForClose(within: .seconds(5)), "\(`case`.0): closed")
            await connection.close()
            // The service still answers.
            try await client.execute(uri: "/hotels/1", method: .get) { #expect($0.status == .ok) }
        }
        #expect(Self.errorLines(sink).isEmpty, "\(`case`.0): \(Self.errorLines(sink))")
    }

    @Test func clientGoneMidBodyLeavesNoErrorLine() async throws {
        let sink = LogSink.capturing()
        let app = try TestService.application(sink: sink)
        try await app.test(.live) { client in
            for framing in ["Content-Length: 100\r\n\r\n{\"guest", "Transfer-Encoding: chunked\r\n\r\n40\r\n{\"guest"] {
                let connection = try await RawConnection.open(port: try #require(client.port))
                try await connection.send("POST /bookings HTTP/1.1\r\nHost: x\r\n" + framing)
                try await Task.sleep(for: .milliseconds(100))
                await connection.close()
            }
            // The service still answers.
            try await client.execute(uri: "/hotels/1", method: .get) { #expect($0.status == .ok) }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(Self.errorLines(sink).isEmpty, "\(Self.errorLines(sink))")
    }

    @Test func nulInAJSONStringIsRefusedAtDecoding() async throws {
        let app = try TestService.application()
        try await app.test(.router) { client in
            try await client.execute(uri: "/bookings", method: .post, body: ByteBuffer(string: #"{"guest_name":"a\u0000b","nights":1}"#)) { response in
                #expect(response.status == .badRequest)
                let problem = try json(response.body)
                #expect(problem["code"] as? String == "invalid_body")
                #expect((problem["detail"] as? String)?.contains("NUL") == true)
            }
            // A backslash written out, then the text u0000: no NUL, accepted as it is.
            try await client.execute(uri: "/bookings", method: .post, body: ByteBuffer(string: #"{"guest_name":"a\\u0000b","nights":1}"#)) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"a\u0000b for 1"#)
            }
        }
    }

    @Test func nulEscapeIsFoundOnlyOutsideOtherEscapes() {
        func find(_ text: String) -> Int? { Array(text.utf8).withUnsafeBytes { PlatformJSON.nulEscape(in: $0) } }
        #expect(find(#"{"a":"\u0000"}"#) == 6)
        #expect(find(#"{"a":"x\\u0000"}"#) == nil)
        #expect(find(#"{"a":"x\\\u0000"}"#) == 9)
        #expect(find(#"{"a":"\u00001"}"#) == 6)
        #expect(find(#"{"a":"\u0001"}"#) == nil)
        #expect(find(#"{"a":"\u000"#) == nil)
        #expect(find("") == nil)
    }

    @Test func partialHeadIsCutAfterTheHeadDeadline() async throws {
        let app = try TestService.application(environment: Self.deadlines)
        try await app.test(.live) { client in
            let connection = try await RawConnection.open(port: try #require(client.port))
            let start = ContinuousClock.now
            try await connection.send("GET /hotels/1 HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            #expect(try await connection.waitForClose(within: .seconds(5)))
            #expect(start.duration(to: .now) < .seconds(3))
            #expect(connection.received.hasPrefix("HTTP/1.1 408"), "\(connection.received)")
        }
    }

    @Test func partialBodyIsCutAfterTheBodyDeadline() async throws {
        let app = try TestService.application(environment: Self.deadlines)
        try await app.test(.live) { client in
            let connection = try await RawConnection.open(port: try #require(client.port))
            try await connection.send("POST /bookings HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\n\r\n{\"gu")
            // Trickling keeps no deadline away.
            for _ in 0..<4 {
                try await Task.sleep(for: .milliseconds(150))
                try? await connection.send("e")
            }
            #expect(try await connection.waitForClose(within: .seconds(5)))
            #expect(connection.received.hasPrefix("HTTP/1.1 408"), "\(connection.received)")
        }
    }

    @Test func idleConnectionIsClosedQuietly() async throws {
        // Longer than the others: on a loaded machine the request itself must arrive before the idle deadline.
        let app = try TestService.application(environment: ["HTTP_HEADER_TIMEOUT_MS": "2000", "HTTP_BODY_TIMEOUT_MS": "2000", "HTTP_IDLE_TIMEOUT_MS": "2500"])
        try await app.test(.live) { client in
            let connection = try await RawConnection.open(port: try #require(client.port))
            try await connection.send("GET /hotels/1 HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await eventually { connection.received.contains("hotel 1") })
            #expect(try await connection.waitForClose(within: .seconds(10)))
            #expect(!connection.received.contains("HTTP/1.1 408"), "an idle connection is closed without an answer")
        }
    }

    @Test func deadlinesLeaveAPromptClientAndASlowAnswerAlone() async throws {
        let app = try TestService.application(environment: ["HTTP_HEADER_TIMEOUT_MS": "1500", "HTTP_BODY_TIMEOUT_MS": "1500", "HTTP_IDLE_TIMEOUT_MS": "3000"])
        try await app.test(.live) { client in
            let connection = try await RawConnection.open(port: try #require(client.port))
            // A head sent in parts within its deadline, then a request answered after longer than any deadline.
            for (index, part) in ["GET /hotels/1 HTTP/1.1\r\n", "Host: x\r\n", "\r\n", "GET /sleep/3500 HTTP/1.1\r\nHost: x\r\n\r\n"].enumerated() {
                if index > 0 { try await Task.sleep(for: .milliseconds(100)) }
                try await connection.send(part)
            }
            #expect(try await eventually(within: .seconds(10)) { connection.received.contains("slept") }, "\(connection.received)")
            #expect(connection.received.contains("hotel 1"))
            #expect(!connection.received.contains("HTTP/1.1 408"))
            await connection.close()
        }
    }

    @Test func connectionsOverThePerClientCapAreClosed() async throws {
        let app = try TestService.application(connectionsPerClient: 3)
        try await app.test(.live) { client in
            // Raw connections only (the test client may or may not keep its own open): three admitted, the fourth closed.
            let port = try #require(client.port)
            let first = try await RawConnection.open(port: port), second = try await RawConnection.open(port: port)
            let held = try await RawConnection.open(port: port)
            let third = try await RawConnection.open(port: port)
            #expect(try await third.waitForClose(within: .seconds(5)), "the fourth connection from one address is refused")
            try await first.send("GET /hotels/1 HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await eventually { first.received.contains("hotel 1") }, "admitted connections are served")
            await second.close()
            let fourth = try await eventually {
                let next = try await RawConnection.open(port: port)
                try await next.send("GET /hotels/4 HTTP/1.1\r\nHost: x\r\n\r\n")
                if try await eventually(within: .seconds(1), { next.received.contains("hotel 4") }) { return true }
                await next.close()
                return false
            }
            #expect(fourth, "a closed connection frees its place")
            await first.close()
            await held.close()
        }
    }
}
