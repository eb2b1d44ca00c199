// A schema change with its undo, from a numbered pair of files `NNN_name.up.sql` / `NNN_name.down.sql`
// or from the kit (outbox, inbox), which every service schema gets first.

import FoundationEssentials
import Glibc

public struct Migration: Sendable, Equatable {
    /// Unique within a schema and stable forever: "001" for files, "kit.001" for the kit's own.
    public let id: String
    public let name: String
    public let up: String
    public let down: String

    public init(id: String, name: String, up: String, down: String) {
        self.id = id
        self.name = name
        self.up = up
        self.down = down
    }

    public struct LoadError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Every `NNN_name.up.sql` in `directory` with its `.down.sql`, ordered by number.
    public static func load(from directory: URL) throws -> [Migration] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        let ups = files.filter { $0.hasSuffix(".up.sql") }.sorted()
        var seen = Set<String>()
        return try ups.map { file in
            let stem = String(file.dropLast(".up.sql".count))
            guard let separator = stem.firstIndex(of: "_"), stem[..<separator].count == 3, stem[..<separator].allSatisfy(\.isNumber) else {
                throw LoadError(description: "\(file): name migrations NNN_name.up.sql")
            }
            let id = String(stem[..<separator])
            guard seen.insert(id).inserted else { throw LoadError(description: "\(file): migration \(id) appears twice") }
            let downFile = stem + ".down.sql"
            guard files.contains(downFile) else { throw LoadError(description: "\(file) has no \(downFile)") }
            return Migration(
                id: id, name: String(stem[stem.index(after: separator)...]),
                up: try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8),
                down: try String(contentsOf: directory.appendingPathComponent(downFile), encoding: .utf8))
        }
    }
}
