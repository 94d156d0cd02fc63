import CRMKernel
import CRMScripting
import Foundation
import Testing

/// The module's grants: the marketing manager runs campaigns and rules, reps see their own
/// leads and the pool.
struct MarketingGrantTests {
    @Test func theMarketingManagerRunsCampaignsAndRepsSeeTheirLeadsAndThePool() throws {
        let f = try MarketingFixture()
        let roles = f.store.schema.roles
        #expect(roles["marketing_manager"]?.allows(.delete, on: "campaign") == true)
        #expect(roles["marketing_manager"]?.allows(.admin, on: "lead") == true)
        #expect(roles["sales_rep"]?.allows(.admin, on: "lead") == false)
        #expect(roles["sales_rep"]?.allows(.create, on: "campaign") == false)
        let lina = f.users["lina"]!, wang = f.users["wangqiang"]!
        let mine = try f.lead(["owner": .integer(lina)]).id
        _ = try f.lead(["owner": .integer(wang)])
        let pooled = try f.lead().id
        let console = Console(host: f.host) { _ in }
        try f.host.engine.act(as: "lina")
        let seen = console.evaluate("local ids = {} for _, l in ipairs(crm.find('lead', {})) do ids[#ids + 1] = l.id end return table.concat(ids, ',')")
        #expect(seen.output == "\(mine),\(pooled)", "\(seen)")
        #expect(console.evaluate("return crm.marketing.simulate_assignment{from = '2026-01-01', to = '2026-01-02'}").error?.contains("admin") == true)
        let claimed = console.evaluate("return crm.marketing.claim(\(pooled)).owner")
        #expect(claimed.output == "\(lina)", "\(claimed)")
        try f.host.engine.act(as: "chenjing")
        #expect(console.evaluate("return crm.marketing.simulate_assignment{from = '2026-01-01', to = '2026-01-02'}.leads").output == "0")
    }
}
