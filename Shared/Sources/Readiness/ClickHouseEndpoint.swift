// Where ClickHouse's HTTP interface is and how to sign in: `CLICKHOUSE_URL`
// (`clickhouse://[user:password@]host:8123/database`, the seed's form), the user and password also
// from `CLICKHOUSE_USER` / `CLICKHOUSE_PASSWORD` when the URL has none (as compose gives them to
// the ClickHouse container itself).

import FoundationEssentials
import HTTPTypes

public struct ClickHouseEndpoint: Sendable, Equatable {
    /// `http://host:port/`
    public let base: String
    public let database: String
    /// HTTP basic credentials, when a user is set.
    public let authorization: String?

    public init(url: URL, user: String? = nil, password: String? = nil) {
        base = "http://\(url.host ?? "127.0.0.1"):\(url.port ?? 8123)/"
        let name = url.path.split(separator: "/").first.map(String.init) ?? ""
        database = name.isEmpty ? "hotel_analytics" : name
        let user = url.user ?? user
        authorization = user.map { "Basic " + Data("\($0):\(url.password ?? password ?? "")".utf8).base64EncodedString() }
    }

    public init(_ environment: EnvironmentVariables) throws {
        self.init(url: try Dependency.clickhouse.url(in: environment), user: environment.optional("CLICKHOUSE_USER"),
                  password: environment.optional("CLICKHOUSE_PASSWORD"))
    }

    public var headers: HTTPFields {
        var fields: HTTPFields = [:]
        if let authorization { fields[.authorization] = authorization }
        return fields
    }
}
