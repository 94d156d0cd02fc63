import CRMKernel
import Foundation
import Testing

/// An HTTP request has one Lua instruction budget for every hook it causes, not one per record.
struct ScriptBudgetAPITests {
    /// A team hook burning about 2M instructions (a fifth of the default 10M budget).
    static let spinningHook = """
        crm.on("team.before_save", function(t)
          local n = 0
          for i = 1, 1000000 do n = n + i end
        end)
        """

    @Test func aBulkRequestWhoseHooksExhaustTheRequestBudgetIsRefusedWhole() async throws {
        let f = try ServerFixture(companyScript: Self.spinningHook)
        let boss = f.tokens["boss"]!
        let before = try f.host.workspace.store.count("team")
        try await f.withClient { c in
            let names = (0..<20).map { #"{"name":"组\#($0)"}"# }.joined(separator: ",")
            let reply = try await c.call(.post, "/api/v1/records/team/bulk", token: boss, body: #"{"records":[\#(names)]}"#)
            #expect(reply.status == 422)
            #expect(reply.text.contains("instruction limit exceeded"), "\(reply.text)")
            #expect(reply.text.contains("90_company.lua:3"), "\(reply.text)")
            // Four records fit in one budget; the next request has a budget of its own.
            let few = (0..<3).map { #"{"name":"小组\#($0)"}"# }.joined(separator: ",")
            let ok = try await c.call(.post, "/api/v1/records/team/bulk", token: boss, body: #"{"records":[\#(few)]}"#)
            #expect(ok.status == 201)
        }
        #expect(try f.host.workspace.store.count("team") == before + 3)
    }
}
