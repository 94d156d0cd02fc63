import CRMCustomers
import CRMKernel
import CRMPlugins
import Foundation
import Testing

/// The 公海: claiming within quota, cap and cooldown; releasing with a reason; pools by province.
struct PoolTests {
    struct Setup {
        let w: DuplicateFixture
        let lina: ActingUser
        let wang: ActingUser
    }

    static func setUp(_ rules: [String: ScriptValue] = [:]) throws -> Setup {
        let w = try DuplicateFixture()
        let l = try w.store.create("user", ["name": .text("lina"), "role": .text("sales_rep")])
        let g = try w.store.create("user", ["name": .text("wang"), "role": .text("sales_rep")])
        var table: [String: ScriptValue] = [
            "pools": .list([.table(["name": .value(.text("华南公海")), "provinces": .list([.value(.text("广东"))])]),
                            .table(["name": .value(.text("默认公海"))])]),
        ]
        table.merge(rules) { $1 }
        try w.ws.applyCompany(CompanyContributions(schema: SchemaDeclarations(settings: [PoolRules.settingKey: .table(table)])))
        return Setup(w: w, lina: ActingUser(id: l.id, name: "lina", role: "sales_rep"), wang: ActingUser(id: g.id, name: "wang", role: "sales_rep"))
    }

    static func poolCustomer(_ t: Setup, _ n: Int, province: String = "广东") throws -> Record {
        try t.w.create("深圳测试\(n)科技有限公司", "1380013\(String(format: "%04d", n))", ["province": .text(province), "owner": .null])
    }

    static func claim(_ t: Setup, _ user: ActingUser, _ id: Int64) throws {
        _ = try t.w.store.write(as: user) { tx in try CustomerPool.claim(tx, id) }
    }

    @Test func aCustomerWithoutOwnerIsInTheFirstPoolItsProvinceMatches() throws {
        let t = try Self.setUp()
        #expect(try Self.poolCustomer(t, 1)["pool"] == .text("华南公海"))
        #expect(try Self.poolCustomer(t, 2, province: "四川")["pool"] == .text("默认公海"))
        let owned = try t.w.create("上海某某科技有限公司", "13900000001", ["owner": .integer(t.lina.id!)])
        #expect(owned["pool"] == .null)
        #expect(owned["assigned_at"] != .null, "an owner stamps assigned_at")
    }

    @Test func claimGivesTheCustomerToTheUserAndRecordsTheEvent() throws {
        let t = try Self.setUp()
        let c = try Self.poolCustomer(t, 1)
        try Self.claim(t, t.lina, c.id)
        let after = try #require(try t.w.store.get("customer", c.id))
        #expect(after["owner"] == .integer(t.lina.id!))
        #expect(after["pool"] == .null)
        #expect(after["assigned_at"] != .null)
        let events = try t.w.store.find(Query("pool_event", filter: .eq("customer", .integer(c.id)))).records
        #expect(events.map { $0["action"] } == [.text("claim")])
        #expect(events.first?["user"] == .integer(t.lina.id!))
        #expect(events.first?["pool"] == .text("华南公海"))
        #expect(throws: KernelError.self, "an owned customer cannot be claimed") { try Self.claim(t, t.wang, c.id) }
    }

    @Test func claimingBeyondTheDailyQuotaIsRefusedAndChangesNothing() throws {
        let t = try Self.setUp(["daily_claims": .value(.integer(2))])
        let ids = try (1...3).map { try Self.poolCustomer(t, $0).id }
        try Self.claim(t, t.lina, ids[0])
        try Self.claim(t, t.lina, ids[1])
        let before = try t.w.store.history("customer", ids[2]).count
        let error = duplicateError { try Self.claim(t, t.lina, ids[2]) }
        #expect(error?.kind == .forbidden)
        #expect(error?.message.contains("daily claim quota") == true)
        #expect(try t.w.store.get("customer", ids[2])?["owner"] == .null)
        #expect(try t.w.store.history("customer", ids[2]).count == before)
        #expect(try t.w.store.count("pool_event") == 2)
        try Self.claim(t, t.wang, ids[2])
    }

