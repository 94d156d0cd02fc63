import CRMKernel
import Foundation

/// Scheduled backups for `crm serve --backup-dir DIR`: one daily backup
/// (`daily-YYYY-MM-DD.zip`) and one weekly (`weekly-YYYY-MM-DD.zip`, the Monday of its week),
/// keeping the newest `keepDaily` and `keepWeekly` of each and deleting older ones.
public struct BackupSchedule: Sendable {
    /// Where backups go.
    public var directory: URL
    /// Daily backups kept (default 7).
    public var keepDaily: Int
    /// Weekly backups kept (default 4).
    public var keepWeekly: Int

    /// Creates a schedule.
    public init(directory: URL, keepDaily: Int = 7, keepWeekly: Int = 4) {
        self.directory = directory
        self.keepDaily = max(1, keepDaily)
        self.keepWeekly = max(0, keepWeekly)
    }

    /// Takes the backups due at `now` (none if today's and this week's exist) and prunes;
    /// returns the files written.
    @discardableResult
    public func runDue(_ workspace: Workspace, now: Date = Date(), version: String) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let day = Self.dayString(now, calendar)
        let monday = calendar.dateInterval(of: .weekOfYear, for: now).map { Self.dayString($0.start, calendar) } ?? day
        var written: [URL] = []
        let daily = directory.appendingPathComponent("daily-\(day).zip")
        if !FileManager.default.fileExists(atPath: daily.path) {
            try WorkspaceBackup.write(workspace, to: daily, version: version)
            written.append(daily)
        }
        let weekly = directory.appendingPathComponent("weekly-\(monday).zip")
        if keepWeekly > 0 && !FileManager.default.fileExists(atPath: weekly.path) {
            try FileManager.default.copyItem(at: daily, to: weekly)
            written.append(weekly)
        }
        try prune("daily-", keep: keepDaily)
        try prune("weekly-", keep: keepWeekly)
        return written
    }

    func prune(_ prefix: String, keep: Int) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix(".zip") }.sorted()
        for name in names.dropLast(keep) { try FileManager.default.removeItem(at: directory.appendingPathComponent(name)) }
    }

    static func dayString(_ date: Date, _ calendar: Calendar) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }
}
