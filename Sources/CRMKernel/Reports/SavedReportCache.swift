import Foundation
import GRDB
import Synchronization

/// The saved reports (`report_template` records, decoded) kept between reads: `crm serve`'s
/// scheduler asks for the workspace's jobs every second, and whether the
/// `reports.scheduled_mail` job exists depends on the saved reports' schedules.
///
/// The cache is keyed by the newest `_audit` entry of `report_template`: every create, update or
/// delete of a template writes one in its own transaction, whichever process makes it (the
/// server, or `crm report save` beside it), so a changed mark means a reload and an unchanged
/// one costs one indexed lookup instead of reading and decoding every template.
final class SavedReportCache: Sendable {
    private let cached = Mutex<(mark: Int64, reports: [ReportDefinition])?>(nil)

    /// The saved reports as `reader` sees them, decoded again only when a template changed.
    func reports(_ reader: RecordReader) throws -> [ReportDefinition] {
        let mark = try Self.changeMark(reader.db)
        if let hit = cached.withLock({ $0 }), hit.mark == mark { return hit.reports }
        let reports = try SavedReports.all(reader)
        cached.withLock { $0 = (mark, reports) }
        return reports
    }

    /// The id of the newest audit entry of `report_template` (0 when there is none).
    static func changeMark(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(id) FROM _audit WHERE entity = ?"), arguments: ["report_template"]) ?? 0
    }
}

extension Workspace {
    /// The saved reports, from the cache while no report template has changed.
    func savedReports() throws -> [ReportDefinition] {
        try store.read { try savedReportCache.reports($0) }
    }
}
