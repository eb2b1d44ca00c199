// `SERVICE migrate up|down [N]|status`: the service's schemas, migrated from the command line.

import FoundationEssentials
import Glibc
import Logging

enum MigrateCommand {
    static let usage = "usage: SERVICE migrate up | down [steps] | status"

    /// Returns the exit code: 0 done, 1 failed, 2 bad usage or configuration.
    static func run(_ definition: ServiceDefinition, environment: EnvironmentVariables, arguments: [String]) async -> Int32 {
        guard arguments.first == "migrate", arguments.count >= 2, ["up", "down", "status"].contains(arguments[1]) else {
            print(usage)
            return 2
        }
        guard !definition.schemas.isEmpty else {
            print("\(definition.name) has no database schema to migrate")
            return 2
        }
        let settings: PostgresSettings
        do {
            settings = try PostgresSettings(environment, applicationName: definition.name + "-migrate")
        } catch {
            printError("\(definition.name): configuration error: \(error)\n")
            return 2
        }
        let logger = Logger(label: definition.name) { _ in JSONLogHandler(service: definition.name, level: .warning) }
        let pool = PostgresPool(settings: PostgresSettings(url: settings.url, poolSize: 1, reconnectWindow: .seconds(5)), logger: logger)
        do {
            let plans = arguments[1] == "down" ? definition.schemas.reversed() : definition.schemas
            for plan in plans {
                let migrator = plan.migrator(pool)
                switch arguments[1] {
                case "up":
                    let applied = try await migrator.up()
                    print("\(plan.schema): " + (applied.isEmpty ? "up to date" : "applied \(applied.joined(separator: ", "))"))
                case "down":
                    let steps = arguments.count > 2 ? Int(arguments[2]) ?? 1 : 1
                    let reverted = try await migrator.down(steps: steps)
                    print("\(plan.schema): " + (reverted.isEmpty ? "nothing to revert" : "reverted \(reverted.joined(separator: ", "))"))
                default:
                    for status in try await migrator.status() {
                        print("\(plan.schema)\t\(status.id)\t\(status.name)\t\(status.appliedAt.map { Timestamp.iso8601Milliseconds($0) } ?? "pending")")
                    }
                }
            }
            try await pool.shutdown()
            return 0
        } catch {
            try? await pool.shutdown()
            printError("\(definition.name): migration failed: \(error)\n")
            return 1
        }
    }
}
