// Readiness of ClickHouse: its HTTP interface answers `SELECT version()`.

import FoundationEssentials
import Glibc
import NIOCore

struct ClickHousePing: DependencyCheck {
    let endpoint: ClickHouseEndpoint
    var name: String { "clickhouse" }

    var versionURL: String { endpoint.base + "?query=SELECT%20version()" }

    func check(timeout: Duration) async throws -> String? {
        let response = try await HTTP1Client.shared.execute(.get, versionURL, headers: endpoint.headers, timeout: timeout)
        let body = String(buffer: response.body).trimmed
        guard response.status == .ok else { throw DependencyFailure("SELECT version() answered \(response.status.code): \(body.prefix(200))") }
        guard let first = body.first, first.isNumber else { throw DependencyFailure("SELECT version() answered '\(body.prefix(200))'") }
        return body
    }
}
