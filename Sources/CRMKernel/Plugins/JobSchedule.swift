import Foundation

/// When a scheduled job runs: on an interval, or once a day at a time of day in the workspace's
/// time zone (setting `time_zone`, default Asia/Shanghai).
public enum JobSchedule: Sendable, Hashable, CustomStringConvertible {
    /// Every so many seconds, counted from the last run.
    case every(TimeInterval)
    /// Each day at `HH:MM` in the workspace time zone.
    case daily(at: String)

    /// `every 60s` or `daily 08:00`.
    public var description: String {
        switch self {
        case .every(let seconds): "every \(Int(seconds))s"
        case .daily(let time): "daily \(time)"
        }
    }

    /// The hour and minute of a `daily` schedule, or nil when the time is not `HH:MM`.
    var timeOfDay: (hour: Int, minute: Int)? {
        guard case .daily(let text) = self else { return nil }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let h = Int(parts[0]), let m = Int(parts[1]),
              (0..<24).contains(h), (0..<60).contains(m) else { return nil }
        return (h, m)
    }

    /// Why the schedule cannot work, or nil when it can.
    var problem: String? {
        switch self {
        case .every(let seconds): seconds >= 1 ? nil : "an interval must be at least one second"
        case .daily(let text): timeOfDay == nil ? "'\(text)' is not a time of day (HH:MM, 00:00–23:59)" : nil
        }
    }

    /// When the job is next due, given its last run (nil: never run, so due at `now`).
    ///
    /// An interval counts from the last run; a daily job is due at the first `HH:MM` (in
    /// `calendar`'s time zone) after its last run, so a job missed while the server was down
    /// runs once when it comes back, and a restart does not run it again.
    public func nextRun(after lastRun: Date?, now: Date, calendar: Calendar) -> Date {
        guard let lastRun else { return now }
        switch self {
        case .every(let seconds):
            return lastRun.addingTimeInterval(seconds)
        case .daily:
            guard let time = timeOfDay else { return .distantFuture }
            let hour = time.hour, minute = time.minute
            var day = calendar.dateComponents([.year, .month, .day], from: lastRun)
            day.hour = hour
            day.minute = minute
            for _ in 0..<3 {
                if let slot = calendar.date(from: day), slot > lastRun { return slot }
                guard let start = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day)),
                      let next = calendar.date(byAdding: .day, value: 1, to: start) else { break }
                day = calendar.dateComponents([.year, .month, .day], from: next)
                day.hour = hour
                day.minute = minute
            }
            return .distantFuture
        }
    }
}
