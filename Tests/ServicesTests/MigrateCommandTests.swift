// `SERVICE migrate up|down|status` through the built executable, against the real PostgreSQL.

import Foundation
import Logging
@testable import Shared
import Testing

/// The settlement schema is migrated down and up by MigrateCommandTests and used by the settlement
/// suites (whose reconciliation runs the supply chain): one at a time.
extension SupplyChainTests {
    @Suite(.serialized) struct SettlementSchemaTests {}
}

extension SupplyChainTests.SettlementSchemaTests {
    @Suite(.serialized) struct MigrateCommandTests {
        func run(_ product: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = ServiceEnvironment.executable(product)
            process.arguments = arguments
            process.environment = ServiceEnvironment.all
            let out = Pipe()
            process.standardOutput = out
            process.standardError = out
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }

        @Test func upStatusDownUp() throws {
            let up = try run("settlement", ["migrate", "up"])
            #expect(up.status == 0, "\(up.output)")
            #expect(up.output.hasPrefix("settlement: "))
            let status = try run("settlement", ["migrate", "status"])
            #expect(status.status == 0)
            #expect(status.output.contains("settlement\tkit.001\toutbox\t2"), "applied with a timestamp: \(status.output)")
            let down = try run("settlement", ["migrate", "down", "3"])
            #expect(down.output.contains("reverted 002, 001, kit.003"), "\(down.output)")
            #expect(try run("settlement", ["migrate", "status"]).output.contains("kit.003\toutbox_without_notify\tpending"))
            let again = try run("settlement", ["migrate", "up"]).output
            #expect(again.contains("applied kit.003, 001, 002"), "\(again)")
            #expect(!again.contains("NOTICE"), "libpq notices stay off stderr: \(again)")
        }

        @Test func gatewayMigratesItsSchemaAndThePlatformSchema() throws {
            let up = try run("gateway", ["migrate", "up"])
            #expect(up.status == 0, "\(up.output)")
            let status = try run("gateway", ["migrate", "status"]).output
            #expect(status.contains("gateway\tkit.001") && status.contains("platform\t001\tconfig_center"))
        }

        @Test func badUsageAndServicesWithoutADatabaseExitWith2() throws {
            #expect(try run("order", ["migrate", "sideways"]).status == 2)
            #expect(try run("order", ["frobnicate"]).status == 2)
            let bi = try run("bi", ["migrate", "up"])
            #expect(bi.status == 2 && bi.output.contains("no database"))
        }
    }

    @Suite struct MigrateOnStartTests {
        func schemaExists(_ clients: ServiceClients, _ schema: String) async throws -> Bool {
            try await clients.postgres!.query("SELECT to_regclass($1) IS NOT NULL AS present", ["\(schema).outbox"]).first!.bool("present")
        }

        @Test func migratesOnlyWhenAskedTo() async throws {
            let schema = "start_\(UUID().uuidString.prefix(8).lowercased())"
            let definition = ServiceDefinition(name: "start-test", dependencies: [.postgres], schemas: [.service(schema)])
            for (flag, expected) in [("false", false), ("true", true)] {
                let env = EnvironmentVariables(ServiceEnvironment.all.merging(["MIGRATE_ON_START": flag]) { _, new in new })
                let clients = try ServiceRunner.assemble(definition, environment: env, logSink: .capturing()).clients
                try await ServiceRunner.migrateOnStart(definition, clients: clients, environment: env, logger: Logger(label: "test"))
                #expect(try await schemaExists(clients, schema) == expected, "MIGRATE_ON_START=\(flag)")
                if expected { try await clients.postgres!.execute("DROP SCHEMA \(schema) CASCADE") }
                try await clients.postgres!.shutdown()
            }
        }
    }
}
