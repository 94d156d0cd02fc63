/// A working calendar: which days are worked and during which hours, in one time zone.
///
/// A day is a working day when its weekday is a working weekday and it is not a holiday, or when
/// it is listed as a make-up working day (调休: a Saturday or Sunday worked to bridge a holiday).
/// Each working day has the same working intervals (e.g. 09:00–12:00 and 13:30–18:00, so the
/// lunch break does not count). Companies declare calendars in Lua (`crm.calendar`), one year's
/// holidays at a time; the stock pack ships China's public holidays.
public struct BusinessCalendar: Sendable, Hashable {
    /// The calendar's name (`default`, or e.g. a team's).
    public let name: String
    /// An IANA time zone, or nil for the workspace's.
    public let timeZone: String?
    /// Working weekdays, ISO numbers (1 = Monday ... 7 = Sunday).
    public let weekdays: Set<Int>
    /// Working intervals of a working day, in order, not overlapping.
    public let hours: [WorkingHours]
    /// Days off that would otherwise be working days.
    public let holidays: Set<CivilDate>
    /// Make-up working days (调休) that would otherwise be days off.
    public let workdays: Set<CivilDate>

    /// A calendar; throws a validation error naming the part at fault: an empty or overlapping
    /// set of hours, a weekday outside 1...7, a day that is both a holiday and a working day.
    public init(name: String, timeZone: String? = nil, weekdays: Set<Int> = [1, 2, 3, 4, 5],
                hours: [WorkingHours], holidays: Set<CivilDate> = [], workdays: Set<CivilDate> = []) throws(KernelError) {
        guard !hours.isEmpty else { throw Self.invalid(name, "hours: at least one working interval is needed") }
        let sorted = hours.sorted { $0.start < $1.start }
        for (a, b) in zip(sorted, sorted.dropFirst()) where b.start < a.end {
            throw Self.invalid(name, "hours: \(a) overlaps \(b)")
        }
        if let bad = weekdays.first(where: { !(1...7).contains($0) }) {
            throw Self.invalid(name, "weekdays: \(bad) is not a weekday (1 = Monday ... 7 = Sunday)")
        }
        if let both = holidays.intersection(workdays).min() {
            throw Self.invalid(name, "\(both) is listed both as a holiday and as a working day")
        }
        self.name = name
        self.timeZone = timeZone
        self.weekdays = weekdays
        self.hours = sorted
        self.holidays = holidays
        self.workdays = workdays
    }

    /// The calendar in force when none is declared: Monday to Friday, 09:00–12:00 and
    /// 13:00–18:00, no holidays.
    public static func standard(name: String = "default") -> BusinessCalendar {
        BusinessCalendar(checked: name, hours: [WorkingHours(uncheckedStart: 9 * 60, end: 12 * 60), WorkingHours(uncheckedStart: 13 * 60, end: 18 * 60)])
    }

    /// A calendar from values known to be valid.
    private init(checked name: String, hours: [WorkingHours]) {
        self.name = name
        timeZone = nil
        weekdays = [1, 2, 3, 4, 5]
        self.hours = hours
        holidays = []
        workdays = []
    }

    /// Whether `day` is a working day.
    public func isWorkingDay(_ day: CivilDate) -> Bool {
        if workdays.contains(day) { return true }
        if holidays.contains(day) { return false }
        return weekdays.contains(day.weekday)
    }

    /// Working seconds in one working day.
    public var secondsPerDay: Int { hours.reduce(0) { $0 + ($1.end - $1.start) * 60 } }

    private static func invalid(_ name: String, _ message: String) -> KernelError {
        KernelError(.validation, "calendar \(name): \(message)")
    }
}

/// A working interval of a day, in minutes after midnight (`13:30` is 810).
public struct WorkingHours: Sendable, Hashable, CustomStringConvertible {
    /// First minute.
    public let start: Int
    /// The minute it ends (exclusive), at most 24:00.
    public let end: Int

    /// An interval, or nil when it is empty or outside the day.
    public init?(start: Int, end: Int) {
        guard start >= 0, end <= 24 * 60, start < end else { return nil }
        self.start = start
        self.end = end
    }

    /// An interval from values known to be valid.
    init(uncheckedStart start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// Parses `HH:MM`, `00:00` ... `24:00`; nil for anything else.
    public static func minute(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
              (0...24).contains(h), (0...59).contains(m), h * 60 + m <= 24 * 60 else { return nil }
        return h * 60 + m
    }

    /// `09:00–12:00`.
    public var description: String { "\(Self.text(start))–\(Self.text(end))" }

    private static func text(_ minute: Int) -> String {
        let h = minute / 60, m = minute % 60
        return (h < 10 ? "0\(h)" : "\(h)") + ":" + (m < 10 ? "0\(m)" : "\(m)")
    }
}
