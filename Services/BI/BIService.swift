// bi: its definition, dependencies and settings.

import Shared

enum BIService {
    static let definition = ServiceDefinition(name: "bi", dependencies: [.clickhouse, .rabbitmq])
}
