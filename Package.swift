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
        .library(name: "CRMWeb", targets: ["CRMWeb"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        // Module page templates (CRMWeb renders them; modules only ship the text).
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
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
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                // Outbound e-mail (Messaging/SMTPClient.swift).
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        // zlib, for the backup writer's deflate at a chosen level (CRMDataTransfer/BackupDeflater.swift).
        .systemLibrary(
            name: "CRMZlib",
            path: "Sources/CRMZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
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
            exclude: ["README.md"],
            resources: [.copy("Scripts"), .copy("Pages")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "CRMOpportunities",
            dependencies: ["CRMKernel", "CRMCustomers"],
            path: "Plugins/Opportunities",
            resources: [.copy("Scripts")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "CRMMarketing",
            dependencies: ["CRMKernel", "CRMCustomers", "CRMOpportunities"],
            path: "Plugins/Marketing",
            exclude: ["Tests", "README.md"],
            resources: [.copy("Scripts"), .copy("Pages")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "CRMProducts",
            dependencies: ["CRMKernel", "CRMCustomers"],
            path: "Plugins/Products",
            exclude: ["Tests", "README.md"],
            resources: [.copy("Scripts")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "CRMOrders",
            dependencies: ["CRMKernel", "CRMCustomers", "CRMOpportunities", "CRMProducts"],
            path: "Plugins/Orders",
            exclude: ["Tests", "README.md"],
            resources: [.copy("Scripts"), .copy("Pages")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "CRMFinance",
            dependencies: ["CRMKernel", "CRMCustomers", "CRMOpportunities", "CRMOrders"],
            path: "Plugins/Finance",
            exclude: ["Tests", "README.md"],
            resources: [.copy("Scripts"), .copy("Pages")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "CRMPayroll",
            dependencies: ["CRMKernel", "CRMCustomers", "CRMOpportunities", "CRMProducts", "CRMOrders", "CRMFinance"],
            path: "Plugins/Payroll",
            exclude: ["Tests", "README.md"],
            resources: [.copy("Scripts"), .copy("Pages")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "CRMService",
            dependencies: ["CRMKernel", "CRMCustomers"],
            path: "Plugins/Service",
            exclude: ["Tests", "README.md"],
            resources: [.copy("Scripts"), .copy("Pages")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "CRMPlugins",
            // The built-in list: the modules, what `crm serve` builds in besides them (the web
            // interface, scheduled backups: BuiltInServices.swift), the shared layers' command
            // groups (BuiltInCommands.swift) and the one way `crm` opens a workspace.
            dependencies: ["CRMKernel", "CRMCustomers", "CRMOpportunities", "CRMMarketing", "CRMProducts", "CRMOrders", "CRMFinance", "CRMPayroll", "CRMService",
                           "CRMServer", "CRMWeb", "CRMDataTransfer", "CRMReports", "CRMScripting", "CRMCommandSupport",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strictSettings
        ),
        // Data in and out for every entity: .xlsx/CSV tables, import with mapping, 查重, dry run and
        // resume, exports, backups.
        // What every `crm` command shares: `--workspace`, error reporting and exit codes, the
        // progress meter, `--as USER`, and how a command group outside the executable opens a
        // workspace (`WorkspaceOpening`).
        .target(
            name: "CRMCommandSupport",
            dependencies: ["CRMKernel", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "CRMDataTransfer",
            dependencies: [
                "CRMKernel", "CRMCommandSupport", "CRMZlib",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // Report outputs: text table, CSV, .xlsx, SVG chart, HTML and PDF (headless Chromium).
        .target(
            name: "CRMReports",
            dependencies: ["CRMKernel", "CRMDataTransfer", "CRMCommandSupport",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        // The HTTP API: routes, sign-in, permissions at the edge, webhooks and the scheduler.
        .target(
            name: "CRMServer",
            dependencies: [
                "CRMKernel", "CRMScripting", "CRMDataTransfer", "CRMReports",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // The web interface: server-rendered pages over the kernel, mounted on CRMServer's router.
        .target(
            name: "CRMWeb",
            dependencies: [
                "CRMKernel", "CRMServer", "CRMReports",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Assets")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "crm",
            dependencies: [
                "CRMKernel", "CRMScripting", "CRMPlugins", "CRMServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "crm-bench",
            dependencies: [
                "CRMKernel", "CRMScripting", "CRMPlugins", "CRMCustomers", "CRMOpportunities", "CRMMarketing", "CRMProducts", "CRMOrders", "CRMFinance", "CRMPayroll", "CRMService", "CRMServer",
                "CRMDataTransfer", "CRMReports", "CRMWeb",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // Helpers shared by test targets only (never by a product): real SMTP and SMS servers
        // (Python) on 127.0.0.1, Python scripts that make or read real files, polling.
        .target(
            name: "CRMTestSupport",
            path: "Tests/Support",
            swiftSettings: strictSettings
        ),
        // A module's test workspace (built-in modules, stock packs, tokens, an API test client),
        // shared by the modules' test targets only.
        .target(
            name: "CRMModuleTestSupport",
            dependencies: ["CRMKernel", "CRMPlugins", "CRMScripting", "CRMServer",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdTesting", package: "hummingbird")],
            path: "Tests/ModuleSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CRMKernelTests",
            dependencies: ["CRMKernel", "CRMTestSupport", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift")],
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
            name: "CRMServerTests",
            dependencies: ["CRMServer", "CRMKernel", "CRMDataTransfer", "CRMScripting", "CRMPlugins",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdTesting", package: "hummingbird")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CRMWebTests",
            dependencies: ["CRMWeb", "CRMServer", "CRMKernel", "CRMScripting", "CRMPlugins",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdTesting", package: "hummingbird")],
            swiftSettings: strictSettings
        ),
        // An example module written as an integrator would, used only by the tests: it proves a
        // module brings everything from its own folder.
        .target(
            name: "CRMExamplePlugin",
            dependencies: ["CRMKernel"],
            path: "Tests/ExamplePlugin",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CRMExamplePluginTests",
            dependencies: ["CRMModuleTestSupport", "CRMExamplePlugin", "CRMKernel", "CRMScripting", "CRMPlugins", "CRMServer",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdTesting", package: "hummingbird")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CRMMarketingTests",
            dependencies: ["CRMMarketing", "CRMModuleTestSupport", "CRMKernel", "CRMScripting", "CRMPlugins", "CRMCustomers", "CRMServer",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdTesting", package: "hummingbird")],
            path: "Plugins/Marketing/Tests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CRMServiceTests",
            dependencies: ["CRMService", "CRMModuleTestSupport", "CRMTestSupport", "CRMKernel", "CRMScripting", "CRMPlugins", "CRMCustomers", "CRMServer",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdTesting", package: "hummingbird")],
            path: "Plugins/Service/Tests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CRMProductsTests",
            dependencies: ["CRMProducts", "CRMKernel", "CRMScripting", "CRMPlugins", "CRMServer",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdTesting", package: "hummingbird")],
            path: "Plugins/Products/Tests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CRMOrdersTests",
            dependencies: ["CRMModuleTestSupport", "CRMOrders", "CRMProducts", "CRMKernel", "CRMScripting", "CRMPlugins", "CRMServer",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdTesting", package: "hummingbird"),
                           .product(name: "NIOCore", package: "swift-nio")],
            path: "Plugins/Orders/Tests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CRMFinanceTests",
            dependencies: ["CRMModuleTestSupport", "CRMFinance", "CRMOrders", "CRMKernel", "CRMScripting", "CRMPlugins", "CRMServer",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdTesting", package: "hummingbird"),
                           .product(name: "NIOCore", package: "swift-nio")],
            path: "Plugins/Finance/Tests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CRMPayrollTests",
            dependencies: ["CRMModuleTestSupport", "CRMPayroll", "CRMOrders", "CRMKernel", "CRMScripting", "CRMPlugins", "CRMServer",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdTesting", package: "hummingbird"),
                           .product(name: "NIOCore", package: "swift-nio")],
            path: "Plugins/Payroll/Tests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CRMDataTransferTests",
            dependencies: ["CRMDataTransfer", "CRMTestSupport", "CRMKernel", "CRMPlugins",
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CRMReportsTests",
            dependencies: ["CRMReports", "CRMTestSupport", "CRMKernel", "CRMScripting", "CRMPlugins", "CRMServer", "CRMDataTransfer",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdTesting", package: "hummingbird")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["CRMTestSupport"],
            swiftSettings: strictSettings
        ),
    ]
)
