// The directory of services in Shared is the one every other list follows: the package's
// executables, the scripts' ports, compose's and Helm's service URLs, the gateway's upstreams.

import Foundation
@testable import Gateway
import Shared
import Testing

@Suite struct ServiceDirectoryTests {
    func file(_ path: String) throws -> String {
        try String(contentsOf: ServiceEnvironment.packageRoot.appendingPathComponent(path), encoding: .utf8)
    }

    @Test func thePackageBuildsExactlyTheDirectorysExecutables() throws {
        let products = try file("Package.swift").matches(of: /\("([a-z-]+)", "[A-Za-z]+"\)/).map { String($0.1) }
        #expect(products == PlatformService.allCases.map(\.rawValue))
    }

    @Test func theScriptsRunEachServiceOnItsDirectoryPort() throws {
        let script = try file("scripts/lib/services.sh")
        let listed = try #require(script.firstMatch(of: /SERVICES=\(([a-z -]+)\)/)).1.split(separator: " ").map(String.init)
        #expect(listed == PlatformService.allCases.map(\.rawValue))
        let ports = Dictionary(uniqueKeysWithValues: script.matches(of: /\[([a-z-]+)\]=(\d+)/).map { (String($0.1), Int($0.2)!) })
        #expect(ports == Dictionary(uniqueKeysWithValues: PlatformService.allCases.map { ($0.rawValue, $0.localPort) }))
    }

    @Test(arguments: ["compose/compose.base.yml", "helm/hotel-platform/templates/_helpers.tpl"])
    func deploymentsPointEachURLVariableAtTheServicesHost(_ path: String) throws {
        let text = try file(path)
        for service in PlatformService.allCases where service != .supplierSim {
            #expect(text.contains(service.urlVariable), "\(path) sets \(service.urlVariable)")
            let lines = text.split(separator: "\n").filter { $0.contains(service.urlVariable + ":") || $0.contains("name: \(service.urlVariable),") }
            #expect(!lines.isEmpty && lines.allSatisfy { $0.contains(service.deployedURL) }, "\(path): \(service.urlVariable) -> \(service.deployedURL): \(lines)")
        }
    }

    @Test func theGatewayRoutesOnlyToServicesBehindIt() {
        #expect(Set(RouteTable.platform.routes.map(\.upstream)).isSubset(of: Set(PlatformService.upstreams)))
        #expect(PlatformService.upstreams.map(\.localPort) == Array(8081...8089))
        #expect(PlatformService.queryEngine.urlVariable == "QUERY_ENGINE_URL" && PlatformService.bi.deployedHost == "bi-service")
    }
}
