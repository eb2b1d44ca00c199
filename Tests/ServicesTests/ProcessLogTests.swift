// A running executable's log lines reach stdout whole and in order, the last ones included:
// they leave through a writer thread, and the process writes what is pending before it exits.

import Foundation
import HTTPTypes
import Shared
import Testing
import TestSupport

@Suite struct ProcessLogTests {
    @Test func everyLineOfABurstAndOfShutdownReachesStdout() async throws {
        let port = freePort()
        let process = Process()
        process.executableURL = ServiceEnvironment.executable("supplier-sim")
        var environment = ServiceEnvironment.all
        environment["PORT"] = "\(port)"
        environment["LOG_LEVEL"] = "info"
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let health = "http://127.0.0.1:\(port)/health"
        let client = HTTP1Client.shared
        #expect(try await eventually { (try? await client.execute(.get, health, timeout: .seconds(2))) != nil })
        // More lines than the pipe holds (64 KiB), and stdout is not read until the process is told to
        // stop: at exit the writer still has lines, and the process must write them before it ends.
        let burst = 600
        // 20 at a time: a burst of log lines, not a storm of connections.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<20 {
                group.addTask {
                    for index in stride(from: worker, to: burst, by: 20) {
                        // Not /health: probes log at debug.
                        _ = try await client.execute(.get, "http://127.0.0.1:\(port)/burst", headers: [.requestId: "burst-\(index)"], timeout: .seconds(10))
                    }
                }
            }
            try await group.waitForAll()
        }
        process.terminate()
        try await Task.sleep(for: .seconds(2))  // time to drain and reach exit while nobody reads stdout
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        let objects = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(objects.count == lines.count, "every line is one whole JSON object")
        let ids = Set(objects.compactMap { ($0["context"] as? [String: Any])?["requestId"] as? String })
        #expect((0..<burst).allSatisfy { ids.contains("burst-\($0)") }, "an access line for each request of the burst")
        #expect(lines.last?.contains("\"service\":\"supplier-sim\"") == true)
        #expect(objects.last?["message"] as? String == "stopped", "the line written just before exit is there: \(lines.suffix(2))")
    }
}
