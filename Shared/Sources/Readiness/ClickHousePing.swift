// Readiness of ClickHouse: its HTTP interface answers `SELECT version()`.

import FoundationEssentials
import Glibc
import NIOCore

struct ClickHousePing: DependencyCheck {
    let url: URL
    var name: String { "clickhouse" }

    /// `clickhouse://host:8123/db` (the seed's form) is the HTTP interface at `http://host:8123`.
    var versionURL: String { "http://\(url.host ?? "127.0.0.1"):\(url.port ?? 8123)/?query=SELECT%20version()" }

    func check(timeout: Duration) async throws -> String? {
        let response = try await HTTP1Client.shared.execute(.get, versionURL, timeout: timeout)
        let body = String(buffer: response.body).trimmed
        guard response.status == .ok else { throw DependencyFailure("SELECT version() answered \(response.status.code): \(body.prefix(200))") }
        guard let first = body.first, first.isNumber else { throw DependencyFailure("SELECT version() answered '\(body.prefix(200))'") }
        return body
    }
}
