// The directory of the platform's executables: each one's name, the variable that locates it and
// its local port. Services find each other here, the gateway builds its routing table on it, and
// scripts/lib/services.sh, compose and the Helm chart list the same (a test holds them together).

public enum PlatformService: String, CaseIterable, Sendable {
    case gateway, queryEngine = "query-engine", order, supplierAdapter = "supplier-adapter", matching, pricing, settlement, inventory, risk, bi
    case supplierSim = "supplier-sim"

    /// `QUERY_ENGINE_URL`, `SUPPLIER_ADAPTER_URL`, ...
    public var urlVariable: String { rawValue.uppercased().replacing("-", with: "_") + "_URL" }

    /// Its port when run locally: 8080 for the gateway, then one each in the order above. (Inside
    /// containers every service listens on 8080.)
    public var localPort: Int { 8080 + Self.allCases.firstIndex(of: self)! }

    /// Its host name under compose and Helm (the deployment's names): `api-gateway`, `query-engine`,
    /// `supplier-adapter`, `order-service`, ...
    public var deployedHost: String {
        switch self {
        case .gateway: "api-gateway"
        case .queryEngine, .supplierAdapter, .supplierSim: rawValue
        default: rawValue + "-service"
        }
    }

    /// Its address under compose and Helm, where every service listens on 8080.
    public var deployedURL: String { "http://\(deployedHost):8080" }

    /// The services behind the gateway (every one but the gateway and the simulator).
    public static var upstreams: [PlatformService] { allCases.filter { $0 != .gateway && $0 != .supplierSim } }
}

extension EnvironmentVariables {
    /// Where `service` answers: `<SERVICE>_URL`, or its local port when unset.
    public func baseURL(of service: PlatformService) throws -> String {
        try serviceURL(service.urlVariable, defaultPort: service.localPort, example: service.deployedURL)
    }
}
