import CRMCustomers
import CRMKernel
import CRMOpportunities
import Foundation
import Testing

/// The modules' stock Lua scripts ship as SwiftPM resources of their targets.
struct ModuleScriptsTests {
    @Test func customersScriptsAreFoundInTheResourceBundleBesideTheBinary() throws {
        let folder = try #require(CustomersPlugin().stockScripts?.locate(module: "customers"))
        #expect(folder.path.contains("crm_CRMCustomers.resources"), "found \(folder.path)")
        for file in ["10_customers.lua", "lib/phone.lua"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path), "\(file)")
        }
    }

    @Test func opportunitiesScriptsAreFoundInTheResourceBundleBesideTheBinary() throws {
        let folder = try #require(OpportunitiesPlugin().stockScripts?.locate(module: "opportunities"))
        #expect(folder.path.contains("crm_CRMOpportunities.resources"), "found \(folder.path)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("20_opportunities.lua").path))
    }

    @Test func aNewWorkspaceGetsTheEnabledModulesScripts() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crm-scripts-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let ws = try Workspace(directory: dir, registry: try PluginRegistry([CustomersPlugin(), OpportunitiesPlugin()]), create: true)
        try ws.disable("opportunities")
        #expect(try ws.installModuleScripts() == ["10_customers.lua", "lib/phone.lua"])
        try ws.enable("opportunities")
        #expect(try ws.installModuleScripts(["opportunities"]) == ["20_opportunities.lua"])
    }
}
