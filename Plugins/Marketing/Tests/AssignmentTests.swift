import CRMKernel
@testable import CRMMarketing
import CRMScripting
import Foundation
import Testing

/// Assignment rules: order, strategies, caps, leave, the default owner, counters in the
/// database, and the simulation that writes nothing.
struct AssignmentTests {
    static let rules = """
    crm.marketing.assignment_rules({
      rules = {
        { name = "华南", when = { region = { "广东" } }, users = { "lina", "wangqiang" }, strategy = "round_robin", daily_cap = 2 },
        { name = "空压机", when = { product_interest = "空压机" }, users = { "lina", { user = "wangqiang", weight = 3 } }, strategy = "weighted" },
      },
      default_owner = "zhangwei",
    })
    """

    func assign(_ f: MarketingFixture, _ values: [String: Value]) throws -> Record {
        let lead = try f.lead(values)
        _ = try f.store.write(as: .system) { try LeadAssignment.assign($0, lead: lead.id) }
        return try #require(try f.store.get("lead", lead.id))
    }

    @Test func roundRobinWithinTheDailyCapThenTheNextRuleThenTheDefaultOwner() throws {
        let f = try MarketingFixture(companyLua: Self.rules)
        let owners = try (0..<5).map { _ in try assign(f, ["region": .text("广东")])["owner"].integerValue }
        let lina = f.users["lina"]!, wang = f.users["wangqiang"]!, boss = f.users["zhangwei"]!
        // Two each per day: the fifth falls through (no product match) to the default owner.
        #expect(owners == [lina, wang, lina, wang, boss])
        #expect(try assign(f, ["region": .text("北京")])["assignment_rule"] == .text("默认负责人"))
        // Counters live in the database, one row per user and day.
        let counts = try f.store.find(Query("lead_assignment_count", filter: .eq("user", .integer(lina)))).records
        #expect(counts.count == 1 && counts.first?["count"] == .integer(2))
        let assigned = try assign(f, ["region": .text("广东"), "product_interest": .text("空压机")])
        #expect(assigned["assignment_rule"] == .text("空压机") && assigned["status"] == .text(MarketingStatus.assigned))
    }

    @Test func weightedSharesFollowTheWeightsAndLeaveIsRespected() throws {
        let f = try MarketingFixture(companyLua: Self.rules)
        let wang = f.users["wangqiang"]!, lina = f.users["lina"]!
        let owners = try (0..<8).map { _ in try assign(f, ["product_interest": .text("空压机")])["owner"].integerValue }
        #expect(owners.filter { $0 == wang }.count == 6 && owners.filter { $0 == lina }.count == 2, "\(owners)")
        _ = try f.store.update("user", wang, ["on_leave": .bool(true)])
        #expect(try assign(f, ["product_interest": .text("空压机")])["owner"] == .integer(lina))
    }

    @Test func simulationReportsLoadCapsAndUnmatchedWithoutWriting() throws {
        let f = try MarketingFixture(companyLua: """
        crm.marketing.assignment_rules({ rules = { { name = "华南", when = { region = { "广东" } }, users = { "lina", "wangqiang" }, daily_cap = 1 } } })
        """)
        for region in ["广东", "广东", "广东", "北京"] { _ = try f.lead(["region": .text(region)]) }
        let before = try f.store.count("lead_assignment_count")
        let console = Console(host: f.host) { _ in }
        let today = AssignmentTesting.today()
        let answer = console.evaluate("local r = crm.marketing.simulate_assignment{from = '\(today)', to = '\(today)'} return r.leads, r.load.lina, r.load.wangqiang, r.unmatched, r.caps_hit.lina, r.to_pool")
        #expect(answer.error == nil, "\(answer)")
        #expect(answer.output == "4\n1\n1\n2\n2\n2", "\(answer.output)")
        #expect(try f.store.count("lead_assignment_count") == before)
        #expect(try f.store.count("lead", filter: .condition(field: "owner", op: .isNotEmpty, value: .null)) == 0)
        let bad = console.evaluate("return crm.marketing.simulate_assignment{from = 'yesterday', to = '2026-01-01'}")
        #expect(bad.error?.contains("from") == true)
    }

    @Test func badRulesNameTheKey() throws {
        let f = try MarketingFixture()
        let console = Console(host: f.host) { _ in }
        let answer = console.evaluate(#"crm.marketing.assignment_rules({ rules = { { name = "x", users = { "lina" }, strategy = "random" } } })"#)
        #expect(answer.error?.contains("assignment_rules.rules[1].strategy: 'random'") == true, "\(answer)")
    }
}

/// Today in the workspace's default time zone.
enum AssignmentTesting {
    static func today() -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let c = calendar.dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }
}
