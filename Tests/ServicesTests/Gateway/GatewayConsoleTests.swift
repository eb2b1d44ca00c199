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
            for (file, type) in [("admin.css", "text/css"), ("chart.umd.js", "text/javascript")] {
                let body = try await served(file, type, client)
                #expect(body.utf8.count > 1000, "\(file) is whole")
            }
            // Every module the console imports, followed from admin.js, is served, and none builds
            // markup from data (no innerHTML and the like).
            var modules = ["admin.js"], seen: Set<String> = []
            while let file = modules.popLast() {
                guard seen.insert(file).inserted else { continue }
                let body = try await served(file, "text/javascript", client)
                for sink in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write"] { #expect(!body.contains(sink), "\(file) uses \(sink)") }
                modules += body.components(separatedBy: "from \"/admin/assets/").dropFirst().compactMap { $0.components(separatedBy: "\"").first }
            }
            #expect(seen.isSuperset(of: ["admin.js", "widgets.js", "pages.js", "overview.js", "suppliers.js", "hotels.js", "settlement.js", "config.js"]), "\(seen)")
            #expect(seen.count == ConsoleController.assets.count - 2, "every script served is one the console imports (not the stylesheet or Chart.js): \(seen)")
            try await client.execute(uri: "/admin/assets/secrets.env", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/admin/assets/..%2Fhealth.html", method: .get) { #expect($0.status == .notFound) }
        }
    }

    /// A console file as served: 200, its media type, the policy and nosniff; its text.
    func served(_ file: String, _ type: String, _ client: some TestClientProtocol) async throws -> String {
        try await client.execute(uri: "/admin/assets/\(file)", method: .get) { response in
            #expect(response.status == .ok && response.headers[.contentType]?.hasPrefix(type) == true, "\(file)")
            #expect(response.headers[.contentSecurityPolicy] == ConsoleController.policy && response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            return String(buffer: response.body)
        }
    }
}
