import Foundation
import Testing
import TestSupport

@testable import Shared

@Suite struct OSThreadTests {
    /// The names of this process's threads, as top -H and perf show them.
    static func threadNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").compactMap {
            try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// Holds a thread until the test lets it go.
    final class Gate: @unchecked Sendable {
        private let condition = Condition()
        private var open = false

        func wait() {
            condition.lock()
            while !open { condition.wait() }
            condition.unlock()
        }

        func release() {
            condition.lock()
            open = true
            condition.broadcast()
            condition.unlock()
        }
    }

    @Test func threadsCarryTheirNamesCutTo15Bytes() async throws {
        let gate = Gate()
        OSThread.start(name: "named-probe-thread-long") { gate.wait() }
        defer { gate.release() }
        #expect(try await eventually { try Self.threadNames().contains("named-probe-thr") })
    }
}
