import CRMDataTransfer
import CRMKernel
import CRMPlugins
import Foundation
import Testing
import CRMTestSupport

/// Scheduled backups: one a day, one a week, old ones pruned by the retention settings.
struct BackupScheduleTests {
    @Test func dailyAndWeeklyBackupsWithRetention() throws {
        let root = try PythonScript.tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let ws = try Workspace(directory: root.appendingPathComponent("ws"), registry: try BuiltInPlugins.registry(), create: true)
        let schedule = BackupSchedule(directory: root.appendingPathComponent("backups"), keepDaily: 3, keepWeekly: 2)
        let start = try #require(ISO8601DateFormatter().date(from: "2026-11-30T02:00:00Z"))  // a Monday
        var written: [String] = []
        for day in 0..<20 {
            for hour in [0, 6] {  // checked twice a day: the second check writes nothing
                let files = try schedule.runDue(ws, now: start.addingTimeInterval(Double(day * 86400 + hour * 3600)), version: "test")
                written += files.map(\.lastPathComponent)
            }
        }
        #expect(written.filter { $0.hasPrefix("daily-") }.count == 20)
        #expect(written.filter { $0.hasPrefix("weekly-") } == ["weekly-2026-11-30.zip", "weekly-2026-12-07.zip", "weekly-2026-12-14.zip"])
        let kept = try FileManager.default.contentsOfDirectory(atPath: schedule.directory.path).sorted()
        #expect(kept == ["daily-2026-12-17.zip", "daily-2026-12-18.zip", "daily-2026-12-19.zip",
                         "weekly-2026-12-07.zip", "weekly-2026-12-14.zip"])
        // Each is a whole backup that restores.
        let restored = root.appendingPathComponent("restored")
        try WorkspaceBackup.restore(schedule.directory.appendingPathComponent("weekly-2026-12-14.zip"), into: restored, force: false)
        #expect(FileManager.default.fileExists(atPath: restored.appendingPathComponent("crm.sqlite").path))
    }
}
