import Foundation
import GRDB
import Testing
@testable import CRMKernel

/// A throwaway plugin, as an integrator would add one: owns `widget`, seeds it once.
private struct WidgetsPlugin: Plugin {
    var extraMigration = false
    var manifest: PluginManifest {
        PluginManifest(id: "widgets", name: LocalizedText("小部件", en: "Widgets"), version: extraMigration ? "1.1.0" : "1.0.0",
                       summary: LocalizedText("测试用", en: "For tests"))
    }
    var schema: SchemaDeclarations {
        SchemaDeclarations(entities: [EntityDefinition("widget", label: LocalizedText("小部件"), titleField: "name", fields: [
            FieldDefinition("name", .text, label: LocalizedText("名称"), required: true, searchable: true),
            FieldDefinition("size", .integer, label: LocalizedText("尺寸")),
        ])])
    }
    var migrations: [PluginMigration] {
        var list = [PluginMigration(id: "widgets.001-seed") { tx in try tx.create("widget", ["name": .text("seed")]) }]
        if extraMigration {
            list.append(PluginMigration(id: "widgets.002-resize") { tx in
                for r in try tx.reader.find(Query("widget")).records { try tx.update("widget", r.id, ["size": .integer(42)]) }
            })
        }
        return list
    }
}

/// Depends on widgets: owns `gadget` (referring to widgets), adds a field and a hook to `widget`.
private struct GadgetsPlugin: Plugin {
    var manifest: PluginManifest {
        PluginManifest(id: "gadgets", name: LocalizedText("小工具", en: "Gadgets"), version: "0.1.0", dependencies: ["widgets"],
                       summary: LocalizedText("测试用", en: "For tests"))
    }
    var schema: SchemaDeclarations {
        SchemaDeclarations(entities: [EntityDefinition("gadget", label: LocalizedText("小工具"), fields: [
            FieldDefinition("name", .text, label: LocalizedText("名称"), required: true),
            FieldDefinition("widget", .reference, label: LocalizedText("小部件"), target: "widget"),
        ])], extensions: [FieldExtension(entity: "widget", field: FieldDefinition("colour", .text, label: LocalizedText("颜色")))])
    }
    var migrations: [PluginMigration] {
        [PluginMigration(id: "gadgets.001-seed") { tx in
            let seed = try tx.reader.ids("widget", where: "name", equals: .text("seed"))
            try tx.create("gadget", ["name": .text("first"), "widget": .integer(seed[0])])
        }]
    }
    func hooks() -> HookSet {
        var h = HookSet()
        h.onBeforeSave("widget") { ctx in if ctx.values["colour"] == nil { ctx.values["colour"] = .text("grey") } }
        return h
    }
}

private struct Stub: Plugin {
    var id: String
    var deps: [String]
    var manifest: PluginManifest { PluginManifest(id: id, name: LocalizedText(id), version: "1", dependencies: deps, summary: LocalizedText(id)) }
}

struct ModuleTests {
    private func workspace(_ dir: TempDir, _ plugins: [any Plugin] = [GadgetsPlugin(), WidgetsPlugin()]) throws -> Workspace {
        try Workspace(directory: dir.url.appendingPathComponent("ws"), registry: PluginRegistry(plugins), create: true)
    }

    private func registryError(_ plugins: [any Plugin]) -> KernelError? {
        do { _ = try PluginRegistry(plugins); Issue.record("registry accepted"); return nil } catch { return error }
    }

    @Test func registryOrdersPluginsAfterTheirDependencies() throws {
        let r = try PluginRegistry([Stub(id: "c", deps: ["b", "a"]), Stub(id: "b", deps: ["a"]), Stub(id: "a", deps: []), Stub(id: "d", deps: [])])
        #expect(r.plugins.map(\.manifest.id) == ["a", "b", "c", "d"])
        #expect(r.dependents(of: "a") == ["b", "c"])
        #expect(r.plugin("b")?.manifest.dependencies == ["a"])
        #expect(r.plugin("zzz") == nil)
    }

    @Test func dependencyCyclesUnknownDependenciesAndDuplicatesAreRefused() throws {
        let cycle = try #require(registryError([Stub(id: "a", deps: ["c"]), Stub(id: "b", deps: ["a"]), Stub(id: "c", deps: ["b"])]))
        #expect(cycle.kind == .invalidState)
        #expect(cycle.message.contains("cycle"))
        #expect(cycle.message.contains("a") && cycle.message.contains("b") && cycle.message.contains("c"))
        #expect(registryError([Stub(id: "a", deps: ["a"])])?.message.contains("cycle") == true)
        let unknown = try #require(registryError([Stub(id: "a", deps: ["ghost"])]))
        #expect(unknown.message.contains("ghost"))
        #expect(registryError([Stub(id: "a", deps: []), Stub(id: "a", deps: [])])?.kind == .conflict)
        #expect(registryError([Stub(id: "Bad-Id", deps: [])])?.kind == .validation)
    }