    @Test func theQuotaCountsOnlyTodaysClaimsInTheWorkspaceTimeZone() throws {
        let t = try Self.setUp(["daily_claims": .value(.integer(1))])
        let old = try Self.poolCustomer(t, 9), c = try Self.poolCustomer(t, 1)
        var shanghai = Calendar(identifier: .gregorian)
        shanghai.timeZone = try #require(TimeZone(identifier: "Asia/Shanghai"))
        // A minute before midnight in Shanghai: yesterday there, even when it is today in UTC.
        let lastNight = shanghai.startOfDay(for: Date()).addingTimeInterval(-60)
        try t.w.store.create("pool_event", ["customer": .integer(old.id), "action": .text("claim"), "user": .integer(t.lina.id!),
                                            "at": .datetime(lastNight)])
        try Self.claim(t, t.lina, c.id)
        let next = try Self.poolCustomer(t, 2)
        #expect(duplicateError { try Self.claim(t, t.lina, next.id) }?.kind == .forbidden, "today's claim counts")
    }

    @Test func claimingBeyondTheHoldingCapIsRefused() throws {
        let t = try Self.setUp(["max_held": .value(.integer(1))])
        _ = try t.w.create("上海某某科技有限公司", "13900000001", ["owner": .integer(t.lina.id!)])
        let c = try Self.poolCustomer(t, 1)
        let error = duplicateError { try Self.claim(t, t.lina, c.id) }
        #expect(error?.kind == .forbidden)
        #expect(error?.message.contains("the most allowed is 1") == true)
        #expect(try t.w.store.get("customer", c.id)?["owner"] == .null)
        #expect(try t.w.store.count("pool_event") == 0)
    }

    @Test func aReleasedCustomersPreviousOwnerWaitsForTheCooldownOthersDoNot() throws {
        let t = try Self.setUp(["cooldown_days": .value(.integer(30))])
        let c = try Self.poolCustomer(t, 1)
        try Self.claim(t, t.lina, c.id)
        _ = try t.w.store.write(as: t.lina) { tx in try CustomerPool.release(tx, c.id, reason: "客户暂无需求") }
        let error = duplicateError { try Self.claim(t, t.lina, c.id) }
        #expect(error?.kind == .forbidden)
        #expect(error?.message.contains("cooldown 30 days") == true)
        try Self.claim(t, t.wang, c.id)
        #expect(try t.w.store.get("customer", c.id)?["owner"] == .integer(t.wang.id!))
    }

    @Test func releaseNeedsAReasonAndTheOwnerOrAnAdminAndChangesNothingWhenRefused() throws {
        let t = try Self.setUp()
        let c = try Self.poolCustomer(t, 1)
        try Self.claim(t, t.lina, c.id)
        let events = try t.w.store.count("pool_event")
        for reason in [nil, "  "] {
            let error = duplicateError { _ = try t.w.store.write(as: t.lina) { tx in try CustomerPool.release(tx, c.id, reason: reason) } }
            #expect(error?.kind == .validation)
            #expect(error?.fieldErrors.map(\.field) == ["reason"])
        }
        let other = duplicateError { _ = try t.w.store.write(as: t.wang) { tx in try CustomerPool.release(tx, c.id, reason: "不是我的") } }
        #expect(other?.kind == .forbidden)
        #expect(try t.w.store.get("customer", c.id)?["owner"] == .integer(t.lina.id!))
        #expect(try t.w.store.count("pool_event") == events)
        let admin = ActingUser(id: nil, name: "system", role: "admin")
        let released = try t.w.store.write(as: admin) { tx in try CustomerPool.release(tx, c.id, reason: "调整区域") }
        #expect(released["owner"] == .null)
        #expect(released["pool"] == .text("华南公海"))
        let event = try t.w.store.find(Query("pool_event", filter: .eq("action", .text("release")))).records.first
        #expect(event?["previous_owner"] == .integer(t.lina.id!))
        #expect(event?["reason"] == .text("调整区域"))
    }

    @Test func poolRulesRejectUnknownKeysAndBadValues() throws {
        let w = try DuplicateFixture()
        for bad: [String: ScriptValue] in [["daily_clams": .value(.integer(3))], ["max_held": .value(.text("many"))],
                                           ["pools": .list([])], ["reclaim": .table(["A": .table(["no_followup": .value(.integer(3))])])]] {
            #expect(throws: KernelError.self) {
                try w.ws.applyCompany(CompanyContributions(schema: SchemaDeclarations(settings: [PoolRules.settingKey: .table(bad)])))
            }
        }
    }
}
