import CRMKernel
import Foundation

extension SpecParser {
    static let calendarKeys: Set<String> = ["extends", "time_zone", "weekdays", "hours", "holidays", "workdays"]

    /// A business calendar from `crm.calendar(name, spec)`. `extends` starts from a calendar
    /// declared before (or the standard `default`): its hours, weekdays and zone unless given,
    /// and its holidays and working days plus the ones listed here.
    static func calendar(_ name: String, _ t: LuaTable, declared: (String) -> BusinessCalendar?) throws(LuaError) -> BusinessCalendar {
        for key in t.fields.keys where !calendarKeys.contains(key) {
            throw .script("crm.calendar '\(name)': unknown spec key '\(key)' (known: \(calendarKeys.sorted().joined(separator: ", ")))")
        }
        var base: BusinessCalendar?
        if let parent = t["extends"].stringValue {
            guard let found = declared(parent) ?? (parent == "default" ? .standard() : nil) else {
                throw .script("crm.calendar '\(name)': extends '\(parent)', which is not declared before it")
            }
            base = found
        }
        let zone = t["time_zone"].stringValue ?? base?.timeZone
        if let zone, TimeZone(identifier: zone) == nil {
            throw .script("crm.calendar '\(name)': time_zone '\(zone)' is not a time zone (e.g. Asia/Shanghai)")
        }
        var weekdays = base?.weekdays ?? [1, 2, 3, 4, 5]
        if case .table(let list) = t["weekdays"] {
            weekdays = []
            for (i, item) in list.array.enumerated() {
                guard let n = item.integerValue else { throw .script("crm.calendar '\(name)': weekdays[\(i + 1)] must be a number 1 (Monday) ... 7 (Sunday)") }
                weekdays.insert(Int(n))
            }
        }
        var hours = base?.hours ?? []
        if case .table(let list) = t["hours"] {
            hours = []
            for (i, item) in list.array.enumerated() {
                guard case .table(let pair) = item, pair.array.count == 2, let a = pair.array[0].stringValue, let b = pair.array[1].stringValue else {
                    throw .script("crm.calendar '\(name)': hours[\(i + 1)] must be {\"09:00\", \"12:00\"}")
                }
                guard let start = WorkingHours.minute(a), let end = WorkingHours.minute(b), let h = WorkingHours(start: start, end: end) else {
                    throw .script("crm.calendar '\(name)': hours[\(i + 1)] {\"\(a)\", \"\(b)\"} is not an interval of the day (HH:MM, start before end)")
                }
                hours.append(h)
            }
        } else if base == nil {
            hours = BusinessCalendar.standard().hours
        }
        let holidays = try days(t["holidays"], "holidays", name).union(base?.holidays ?? [])
        let workdays = try days(t["workdays"], "workdays", name).union(base?.workdays ?? [])
        do {
            return try BusinessCalendar(name: name, timeZone: zone, weekdays: weekdays, hours: hours, holidays: holidays, workdays: workdays)
        } catch {
            throw .script("crm.calendar: \(error.message)")
        }
    }

    /// Days from a list of `YYYY-MM-DD` and `YYYY-MM-DD..YYYY-MM-DD` (inclusive ranges).
    private static func days(_ v: LuaValue, _ key: String, _ name: String) throws(LuaError) -> Set<CivilDate> {
        var out = Set<CivilDate>()
        for (i, text) in try strings(v, "crm.calendar '\(name)': \(key)").enumerated() {
            let ends = text.components(separatedBy: "..")
            guard ends.count <= 2, let first = CivilDate(ends[0]), let last = ends.count == 2 ? CivilDate(ends[1]) : first else {
                throw .script("crm.calendar '\(name)': \(key)[\(i + 1)] '\(text)' is not a date (YYYY-MM-DD) or a range (YYYY-MM-DD..YYYY-MM-DD)")
            }
            guard first <= last, last.ordinal - first.ordinal < 366 else {
                throw .script("crm.calendar '\(name)': \(key)[\(i + 1)] '\(text)' must run forwards and last less than a year")
            }
            for o in first.ordinal...last.ordinal { out.insert(CivilDate(ordinal: o)) }
        }
        return out
    }
}