    @Test func anIntegratorsPluginIsEnabledWithItsEntitiesFieldsHooksAndMigrations() throws {
        let dir = try TempDir()
        let ws = try workspace(dir)
        #expect(try ws.enabledModules() == ["widgets", "gadgets"])
        let status = try ws.modules()
        #expect(status.map(\.id) == ["widgets", "gadgets"])
        #expect(status.allSatisfy { $0.enabled })
        #expect(status[1].dependencies == ["widgets"])
        #expect(status[0].name.en == "Widgets")
        let widget = try ws.store.schema.entity("widget")
        #expect(widget.definition.origin == "widgets")
        #expect(widget.fieldsByName["name"]?.origin == "widgets")
        #expect(widget.fieldsByName["colour"]?.origin == "gadgets")
        let seeds = try ws.store.find(Query("widget")).records
        #expect(seeds.map { $0["name"] } == [t("seed")])
        #expect(seeds[0]["colour"] == t("grey"))
        #expect(try ws.store.find(Query("gadget")).records.map { $0["widget"] } == [i(seeds[0].id)])
        let w = try ws.store.create("widget", ["name": t("新部件")])
        #expect(w["colour"] == t("grey"))
        #expect(try ws.store.count("widget", search: "部件") == 1)
    }

    @Test func disablingKeepsDataAndHidesTheEntityAndReenablingShowsItAgain() throws {
        let dir = try TempDir()
        let ws = try workspace(dir)
        let seed = try #require(try ws.store.find(Query("widget")).records.first)
        let g = try ws.store.create("gadget", ["name": t("second"), "widget": i(seed.id)])
        try ws.store.update("widget", seed.id, ["colour": t("red")])
        let before = try ws.store.find(Query("gadget")).records

        try ws.disable("gadgets")
        #expect(try ws.enabledModules() == ["widgets"])
        #expect(try ws.modules().map(\.enabled) == [true, false])
        #expect(kernelError { _ = try ws.store.get("gadget", g.id) }?.kind == .notFound)
        #expect(kernelError { _ = try ws.store.create("gadget", ["name": t("x")]) }?.kind == .notFound)
        #expect(try ws.store.get("widget", seed.id)?.values["colour"] == nil)
        #expect(kernelError { try ws.store.update("widget", seed.id, ["colour": t("blue")]) }?.fieldErrors.map(\.field) == ["colour"])
        let plain = try ws.store.create("widget", ["name": t("plain")])
        #expect(plain["colour"] == .null)
        #expect(try ws.store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM e_gadget") } == 2)

        let reopened = try Workspace(directory: ws.directory, registry: ws.registry)
        #expect(try reopened.enabledModules() == ["widgets"])

        try reopened.enable("gadgets")
        #expect(try reopened.store.find(Query("gadget")).records == before)
        #expect(try reopened.store.get("widget", seed.id)?["colour"] == t("red"))
        #expect(try reopened.store.find(Query("gadget")).records.count == 2)
    }

    @Test func aModuleOthersDependOnCannotBeDisabledAndDependenciesMustBeEnabledFirst() throws {
        let dir = try TempDir()
        let ws = try workspace(dir)
        let e = try #require(kernelError { try ws.disable("widgets") })
        #expect(e.kind == .invalidState)
        #expect(e.message.contains("widgets"))
        #expect(e.message.contains("gadgets"))
        #expect(try ws.enabledModules() == ["widgets", "gadgets"])
        try ws.disable("gadgets")
        try ws.disable("widgets")
        #expect(try ws.enabledModules().isEmpty)
        #expect(kernelError { _ = try ws.store.count("widget") }?.kind == .notFound)
        let blocked = try #require(kernelError { try ws.enable("gadgets") })
        #expect(blocked.kind == .invalidState)
        #expect(blocked.message.contains("widgets"))
        try ws.enable("widgets")
        try ws.enable("gadgets")
        try ws.enable("gadgets")
        #expect(try ws.enabledModules() == ["widgets", "gadgets"])
        #expect(kernelError { try ws.enable("ghost") }?.kind == .notFound)
        #expect(kernelError { try ws.disable("ghost") }?.message.contains("widgets, gadgets") == true)
    }

