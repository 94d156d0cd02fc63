import CRMKernel
@testable import CRMScripting
import Foundation
import Testing

/// `crm.calendar` and the working-time functions, with the stock calendar of China's holidays.
struct CalendarScriptTests {
    static var stockCalendar: String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../scripts/stock/05_calendar.lua")
        return (try? String(contentsOf: url.standardizedFileURL, encoding: .utf8)) ?? ""
    }

    @Test func theStockCalendarKnows2026sHolidaysAndMakeUpDays() throws {
        let f = try ScriptFixture(["05_calendar.lua": Self.stockCalendar])
        defer { f.cleanUp() }
        let (console, _) = try f.console()
        let checks = [
            ("crm.is_working_day('2026-02-14')", "true"),    // 调休 Saturday
            ("crm.is_working_day('2026-02-16')", "false"),   // 春节
            ("crm.is_working_day('2026-10-08')", "true"),    // Thursday after 国庆
            ("crm.is_working_day('2026-10-10')", "true"),    // 调休 Saturday
            ("crm.is_working_day('2026-06-19')", "false"),   // 端午, a Friday
            // Friday 2026-02-13 17:00 Shanghai + 2 working hours: 1 h Friday, 1 h Saturday morning.
            ("crm.add_working_seconds('2026-02-13T09:00:00Z', 7200)", "2026-02-14T02:00:00Z"),
            // From Saturday 14th 17:30 to Tuesday 24th 09:30 Shanghai: 30 min + 30 min.
            ("crm.working_seconds('2026-02-14T09:30:00Z', '2026-02-24T01:30:00Z')", "3600"),
        ]
        for (line, expected) in checks {
            let r = console.evaluate(line)
            #expect(r.error == nil, "\(line): \(r.error ?? "")")
            #expect(r.output.contains(expected), "\(line) gave \(r.output)")
        }
    }

    @Test func aTeamCalendarExtendsTheDefault() throws {
        let f = try ScriptFixture(["05_calendar.lua": Self.stockCalendar,
                                   "90_support.lua": "crm.calendar('support', { extends = 'default', weekdays = {1,2,3,4,5,6}, hours = {{'08:00','20:00'}} })"])
        defer { f.cleanUp() }
        let (console, _) = try f.console()
        #expect(console.evaluate("crm.is_working_day('2026-02-07', 'support')").output.contains("true"))
        #expect(console.evaluate("crm.is_working_day('2026-02-16', 'support')").output.contains("false"))
        let missing = console.evaluate("crm.is_working_day('2026-02-07', 'nosuch')")
        #expect(missing.error?.contains("no business calendar 'nosuch'") == true)
    }

    @Test func badCalendarsAreLoadErrorsWithFileAndLine() throws {
        let cases = [
            "crm.calendar('default', { hours = {{'09:00','12:00'},{'11:00','13:00'}} })": "overlaps",
            "crm.calendar('default', { hours = {{'09:00','25:00'}} })": "hours[1]",
            "crm.calendar('default', { holidays = {'2026-02-30'} })": "holidays[1] '2026-02-30' is not a date",
            "crm.calendar('default', { holidays = {'2026-02-14'}, workdays = {'2026-02-14'} })": "both as a holiday and as a working day",
            "crm.calendar('default', { extends = 'nosuch' })": "extends 'nosuch'",
            "crm.calendar('default', { hour = {} })": "unknown spec key 'hour'",
        ]
        for (source, expected) in cases {
            let f = try ScriptFixture(["10_cal.lua": "\n" + source])
            defer { f.cleanUp() }
            let problems = ScriptHost.check(f.workspace)
            #expect(problems.count == 1, "\(source)")
            #expect(problems.first?.file == "scripts/10_cal.lua" && problems.first?.line == 2, "\(problems)")
            #expect(problems.first?.message.contains(expected) == true, "\(problems)")
        }
    }
}
