import CRMCustomers
import CRMKernel
import CRMPlugins
import Foundation
import Testing

/// Auto-reclaim: customers past their grade's follow-up or deal deadline go back to their pools;
/// owners are warned before.
struct PoolReclaimTests {
    static let day: TimeInterval = 86_400

    static func setUp() throws -> PoolTests.Setup {
        try PoolTests.setUp([
            "warn_days": .value(.integer(3)),
            "reclaim": .table(["default": .table(["no_followup_days": .value(.integer(30)), "no_deal_days": .value(.integer(90))]),
                               "A": .table(["no_followup_days": .value(.integer(60))])]),
        ])
    }

    static func owned(_ t: PoolTests.Setup, _ n: Int, grade: String, assignedDaysAgo: Double, extra: [String: Value] = [:]) throws -> Record {
        try t.w.create("广州样例\(n)贸易有限公司", "1390013\(String(format: "%04d", n))",
                       ["province": .text("广东"), "grade": .text(grade), "owner": .integer(t.lina.id!),
                        "assigned_at": .datetime(Date().addingTimeInterval(-assignedDaysAgo * day))].merging(extra) { $1 })
    }

    static func run(_ t: PoolTests.Setup, dryRun: Bool) throws -> PoolReclaim.Report {
        try t.w.store.write(as: .system) { tx in try PoolReclaim.run(tx, now: tx.now, dryRun: dryRun) }
    }

    @Test func customersPastTheirGradesDeadlineMoveAndOthersStay() throws {
        let t = try Self.setUp()
        let c = try Self.owned(t, 1, grade: "C", assignedDaysAgo: 40)
        let a = try Self.owned(t, 2, grade: "A", assignedDaysAgo: 40)
        let fresh = try Self.owned(t, 3, grade: "C", assignedDaysAgo: 5)
        let followed = try Self.owned(t, 4, grade: "C", assignedDaysAgo: 40)
        try t.w.store.create("followup", ["customer": .integer(followed.id), "type": .text("电话"), "content": .text("回访"),
                                          "followed_at": .datetime(Date().addingTimeInterval(-2 * Self.day))])
        let dry = try Self.run(t, dryRun: true)
        #expect(dry.moves.map(\.id) == [c.id])
        #expect(dry.moves.first?.reason == "超过30天未跟进")
        #expect(dry.moves.first?.pool == "华南公海")
        #expect(dry.moves.first?.owner == t.lina.id)
        #expect(try t.w.store.get("customer", c.id)?["owner"] == .integer(t.lina.id!), "a dry run changes nothing")
        #expect(try t.w.store.count("pool_event") == 0)

        let real = try Self.run(t, dryRun: false)
        #expect(real.moves.map(\.id) == [c.id])
        let moved = try #require(try t.w.store.get("customer", c.id))
        #expect(moved["owner"] == .null)
        #expect(moved["pool"] == .text("华南公海"))
        for id in [a.id, fresh.id, followed.id] { #expect(try t.w.store.get("customer", id)?["owner"] == .integer(t.lina.id!)) }
        let event = try #require(try t.w.store.find(Query("pool_event")).records.first)
        #expect(event["action"] == .text("reclaim"))
        #expect(event["previous_owner"] == .integer(t.lina.id!))
        #expect(event["reason"] == .text("超过30天未跟进"))
        #expect(try t.w.store.history("customer", c.id).last?.userName == "system", "the move is audited")
        #expect(throws: KernelError.self, "the previous owner is in cooldown") { try PoolTests.claim(t, t.lina, c.id) }
        #expect(try Self.run(t, dryRun: true).moves.isEmpty)
    }

    @Test func noDealCountsFromAssignmentAndADealStopsIt() throws {
        let t = try Self.setUp()
        let followed: [String: Value] = ["last_followup_at": .datetime(Date().addingTimeInterval(-Self.day))]
        let stalled = try Self.owned(t, 1, grade: "B", assignedDaysAgo: 100, extra: followed)
        _ = try Self.owned(t, 2, grade: "B", assignedDaysAgo: 100, extra: followed.merging(["lifecycle": .text("成交")]) { $1 })
        let a = try Self.owned(t, 3, grade: "A", assignedDaysAgo: 100, extra: followed)
        let report = try Self.run(t, dryRun: true)
        #expect(report.moves.map(\.id) == [stalled.id], "grade A has no deal rule here; a 成交 customer is exempt")
        #expect(report.moves.first?.reason == "超过90天未成交")
        #expect(!report.moves.contains { $0.id == a.id })
    }

    @Test func ownersAreWarnedOnceBeforeTheirCustomerIsReclaimed() throws {
        let t = try Self.setUp()
        let soon = try Self.owned(t, 1, grade: "C", assignedDaysAgo: 28)
        _ = try Self.owned(t, 2, grade: "C", assignedDaysAgo: 10)
        let first = try Self.run(t, dryRun: false)
        #expect(first.moves.isEmpty)
        #expect(first.warned == 1)
        let notes = try t.w.store.read { try Notifications.list(for: t.lina.id!, in: $0) }
        #expect(notes.map { $0["kind"] } == [.text("pool.warning")])
        #expect(notes.first?["record_id"] == .integer(soon.id))
        #expect(try Self.run(t, dryRun: false).warned == 0, "a second run does not warn again")
    }

    @Test func aCustomerACompanyRuleRefusesStaysAndTheOthersStillMove() throws {
        let t = try Self.setUp()
        let stuck = try Self.owned(t, 1, grade: "C", assignedDaysAgo: 40)
        let other = try Self.owned(t, 2, grade: "C", assignedDaysAgo: 40)
        var hooks = HookSet()
        hooks.onBeforeSave("customer") { ctx in
            if ctx.id == stuck.id, ctx.changed("owner") { ctx.reject("owner", "此客户已冻结") }
        }
        var company = t.w.ws.companyContributions
        company.hooks = hooks
        try t.w.ws.applyCompany(company)
        let report = try Self.run(t, dryRun: false)
        #expect(report.moves.map(\.id) == [other.id])
        #expect(report.skipped.map(\.id) == [stuck.id])
        #expect(report.skipped.first?.message.contains("此客户已冻结") == true)
        #expect(try t.w.store.get("customer", stuck.id)?["owner"] == .integer(t.lina.id!))
        #expect(try t.w.store.count("pool_event") == 1)
    }

    @Test func theReclaimJobRunsAsTheSchedulerWould() throws {
        let t = try Self.setUp()
        _ = try Self.owned(t, 1, grade: "C", assignedDaysAgo: 40)
        let results = try t.w.ws.runJobs(only: ["customers.pool_reclaim"])
        #expect(results.first?.succeeded == true)
        #expect(results.first?.summary.hasPrefix("1 customer(s) returned") == true)
    }
}