    @Test func pluginMigrationsRunOnceEachById() throws {
        let dir = try TempDir()
        let ws = try workspace(dir)
        func applied(_ w: Workspace) throws -> [String] {
            try w.store.pool.read { db in try String.fetchAll(db, sql: "SELECT id FROM _plugin_migration ORDER BY rowid") }
        }
        #expect(try applied(ws) == ["widgets.001-seed", "gadgets.001-seed"])
        try ws.disable("gadgets")
        try ws.enable("gadgets")
        try ws.reconfigure()
        let again = try Workspace(directory: ws.directory, registry: ws.registry)
        #expect(try again.store.count("widget") == 1)
        #expect(try again.store.count("gadget") == 1)

        let upgraded = try Workspace(directory: ws.directory, registry: PluginRegistry([WidgetsPlugin(extraMigration: true), GadgetsPlugin()]))
        #expect(try applied(upgraded) == ["widgets.001-seed", "gadgets.001-seed", "widgets.002-resize"])
        #expect(try upgraded.store.count("widget") == 1)
        #expect(try upgraded.store.find(Query("widget")).records.map { $0["size"] } == [i(42)])
        #expect(try upgraded.modules().first?.version == "1.1.0")
    }

    @Test func aFailingMigrationLeavesTheModuleDisabled() throws {
        struct Failing: Plugin {
            var broken: Bool
            var manifest: PluginManifest { PluginManifest(id: "failing", name: LocalizedText("坏"), version: broken ? "2" : "1", summary: LocalizedText("坏")) }
            var schema: SchemaDeclarations {
                SchemaDeclarations(entities: [EntityDefinition("thing", label: LocalizedText("东西"), fields: [FieldDefinition("name", .text, label: LocalizedText("名"))])])
            }
            var migrations: [PluginMigration] {
                broken ? [PluginMigration(id: "failing.001") { tx in
                    try tx.create("thing", ["name": .text("half done")])
                    throw KernelError(.scriptFailed, "boom")
                }] : []
            }
        }
        let dir = try TempDir()
        let first = try workspace(dir, [WidgetsPlugin(), Failing(broken: false)])
        try first.disable("failing")
        let ws = try Workspace(directory: first.directory, registry: PluginRegistry([WidgetsPlugin(), Failing(broken: true)]))
        #expect(kernelError { try ws.enable("failing") }?.message == "boom")
        #expect(try ws.enabledModules() == ["widgets"])
        #expect(kernelError { _ = try ws.store.count("thing") }?.kind == .notFound)
        #expect(try ws.store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM e_thing") } == 0)
        #expect(try ws.store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM _plugin_migration WHERE plugin = 'failing'") } == 0)
    }

    @Test func companyContributionsAddFieldsAndAFailedApplyKeepsThePrevious() throws {
        let dir = try TempDir()
        let ws = try workspace(dir)
        let region = CompanyContributions(schema: SchemaDeclarations(extensions: [FieldExtension(entity: "widget", field: FieldDefinition("region", .text, label: LocalizedText("区域")))]))
        try ws.applyCompany(region)
        #expect(try ws.store.schema.entity("widget").fieldsByName["region"]?.origin == "script")
        let w = try ws.store.create("widget", ["name": t("x"), "region": t("华南")])
        let bad = CompanyContributions(schema: SchemaDeclarations(extensions: [FieldExtension(entity: "widget", field: FieldDefinition("region", .integer, label: LocalizedText("区域")))]))
        #expect(kernelError { try ws.checkCompany(bad) } != nil)
        #expect(kernelError { try ws.applyCompany(bad) } != nil)
        #expect(ws.companyContributions.schema.extensions.map(\.field.type) == [.text])
        #expect(try ws.store.get("widget", w.id)?["region"] == t("华南"))
        let script = CompanyContributions(schema: SchemaDeclarations(entities: [EntityDefinition("visit", label: LocalizedText("拜访"), fields: [
            FieldDefinition("widget", .reference, label: LocalizedText("部件"), target: "widget"),
        ])]))
        try ws.checkCompany(script)
        #expect(kernelError { _ = try ws.store.count("visit") }?.kind == .notFound)
        try ws.applyCompany(script)
        #expect(try ws.store.schema.entity("visit").definition.origin == "script")
        #expect(try ws.store.schema.entity("widget").fieldsByName["region"] == nil)
    }
}
