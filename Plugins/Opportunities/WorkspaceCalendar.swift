import CRMKernel
import Foundation

/// The workspace's calendar: dates of instants in the workspace time zone (default Asia/Shanghai).
struct WorkspaceCalendar {
    /// The calendar.
    let calendar: Calendar

    /// The calendar of the workspace `reader` reads.
    init(_ reader: RecordReader) throws {
        calendar = try reader.workspaceCalendar()
    }

    /// `YYYY-MM-DD` of `date` in the workspace time zone.
    func day(of date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    /// The instant a `YYYY-MM-DD` day starts in the workspace time zone.
    func start(of day: String) throws -> Date {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])) else {
            throw KernelError(.validation, "'\(day)' is not a date (YYYY-MM-DD)")
        }
        return date
    }
}
