// matching: its definition, dependencies and settings.

import Shared

/// The matching settings from seed 003, with its defaults.
struct MatchingSettings: Sendable {
    var matchingAlgorithm: String

    init(_ env: EnvironmentVariables) throws {
        matchingAlgorithm = try env.oneOf("MATCHING_ALGORITHM", default: "weighted_score", allowed: ["weighted_score"])
    }
}

enum MatchingService {
    static let definition = ServiceDefinition(name: "matching", dependencies: [.postgres, .rabbitmq], schemas: [.service("matching")]) { setup in
        _ = try MatchingSettings(setup.environment)
    }
}
