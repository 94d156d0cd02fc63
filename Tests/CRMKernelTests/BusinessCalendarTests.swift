@testable import CRMKernel
import Foundation
import Testing

/// Business calendars: working days with holidays and 调休 days, working time with a lunch
/// break, and the checks on a calendar's declaration.
struct BusinessCalendarTests {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    /// Mon–Fri 09:00–12:00 and 13:30–18:00, Spring Festival 2026 off, 2026-02-14 (Sat) worked.
    static func calendar() throws -> BusinessCalendar {
        let festival = (CivilDate("2026-02-15")!.ordinal...CivilDate("2026-02-23")!.ordinal).map(CivilDate.init(ordinal:))
        return try BusinessCalendar(name: "default", hours: [WorkingHours(start: 540, end: 720)!, WorkingHours(start: 810, end: 1080)!],
                                    holidays: Set(festival), workdays: [CivilDate("2026-02-14")!])
    }

    static func at(_ text: String) -> Date { DateCoding.parseInstant(text)! }

    @Test func civilDatesKnowTheirWeekdayAndRefuseImpossibleDays() {
        #expect(CivilDate("2026-02-14")?.weekday == 6)
        #expect(CivilDate("1970-01-01")?.weekday == 4)
        #expect(CivilDate("2026-02-30") == nil)
        #expect(CivilDate("2026-2-1") == nil)
        #expect(CivilDate("2024-02-29") != nil)
        #expect(CivilDate(ordinal: CivilDate("2026-12-31")!.ordinal + 1).description == "2027-01-01")
    }

    @Test func holidaysAndMakeUpSaturdaysDecideWorkingDays() throws {
        let c = try Self.calendar()
        #expect(c.isWorkingDay(CivilDate("2026-02-13")!))   // Friday
        #expect(c.isWorkingDay(CivilDate("2026-02-14")!))   // 调休 Saturday
        #expect(!c.isWorkingDay(CivilDate("2026-02-16")!))  // Monday in the festival
        #expect(!c.isWorkingDay(CivilDate("2026-02-07")!))  // ordinary Saturday
    }

    @Test func workingTimeSkipsLunchNightsWeekendsAndHolidays() throws {
        let clock = BusinessClock(try Self.calendar(), zone: Self.shanghai)
        // 11:00 to 14:00 Shanghai on a Friday: 1 h before lunch + 30 min after.
        #expect(try clock.workingSeconds(from: Self.at("2026-02-13T03:00:00Z"), to: Self.at("2026-02-13T06:00:00Z")) == 5400)
        // Friday 17:00 to Tuesday 10:00 Shanghai, across the worked Saturday and the festival: 1 h Friday + 7.5 h Saturday.
        #expect(try clock.workingSeconds(from: Self.at("2026-02-13T09:00:00Z"), to: Self.at("2026-02-17T02:00:00Z")) == 3600 + 27000)
        #expect(try clock.workingSeconds(from: Self.at("2026-02-17T02:00:00Z"), to: Self.at("2026-02-13T09:00:00Z")) == 0)
    }

    @Test func addingWorkingTimeLandsOnTheNextWorkingMinute() throws {
        let clock = BusinessClock(try Self.calendar(), zone: Self.shanghai)
        // Saturday 2026-02-14 17:00 Shanghai + 2 working hours: 1 h that day, then the festival, then Tuesday 24th 10:00.
        let end = try clock.adding(workingSeconds: 7200, to: Self.at("2026-02-14T09:00:00Z"))
        #expect(DateCoding.iso(end) == "2026-02-24T02:00:00Z")
        // A request at 12:10 (lunch) + 10 minutes: 13:40.
        #expect(DateCoding.iso(try clock.adding(workingSeconds: 600, to: Self.at("2026-02-13T04:10:00Z"))) == "2026-02-13T05:40:00Z")
        #expect(try clock.adding(workingSeconds: 0, to: Self.at("2026-02-15T00:00:00Z")) == Self.at("2026-02-15T00:00:00Z"))
        #expect(!clock.isWorkingTime(Self.at("2026-02-13T04:10:00Z")))
        #expect(clock.isWorkingTime(Self.at("2026-02-14T01:30:00Z")))
    }

    @Test func badCalendarsAreRefusedNamingThePart() {
        let overlap = #expect(throws: KernelError.self) {
            try BusinessCalendar(name: "x", hours: [WorkingHours(start: 540, end: 720)!, WorkingHours(start: 700, end: 800)!])
        }
        #expect(overlap?.message == "calendar x: hours: 09:00–12:00 overlaps 11:40–13:20")
        let both = #expect(throws: KernelError.self) {
            try BusinessCalendar(name: "x", hours: [WorkingHours(start: 540, end: 720)!], holidays: [CivilDate("2026-02-14")!], workdays: [CivilDate("2026-02-14")!])
        }
        #expect(both?.message.contains("2026-02-14 is listed both as a holiday and as a working day") == true)
        #expect(WorkingHours.minute("25:00") == nil)
        #expect(WorkingHours.minute("24:00") == 1440)
        let never = BusinessClock(try! BusinessCalendar(name: "never", weekdays: [], hours: [WorkingHours(start: 540, end: 720)!]), zone: Self.shanghai)
        #expect(throws: KernelError.self) { try never.adding(workingSeconds: 60, to: Date()) }
    }

    @Test func anUndeclaredDefaultIsTheStandardCalendarAndOtherNamesAreNotFound() throws {
        let schema = try SchemaBuilder.build([KernelEntities.declarations])
        #expect(try schema.businessCalendar().hours.count == 2)
        let missing = #expect(throws: KernelError.self) { try schema.businessCalendar("support") }
        #expect(missing?.kind == .notFound)
    }
}
