// The fast lane (authenticated GETs to live distributor routes, answered ahead of the router) over a
// live gateway: it answers as the router would, hands everything else to the router, counts what
// it answered, and keeps pipelined answers in order.

import Foundation
@testable import Gateway
import Hummingbird
import HummingbirdTesting
import NIOCore
import Logging
import NIOPosix
import ServiceLifecycle
@testable import Shared
import Testing
import TestSupport

@Suite(.serialized) struct GatewayFastLaneTests {
    static let route = "/api/v1/services/query-engine/health"

    /// gateway_fast_lane_requests_total, read from /metrics.
    func answered(_ client: any TestClientProtocol) async throws -> Int {
        let line = try await GatewayHarness.metrics().split(separator: "\n").first { $0.hasPrefix("gateway_fast_lane_requests_total ") }
        return line.flatMap { Double($0.split(separator: " ")[1]) }.map { Int($0) } ?? 0
    }

    @Test func anAuthenticatedGetIsAnsweredByTheLaneAsTheRouterWould() async throws {
        let upstream = StandInUpstream()
        try await upstream.start()
        let sink = LogSink.capturing()
        try await GatewayHarness(["QUERY_ENGINE_URL": upstream.url]).run(logSink: sink) { client in
            let admin = try await client.adminToken()
            let tenant = try await client.newDistributor(admin: admin)
            let token = try await client.token(key: tenant.key, secret: tenant.secret)
            let other = try await client.newDistributor(admin: admin)
            let otherToken = try await client.token(key: other.key, secret: other.secret)
            let before = try await answered(client)
            let trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
            let headers: HTTPFields = [
                .authorization: "Bearer \(token)", .tenantId: "someone-else", .role: "admin", .requestId: "client-req-1", .traceparent: trace,
            ]
            try await client.execute(uri: Self.route + "?probe=1", method: .get, headers: headers) { response in
                #expect(response.status == .ok)
                let seen = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: String])
                #expect(seen["tenant"] == tenant.tenant && seen["role"] == "distributor", "the verified caller, not the client's headers: \(seen)")
                #expect(seen["authorization"] == "" && seen["signature"]?.isEmpty == false && seen["path"] == "/health")
                #expect(seen["request_id"] == "client-req-1" && response.headers[.requestId] == "client-req-1")
                #expect(response.headers[.traceparent]?.hasPrefix("00-0af7651916cd43dd8448eb211c80319c-") == true)
                #expect(response.headers[.rateLimitLimit] == "1000" && response.headers[.rateLimitRemaining] == "999" && response.headers[.rateLimitReset] != nil)
                #expect(response.headers[values: .server] == ["gateway"], "the upstream's Server is dropped, the gateway's sent")
                #expect(response.headers[values: .date].count == 1 && response.headers[.date]?.hasSuffix(" GMT") == true)
                #expect(response.headers[.contentLength] == String(response.body.readableBytes))
            }
            #expect(try await answered(client) == before + 1)
            // Its access line, as the router's: the request's id and trace, route, path, status, duration.
            let line = try #require(sink.captured.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }.first {
                ($0["context"] as? [String: Any])?["requestId"] as? String == "client-req-1"
            })
            let context = try #require(line["context"] as? [String: Any])
            #expect(line["message"] as? String == "request completed" && line["level"] as? String == "INFO" && line["traceId"] as? String == "0af7651916cd43dd8448eb211c80319c")
            #expect((line["spanId"] as? String)?.count == 16 && context["route"] as? String == "/api/v1/**" && context["path"] as? String == Self.route)
            #expect(context["status"] as? Int == 200 && context["method"] as? String == "GET" && context["durationMs"] is NSNumber, "\(line)")
            #expect(try await GatewayHarness.metrics().contains(#"http_requests_total{service="gateway",route="/api/v1/**",method="GET",status="200"} 1"#),
                    "the lane's answers count under the router's label for proxied routes")

            // The router's: a bad token, no token, another method, an admin route, a planned route.
            let bad = try await client.json(Self.route, .get, token: otherToken + "x", expect: .unauthorized)
            #expect(bad["code"] as? String == "invalid_token")
            try await client.execute(uri: Self.route, method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: Self.route, method: .post, headers: [.authorization: "Bearer \(otherToken)"]) { _ in }
            try await client.json("/api/v1/admin/tenants", .get, token: otherToken, expect: .forbidden)
            try await client.json(GatewayHarness.plannedRoute, .get, token: otherToken, expect: .notImplemented)
            #expect(try await answered(client) == before + 1, "none of those took the lane")
        }
        await upstream.stop()
    }

    @Test func beyondTheLimitTheLaneRefusesAsTheRouterWould() async throws {
        let upstream = StandInUpstream()
        try await upstream.start()
        try await GatewayHarness(["QUERY_ENGINE_URL": upstream.url, "RATE_LIMIT_MAX": "3", "RATE_LIMIT_WINDOW_MS": "600000"]).run { client in
            let admin = try await client.adminToken()
            let tenant = try await client.newDistributor(admin: admin)
            let token = try await client.token(key: tenant.key, secret: tenant.secret)
            let before = try await answered(client)
            for remaining in ["2", "1", "0"] {
                try await client.execute(uri: Self.route, method: .get, headers: [.authorization: "Bearer \(token)"]) {
                    #expect($0.status == .ok && $0.headers[.rateLimitRemaining] == remaining)
                }
            }
            try await client.execute(uri: Self.route, method: .get, headers: [.authorization: "Bearer \(token)"]) { response in
                #expect(response.status == .tooManyRequests && response.headers[.retryAfter] != nil && response.headers[.rateLimitRemaining] == "0")
                #expect(response.headers[.contentType] == "application/problem+json" && response.headers[.requestId] != nil)
                let problem = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect(problem?["code"] as? String == "rate_limited" && problem?["request_id"] as? String == response.headers[.requestId])
            }
            #expect(try await answered(client) == before + 4)
        }
        await upstream.stop()
    }

    @Test func aShutdownWaitsForTheLanesAnswerInFlight() async throws {
        let upstream = StandInUpstream()
        try await upstream.start()
        upstream.behaviour.withLockedValue { $0.delay = .milliseconds(800) }
        let sink = LogSink.capturing()
        let harness = GatewayHarness(["QUERY_ENGINE_URL": upstream.url, "HOST": "127.0.0.1", "PORT": "0"])
        let (assembly, key, secret, _) = try await harness.prepare(logSink: sink)
        let group = ServiceGroup(configuration: .init(services: [assembly.application], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = try await listeningPort { sink.captured }
            let client = HTTP1Client()
            let login = try await client.execute(
                .post, "http://127.0.0.1:\(port)/api/v1/auth/token", headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"api_key":"\#(key)","api_secret":"\#(secret)"}"#), timeout: .seconds(5))
            let token = try #require(try JSONSerialization.jsonObject(with: Data(buffer: login.body)) as? [String: Any])["access_token"] as? String
            let slow = Task {
                try await client.execute(.get, "http://127.0.0.1:\(port)\(Self.route)", headers: [.authorization: "Bearer \(token ?? "")"], timeout: .seconds(10))
            }
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await GatewayHarness.metrics(port: harness.internalPort).contains("gateway_fast_lane_requests_total 1"), "the lane has it in flight")
            await group.triggerGracefulShutdown()
            let answer = try await slow.value
            #expect(answer.status == .ok, "answered, not cut off by the shutdown")
            await client.shutdown()
            try await tasks.waitForAll()
        }
        await upstream.stop()
    }

    @Test func pipelinedRequestsAreAnsweredInOrderWhoeverAnswersThem() async throws {
        let upstream = StandInUpstream()
        try await upstream.start()
        upstream.behaviour.withLockedValue { $0.delay = .milliseconds(100) }
        try await GatewayHarness(["QUERY_ENGINE_URL": upstream.url]).run { client in
            let admin = try await client.adminToken()
            let tenant = try await client.newDistributor(admin: admin)
            let token = try await client.token(key: tenant.key, secret: tenant.secret)
            let port = try #require(client.port)
            func get(_ path: String, _ id: String) -> String {
                "GET \(path) HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(token)\r\nX-Request-Id: \(id)\r\n\r\n"
            }
            // Lane, router, lane, router (unauthenticated), lane: sent in one write.
            let requests = get(Self.route, "r1") + get("/api/v1/admin/tenants", "r2") + get(Self.route, "r3")
                + "GET /api/v1/orders HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: r4\r\n\r\n" + get(Self.route, "r5")
            let answers = try await RawHTTP.exchange(port: port, sending: requests, expecting: 5)
            #expect(answers.map(\.status) == [200, 403, 200, 401, 200])
            #expect(answers.map(\.requestId) == ["r1", "r2", "r3", "r4", "r5"])
        }
        await upstream.stop()
    }
}

