// OTLP trace export: with OTEL_EXPORTER_OTLP_ENDPOINT set, every sampled request a service answers
// reaches the collector as a server span of the caller's trace; probes and unsampled traces do not.

import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import NIOConcurrencyHelpers
import Shared
import Testing
import TestSupport

@Suite struct TracingTests {
    /// A collector that keeps what is posted to /v1/traces (answering `status`).
    static func collector(_ received: NIOLockedValueBox<[Data]>, keys: NIOLockedValueBox<[String]> = .init([]), status: HTTPResponse.Status = .ok) -> some ApplicationProtocol {
        let router = Router()
        router.post("/v1/traces") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            received.withLockedValue { $0.append(Data(buffer: body)) }
            keys.withLockedValue { $0.append(request.headers[HTTPField.Name("x-api-key")!] ?? "none") }
            return Response(status: status)
        }
        return Application(router: router)
    }

    /// The spans received so far, each with its resource's attributes.
    static func spans(_ received: NIOLockedValueBox<[Data]>) -> [(span: [String: Any], resource: [String: String])] {
        received.withLockedValue { $0 }.compactMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }.flatMap { request in
            (request["resourceSpans"] as? [[String: Any]] ?? []).flatMap { resourceSpans in
                let attributes = ((resourceSpans["resource"] as? [String: Any])?["attributes"] as? [[String: Any]]) ?? []
                let resource = Dictionary(uniqueKeysWithValues: attributes.map {
                    ($0["key"] as! String, ($0["value"] as? [String: Any])?["stringValue"] as? String ?? "")
                })
                return (resourceSpans["scopeSpans"] as? [[String: Any]] ?? []).flatMap { $0["spans"] as? [[String: Any]] ?? [] }.map { ($0, resource) }
            }
        }
    }

    @Test func requestsReachTheCollectorAsServerSpansOfTheCallersTrace() async throws {
        let received = NIOLockedValueBox<[Data]>([]), keys = NIOLockedValueBox<[String]>([])
        try await Self.collector(received, keys: keys).test(.live) { collector in
            let endpoint = "http://127.0.0.1:\(try #require(collector.port))"
            let app = try TestService.application(environment: [
                "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint + "/", "OTEL_EXPORTER_OTLP_HEADERS": "x-api-key=k%3D1", "APP_VERSION": "v9.9.9",
            ])
            try await app.test(.live) { client in
                let trace = "4bf92f3577b34da6a3ce929d0e0e4736", parent = "00f067aa0ba902b7"
                try await client.execute(uri: "/hotels/7", method: .get, headers: [.traceparent: "00-\(trace)-\(parent)-01"]) { #expect($0.status == .ok) }
                try await client.execute(uri: "/explode", method: .get, headers: [.traceparent: "00-\(trace)-\(parent)-01"]) { #expect($0.status == .internalServerError) }
                // Not recorded: the caller did not sample this trace; probes.
                try await client.execute(uri: "/hotels/8", method: .get, headers: [.traceparent: "00-\(String(trace.reversed()))-\(parent)-00"]) { #expect($0.status == .ok) }
                try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
                // A request that brought no trace starts one.
                try await client.execute(uri: "/hotels/9", method: .get) { #expect($0.status == .ok) }

                #expect(try await eventually(within: .seconds(5)) { Self.spans(received).count >= 3 })
                try await Task.sleep(for: .milliseconds(1500))
                let spans = Self.spans(received)
                #expect(spans.count == 3, "\(spans.map { $0.span["name"] ?? "" })")
                let hotel = try #require(spans.first { $0.span["name"] as? String == "GET /hotels/{id}" && $0.span["traceId"] as? String == trace })
                #expect(hotel.span["parentSpanId"] as? String == parent && (hotel.span["spanId"] as? String)?.count == 16 && hotel.span["spanId"] as? String != parent)
                #expect(hotel.span["kind"] as? Int == 2 && (hotel.span["status"] as? [String: Any])?["code"] as? Int == 0)
                let start = UInt64(hotel.span["startTimeUnixNano"] as? String ?? "") ?? 0, end = UInt64(hotel.span["endTimeUnixNano"] as? String ?? "") ?? 0
                let now = UInt64(Date().timeIntervalSince1970 * 1e9)
                #expect(start > 0 && start <= end && now - end < 30_000_000_000, "\(start) \(end)")
                let attributes = (hotel.span["attributes"] as? [[String: Any]] ?? []).map { "\($0["key"]!)=\(($0["value"] as? [String: Any])?.values.first ?? "")" }
                #expect(Set(attributes) == ["http.request.method=GET", "http.route=/hotels/{id}", "http.response.status_code=200"], "\(attributes)")
                #expect(hotel.resource == ["service.name": "kit-test", "service.version": "v9.9.9"])
                let failed = try #require(spans.first { $0.span["name"] as? String == "GET /explode" })
                #expect((failed.span["status"] as? [String: Any])?["code"] as? Int == 2, "a 5xx is the span's error")
                #expect(Set(keys.withLockedValue { $0 }) == ["k=1"], "every export carries OTEL_EXPORTER_OTLP_HEADERS, decoded")
                let started = try #require(spans.first { $0.span["traceId"] as? String != trace })
                #expect(started.span["name"] as? String == "GET /hotels/{id}" && started.span["parentSpanId"] == nil)
            }
        }
    }

    @Test func aCollectorThatRefusesCostsTheSpansNotTheRequests() async throws {
        let received = NIOLockedValueBox<[Data]>([])
        try await Self.collector(received, status: .serviceUnavailable).test(.live) { collector in
            let app = try TestService.application(environment: ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:\(try #require(collector.port))/v1/traces"])
            try await app.test(.live) { client in
                for id in 0..<5 { try await client.execute(uri: "/hotels/\(id)", method: .get) { #expect($0.status == .ok) } }
                // Every span offered and refused (in one export or two, as the second ticks fell), counted.
                let dropped = { () async throws -> Double? in
                    try await client.execute(uri: "/metrics", method: .get) { response in
                        String(buffer: response.body).split(separator: "\n").first { $0.hasPrefix("otlp_spans_dropped_total") }
                            .flatMap { Double($0.split(separator: " ").last ?? "") }
                    }
                }
                #expect(try await eventually(within: .seconds(5)) { try await dropped() == 5 })
                #expect(!received.withLockedValue { $0 }.isEmpty)
            }
        }
    }

    @Test func exportSettingsComeFromTheOpenTelemetryVariables() throws {
        #expect(try SpanExportSettings(EnvironmentVariables([:])) == nil, "no endpoint: no export")
        #expect(try SpanExportSettings(EnvironmentVariables(["OTEL_EXPORTER_OTLP_ENDPOINT": " "])) == nil, "blank (compose passes it empty): no export")
        let base = try #require(try SpanExportSettings(EnvironmentVariables(["OTEL_EXPORTER_OTLP_ENDPOINT": "http://tempo:4318/"])))
        #expect(base.url == "http://tempo:4318/v1/traces" && base.headers == [.contentType: "application/json"] && base.serviceName == nil)
        let full = try #require(try SpanExportSettings(EnvironmentVariables([
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://ignored:4318", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "https://otlp.example/api/traces",
            "OTEL_EXPORTER_OTLP_HEADERS": "x-api-key=abc%3D%3D, x-tenant=hotel", "OTEL_SERVICE_NAME": "order-eu",
        ])))
        #expect(full.url == "https://otlp.example/api/traces" && full.serviceName == "order-eu")
        #expect(full.headers[HTTPField.Name("x-api-key")!] == "abc==" && full.headers[HTTPField.Name("x-tenant")!] == "hotel" && full.headers.count == 3)
        #expect(throws: ConfigurationError.self) { try SpanExportSettings(EnvironmentVariables(["OTEL_EXPORTER_OTLP_ENDPOINT": "tempo:4318"])) }
        #expect(throws: ConfigurationError.self) { try SpanExportSettings(EnvironmentVariables(["OTEL_EXPORTER_OTLP_ENDPOINT": "http://t:4318", "OTEL_EXPORTER_OTLP_HEADERS": "novalue"])) }
    }
}
