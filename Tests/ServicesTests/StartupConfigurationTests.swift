// The built executables refuse bad configuration with exit code 2 and one line naming the variable.

import Foundation
import Testing

@Suite struct StartupConfigurationTests {
    struct Run {
        let status: Int32
        let stderr: String
    }

    func run(_ product: String, environment: [String: String]) throws -> Run {
        let process = Process()
        process.executableURL = ServiceEnvironment.executable(product)
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stderr: String(decoding: data, as: UTF8.self))
    }

    @Test func missingSecretExitsWith2NamingIt() throws {
        var env = ServiceEnvironment.all
        env["JWT_SECRET"] = nil
        let result = try run("gateway", environment: env)
        #expect(result.status == 2)
        #expect(result.stderr.contains("JWT_SECRET is required"))
        #expect(result.stderr.split(separator: "\n").count == 1, "one line, no crash trace: \(result.stderr)")
    }

    @Test func queryEngineRefusesAShortOfferTokenSecret() throws {
        var env = ServiceEnvironment.all
        env["OFFER_TOKEN_SECRET"] = "only-twenty-bytes-ok"
        let result = try run("query-engine", environment: env)
        #expect(result.status == 2 && result.stderr.contains("OFFER_TOKEN_SECRET is too short"), "\(result.stderr)")
        env["OFFER_TOKEN_SECRET"] = nil
        #expect(try run("query-engine", environment: env).stderr.contains("OFFER_TOKEN_SECRET is required"))
    }

    @Test func shortSecretExitsWith2() throws {
        var env = ServiceEnvironment.all
        env["ENCRYPTION_SECRET"] = "short"
        let result = try run("supplier-adapter", environment: env)
        #expect(result.status == 2)
        #expect(result.stderr.contains("ENCRYPTION_SECRET is too short"))
    }

    @Test func missingDependencyURLExitsWith2() throws {
        var env = ServiceEnvironment.all
        env["DATABASE_URL"] = nil
        let result = try run("order", environment: env)
        #expect(result.status == 2)
        #expect(result.stderr.contains("DATABASE_URL"))
    }

    @Test(arguments: [("PORT", "eighty"), ("RISK_SCORE_THRESHOLD", "101"), ("LOG_LEVEL", "chatty")])
    func malformedValueExitsWith2(_ variable: String, _ value: String) throws {
        var env = ServiceEnvironment.all
        env[variable] = value
        let result = try run("risk", environment: env)
        #expect(result.status == 2)
        #expect(result.stderr.contains(variable) && result.stderr.contains(value))
    }

    /// A service URL that paths cannot follow is refused at start (the gateway's upstreams, matching's
    /// supplier-adapter and pricing), not failed request after request.
    @Test(arguments: [("gateway", "QUERY_ENGINE_URL"), ("matching", "PRICING_URL")])
    func aServiceURLWithAQueryExitsWith2(_ service: String, _ variable: String) throws {
        var env = ServiceEnvironment.all
        env[variable] = "http://somewhere:8080/?x=1"
        let result = try run(service, environment: env)
        #expect(result.status == 2)
        #expect(result.stderr.contains(variable) && result.stderr.contains("without a query"), "\(result.stderr)")
    }
}
