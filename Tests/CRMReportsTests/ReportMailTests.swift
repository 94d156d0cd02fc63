import CRMKernel
import Foundation
import Testing
import CRMTestSupport

/// Scheduled reports (`schedule` in a spec) e-mailed weekly by the `reports.scheduled_mail` job
/// through the kernel's outbox, to a real aiosmtpd server on 127.0.0.1.
struct ReportMailTests {
    static let script = """
        crm.report("weekly_sales", { title = "销售周报", entity = "order",
          params = { { name = "period", type = "period", default = "this_month" } },
          filters = { { "status", "in", { "已审批" } }, { "signed_date", "$period" } },
          group_by = { { "owner", label = "员工姓名" } },
          measures = { { name = "amount", sum = "total", label = "成交金额" } }, sort = "-amount",
          schedule = { weekday = 3, to = { "boss@example.com" }, params = { period = "2026-11" } } })
        """

    /// 2026-12-02 10:00 in Shanghai: a Wednesday of ISO week 2026-W49.
    static func shanghai(_ day: Int, hour: Int = 10) -> Date {
        var c = DateComponents(year: 2026, month: 12, day: day, hour: hour)
        c.timeZone = TimeZone(identifier: "Asia/Shanghai")
        return Calendar(identifier: .gregorian).date(from: c)!
    }

    func queued(_ f: ReportFixture) throws -> [Record] {
        try f.store.read { try $0.system.find(Query("message", filter: .eq("source", .text("reports.scheduled_mail")), limit: 100)).records }
    }

    @Test func weeklyReportIsMailedOncePerWeekWithItsChineseTitle() async throws {
        let server = try PythonTestServer.smtp()
        let f = try ReportFixture(extraScript: Self.script)
        try MessageSettings.set("messages.email.from", "报表 <reports@example.com>", in: f.store)
        try MessageSettings.set("messages.email.host", "127.0.0.1", in: f.store)
        try MessageSettings.set("messages.email.port", "\(server.port)", in: f.store)

        // Tuesday: before the report's weekday, nothing is queued.
        let tuesday = try f.workspace.runJobs(only: ["reports.scheduled_mail"], now: Self.shanghai(1))
        #expect(tuesday.first?.succeeded == true, "\(tuesday)")
        #expect(try queued(f).isEmpty)

        // Wednesday, twice (and Thursday): one message for the week.
        for day in [2, 2, 3] {
            let results = try f.workspace.runJobs(only: ["reports.scheduled_mail"], now: Self.shanghai(day))
            #expect(results.first?.succeeded == true, "\(results)")
        }
        #expect(try queued(f).count == 1)
        let delivery = try await MessageDelivery(store: f.store).deliverDue()
        #expect(delivery.sent == 1)
        #expect(eventually { server.mails().count == 1 })
        let mail = try TestMail.decode(try #require(server.mails().first))
        #expect(mail.subject == "销售周报（2026-W49）", "\(mail.subject)")
        #expect(mail.body.contains("李娜"), "\(mail.body)")
        #expect(mail.body.contains("40,000.00") || mail.body.contains("40000.00"), "\(mail.body)")
        #expect(mail.body.contains("/reports/weekly_sales?period=2026-11"), "\(mail.body)")
        #expect(!mail.body.contains("赵敏") || mail.body.contains("5,000") || mail.body.contains("5000"))
        #expect(try await MessageDelivery(store: f.store).deliverDue().sent == 0)
        #expect(server.mails().count == 1)

        // The next week it is sent again.
        _ = try f.workspace.runJobs(only: ["reports.scheduled_mail"], now: Self.shanghai(9))
        #expect(try queued(f).count == 2)
    }

    @Test func badScheduleNamesTheScriptLineAndTheProblem() throws {
        for (schedule, expected) in [("{ weekday = 9, to = { \"boss@example.com\" } }", "weekday 9"),
                                     ("{ weekday = 1, to = { \"not-an-address\" } }", "not-an-address"),
                                     ("{ weekday = 1, to = { \"a@example.com\" }, params = { quarter = \"1\" } }", "unknown parameter 'quarter'"),
                                     ("{ weekday = 1, to = { \"a@example.com\" }, every = 2 }", "unknown key 'every'")] {
            do {
                _ = try ReportFixture(extraScript: """

                    crm.report("bad_schedule", { entity = "order", measures = { { name = "n", count = true } }, schedule = \(schedule) })
                    """, orders: false)
                Issue.record("the pack loaded with schedule \(schedule)")
            } catch {
                let message = String(describing: error)
                #expect(message.contains(expected), "\(message)")
                #expect(message.contains("90_test.lua:"), "\(message)")
            }
        }
    }

    @Test func savedReportKeepsItsSchedule() throws {
        let f = try ReportFixture(orders: false)
        let spec = try SavedReports.decode("""
            {"title": {"zh": "客户周报", "en": "Weekly orders"}, "entity": "order", "measures": [{"name": "n", "kind": "count"}],
             "schedule": {"weekday": 1, "to": ["boss@example.com"]}}
            """)
        try f.workspace.saveReport("customer_weekly", spec: spec, as: try f.access("admin"))
        let saved = try f.workspace.report(named: "customer_weekly", as: nil)
        #expect(saved.spec?.schedule == ReportSchedule(weekday: 1, to: ["boss@example.com"]))
        _ = try f.workspace.runJobs(only: ["reports.scheduled_mail"], now: Self.shanghai(2))
        #expect(try queued(f).map { $0["subject"] } == [.text("客户周报（2026-W49）")])
    }
}
