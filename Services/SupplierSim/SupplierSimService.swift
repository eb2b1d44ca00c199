// supplier-sim: its definition, dependencies and settings.

import Shared

enum SupplierSimService {
    static let definition = ServiceDefinition(name: "supplier-sim", dependencies: [])
}
