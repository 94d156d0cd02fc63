import CRMKernel
@testable import CRMOpportunities
import Foundation
import Testing

/// The reports against a small, hand-counted fixture (times are days after 2026-01-01T00:00Z):
///
///     A 100  初步接触 d0 → 需求确认 d2 → 方案制定 d5                      close 2026-02-15
///     B 200  初步接触 d0 → 需求确认 d1 → 输单 d3
///     C 300  初步接触 d0 → 需求确认 d2 → 方案制定 d4 → 合同谈判 d6 → 赢单 d9
///     D 400  初步接触 d1                                                close 2026-03-10
///     E 500  初步接触 d0 → 需求确认 d3 → 初步接触 d4 → 需求确认 d6 (manager) close 2026-02-20
///     F 1000 项目: 立项 d0 → 招投标 d2                                  close 2026-03-01
struct OpportunityReportTests {
    typealias F = OpportunityFixture

    static func fixture() throws -> (F, [String: Int64]) {
        let f = try F()
        var ids: [String: Int64] = [:]
        func make(_ key: String, _ amount: Int, _ start: Double, _ extra: [String: Value] = [:]) throws {
            ids[key] = try f.create(key, ["amount": .decimal(Decimal(amount)), "stage_entered_at": F.day(start)].merging(extra) { $1 }).id
        }
        func move(_ key: String, _ stage: String, _ day: Double, _ extra: [String: Value] = [:]) throws {
            _ = try f.write { try OpportunityActions.move($0, ids[key]!, to: stage, fields: ["stage_entered_at": F.day(day)].merging(extra) { $1 }) }
        }
        try make("A", 100, 0, ["expected_close_date": .text("2026-02-15")])
        try move("A", "需求确认", 2); try move("A", "方案制定", 5)
        try make("B", 200, 0)
        try move("B", "需求确认", 1); try move("B", "输单", 3, ["loss_reason": .text("价格")])
        try make("C", 300, 0, ["expected_close_date": .text("2026-01-31"), "decision_maker": .text("王总")])
        try move("C", "需求确认", 2); try move("C", "方案制定", 4); try move("C", "合同谈判", 6); try move("C", "赢单", 9)
        try make("D", 400, 1, ["expected_close_date": .text("2026-03-10")])
        try make("E", 500, 0, ["owner": .integer(f.manager), "expected_close_date": .text("2026-02-20")])
        try move("E", "需求确认", 3); try move("E", "初步接触", 4); try move("E", "需求确认", 6)
        try make("F", 1000, 0, ["business_line": .text("项目"), "expected_close_date": .text("2026-03-01")])
        try move("F", "招投标", 2, ["bid_deadline": .text("2026-02-01")])
        try f.store.create("sales_target", ["user": .integer(f.rep.id!), "period": .text("2026-02"), "amount": .decimal(1000)])
        try f.store.create("sales_target", ["user": .integer(f.rep.id!), "period": .text("2026-Q1"), "amount": .decimal(3000)])
        return (f, ids)
    }

    static func filter(_ f: F, _ table: [String: ScriptValue]) throws -> ReportFilter {
        try f.store.read { try ReportFilter(script: .table(table), $0) }
    }

    static func funnel(_ f: F, _ table: [String: ScriptValue] = [:]) throws -> [String] {
        let filter = try filter(f, table)
        return try f.store.read { try FunnelReport.run($0, filter) }.map { "\($0.stage) \($0.count) \($0.amount)" }
    }

