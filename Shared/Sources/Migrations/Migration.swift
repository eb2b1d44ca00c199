// A schema change with its undo: a service's own (`Services/<Name>/Migrations/`, numbered "001",
// "002", ...) or the kit's (outbox, inbox: "kit.001", "kit.002"), which every service schema gets first.

public struct Migration: Sendable, Equatable {
    /// Unique within a schema and stable forever: "001" for a service's, "kit.001" for the kit's own.
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
}
