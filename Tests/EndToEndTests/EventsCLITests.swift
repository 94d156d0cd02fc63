import Foundation
import Testing

/// Durable events through the real `crm` binary: a won deal makes its customer 成交 even when the
/// process dies between the commit and the reaction, and `crm events` shows where consumers stand.
struct EventsCLITests {
    /// The `crm events` row of `consumer`, split into its columns.
    private func row(_ crm: CRMProcess, _ consumer: String) throws -> [String] {
        let out = try crm.run(["events"])
        #expect(out.status == 0, "\(out.stderr)")
        let line = out.stdout.split(separator: "\n").first { $0.hasPrefix(consumer + " ") }
        return try #require(line).split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    }

    @Test func aWonDealMakesItsCustomerWonEvenWhenTheProcessDiesBetweenCommitAndReaction() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init"]).status == 0)
        let setup = try crm.run(["run", try crm.write("setup.lua", """
            local c = crm.create("customer", {name = "断电测试有限公司", phone = "13900002222", industry = "制造业", source = "展会推荐"})
            local o = crm.create("opportunity", {name = "断电商机", customer = c.id, amount = 1000})
            print(c.id, o.id)
            """)])
        #expect(setup.status == 0, "\(setup.stderr)")
        let ids = setup.stdout.split(whereSeparator: { $0 == "\t" || $0 == "\n" }).compactMap { Int($0) }
        try #require(ids.count == 2)
        let check = try crm.write("check.lua", "print(crm.get('opportunity', \(ids[1])).stage, crm.get('customer', \(ids[0])).lifecycle)")

        let killed = try crm.run(["run", try crm.write("win.lua", "crm.opportunities.win(\(ids[1]))\nprint('not reached')")],
                                 environment: ["CRM_FAULT_EXIT_AFTER_COMMIT": "1"])
        #expect(killed.status == 86, "the fault exits right after the commit: \(killed.stderr)")
        #expect(!killed.stdout.contains("not reached"))
        #expect(try crm.run(["run", check]).stdout == "赢单\t潜在\n", "the win committed, the reaction did not run")
        let waiting = try row(crm, "customers.deal_won")
        #expect(waiting[1] == "opportunity.won" && waiting[3] == "1", "one event waits: \(waiting)")

        // The next start of the server catches up before it listens.
        let server = try ServerProcess(crm)
        #expect(server.stop() == 0)
        #expect(try crm.run(["run", check]).stdout == "赢单\t成交\n")
        #expect(try row(crm, "customers.deal_won")[3] == "0")

        // Without a fault, the committing process reacts at once.
        let direct = try crm.run(["run", try crm.write("direct.lua", """
            local c = crm.create("customer", {name = "直接成交有限公司", phone = "13900003333", industry = "制造业", source = "展会推荐"})
            local o = crm.create("opportunity", {name = "直接商机", customer = c.id, amount = 2000})
            crm.opportunities.win(o.id)
            print(crm.get("customer", c.id).lifecycle)
            """)])
        #expect(direct.stdout == "成交\n", "\(direct.stderr)")
    }

    @Test func eventsCommandsRetryDrainAndKeepTheHistorySetting() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init"]).status == 0)
        #expect(try crm.run(["events", "keep-days"]).stdout == "30 (default)\n")
        #expect(try crm.run(["events", "keep-days", "7"]).stdout == "7\n")
        #expect(try crm.run(["events", "drain"]).status == 0)
        #expect(try crm.run(["events", "prune"]).stdout.hasSuffix("outbox entries deleted\n"))
        let unknown = try crm.run(["events", "retry", "customers.nope"])
        #expect(unknown.status != 0 && unknown.stderr.contains("customers.deal_won"), "names the consumers there are")
        #expect(try crm.run(["events", "retry", "customers.deal_won"]).stdout == "nothing waiting\n")
    }
}
