import Foundation
import Testing
@testable import CRMKernel

/// A module shipping scripts and demo users from its folder.
private struct ShopPlugin: Plugin {
    var scriptsSource: URL
    var manifest: PluginManifest {
        PluginManifest(id: "shop", name: LocalizedText("门店"), version: "1.0.0", summary: LocalizedText("测试用"))
    }
    var schema: SchemaDeclarations {
        SchemaDeclarations(entities: [EntityDefinition("shop", label: LocalizedText("门店"), titleField: "name", fields: [
            FieldDefinition("name", .text, label: LocalizedText("名称"), required: true),
        ])])
    }
    var stockScripts: StockScripts? { StockScripts(target: "CRMShopForTests", sourceFile: scriptsSource.appendingPathComponent("ShopPlugin.swift").path) }
    var demoUsers: [DemoUser] {
        [DemoUser(login: "boss", displayName: "老板", role: "sales_manager", team: "一店"),
         DemoUser(login: "clerk", displayName: "店员", role: "sales_rep", team: "一店", phone: "13800138000")]
    }
    func seedDemo(_ tx: WriteContext, _ demo: inout DemoContext) throws {
        // Demo data finds its users by role, not by a login name the CLI made up.
        for owner in demo.users(withRole: "sales_manager") {
            try tx.create("shop", ["name": .text("旗舰店"), "owner": .integer(owner)])
        }
    }
}

/// Stock scripts shipped as module resources, and demo users declared by modules.
struct StockScriptsTests {
    private func write(_ text: String, _ url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    @Test func theResourceBundleBesideTheExecutableComesBeforeTheSourceTree() throws {
        let tmp = try TempDir()
        let exe = tmp.url.appendingPathComponent("bin/crm")
        try write("", exe)
        let bundled = tmp.url.appendingPathComponent("bin/crm_CRMShopForTests.resources/Scripts")
        try write("-- bundled", bundled.appendingPathComponent("30_shop.lua"))
        try write("-- source", tmp.url.appendingPathComponent("src/Scripts/30_shop.lua"))
        let scripts = StockScripts(target: "CRMShopForTests", sourceFile: tmp.url.appendingPathComponent("src/ShopPlugin.swift").path)
        #expect(scripts.locate(module: "shop", environment: [:], executable: exe)?.standardizedFileURL.path == bundled.standardizedFileURL.path)
        let override = tmp.url.appendingPathComponent("override")
        try write("-- override", override.appendingPathComponent("shop/30_shop.lua"))
        #expect(scripts.locate(module: "shop", environment: ["CRM_MODULE_SCRIPTS": override.path], executable: exe)?.lastPathComponent == "shop")
        try FileManager.default.removeItem(at: bundled)
        #expect(scripts.locate(module: "shop", environment: [:], executable: exe)?.standardizedFileURL.path
                == tmp.url.appendingPathComponent("src/Scripts").standardizedFileURL.path, "a binary run from its build tree")
    }

    @Test func installingScriptsLeavesTheCompanysFilesAlone() throws {
        let tmp = try TempDir()
        let source = tmp.url.appendingPathComponent("src/Scripts")
        try write("-- stock", source.appendingPathComponent("30_shop.lua"))
        try write("return {}", source.appendingPathComponent("lib/shop.lua"))
        let t = try PluginWorkspace([ShopPlugin(scriptsSource: tmp.url.appendingPathComponent("src"))])
        try write("-- the company's own", t.ws.scriptsDirectory.appendingPathComponent("30_shop.lua"))
        #expect(try t.ws.installModuleScripts() == ["lib/shop.lua"])
        #expect(try String(contentsOf: t.ws.scriptsDirectory.appendingPathComponent("30_shop.lua"), encoding: .utf8) == "-- the company's own")
        #expect(try t.ws.installModuleScripts().isEmpty, "a second install copies nothing")
    }

    @Test func aModuleWhoseScriptsAreMissingSaysWhereItLooked() throws {
        let tmp = try TempDir()
        let t = try PluginWorkspace([ShopPlugin(scriptsSource: tmp.url.appendingPathComponent("nowhere"))])
        let error = kernelError { try t.ws.installModuleScripts() }
        #expect(error?.kind == .notFound && error?.message.contains("module shop") == true)
    }

    @Test func demoUsersAndTeamsComeFromTheModules() throws {
        let tmp = try TempDir()
        let t = try PluginWorkspace([ShopPlugin(scriptsSource: tmp.url)])
        let created = try t.ws.seedDemo()
        #expect(created == 4, "one team, two users, one shop")
        let boss = try #require(t.ws.store.read { try $0.ids("user", where: "name", equals: .text("boss")).first })
        #expect(try t.ws.store.count("shop", filter: .eq("owner", .integer(boss))) == 1)
        let clerk = try #require(t.ws.store.read { try $0.find(Query("user", filter: .eq("name", .text("clerk")))).records.first })
        #expect(clerk["role"] == .text("sales_rep") && clerk["phone"] == .text("13800138000") && clerk["team"] != .null)
        #expect(try t.ws.seedDemo() == 1, "users and teams are reused; only demo data is added again")
    }
}
