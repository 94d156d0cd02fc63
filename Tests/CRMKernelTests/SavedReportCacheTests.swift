@testable import CRMKernel
import Foundation
import GRDB
import Testing

/// The saved reports behind `Workspace.scheduledJobs()` (asked every second by `crm serve`):
/// kept while no report template changes, read again after any write of one through the kernel.
struct SavedReportCacheTests {
    static func spec(weekday: Int) -> String {
        #"{"entity": "user", "measures": [{"name": "n", "kind": "count"}], "schedule": {"weekday": \#(weekday), "to": ["boss@example.com"]}}"#
    }

    @Test func unchangedTemplatesAreNotReadAgainAndAKernelWriteIsSeenAtOnce() throws {
        let t = try TestStore()
        let cache = SavedReportCache()
        func weekday() throws -> Int? { try t.store.read { try cache.reports($0) }.first?.spec?.schedule?.weekday }
        #expect(try weekday() == nil)
        let id = try t.store.create("report_template", ["name": .text("weekly"), "spec": .text(Self.spec(weekday: 1))]).id
        #expect(try weekday() == 1)
        // Changed behind the kernel's back (no audit entry): the cache does not read the table again.
        let table = SQL.quote(try t.store.schema.entity("report_template").tableName)
        try t.store.pool.write { db in try db.execute(sql: "UPDATE \(table) SET spec = ? WHERE id = ?", arguments: [Self.spec(weekday: 2), id]) }
        #expect(try weekday() == 1)
        // Through the kernel: seen on the next call.
        _ = try t.store.update("report_template", id, ["spec": .text(Self.spec(weekday: 3))])
        #expect(try weekday() == 3)
        try t.store.delete("report_template", id)
        #expect(try weekday() == nil)
    }
}
