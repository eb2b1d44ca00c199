// Readiness of PostgreSQL: connect with libpq and run SELECT 1, off the cooperative pool.

import CLibPQ
import Foundation
import NIOPosix

struct PostgresPing: DependencyCheck {
    let url: URL
    var name: String { "postgres" }

    func check(timeout: Duration) async throws {
        let conninfo = Self.conninfo(url, timeoutSeconds: max(1, Int(timeout.components.seconds)))
        try await NIOThreadPool.singleton.runIfActive { try Self.ping(conninfo) }
    }

    static func conninfo(_ url: URL, timeoutSeconds: Int) -> String {
        let raw = url.absoluteString
        return raw + (raw.contains("?") ? "&" : "?") + "connect_timeout=\(timeoutSeconds)"
    }

    static func ping(_ conninfo: String) throws {
        guard let connection = PQconnectdb(conninfo) else { throw DependencyFailure("libpq could not allocate a connection") }
        defer { PQfinish(connection) }
        guard PQstatus(connection) == CONNECTION_OK else {
            throw DependencyFailure(String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let result = PQexec(connection, "SELECT 1")
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_TUPLES_OK else {
            throw DependencyFailure(String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}
