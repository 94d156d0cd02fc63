import Foundation
import GRDB
import Synchronization

/// One company's data: a folder holding its SQLite database, its `scripts/` and its files.
///
/// Opens the store, keeps track of which modules are enabled, and puts in force the schema and
/// hooks of the kernel, the enabled plugins and the company's scripts.
public final class Workspace: Sendable {
    /// The workspace folder.
    public let directory: URL
    /// The record store.
    public let store: RecordStore
    /// The plugins built in.
    public let registry: PluginRegistry
    private let company: Mutex<CompanyContributions>
    /// The saved reports between changes (`SavedReportCache`).
    let savedReportCache = SavedReportCache()

    /// The database file inside a workspace folder.
    public static func databaseURL(in directory: URL) -> URL { directory.appendingPathComponent("crm.sqlite") }

    /// The script pack folder.
    public var scriptsDirectory: URL { directory.appendingPathComponent("scripts") }

    /// Opens the workspace in `directory`; with `create`, makes the folder and database if missing.
    /// New workspaces start with every built-in module enabled.
    ///
    /// With `configure` false the schema is not put in force yet: the caller applies the
    /// company's contributions next (`applyCompany`), so a workspace opens with one migration.
    public init(directory: URL, registry: PluginRegistry, create: Bool = false,
                company: CompanyContributions = CompanyContributions(), configure: Bool = true) throws {
        let fm = FileManager.default
        let db = Self.databaseURL(in: directory)
        if !fm.fileExists(atPath: db.path) {
            guard create else {
                throw KernelError(.notFound, "no workspace at \(directory.path) (run `crm init` first)")
            }
            try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        self.directory = directory
        self.registry = registry
        self.company = Mutex(company)
        store = try RecordStore(path: db.path)
        try store.translate {
            try store.pool.write { db in
                let now = DateCoding.iso(Date())
                // A newly registered plugin starts enabled only if its dependencies are.
                var enabled = Set(try String.fetchAll(db, sql: "SELECT id FROM _module WHERE enabled = 1"))
                let known = Set(try String.fetchAll(db, sql: "SELECT id FROM _module"))
                for p in registry.plugins {
                    let on = known.contains(p.manifest.id) ? enabled.contains(p.manifest.id)
                        : p.manifest.dependencies.allSatisfy(enabled.contains)
                    if on { enabled.insert(p.manifest.id) }
                    try db.execute(sql: "INSERT INTO _module (id, enabled, version, changed_at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET version = excluded.version",
                                   arguments: [p.manifest.id, on ? 1 : 0, p.manifest.version, now])
                }
            }
        }
        if configure { try reconfigure() }
    }

    /// Ids of enabled modules, in dependency order.
    public func enabledModules() throws -> [String] {
        // One statement on a read connection beside the pool: every web page asks (its menu).
        let enabled = Set(try store.hotRead(isolated: false) { db in try String.fetchAll(db.cachedStatement(sql: "SELECT id FROM _module WHERE enabled = 1")) })
        return registry.plugins.map(\.manifest.id).filter(enabled.contains)
    }

    /// Every built-in module with its state.
    public func modules() throws -> [ModuleStatus] {
        let enabled = Set(try enabledModules())
        return registry.plugins.map {
            ModuleStatus(id: $0.manifest.id, name: $0.manifest.name, version: $0.manifest.version,
                         enabled: enabled.contains($0.manifest.id), dependencies: $0.manifest.dependencies, summary: $0.manifest.summary)
        }
    }

    /// Lets go of the company's scripts and refuses writes from now on (reads go on). Their
    /// hooks, policies and approval conditions hold the script engine, and the engine holds this
    /// workspace: while they are in force neither is ever freed. A process that goes on after it
    /// is done with a workspace (a benchmark section, a test) closes it, so its database
    /// connections, their page caches and the Lua state are freed with the last reference.
    public func close() {
        company.withLock { $0 = CompanyContributions() }
        store.close()
    }

    /// The company's script contributions in force.
    public var companyContributions: CompanyContributions { company.withLock { $0 } }

    /// Builds the schema and hooks for `enabled` modules plus `company`; throws if they clash.
    public func build(enabled: [String], company: CompanyContributions) throws -> (Schema, HookSet) {
        let active = registry.plugins.filter { enabled.contains($0.manifest.id) }
        var sources = [KernelEntities.declarations]
        var hooks = HookSet()
        var settings: [String: any Sendable] = [:]
        for p in active {
            for setting in p.settings {
                let key = "\(p.manifest.id).\(setting.name)"
                settings[key] = try Self.parse(setting, key: key, company.schema.settings[key])
            }
            var decl = p.schema
            for i in decl.entities.indices {
                decl.entities[i].origin = p.manifest.id
                for j in decl.entities[i].fields.indices { decl.entities[i].fields[j].origin = p.manifest.id }
            }
            for i in decl.extensions.indices { decl.extensions[i].field.origin = p.manifest.id }
            sources.append(decl)
            hooks.merge(p.hooks())
            hooks.consume(module: p.manifest.id, p.consumers)
        }
        // The stock roles with the enabled modules' grants; the company's roles come after.
        sources.append(SchemaDeclarations(roles: StockRoles.merged(active.flatMap(\.grants))))
        // Company declarations about entities of disabled modules lie dormant until re-enabled.
        var dormant = Set<String>()
        for p in registry.plugins where !enabled.contains(p.manifest.id) { for e in p.schema.entities { dormant.insert(e.name) } }
        var companyDecl = company.schema
        companyDecl.extensions.removeAll { dormant.contains($0.entity) }
        companyDecl.pipelines.removeAll { dormant.contains($0.entity) }
        companyDecl.forms.removeAll { dormant.contains($0.entity) }
        for i in companyDecl.entities.indices {
            companyDecl.entities[i].origin = "script"
            for j in companyDecl.entities[i].fields.indices { companyDecl.entities[i].fields[j].origin = "script" }
        }
        for i in companyDecl.extensions.indices { companyDecl.extensions[i].field.origin = "script" }
        sources.append(companyDecl)
        hooks.merge(company.hooks.withoutEntities(dormant))
        var schema = try SchemaBuilder.build(sources, settings: settings)
        schema.sequences = try SequenceResolver.resolve(
            declared: active.flatMap { p in p.sequences.map { (p.manifest.id, $0) } },
            known: Set(registry.plugins.flatMap { $0.sequences.map(\.name) }), company: company.sequencePatterns)
        schema.approvals = try ApprovalSetup(documents: active.flatMap(\.approvalDocuments),
                                             flows: company.approvalFlows.filter { !dormant.contains($0.entity) }, schema: schema)
        hooks.merge(schema.pipelineHooks)
        try ReportCatalog.check(company.reports, modules: active.flatMap(\.reports), schema: schema, dormant: dormant)
        return (schema, hooks)
    }

    /// Parses a plugin setting from the company's value (or the default), naming the setting in
    /// any error.
    static func parse(_ setting: PluginSetting, key: String, _ value: ScriptValue?) throws -> any Sendable {
        do {
            return try setting.parse(value ?? setting.defaultValue)
        } catch let error as KernelError {
            throw KernelError(error.kind, "crm.\(key): \(error.message)", entity: error.entity, fieldErrors: error.fieldErrors)
        } catch {
            throw KernelError(.validation, "crm.\(key): \(error)")
        }
    }

    /// Puts in force the schema and hooks of the enabled modules and the company's scripts,
    /// migrating the database and running pending plugin migrations.
    public func reconfigure() throws {
        let enabled = try enabledModules()
        let (schema, hooks) = try build(enabled: enabled, company: companyContributions)
        try store.configure(schema: schema, hooks: hooks)
        try runPendingMigrations(enabled)
    }

    /// Replaces the company's contributions atomically: if the new schema cannot be built or
    /// applied, the previous contributions stay in force and the error is thrown.
    public func applyCompany(_ contributions: CompanyContributions) throws {
        let enabled = try enabledModules()
        let (schema, hooks) = try build(enabled: enabled, company: contributions)
        try store.configure(schema: schema, hooks: hooks)
        company.withLock { $0 = contributions }
        try runPendingMigrations(enabled)
    }

    /// Checks that `contributions` would build and migrate, without applying them.
    public func checkCompany(_ contributions: CompanyContributions) throws {
        let (schema, _) = try build(enabled: try enabledModules(), company: contributions)
        try store.checkMigration(schema)
    }

    private func runPendingMigrations(_ enabled: [String]) throws {
        for p in registry.plugins where enabled.contains(p.manifest.id) {
            for m in p.migrations {
                let done = try store.translate { try store.pool.read { db in
                    try Bool.fetchOne(db, sql: "SELECT 1 FROM _plugin_migration WHERE id = ?", arguments: [m.id]) ?? false } }
                if done { continue }
                try store.write(as: .system) { tx in
                    try m.run(tx)
                    try tx.db.execute(sql: "INSERT INTO _plugin_migration (id, plugin, applied_at) VALUES (?, ?, ?)",
                                      arguments: [m.id, p.manifest.id, tx.nowText])
                }
            }
        }
    }
}
