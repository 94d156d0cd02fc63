import Foundation
import Testing

/// `crm init`, `crm modules`, `crm user` driven through the real binary.
struct ModulesCLITests {
    @Test func initDemoThenModulesListsPluginsWithState() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        let initOut = try crm.run(["init", "--demo"])
        #expect(initOut.status == 0, "\(initOut.stderr)")
        #expect(initOut.stdout.contains("added demo data"))
        let list = try crm.run(["modules"])
        #expect(list.status == 0)
        let lines = list.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("customers") && $0.contains("enabled") })
        #expect(lines.contains { $0.hasPrefix("opportunities") && $0.contains("enabled") && $0.contains("customers") })
    }

    @Test func disablingKeepsDataAndReenablingShowsItAgain() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init", "--demo"]).status == 0)
        let before = try crm.run(["export", "opportunity"])
        #expect(before.status == 0)
        let rows = before.stdout.split(separator: "\n").count
        #expect(rows > 1)
        #expect(try crm.run(["modules", "disable", "marketing"]).status == 0)  // depends on opportunities
        #expect(try crm.run(["modules", "disable", "payroll"]).status == 0)  // depends on finance
        #expect(try crm.run(["modules", "disable", "finance"]).status == 0)  // depends on orders
        #expect(try crm.run(["modules", "disable", "orders"]).status == 0)  // depends on opportunities
        #expect(try crm.run(["modules", "disable", "opportunities"]).status == 0)
        let hidden = try crm.run(["export", "opportunity"])
        #expect(hidden.status != 0)
        #expect(hidden.stderr.contains("unknown entity 'opportunity'"))
        #expect(try crm.run(["modules", "list"]).stdout.split(separator: "\n").contains { $0.hasPrefix("opportunities") && $0.contains("disabled") })
        #expect(try crm.run(["modules", "enable", "opportunities"]).status == 0)
        // The modules that add fields to opportunities come back too, so the columns match.
        #expect(try crm.run(["modules", "enable", "orders"]).status == 0)
        #expect(try crm.run(["modules", "enable", "marketing"]).status == 0)
        let after = try crm.run(["export", "opportunity"])
        #expect(after.stdout == before.stdout)
    }

    @Test func disablingAModuleOthersDependOnIsRefusedWithTheirNames() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init"]).status == 0)
        let out = try crm.run(["modules", "disable", "customers"])
        #expect(out.status != 0)
        #expect(out.stderr.contains("opportunities"))
        #expect(out.stderr.split(separator: "\n").count == 1)
        #expect(try crm.run(["modules"]).stdout.split(separator: "\n").contains { $0.hasPrefix("customers") && $0.contains("enabled") })
    }

    @Test func unknownModuleAndMissingWorkspaceFailWithOneLine() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        let missing = try crm.run(["modules"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("crm init"))
        try #require(crm.run(["init"]).status == 0)
        let unknown = try crm.run(["modules", "enable", "nosuch"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("unknown module 'nosuch'"))
    }

    @Test func userAddCreatesUsersWithRoleAndTeamAndRefusesBadRoles() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init"]).status == 0)
        let added = try crm.run(["user", "add", "lisi", "--role", "sales_rep", "--team", "华东销售部", "--display-name", "李四"])
        #expect(added.status == 0, "\(added.stderr)")
        let list = try crm.run(["user", "list"])
        #expect(list.stdout.contains("lisi") && list.stdout.contains("李四") && list.stdout.contains("sales_rep"))
        let bad = try crm.run(["user", "add", "wang", "--role", "emperor"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("user.role"))
        let dup = try crm.run(["user", "add", "lisi", "--role", "sales_rep"])
        #expect(dup.status != 0)
        #expect(dup.stderr.contains("user.name"))
    }

    @Test func workspaceComesFromTheEnvironmentWhenNoOptionIsGiven() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        let out = try crm.run(["init"], workspace: false, environment: ["CRM_WORKSPACE": crm.workspace.path])
        #expect(out.status == 0)
        #expect(FileManager.default.fileExists(atPath: crm.workspace.appendingPathComponent("crm.sqlite").path))
    }
}
