import CRMKernel
import CRMPlugins
import CRMScripting
import Foundation
import Testing

/// `Workspace.scheduledJobs()`, asked every second by `crm serve`'s scheduler, keeps the saved
/// reports between calls but sees a schedule saved, changed or deleted at once, also when
/// another process (here another workspace over the same folder) made the change.
struct ScheduledReportJobTests {
    static let job = "reports.scheduled_mail"

    static func spec(scheduled: Bool) throws -> ReportSpec {
        try SavedReports.decode("""
            {"title": {"zh": "订单周报", "en": "Weekly orders"}, "entity": "order", "measures": [{"name": "n", "kind": "count"}]\
            \(scheduled ? #", "schedule": {"weekday": 1, "to": ["boss@example.com"]}"# : "")}
            """)
    }

    static func hasMailJob(_ ws: Workspace) throws -> Bool {
        try ws.scheduledJobs().contains { $0.id == job }
    }

    @Test func aScheduleSavedChangedOrDeletedIsSeenByTheNextCall() throws {
        let f = try ReportFixture(orders: false)
        let ws = f.workspace, admin = try f.access("admin")
        #expect(try !Self.hasMailJob(ws))
        try ws.saveReport("weekly_orders", spec: try Self.spec(scheduled: true), as: admin)
        #expect(try Self.hasMailJob(ws))
        #expect(try Self.hasMailJob(ws))  // unchanged: from the cache, same answer
        try ws.saveReport("weekly_orders", spec: try Self.spec(scheduled: false), as: admin)
        #expect(try !Self.hasMailJob(ws))
        try ws.saveReport("weekly_orders", spec: try Self.spec(scheduled: true), as: admin)
        #expect(try Self.hasMailJob(ws))
        try ws.deleteReport("weekly_orders", as: admin)
        #expect(try !Self.hasMailJob(ws))
        #expect(throws: KernelError.self) { try ws.runJobs(only: [Self.job]) }
    }

    @Test func aScheduleSavedByAnotherProcessIsSeenWithoutARestart() throws {
        let f = try ReportFixture(orders: false)
        #expect(try !Self.hasMailJob(f.workspace))
        // `crm report save` beside `crm serve`: its own connections and its own cache.
        let other = try ScriptHost(workspace: try Workspace(directory: f.dir, registry: try BuiltInPlugins.registry(), configure: false))
        #expect(try !Self.hasMailJob(other.workspace))
        try other.workspace.saveReport("weekly_orders", spec: try Self.spec(scheduled: true), as: .unrestricted)
        #expect(try Self.hasMailJob(f.workspace))
        try other.workspace.deleteReport("weekly_orders", as: .unrestricted)
        #expect(try !Self.hasMailJob(f.workspace))
    }
}