    @Test func theFunnelNowMatchesTheHandCountInStageOrder() throws {
        let (f, _) = try Self.fixture()
        #expect(try Self.funnel(f, ["pipeline": .value(.text("default"))]) ==
                ["初步接触 1 400", "需求确认 1 500", "方案制定 1 100", "合同谈判 0 0", "赢单 1 300", "输单 1 200"])
        #expect(try Self.funnel(f).suffix(4) == ["立项 0 0", "招投标 1 1000", "中标 0 0", "未中标 0 0"], "both pipelines, stock first")
        #expect(try Self.funnel(f, ["pipeline": .value(.text("default")), "owner": .value(.integer(f.rep.id!))])[1] == "需求确认 0 0")
    }

    @Test func theFunnelAsOfAPastDayComesFromTheStageHistory() throws {
        let (f, _) = try Self.fixture()
        // The end of 2026-01-03 in Shanghai is day 2⅔.
        #expect(try Self.funnel(f, ["pipeline": .value(.text("default")), "as_of": .value(.text("2026-01-03"))]) ==
                ["初步接触 2 900", "需求确认 3 600", "方案制定 0 0", "合同谈判 0 0", "赢单 0 0", "输单 0 0"])
    }

    @Test func aTeamFilterCoversItsSubTeams() throws {
        let (f, _) = try Self.fixture()
        let sub = try f.store.create("team", ["name": .text("深圳组"), "parent": .integer(f.team)]).id
        try f.store.update("user", f.manager, ["team": .integer(sub)])
        let all = try Self.funnel(f, ["team": .value(.integer(f.team)), "pipeline": .value(.text("default"))])
        #expect(all[1] == "需求确认 1 500")
        let only = try Self.funnel(f, ["team": .value(.text("深圳组")), "pipeline": .value(.text("default"))])
        #expect(only == ["初步接触 0 0", "需求确认 1 500", "方案制定 0 0", "合同谈判 0 0", "赢单 0 0", "输单 0 0"])
    }

    @Test func conversionAndDwellMatchTheHandCount() throws {
        let (f, _) = try Self.fixture()
        let filter = try Self.filter(f, ["pipeline": .value(.text("default"))])
        let rows = try f.store.read { try ConversionReport.run($0, filter) }
        let text = rows.map { "\($0.stage) \($0.entered) \($0.movedOn) \($0.rate.map { "\($0)" } ?? "-") \($0.averageDays.map { "\($0)" } ?? "-")" }
        #expect(text == ["初步接触 6 5 83.3 2", "需求确认 5 2 40 2", "方案制定 2 1 50 2", "合同谈判 1 1 100 3", "赢单 1 0 - -", "输单 1 0 - -"])
    }

    @Test func winRateDealSizeAndCycleCountClosedDeals() throws {
        let (f, _) = try Self.fixture()
        let r = try f.store.read { try WinStats.run($0, ReportFilter()) }
        #expect(r.won == 1 && r.lost == 1)
        #expect(r.winRate == 50 && r.averageDealSize == 300 && r.averageCycleDays == 9)
        let none = try Self.filter(f, ["period": .value(.text("2026-02"))])
        #expect(try f.store.read { try WinStats.run($0, none) }.winRate == nil)
    }

    @Test func theForecastWeighsOpenAmountsByProbabilityNextToTargetAndWon() throws {
        let (f, _) = try Self.fixture()
        func rows(_ table: [String: ScriptValue]) throws -> [String] {
            let filter = try Self.filter(f, table)
            return try f.store.read { try ForecastReport.run($0, filter) }.map {
                "\($0.month) \($0.owner.map { "\($0)" } ?? "-") \($0.amount) \($0.weighted) \($0.target) \($0.won)"
            }
        }
        #expect(try rows([:]) == ["2026-01 - 0 0 1000 300", "2026-02 - 600 200 2000 0", "2026-03 - 1400 440 1000 0"])
        #expect(try rows(["period": .value(.text("2026-02"))]) == ["2026-02 - 600 200 2000 0"])
        let rep = f.rep.id!, manager = f.manager
        #expect(manager < rep, "rows come by month, then owner id")
        #expect(try rows(["by": .value(.text("owner")), "period": .value(.text("2026-02"))]) ==
                ["2026-02 \(manager) 500 150 0 0", "2026-02 \(rep) 100 50 2000 0"])
    }

    @Test func theForecastByTeamUsesTheTeamsTargets() throws {
        let (f, _) = try Self.fixture()
        try f.store.create("sales_target", ["team": .integer(f.team), "period": .text("2026-02"), "amount": .decimal(5000)])
        let filter = try Self.filter(f, ["by": .value(.text("team")), "period": .value(.text("2026-02"))])
        let rows = try f.store.read { try ForecastReport.run($0, filter) }
        #expect(rows.map { "\($0.team.map { "\($0)" } ?? "-") \($0.amount) \($0.weighted) \($0.target)" } ==
                ["- 500 150 0", "\(f.team) 100 50 5000"], "the manager has no team; the rep's team has its target")
        let teamOnly = try Self.filter(f, ["by": .value(.text("team")), "team": .value(.integer(f.team)), "period": .value(.text("2026-02"))])
        #expect(try f.store.read { try ForecastReport.run($0, teamOnly) }.map(\.target) == [5000])
    }

    @Test func stalledDealsArePastTheirStagesMaxDays() throws {
        let (f, ids) = try Self.fixture()
        let at20 = try f.store.read { try StalledDeals.find($0, ReportFilter(), now: Date(timeIntervalSince1970: 1_767_225_600 + 20 * 86_400)) }
        #expect(at20.map(\.record.id) == [ids["D"]!, ids["F"]!])
        #expect(at20.map(\.daysInStage) == [19, 18])
        let at40 = try f.store.read { try StalledDeals.find($0, ReportFilter(), now: Date(timeIntervalSince1970: 1_767_225_600 + 40 * 86_400)) }
        #expect(Set(at40.map(\.record.id)) == Set(["A", "D", "E", "F"].map { ids[$0]! }))
    }

    @Test func theStalledJobNotifiesTheOwnerAndTheManagerOncePerStall() throws {
        let (f, ids) = try Self.fixture()
        let now = Date(timeIntervalSince1970: 1_767_225_600 + 20 * 86_400)
        let first = try f.ws.runJobs(only: ["opportunities.stalled_warnings"], now: now)
        #expect(first.first?.summary == "2 stalled opportunities, 4 notifications sent")
        let notes = try f.store.find(Query("notification", filter: .eq("kind", .text("opportunity.stalled")))).records
        #expect(Set(notes.map { $0["user"] }) == [.integer(f.rep.id!), .integer(f.manager)])
        #expect(Set(notes.map { $0["record_id"] }) == [.integer(ids["D"]!), .integer(ids["F"]!)])
        let again = try f.ws.runJobs(only: ["opportunities.stalled_warnings"], now: now.addingTimeInterval(3600))
        #expect(again.first?.summary == "2 stalled opportunities, 0 notifications sent")
    }
}
