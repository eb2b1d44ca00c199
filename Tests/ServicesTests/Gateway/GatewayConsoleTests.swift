// The operator console's files, as the gateway serves them: the page and its assets under a strict
// Content-Security-Policy, nothing else. (What the console does: scripts/lib/console_test.py, in
// Chromium, run by scripts/test.sh.)

import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Testing

@testable import Gateway

@Suite struct GatewayConsoleTests {
    @Test func thePageAndItsFilesComeWithAStrictPolicy() async throws {
        try await GatewayHarness().run { client in
            var scripts: [String] = []
            try await client.execute(uri: "/admin", method: .get) { response in
                #expect(response.status == .ok && response.headers[.contentType] == "text/html; charset=utf-8")
                let policy = response.headers[.contentSecurityPolicy] ?? ""
                #expect(policy.contains("script-src 'self'") && policy.contains("style-src 'self'") && policy.contains("frame-ancestors 'none'"))
                #expect(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval") && !policy.contains("*"), "\(policy)")
                let page = String(buffer: response.body)
                #expect(!page.contains("<script>") && !page.contains("style=") && !page.contains("<style"), "nothing inline for the policy to refuse")
                scripts = page.components(separatedBy: "src=\"").dropFirst().compactMap { $0.components(separatedBy: "\"").first }
            }
            #expect(scripts == ["/admin/assets/chart.umd.js", "/admin/assets/admin.js"])
            for (file, type) in [("admin.css", "text/css"), ("admin.js", "text/javascript"), ("pages.js", "text/javascript"), ("chart.umd.js", "text/javascript")] {
                try await client.execute(uri: "/admin/assets/\(file)", method: .get) { response in
                    #expect(response.status == .ok && response.headers[.contentType]?.hasPrefix(type) == true, "\(file)")
                    #expect(response.headers[.contentSecurityPolicy] == ConsoleController.policy && response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                    #expect(response.body.readableBytes > 1000, "\(file) is whole")
                }
            }
            try await client.execute(uri: "/admin/assets/secrets.env", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/admin/assets/..%2Fhealth.html", method: .get) { #expect($0.status == .notFound) }
            // No markup is ever built from data: the scripts never assign innerHTML.
            try await client.execute(uri: "/admin/assets/pages.js", method: .get) { #expect(!String(buffer: $0.body).contains("innerHTML")) }
            try await client.execute(uri: "/admin/assets/admin.js", method: .get) { #expect(!String(buffer: $0.body).contains("innerHTML")) }
        }
    }
}
