/// What a plugin says about itself, as data: id, name, version and what it depends on.
public struct PluginManifest: Sendable, Hashable {
    /// Lowercase id (`customers`), also the module name users enable and disable.
    public var id: String
    /// Display name in zh-CN and English.
    public var name: LocalizedText
    /// Semantic version of the plugin.
    public var version: String
    /// Ids of plugins this one needs enabled.
    public var dependencies: [String]
    /// One sentence on what the module does.
    public var summary: LocalizedText

    /// Creates a manifest.
    public init(id: String, name: LocalizedText, version: String, dependencies: [String] = [], summary: LocalizedText) {
        self.id = id
        self.name = name
        self.version = version
        self.dependencies = dependencies
        self.summary = summary
    }
}

/// A data migration a plugin runs once, by id, when it is enabled (in dependency order).
public struct PluginMigration: Sendable {
    /// `<plugin>.<NNN>-<slug>`; never reused or edited once shipped.
    public var id: String
    /// The work, in the enabling transaction.
    public var run: @Sendable (WriteContext) throws -> Void

    /// Creates a migration.
    public init(id: String, run: @escaping @Sendable (WriteContext) throws -> Void) {
        self.id = id
        self.run = run
    }
}

/// Sample data a plugin can add to a demo workspace.
public struct DemoContext {
    /// The users created for the demo, by login name.
    public var users: [String: Int64]
    /// The demo users' roles, by login name.
    public var roles: [String: String]
    /// A deterministic random source so demos are repeatable.
    public var random: SeededRandom

    /// Creates a demo context.
    public init(users: [String: Int64], roles: [String: String] = [:], seed: UInt64 = 42) {
        self.users = users
        self.roles = roles
        self.random = SeededRandom(seed: seed)
    }

    /// Ids of the demo users with `role`, in login order.
    public func users(withRole role: String) -> [Int64] {
        users.keys.sorted().filter { roles[$0] == role }.compactMap { users[$0] }
    }
}

/// A small deterministic generator (SplitMix64) for demo and benchmark data.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator from a seed.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A module of the CRM: declares its entities, fields, migrations, hooks and demo data.
///
/// Everything but `manifest` has a default (nothing). A disabled plugin contributes nothing but
/// keeps its data. Later layers add more contributions (Lua functions, routes, reports) through
/// protocols of their own that a plugin may also adopt.
public protocol Plugin: Sendable {
    /// Who the plugin is.
    var manifest: PluginManifest { get }
    /// Entities it owns and fields it adds to others' entities.
    var schema: SchemaDeclarations { get }
    /// Data migrations, run once each when enabled.
    var migrations: [PluginMigration] { get }
    /// Before-save hooks and after-commit handlers.
    func hooks() -> HookSet
    /// Adds sample data to a demo workspace.
    func seedDemo(_ tx: WriteContext, _ demo: inout DemoContext) throws
    /// Functions added to the Lua API as `crm.<id>.<name>` (available while enabled).
    var scriptFunctions: [ScriptFunction] { get }
    /// Rule sets scripts may change with `crm.<id>.<name>(table)`.
    var settings: [PluginSetting] { get }
    /// Decisions the module leaves to Lua, implemented with `crm.policy("<id>.<name>", fn)`.
    var policies: [ScriptPolicy] { get }
    /// Periodic work the scheduler runs while the module is enabled.
    var jobs: [ScheduledJob] { get }
    /// Names of the domain events it publishes (`opportunity.won`); the record events of its own
    /// entities (`<entity>.after_create/after_update/after_delete`) count as published without
    /// being listed. A consumer of an event no module publishes is refused at start-up.
    var publishes: [String] { get }
    /// Durable reactions to events, each reading the outbox with its own cursor (see `EventConsumer`).
    var consumers: [EventConsumer] { get }
    /// What its entities need in each stock role, merged into the roles while it is enabled.
    var grants: [RoleGrant] { get }
    /// The Lua scripts it ships (a SwiftPM resource folder), copied into a workspace's `scripts/`.
    var stockScripts: StockScripts? { get }
    /// Users `crm init --demo` creates before any module's demo data.
    var demoUsers: [DemoUser] { get }
    /// Commands of the `crm` executable, `crm <id> <path...>` (checked for clashes at start-up).
    var commands: [PluginCommand] { get }
    /// HTTP routes beyond JSON actions: uploads, downloads, public endpoints.
    var routes: [PluginRoute] { get }
    /// Pages and menu entries of the web interface.
    var pages: [PluginPage] { get }
    /// Numbering sequences (`tx.nextNumber(name)`) with their default patterns.
    var sequences: [SequenceDeclaration] { get }
    /// Document types that go through the approval engine, with their callbacks.
    var approvalDocuments: [ApprovalDocumentType] { get }
    /// Built-in reports (funnel, aging, commission ...), run by name like every other report
    /// (`crm report run`, `/api/v1/reports/{name}/run`); names are `<id>.<report>`.
    var reports: [ReportDefinition] { get }
}

extension Plugin {
    public var schema: SchemaDeclarations { SchemaDeclarations() }
    public var migrations: [PluginMigration] { [] }
    public func hooks() -> HookSet { HookSet() }
    public func seedDemo(_ tx: WriteContext, _ demo: inout DemoContext) throws {}
    public var scriptFunctions: [ScriptFunction] { [] }
    public var settings: [PluginSetting] { [] }
    public var policies: [ScriptPolicy] { [] }
    public var jobs: [ScheduledJob] { [] }
    public var publishes: [String] { [] }
    public var consumers: [EventConsumer] { [] }
    public var grants: [RoleGrant] { [] }
    public var stockScripts: StockScripts? { nil }
    public var demoUsers: [DemoUser] { [] }
    public var commands: [PluginCommand] { [] }
    public var routes: [PluginRoute] { [] }
    public var pages: [PluginPage] { [] }
    public var sequences: [SequenceDeclaration] { [] }
    public var approvalDocuments: [ApprovalDocumentType] { [] }
    public var reports: [ReportDefinition] { [] }
}
