// Every string the public API takes has a documented maximum length, and the services hold callers
// to it (and to its format) with a 400 that names the field.

import Foundation
@testable import Gateway
import HummingbirdTesting
@testable import Shared
import Testing

@Suite struct FieldLimitTests {
    /// Each string of a request body or parameter in the served document, with its schema.
    static func requestStrings() throws -> [(place: String, schema: [String: Any])] {
        let document = try #require(JSONSerialization.jsonObject(with: Data(PackageResources.openapi_json)) as? [String: Any])
        func resolve(_ node: Any?) -> [String: Any] {
            var node = node as? [String: Any] ?? [:]
            while let ref = node["$ref"] as? String {
                var target: Any? = document
                for part in ref.dropFirst(2).split(separator: "/") { target = (target as? [String: Any])?[String(part)] }
                node = target as? [String: Any] ?? [:]
            }
            return node
        }
        func strings(_ node: Any?, _ place: String) -> [(String, [String: Any])] {
            let schema = resolve(node)
            var found = ["allOf", "oneOf", "anyOf"].flatMap { key in (schema[key] as? [Any] ?? []).flatMap { strings($0, place) } }
            if let properties = schema["properties"] as? [String: Any] {
                found += properties.flatMap { strings($0.value, place + "." + $0.key) }
            }
            if schema["type"] as? String == "array" { found += strings(schema["items"], place + "[]") }
            if schema["type"] as? String == "string" { found.append((place, schema)) }
            return found
        }
        var all: [(String, [String: Any])] = []
        for (path, item) in try #require(document["paths"] as? [String: [String: Any]]) {
            for (method, operation) in item where method != "parameters" {
                let operation = operation as? [String: Any] ?? [:]
                let parameters = (item["parameters"] as? [Any] ?? []) + (operation["parameters"] as? [Any] ?? [])
                for parameter in parameters.map(resolve) {
                    all += strings(parameter["schema"], "\(method.uppercased()) \(path) parameter \(parameter["name"] ?? "?")")
                }
                let body = ((resolve(operation["requestBody"])["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"]
                all += strings(body, "\(method.uppercased()) \(path) body")
            }
        }
        return all
    }

    @Test func everyRequestStringHasADocumentedMaximumLength() throws {
        let strings = try Self.requestStrings()
        #expect(strings.count > 40)
        let unbounded = strings.filter { _, schema in
            schema["maxLength"] == nil && schema["enum"] == nil && !["uuid", "date", "date-time"].contains(schema["format"] as? String ?? "")
        }
        #expect(unbounded.isEmpty, "strings without maxLength in docs/openapi.yaml: \(unbounded.map(\.place).sorted())")
    }

    @Test func textRulesCountCharactersAndRefuseControlCharacters() {
        #expect(TextRule.name.violation("Hôtel Lumière 酒店") == nil)
        #expect(TextRule.name.violation(String(repeating: "酒", count: 200)) == nil)
        #expect(TextRule.name.violation(String(repeating: "酒", count: 201)) != nil)
        #expect(TextRule.name.violation("a\u{0001}b")?.contains("U+1") == true)
        #expect(TextRule.name.violation("two\nlines") != nil)
        #expect(TextRule.note.violation("two\nlines\tand a tab") == nil)
        #expect(TextRule.note.violation("bell\u{0007}") != nil)
        #expect(TextRule.email.violation("ops@travel.example") == nil)
        for bad in ["ops", "ops@", "@travel.example", "ops@travel", "o ps@travel.example", "a@b@c.d", "ops@travel..example"] {
            #expect(TextRule.email.violation(bad) != nil, "\(bad)")
        }
        #expect(TextRule.url.violation("https://hooks.travel.example/in") == nil)
        for bad in ["ftp://x.example", "https://", "hooks.travel.example", "https://a b.example"] { #expect(TextRule.url.violation(bad) != nil, "\(bad)") }
        #expect(TextRule.code.violation("hk_3f9a.x-1") == nil)
        #expect(TextRule.code.violation("hk/3f") != nil)
        #expect(TextRule.code.violation(String(repeating: "x", count: 900_000)) != nil)
    }

    @Test func gatewayRefusesOverlongAndControlCharactersNamingTheField() async throws {
        try await GatewayHarness().run { client in
            let admin = try await client.adminToken()
            let huge = String(repeating: "a", count: 900_000) + "@travel.example"
            let refused: [(body: [String: Any], field: String)] = [
                (["name": "Ok Travel", "contact_email": huge], "contact_email"),
                (["name": "Ok Travel", "contact_email": "not an email"], "contact_email"),
                (["name": "a\u{0001}b"], "name"),
                (["name": String(repeating: "n", count: 201)], "name"),
                (["name": "Ok Travel", "webhook_url": "https://hooks.example/" + String(repeating: "p", count: 2000)], "webhook_url"),
            ]
            for (body, field) in refused {
                let problem = try await client.json("/api/v1/admin/tenants", .post, token: admin, body: body, expect: .badRequest)
                #expect(problem["field"] as? String == field, "\(problem)")
                #expect((problem["detail"] as? String)?.hasPrefix(field) == true)
            }
            let tenant = try await client.json("/api/v1/admin/tenants", .post, token: admin, body: ["name": "Ok Travel", "contact_email": "ops@ok.example"], expect: .created)
            let id = try #require(tenant["id"] as? String)
            let problem = try await client.json("/api/v1/admin/tenants/\(id)/keys", .post, token: admin, body: ["label": String(repeating: "l", count: 101)], expect: .badRequest)
            #expect(problem["field"] as? String == "label")
            try await client.json("/api/v1/admin/tenants/\(id)", .patch, token: admin, body: ["contact_email": "x\u{0000}@ok.example"], expect: .badRequest)
            let flag = try await client.json("/api/v1/admin/flags/test.limits", .put, token: admin, body: ["enabled": true, "description": String(repeating: "d", count: 1001)], expect: .badRequest)
            #expect(flag["field"] as? String == "description")
            try await client.json("/api/v1/admin/tenants/\(id)/keys/\(String(repeating: "k", count: 101))", .delete, token: admin, expect: .badRequest)
        }
    }
}
