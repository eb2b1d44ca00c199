// The OTLP/HTTP JSON body of an export (opentelemetry-proto's ExportTraceServiceRequest): one
// resource (the service, its version), its server spans. Ids stay hex, 64-bit times are strings, as
// the OTLP JSON mapping says.

import FoundationEssentials

enum OTLPTraces {
    static func body(_ spans: [FinishedSpan], service: String, version: String) throws -> [UInt8] {
        let request = Request(resourceSpans: [
            ResourceSpans(
                resource: Resource(attributes: [.string("service.name", service), .string("service.version", version)]),
                scopeSpans: [ScopeSpans(scope: Scope(name: "hotel-platform", version: version), spans: spans.map(Span.init))])
        ])
        return Array(try JSONEncoder().encode(request))
    }

    struct Request: Encodable { var resourceSpans: [ResourceSpans] }
    struct ResourceSpans: Encodable { var resource: Resource; var scopeSpans: [ScopeSpans] }
    struct Resource: Encodable { var attributes: [Attribute] }
    struct ScopeSpans: Encodable { var scope: Scope; var spans: [Span] }
    struct Scope: Encodable { var name: String; var version: String }

    struct Span: Encodable {
        var traceId: String
        var spanId: String
        var parentSpanId: String?
        var name: String
        /// SPAN_KIND_SERVER.
        var kind = 2
        var startTimeUnixNano: String
        var endTimeUnixNano: String
        var attributes: [Attribute]
        var status: Status

        init(_ span: FinishedSpan) {
            traceId = span.trace.traceId
            spanId = span.trace.spanId
            parentSpanId = span.trace.parentSpanId
            name = span.name
            startTimeUnixNano = String(span.start)
            endTimeUnixNano = String(span.end)
            attributes = [.string("http.request.method", span.method), .string("http.route", span.route), .int("http.response.status_code", span.status)]
            // Server spans: only a 5xx is the server's error (STATUS_CODE_ERROR); otherwise unset.
            status = Status(code: span.status >= 500 ? 2 : 0)
        }
    }

    struct Status: Encodable { var code: Int }

    struct Attribute: Encodable {
        var key: String
        var value: Value

        static func string(_ key: String, _ value: String) -> Attribute { Attribute(key: key, value: Value(stringValue: value)) }
        static func int(_ key: String, _ value: Int) -> Attribute { Attribute(key: key, value: Value(intValue: String(value))) }
    }

    struct Value: Encodable {
        var stringValue: String?
        var intValue: String?
    }
}
