// swift-tools-version:6.1
import PackageDescription

/// Settings every target of ours shares.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "crm",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "crm", targets: ["crm"]),
        .executable(name: "crm-bench", targets: ["crm-bench"]),
        .library(name: "CRMKernel", targets: ["CRMKernel"]),
        .library(name: "CRMScripting", targets: ["CRMScripting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLua",
            path: "Sources/CLua",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]
        ),
        .target(
            name: "CRMKernel",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "CRMScripting",
            dependencies: ["CRMKernel", "CLua"],
            swiftSettings: strictSettings
        ),
        // Domain plugins: one library each, depending on the kernel (and on another plugin only
        // where the domain needs it, declared in the plugin's manifest too).
        .target(
            name: "CRMCustomers",
            dependencies: ["CRMKernel"],
            path: "Plugins/Customers",
            swiftSettings: strictSettings
        ),
        .target(
            name: "CRMOpportunities",
            dependencies: ["CRMKernel", "CRMCustomers"],
            path: "Plugins/Opportunities",
            swiftSettings: strictSettings
        ),
        .target(
            name: "CRMPlugins",
            dependencies: ["CRMKernel", "CRMCustomers", "CRMOpportunities"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "crm",
            dependencies: [
                "CRMKernel", "CRMScripting", "CRMPlugins",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CSV", package: "CSV.swift"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "crm-bench",
            dependencies: [
                "CRMKernel", "CRMScripting", "CRMPlugins", "CRMCustomers", "CRMOpportunities",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CRMKernelTests",
            dependencies: ["CRMKernel", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CRMScriptingTests",
            dependencies: ["CRMScripting", "CRMKernel", "CRMPlugins"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CRMPluginsTests",
            dependencies: ["CRMPlugins", "CRMKernel", "CRMCustomers", "CRMOpportunities",
                           .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [],
            swiftSettings: strictSettings
        ),
    ]
)
