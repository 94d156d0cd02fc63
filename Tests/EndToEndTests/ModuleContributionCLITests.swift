import Foundation
import Testing

/// What `crm init`, `crm modules enable` and `crm jobs` take from the modules' folders: demo
/// users and data, stock scripts (SwiftPM resources), and job schedules with their last runs.
struct ModuleContributionCLITests {
    private func text(_ url: URL) -> String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }

    @Test func initDemoCreatesTheModulesDemoUsersScriptsAndData() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        let out = try crm.run(["init", "--demo"])
        #expect(out.status == 0, "\(out.stderr)")
        let scripts = crm.workspace.appendingPathComponent("scripts")
        for file in ["00_roles.lua", "10_customers.lua", "lib/phone.lua", "20_opportunities.lua", "30_products.lua"] {
            #expect(FileManager.default.fileExists(atPath: scripts.appendingPathComponent(file).path), "\(file)")
        }
        let users = try crm.run(["export", "user"])
        #expect(users.status == 0, "\(users.stderr)")
        for login in ["admin", "zhangwei", "lina", "wangqiang"] { #expect(users.stdout.contains(login), "\(login)") }
        #expect(try crm.run(["export", "team"]).stdout.contains("华南销售部"))
        // The opportunities demo finds the sales manager by role: 3 users × 3 months + a team target;
        // the finance demo adds a 回款 target for each of the 2 reps this month; the payroll demo a
        // 回款 target for each of the 3 salespeople in each of the 12 months of its year of credits.
        let targets = try crm.run(["export", "sales_target"]).stdout.split(separator: "\n")
        #expect(targets.count == 1 + 10 + 2 + 3 * 12)
        #expect(targets.contains { $0.contains("500000") })
    }

    @Test func anInstalledCopyOfTheBinaryUsesTheBundlesBesideIt() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        let built = try CRMProcess.binary("crm")
        let fm = FileManager.default
        let bin = crm.root.appendingPathComponent("install/bin"), share = crm.root.appendingPathComponent("install/share/crm")
        try fm.createDirectory(at: bin, withIntermediateDirectories: true)
        try fm.createDirectory(at: share, withIntermediateDirectories: true)
        try fm.copyItem(at: built, to: bin.appendingPathComponent("crm"))
        for bundle in ["crm_CRMCustomers.resources", "crm_CRMOpportunities.resources", "crm_CRMProducts.resources"] {
            try fm.copyItem(at: built.deletingLastPathComponent().appendingPathComponent(bundle), to: bin.appendingPathComponent(bundle))
        }
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/stock").standardizedFileURL
        try fm.copyItem(at: source, to: share.appendingPathComponent("stock"))
        // Marks, so the test sees which copies were used rather than the source tree's.
        let roles = share.appendingPathComponent("stock/00_roles.lua")
        try (text(roles) + "\n-- installed pack\n").write(to: roles, atomically: true, encoding: .utf8)
        let customers = bin.appendingPathComponent("crm_CRMCustomers.resources/Scripts/10_customers.lua")
        try (text(customers) + "\n-- installed bundle\n").write(to: customers, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = bin.appendingPathComponent("crm")
        process.arguments = ["init", "--workspace", crm.workspace.path]
        var env = ProcessInfo.processInfo.environment
        env["CRM_STOCK_PACK"] = nil
        env["CRM_MODULE_SCRIPTS"] = nil
        process.environment = env
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let scripts = crm.workspace.appendingPathComponent("scripts")
        #expect(text(scripts.appendingPathComponent("00_roles.lua")).contains("-- installed pack"))
        #expect(text(scripts.appendingPathComponent("10_customers.lua")).contains("-- installed bundle"))
        #expect(fm.fileExists(atPath: scripts.appendingPathComponent("20_opportunities.lua").path))
    }

    @Test func enablingAModuleLaterAddsItsMissingScripts() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init"]).status == 0)
        let file = crm.workspace.appendingPathComponent("scripts/20_opportunities.lua")
        #expect(try crm.run(["modules", "disable", "marketing"]).status == 0)  // depends on opportunities
        #expect(try crm.run(["modules", "disable", "payroll"]).status == 0)  // depends on finance
        #expect(try crm.run(["modules", "disable", "finance"]).status == 0)  // depends on orders
        #expect(try crm.run(["modules", "disable", "orders"]).status == 0)  // depends on opportunities
        #expect(try crm.run(["modules", "disable", "opportunities"]).status == 0)
        try FileManager.default.removeItem(at: file)
        let out = try crm.run(["modules", "enable", "opportunities"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("scripts/20_opportunities.lua"))
        #expect(FileManager.default.fileExists(atPath: file.path))
        // A company's own version is never replaced.
        try "-- ours\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(try crm.run(["modules", "disable", "opportunities"]).status == 0)
        #expect(try crm.run(["modules", "enable", "opportunities"]).stdout == "enabled opportunities\n")
        #expect(text(file) == "-- ours\n")
    }

    @Test func jobsListShowsScheduleLastRunAndNextRun() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init"]).status == 0)
        let before = try crm.run(["jobs", "list"])
        #expect(before.status == 0, "\(before.stderr)")
        let row = { (out: String) in out.split(separator: "\n").first { $0.hasPrefix("customers.task_reminders") }.map(String.init) ?? "" }
        #expect(row(before.stdout).contains("every 60s") && row(before.stdout).contains("never") && row(before.stdout).contains("due"))
        #expect(try crm.run(["jobs", "run", "customers.task_reminders"]).status == 0)
        let after = row(try crm.run(["jobs", "list"]).stdout)
        #expect(!after.contains("never") && !after.contains("due"), "\(after)")
    }
}