/// Several HTTP/1.1 requests written at once on one connection, and the status and X-Request-Id of
/// each answer, in the order they came.
enum RawHTTP {
    struct Answer: Sendable {
        var status: Int
        var requestId: String?
    }

    final class Collector: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        let received: EventLoopPromise<[Answer]>
        let expecting: Int
        var buffer = ByteBuffer()
        var answers: [Answer] = []

        init(_ received: EventLoopPromise<[Answer]>, expecting: Int) {
            self.received = received
            self.expecting = expecting
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var chunk = unwrapInboundIn(data)
            buffer.writeBuffer(&chunk)
            while let answer = next() { answers.append(answer) }
            if answers.count >= expecting { received.succeed(answers) }
        }

        func channelInactive(context: ChannelHandlerContext) {
            received.fail(ChannelError.eof)
        }

        /// One whole answer off the front of the buffer (with Content-Length bodies), if it is there.
        func next() -> Answer? {
            let text = String(buffer: buffer)
            guard let end = text.range(of: "\r\n\r\n") else { return nil }
            let lines = text[..<end.lowerBound].split(separator: "\r\n")
            var fields: [String: String] = [:]
            for line in lines.dropFirst() {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2 { fields[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces) }
            }
            let headerBytes = text[..<end.upperBound].utf8.count
            let length = Int(fields["content-length"] ?? "0") ?? 0
            guard buffer.readableBytes >= headerBytes + length, let statusText = lines.first?.split(separator: " ").dropFirst().first else { return nil }
            buffer.moveReaderIndex(forwardBy: headerBytes + length)
            return Answer(status: Int(statusText) ?? 0, requestId: fields["x-request-id"])
        }
    }

    static func exchange(port: Int, sending text: String, expecting: Int) async throws -> [Answer] {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let received = loop.makePromise(of: [Answer].self)
        let channel = try await ClientBootstrap(group: loop)
            .channelInitializer { $0.pipeline.addHandler(Collector(received, expecting: expecting)) }
            .connect(host: "127.0.0.1", port: port).get()
        let timeout = loop.scheduleTask(in: .seconds(10)) { received.fail(ChannelError.connectTimeout(.seconds(10))) }
        try await channel.writeAndFlush(ByteBuffer(string: text))
        defer { timeout.cancel() }
        let answers = try await received.futureResult.get()
        try? await channel.close()
        return answers
    }
}
