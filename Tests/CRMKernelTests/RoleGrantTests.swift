import Foundation
import Testing
@testable import CRMKernel

/// A module owning `tool`, granting it to the stock roles from its own folder.
private struct ToolsPlugin: Plugin {
    var grants: [RoleGrant] = [
        RoleGrant("sales_rep", "tool", RoleGrant.work, hidden: ["cost"], readOnly: ["owner"], unowned: true),
        RoleGrant("sales_manager", "tool", RoleGrant.manage, scope: .all),
    ]
    var manifest: PluginManifest {
        PluginManifest(id: "tools", name: LocalizedText("工具"), version: "1.0.0", summary: LocalizedText("测试用"))
    }
    var schema: SchemaDeclarations {
        SchemaDeclarations(entities: [EntityDefinition("tool", label: LocalizedText("工具"), titleField: "name", fields: [
            FieldDefinition("name", .text, label: LocalizedText("名称"), required: true),
            FieldDefinition("cost", .money, label: LocalizedText("成本")),
        ])])
    }
}

/// Module grants merged into the kernel's stock roles, and the company's pack after them.
struct RoleGrantTests {
    private func workspace(company: CompanyContributions = CompanyContributions()) throws -> PluginWorkspace {
        try PluginWorkspace([ToolsPlugin()], company: company)
    }

    @Test func moduleGrantsAreMergedIntoTheStockRoles() throws {
        let t = try workspace(), ws = t.ws
        let rep = try #require(ws.store.schema.roles["sales_rep"])
        #expect(rep.allows(.create, on: "tool") && !rep.allows(.delete, on: "tool"))
        #expect(rep.hidden["tool"] == ["cost"] && rep.readOnly["tool"] == ["owner"] && rep.unowned.contains("tool"))
        #expect(rep.allows(.read, on: "user") && rep.scope(on: "tool") == .own, "the kernel's base definition stays")
        let manager = try #require(ws.store.schema.roles["sales_manager"])
        #expect(manager.allows(.delete, on: "tool") && manager.scope(on: "tool") == .all && manager.scope == .teamTree)
        #expect(ws.store.schema.roles["admin"]?.isAdministrator == true)
        #expect(ws.store.schema.roles["finance"]?.allows(.read, on: "tool") == false, "a role the module grants nothing keeps nothing")
    }

    @Test func aDisabledModuleGrantsNothing() throws {
        let t = try workspace(), ws = t.ws
        try ws.disable("tools")
        #expect(ws.store.schema.roles["sales_rep"]?.grants["tool"] == nil)
        try ws.enable("tools")
        #expect(ws.store.schema.roles["sales_rep"]?.allows(.update, on: "tool") == true)
    }

    @Test func theCompanysRoleComesAfterTheModuleGrants() throws {
        let replaced = RoleDefinition(id: "sales_rep", label: LocalizedText("销售"), grants: ["tool": [.read]])
        let ws = try workspace(company: CompanyContributions(schema: SchemaDeclarations(roles: [replaced]))).ws
        let rep = try #require(ws.store.schema.roles["sales_rep"])
        #expect(rep.allows(.read, on: "tool") && !rep.allows(.create, on: "tool") && rep.hidden["tool"] == nil)
    }

    @Test func aGrantOnAnEntityNobodyDeclaresIsRefusedAtStartUp() throws {
        var plugin = ToolsPlugin()
        plugin.grants.append(RoleGrant("sales_rep", "hammer", [.read]))
        let error = kernelError { _ = try PluginRegistry([plugin]) }
        #expect(error?.message.contains("module tools") == true && error?.message.contains("'hammer'") == true)
    }

    @Test func aGrantToARoleThatIsNotAStockRoleIsRefusedAtStartUp() throws {
        var plugin = ToolsPlugin()
        plugin.grants.append(RoleGrant("salesrep", "tool", [.read]))
        let error = kernelError { _ = try PluginRegistry([plugin]) }
        #expect(error?.message.contains("module tools") == true && error?.message.contains("'salesrep'") == true)
    }

    @Test func aGrantAddsToARoleWithoutTakingAnythingAway() {
        let base = RoleDefinition(id: "r", label: LocalizedText("r"), grants: ["tool": [.read]], hidden: ["tool": ["a"]])
        let merged = base.merging(RoleGrant("r", "tool", [.update], hidden: ["b"]))
        #expect(merged.grants["tool"] == [.read, .update] && merged.hidden["tool"] == ["a", "b"] && merged.scopes["tool"] == nil)
    }
}
