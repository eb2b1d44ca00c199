// matching's schema under PostgreSQL's own maintenance: autovacuum and ANALYZE evaluate the geo
// index's expression with only pg_catalog on the search path.

@testable import Matching
@testable import Shared
import Testing

@Suite struct MatchingSchemaTests {
    @Test func analyzeWorksWithOnlyPgCatalogOnTheSearchPath() async throws {
        let env = EnvironmentVariables(ServiceEnvironment.all)
        #expect(await MigrateCommand.run(MatchingService.definition, environment: env, arguments: ["migrate", "up"]) == 0)
        let pool = PostgresPool(settings: try PostgresSettings(env, applicationName: "test"), logger: .init(label: "test"))
        defer { Task { try? await pool.shutdown() } }
        try await pool.withConnection { connection in
            try connection.execute("BEGIN")
            defer { _ = try? connection.execute("ROLLBACK") }
            // A row, so that ANALYZE samples it and evaluates the index expression.
            try connection.execute(
                """
                INSERT INTO matching.master_hotels (name, normalized_name, address, city, normalized_city, country_code, latitude, longitude)
                VALUES ('Schema Test Hotel', 'schema test hotel', '1 Test Road', 'Testville', 'testville', 'CN', 31.2, 121.5)
                """)
            // As autovacuum runs it: the failure was `type "earth" does not exist`.
            try connection.execute("SET LOCAL search_path TO pg_catalog")
            try connection.execute("ANALYZE matching.master_hotels")
        }
        // The radius lookup still uses the index.
        let plan = try await pool.query(
            """
            EXPLAIN SELECT id FROM matching.master_hotels h
            WHERE public.earth_box(public.ll_to_earth(31.2, 121.5), 5000) @> matching.geo_point(h.latitude, h.longitude)
            """
        ).map { try $0.string("QUERY PLAN") }.joined(separator: "\n")
        #expect(plan.contains("master_hotels_geo") || plan.contains("Seq Scan"), "\(plan)")
    }
}
