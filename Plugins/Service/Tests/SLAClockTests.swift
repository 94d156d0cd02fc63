import CRMKernel
@testable import CRMService
import Foundation
import Testing

/// The SLA clock on the business calendar, computed from the status history.
struct SLAClockTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    /// The stock calendar's shape: 09:00–12:00 and 13:30–18:00, 2026-02-28 (a Saturday) a 调休 working day.
    static func clock() throws -> BusinessClock {
        let calendar = try BusinessCalendar(name: "default", weekdays: [1, 2, 3, 4, 5],
                                            hours: [WorkingHours(start: 540, end: 720)!, WorkingHours(start: 810, end: 1080)!],
                                            holidays: [], workdays: [CivilDate(year: 2026, month: 2, day: 28)!])
        return BusinessClock(calendar, zone: zone)
    }

    static func at(_ text: String) -> Date {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = zone
        let p = text.split(whereSeparator: { "- :".contains($0) }).compactMap { Int($0) }
        return c.date(from: DateComponents(year: p[0], month: p[1], day: p[2], hour: p[3], minute: p[4]))!
    }

    static func policies(pause: [String] = ["待客户回复"]) -> SLAPolicies {
        var s = SLAPolicies()
        s.policies = [.init(priority: nil, grade: nil, responseSeconds: 3600, resolutionSeconds: 8 * 3600)]
        s.pause = pause
        return s
    }

    func state(_ stays: [(String, String)], now: String, responded: String? = nil, sla: SLAPolicies = policies()) throws -> SLAState {
        var ticket: [String: Value] = ["priority": .text("中")]
        if let responded { ticket["first_response_at"] = .datetime(Self.at(responded)) }
        return try SLAClock.compute(ticket: ticket, stays: stays.map { SLAClock.Stay(status: $0.0, at: Self.at($0.1)) }, grade: nil, sla: sla,
                                    statuses: ServiceStatus(), clock: try Self.clock(), now: Self.at(now))
    }

    @Test func waitingForTheCustomerOverAWeekendAndATiaoxiuSaturdayStopsTheClock() throws {
        // Friday 10:00 opened, 11:00 waiting for the customer, who answers Monday 10:00; read at 11:00.
        let s = try state([("处理中", "2026-02-27 10:00"), ("待客户回复", "2026-02-27 11:00"), ("处理中", "2026-03-02 10:00")],
                          now: "2026-03-02 11:00", responded: "2026-02-27 10:30")
        #expect(s.resolution?.elapsed == 2 * 3600)
        #expect(s.response?.state == "met" && s.response?.elapsed == 1800)
        #expect(!s.paused && s.resolution?.state == "ok")
    }

    @Test func theTiaoxiuSaturdayCountsWhileTheClockRuns() throws {
        // Friday 17:00 to Monday 09:30: 1 h Friday, 7.5 h on the 调休 Saturday, 0.5 h Monday.
        let s = try state([("处理中", "2026-02-27 17:00")], now: "2026-03-02 09:30")
        #expect(s.resolution?.elapsed == 9 * 3600)
        #expect(s.resolution?.state == "breached" && s.response?.state == "breached")
    }

    @Test func aHistoryRepeatingStatusesCountsEachRunningStayAndUnansweredResponseUsesTheSameClock() throws {
        // Monday: 1 h, then 11:00–14:00 less lunch (1.5 h), then 1 h; twice waiting for the customer.
        let history = [("处理中", "2026-03-02 09:00"), ("待客户回复", "2026-03-02 10:00"), ("处理中", "2026-03-02 11:00"),
                       ("待客户回复", "2026-03-02 14:00"), ("处理中", "2026-03-02 15:00")]
        let open = try state(history, now: "2026-03-02 16:00")
        #expect(open.resolution?.elapsed == 12_600 && open.response?.elapsed == 12_600)
        #expect(open.response?.state == "breached" && open.resolution?.state == "ok" && !open.paused)
        // A first response stamped after the moment read counts the same time, as met or not.
        let later = try state(history, now: "2026-03-02 16:00", responded: "2026-03-02 17:00")
        #expect(later.response?.elapsed == 12_600 && later.response?.done == true && later.response?.state == "breached")
    }

    @Test func warningAtSeventyFivePercentAndAPausedTicketSaysSo() throws {
        let warn = try state([("处理中", "2026-03-02 09:00")], now: "2026-03-02 15:30", responded: "2026-03-02 09:10")
        // 3 h + 2 h = 5 h of 8 h: not yet 75 %; at 16:30 it is 6 h = 75 %.
        #expect(warn.resolution?.state == "ok")
        let later = try state([("处理中", "2026-03-02 09:00")], now: "2026-03-02 16:30", responded: "2026-03-02 09:10")
        #expect(later.resolution?.state == "warning" && later.overall == "warning")
        let paused = try state([("处理中", "2026-03-02 09:00"), ("待客户回复", "2026-03-02 10:00")], now: "2026-03-05 10:00", responded: "2026-03-02 09:10")
        #expect(paused.paused && paused.resolution?.elapsed == 3600 && paused.resolution?.state == "paused" && paused.resolution?.dueAt == nil)
    }

    @Test func waitingForAThirdPartyPausesOnlyWhenTheSettingSaysSo() throws {
        let stays = [("处理中", "2026-03-02 09:00"), ("待第三方", "2026-03-02 10:00")]
        let running = try state(stays, now: "2026-03-02 12:00", responded: "2026-03-02 09:10")
        let paused = try state(stays, now: "2026-03-02 12:00", responded: "2026-03-02 09:10", sla: Self.policies(pause: ["待客户回复", "待第三方"]))
        #expect(running.resolution?.elapsed == 3 * 3600 && paused.resolution?.elapsed == 3600)
    }

    @Test func theDueTimeSkipsTheLunchBreak() throws {
        let s = try state([("处理中", "2026-03-02 11:00")], now: "2026-03-02 11:00")
        // One working hour from 11:00: 11:00–12:00 is one hour, so due at 12:00; response target 1 h.
        #expect(s.response?.dueAt == Self.at("2026-03-02 12:00"))
        let t = try state([("处理中", "2026-03-02 11:30")], now: "2026-03-02 11:30")
        #expect(t.response?.dueAt == Self.at("2026-03-02 14:00"))
    }

    @Test func theStateComesFromTheCalendarInForceNotAStoredDeadline() throws {
        let f = try ServiceFixture()
        let t = try f.ticket(["priority": .text("低")])
        let before = try f.store.read { try SLAClock.state($0, ticket: t, now: Date().addingTimeInterval(3600)) }
        #expect(before.policy?.responseSeconds == 480 * 60)
        // A company policy for 低 replaces the stock one: the same ticket reads differently at once.
        try """
        crm.service.sla{ policies = { { priority = "低", first_response_minutes = 1, resolution_hours = 1 } },
                         escalation = { warning = { "notify_assignee" }, breach = { "notify_manager", "raise_priority" } } }
        """.write(to: f.host.workspace.scriptsDirectory.appendingPathComponent("90_company.lua"), atomically: true, encoding: .utf8)
        try f.host.reload()
        let after = try f.store.read { try SLAClock.state($0, ticket: t, now: Date().addingTimeInterval(30 * 86_400)) }
        #expect(after.policy?.responseSeconds == 60 && after.overall == "breached")
    }
}
