import CRMKernel
import Foundation

/// The module's operations for Swift callers outside it (the benchmark, other modules): the
/// same code the Lua functions and routes run.
public enum ServiceOperations {
    /// `crm.service.sla_state(id)`: the SLA state of ticket `id` at `now`, from its status history.
    public static func slaState(_ reader: RecordReader, ticket id: Int64, now: Date = Date()) throws -> SLAState {
        guard let t = try reader.get("ticket", id) else { throw KernelError.recordNotFound("ticket", id) }
        return try SLAClock.state(reader, ticket: t, now: now)
    }

    /// `crm.service.sla_report{by = ...}`.
    public static func slaReport(_ reader: RecordReader, by: String) throws -> ScriptValue {
        try ServiceReports.sla(reader, .table(["by": .value(.text(by))]))
    }

    /// `crm.service.route(id)`: routes ticket `id` again in `tx`; returns the assignee.
    @discardableResult
    public static func route(_ tx: WriteContext, ticket id: Int64) throws -> Int64? {
        try TicketRouting.route(tx, ticket: id, force: true).assignee
    }

    /// `crm.service.search_articles(text)`.
    public static func searchArticles(_ reader: RecordReader, _ text: String, limit: Int = 20) throws -> [Record] {
        try KnowledgeBase.search(reader, text, limit: limit)
    }
}
