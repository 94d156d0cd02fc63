import Foundation
import Testing
@testable import CRMKernel

/// A plugin with one company-changeable rule set: a maximum size for its `box` records.
private struct BoxesPlugin: Plugin {
    var manifest: PluginManifest {
        PluginManifest(id: "boxes", name: LocalizedText("盒子"), version: "1.0.0", summary: LocalizedText("测试用"))
    }
    var schema: SchemaDeclarations {
        SchemaDeclarations(entities: [EntityDefinition("box", label: LocalizedText("盒子"), fields: [
            FieldDefinition("size", .integer, label: LocalizedText("尺寸")),
        ])])
    }
    var settings: [PluginSetting] {
        [PluginSetting("limits", summary: "crm.boxes.limits{max = n}", default: .table(["max": .value(.integer(10))])) { value in
            guard let max = value.fields?["max"]?.integer, max > 0 else {
                throw KernelError(.validation, "max must be a positive integer")
            }
            return max
        }]
    }
    func hooks() -> HookSet {
        var h = HookSet()
        h.onBeforeSave("box") { ctx in
            let max = ctx.tx.schema.setting("boxes.limits", as: Int64.self) ?? 0
            if case .integer(let size) = ctx.values["size"], size > max { ctx.reject("size", "at most \(max)") }
        }
        return h
    }
}

struct PluginSettingTests {
    @Test func hooksReadTheDefaultUntilCompanyScriptsChangeTheSetting() throws {
        let dir = try TempDir()
        let ws = try Workspace(directory: dir.url.appendingPathComponent("ws"), registry: PluginRegistry([BoxesPlugin()]), create: true)
        #expect(ws.store.schema.setting("boxes.limits", as: Int64.self) == 10)
        #expect(kernelError { try ws.store.create("box", ["size": .integer(11)]) }?.fieldErrors.first?.field == "size")

        try ws.applyCompany(CompanyContributions(schema: SchemaDeclarations(settings: ["boxes.limits": .table(["max": .value(.integer(20))])])))
        _ = try ws.store.create("box", ["size": .integer(11)])

        let bad = CompanyContributions(schema: SchemaDeclarations(settings: ["boxes.limits": .table(["max": .value(.integer(-1))])]))
        let error = kernelError { try ws.applyCompany(bad) }
        #expect(error?.message == "crm.boxes.limits: max must be a positive integer")
        #expect(ws.store.schema.setting("boxes.limits", as: Int64.self) == 20, "a refused setting leaves the last good one in force")
    }

    @Test func settingsOfDisabledModulesAreIgnored() throws {
        let dir = try TempDir()
        let ws = try Workspace(directory: dir.url.appendingPathComponent("ws"), registry: PluginRegistry([BoxesPlugin()]), create: true)
        try ws.disable("boxes")
        #expect(ws.store.schema.setting("boxes.limits", as: Int64.self) == nil)
    }
}
