import Foundation
import Testing

/// Modules' own commands through the real `crm` binary: `crm customers …` and its aliases.
struct ModuleCommandCLITests {
    /// The id of the first follow-up `user` can see, found through `crm run --as`.
    static func firstFollowup(_ crm: CRMProcess, as user: String) throws -> String {
        let script = try crm.write("first-\(user).lua", #"print(crm.find("followup", {}, {sort = "id", limit = 1})[1].id)"#)
        let out = try crm.run(["run", script, "--as", user])
        return out.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func theCustomersPoolCommandsAnswerUnderTheModuleNameAndTheirAliases() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init", "--demo"]).status == 0)
        let list = try crm.run(["customers", "pool", "list"])
        #expect(list.status == 0 && list.stdout.contains("华南公海") && list.stdout.contains("默认公海"), "\(list.stderr)")
        #expect(try crm.run(["customers", "pool"]).stdout == list.stdout)
        #expect(try crm.run(["pool"]).stdout == list.stdout)
        let dry = try crm.run(["customers", "pool", "reclaim", "--dry-run"])
        #expect(dry.status == 0 && dry.stdout.contains("4 customer(s) would return to the pool"), "\(dry.stderr)")
        let real = try crm.run(["customers", "pool", "reclaim"])
        #expect(real.status == 0 && real.stdout.contains("4 customer(s) returned to the pool"), "\(real.stderr)")
        #expect(try crm.run(["pool", "reclaim", "--dry-run"]).stdout.contains("0 customer(s) would return"))
    }

    @Test func helpListsTheModulesVerbsAndMistakesAreOneLineOnStderr() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        let help = try crm.run(["customers", "--help"], workspace: false)
        #expect(help.status == 0)
        #expect(help.stdout.contains("crm customers pool list") && help.stdout.contains("crm customers pool reclaim [--dry-run]"))
        #expect(help.stdout.contains("crm customers attach FOLLOWUP_ID FILE [--name NAME] [--as USER]"))
        #expect(help.stdout.contains("crm attach … = crm customers attach …") && help.stdout.contains("crm pool … = crm customers pool …"))
        #expect(try crm.run(["--help"], workspace: false).stdout.contains("crm customers pool reclaim"))
        #expect(try crm.run(["customers", "attach", "--help"], workspace: false).stdout.contains("Usage: crm customers attach FOLLOWUP_ID FILE"))

        let unknown = try crm.run(["customers", "frobnicate"])
        #expect(unknown.status != 0 && unknown.stdout.isEmpty)
        #expect(unknown.stderr == "error: unknown command 'crm customers frobnicate' (known: attach, pool; see crm customers --help)\n")
        let option = try crm.run(["customers", "pool", "reclaim", "--wet"])
        #expect(option.status != 0)
        #expect(option.stderr == "error: crm customers pool reclaim: unknown option --wet (known: --dry-run, --workspace)\n")
        let missing = try crm.run(["attach", "1"])
        #expect(missing.status != 0 && missing.stderr.hasPrefix("error: crm customers attach: missing FILE"))
        #expect(missing.stderr.split(separator: "\n").count == 1)
    }

    @Test func attachActsAsTheUserAndRefusesAFollowupTheyCannotSee() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init", "--demo"]).status == 0)
        let mine = try Self.firstFollowup(crm, as: "lina")
        let others = try Self.firstFollowup(crm, as: "wangqiang")
        try #require(Int(mine) != nil && Int(others) != nil && mine != others)
        let file = try crm.write("纪要.txt", "会议纪要")
        let ok = try crm.run(["customers", "attach", mine, file, "--as", "lina", "--name", "会议纪要.txt"])
        #expect(ok.status == 0 && ok.stdout.contains("会议纪要.txt (12 bytes)"), "\(ok.stderr)")
        #expect(FileManager.default.fileExists(atPath: crm.workspace.appendingPathComponent("files/followup/\(mine)/会议纪要.txt").path))
        let refused = try crm.run(["attach", others, file, "--as", "lina"])
        #expect(refused.status != 0 && refused.stderr.contains("followup \(others) not found"))
    }
}
