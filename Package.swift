// swift-tools-version:6.1
// The hotel platform: ten services and a supplier simulator sharing one library.
import PackageDescription

/// Each deployed executable: (product name, target name, folder under Services/).
let services: [(product: String, target: String)] = [
    ("gateway", "Gateway"),
    ("query-engine", "QueryEngine"),
    ("order", "Order"),
    ("supplier-adapter", "SupplierAdapter"),
    ("matching", "Matching"),
    ("pricing", "Pricing"),
    ("settlement", "Settlement"),
    ("inventory", "Inventory"),
    ("risk", "Risk"),
    ("bi", "BI"),
    ("supplier-sim", "SupplierSim"),
]

// The operator console's page, stylesheet, one module per page, and Chart.js (docs/console.md).
let consoleFiles = [
    "admin.html", "admin.css", "admin.js", "widgets.js", "pages.js", "overview.js", "suppliers.js", "hotels.js", "pricing.js", "inventory.js", "distributors.js",
    "credit.js", "risk.js", "orders.js", "settlement.js", "config.js", "chart.umd.js",
]

let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")

/// How the services' executables are linked, for what a process holds in memory: by lld (part of
/// the Swift toolchain), with relative relocations packed (`-z pack-relative-relocs`, glibc 2.36+:
/// a 1.5-2 MB table the dynamic linker reads at every start becomes 17 kB), and without exporting
/// every Swift symbol (21,000, which nothing looks up, walked at start too).
let executableExports = LinkerSetting.unsafeFlags(["-use-ld=lld", "-Xlinker", "--no-export-dynamic", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"])

let package = Package(
    name: "hotel-platform",
    platforms: [.macOS(.v14)],
    products: services.map { .executable(name: $0.product, targets: [$0.target]) } + [
        .executable(name: "hotel-bench", targets: ["HotelBench"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
    ],
    targets: [
        .systemLibrary(name: "CLibPQ", path: "Shared/C/CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // hiredis' .pc adds a flag SwiftPM drops with a warning: link it directly instead.
        .systemLibrary(name: "CHiredis", path: "Shared/C/CHiredis", providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "CRabbitMQ", path: "Shared/C/CRabbitMQ", providers: [.apt(["librabbitmq-dev"])]),
        .systemLibrary(name: "COpenSSL", path: "Shared/C/COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        // Wrappers for the variadic C functions Swift cannot call.
        .target(name: "CShims", dependencies: ["CRabbitMQ"], path: "Shared/C/CShims"),
        .target(
            name: "Shared",
            dependencies: [
                "CLibPQ", "CHiredis", "CRabbitMQ", "COpenSSL", "CShims",
                hummingbird,
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            path: "Shared/Sources"
        ),
        // The suppliers' wire protocols (bed-bank JSON, OpenTravel XML): spoken by supplier-adapter, served by supplier-sim.
        .target(name: "SupplierProtocols", dependencies: ["Shared", hummingbird], path: "Shared/SupplierProtocols"),
        .target(name: "TestSupport", dependencies: [.product(name: "NIOPosix", package: "swift-nio")], path: "Tests/TestSupport"),
        .testTarget(
            name: "SharedTests",
            dependencies: [
                "Shared", "TestSupport", .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            path: "Tests/SharedTests"
        ),
        .testTarget(
            name: "ServicesTests",
            dependencies: services.map { .target(name: $0.target) } + [
                "Shared", "SupplierProtocols", "TestSupport", .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Tests/ServicesTests"
        ),
        // Measurements behind scripts/bench/ (not deployed).
        .executableTarget(name: "HotelBench", dependencies: ["Shared"], path: "Tools/HotelBench"),
    ] + services.map {
        .executableTarget(
            name: $0.target,
            dependencies: ["Shared", hummingbird] + (["SupplierAdapter", "SupplierSim"].contains($0.target) ? ["SupplierProtocols"] : []),
            path: "Services/\($0.target)",
            // The gateway serves the OpenAPI document (docs/openapi.yaml, built by scripts/lib/openapi.py), the health page
            // and the operator console.
            resources: $0.target == "Gateway" ? [.embedInCode("Resources/openapi.json"), .embedInCode("Resources/health.html")]
                + consoleFiles.map { .embedInCode("Resources/console/" + $0) } : [],
            linkerSettings: [executableExports])
    }
)
