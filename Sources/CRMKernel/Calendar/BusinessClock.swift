import Foundation

/// A business calendar placed in a time zone: counts working time between two instants and
/// finds the instant a span of working time ends (SLA clocks, reminders in working hours).
///
/// Works in whole seconds; walks day by day over at most `maxDays` days, so a question about
/// centuries is refused instead of burning CPU.
public struct BusinessClock: Sendable {
    /// The calendar.
    public let calendar: BusinessCalendar
    /// The zone its days and hours are in.
    public let zone: TimeZone
    /// The longest span, in days, the clock walks (20 years).
    public static let maxDays = 20 * 366
    /// The zone's offsets (its last change remembered).
    let offsets: ZoneOffsets

    /// The clock of `calendar` in `zone` (the calendar's own zone wins when it names one).
    public init(_ calendar: BusinessCalendar, zone: TimeZone) {
        self.init(calendar, zone: zone, directOffsets: false)
    }

    /// The clock, asking the zone for every offset when `directOffsets` (the tests' reference).
    init(_ calendar: BusinessCalendar, zone: TimeZone, directOffsets: Bool) {
        self.calendar = calendar
        self.zone = calendar.timeZone.flatMap(TimeZone.init(identifier:)) ?? zone
        offsets = directOffsets ? ZoneOffsets(direct: self.zone) : ZoneOffsets(self.zone)
    }

    /// Whether `date` falls in working time.
    public func isWorkingTime(_ date: Date) -> Bool {
        let (day, second) = local(date)
        guard calendar.isWorkingDay(day) else { return false }
        return calendar.hours.contains { $0.start * 60 <= second && second < $0.end * 60 }
    }

    /// Working seconds in `[from, to)`; 0 when `to` is not after `from`.
    public func workingSeconds(from: Date, to: Date) throws(KernelError) -> Int {
        guard to > from else { return 0 }
        let first = local(from).day, last = local(to).day
        guard last.ordinal - first.ordinal <= Self.maxDays else {
            throw KernelError(.validation, "calendar \(calendar.name): spans longer than \(Self.maxDays) days are not counted")
        }
        let start = from.timeIntervalSince1970.rounded(.down), end = to.timeIntervalSince1970.rounded(.down)
        var total = 0.0
        var day = first
        while day <= last {
            if calendar.isWorkingDay(day) {
                for h in calendar.hours {
                    let a = max(start, instant(day, second: h.start * 60)), b = min(end, instant(day, second: h.end * 60))
                    if b > a { total += b - a }
                }
            }
            day = day.adding(days: 1)
        }
        return Int(total)
    }

    /// The instant at which `seconds` of working time have passed since `date` (`date` itself for 0).
    public func adding(workingSeconds seconds: Int, to date: Date) throws(KernelError) -> Date {
        guard seconds > 0 else { return date }
        var (day, second) = local(date)
        var remaining = seconds
        for _ in 0...Self.maxDays {
            if calendar.isWorkingDay(day) {
                for h in calendar.hours where h.end * 60 > second {
                    let from = max(second, h.start * 60), available = h.end * 60 - from
                    if remaining <= available {
                        return Date(timeIntervalSince1970: instant(day, second: from + remaining))
                    }
                    remaining -= available
                }
            }
            day = day.adding(days: 1)
            second = 0
        }
        throw KernelError(.validation, "calendar \(calendar.name): no working time within \(Self.maxDays) days")
    }

    /// The local day of `date` and the second of that day.
    public func local(_ date: Date) -> (day: CivilDate, second: Int) {
        let t = Int(date.timeIntervalSince1970.rounded(.down)) + offsets.offset(at: date.timeIntervalSince1970)
        let days = t >= 0 ? t / 86_400 : (t - 86_399) / 86_400
        return (CivilDate(ordinal: days), t - days * 86_400)
    }

    /// Seconds since 1970 of `second` into local `day`.
    func instant(_ day: CivilDate, second: Int) -> Double {
        let local = Double(day.ordinal * 86_400 + second)
        let guess = local - Double(offsets.offset(at: local))
        return local - Double(offsets.offset(at: guess))
    }
}
