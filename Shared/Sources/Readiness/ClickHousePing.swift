// Readiness of ClickHouse: its HTTP interface answers GET /ping with "Ok.".

import AsyncHTTPClient
import FoundationEssentials
import Glibc
import NIOCore

struct ClickHousePing: DependencyCheck {
    let url: URL
    var name: String { "clickhouse" }

    /// `clickhouse://host:8123/db` (the seed's form) is the HTTP interface at `http://host:8123`.
    var pingURL: String { "http://\(url.host ?? "127.0.0.1"):\(url.port ?? 8123)/ping" }

    func check(timeout: Duration) async throws {
        let request = HTTPClientRequest(url: pingURL)
        let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(Int64(timeout.milliseconds)))
        let body = try await response.body.collect(upTo: 1024)
        guard response.status == .ok else { throw DependencyFailure("GET /ping answered \(response.status.code)") }
        guard String(buffer: body).hasPrefix("Ok.") else { throw DependencyFailure("GET /ping answered '\(String(buffer: body))'") }
    }
}
