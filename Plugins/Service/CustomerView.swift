import CRMKernel
import Foundation

/// What the agent sees on one screen: the ticket, its conversation and SLA clock, and the
/// customer's orders, open opportunities and past tickets when those modules are enabled
/// (optional: a disabled module's part is simply absent).
enum CustomerView {
    static func view(_ reader: RecordReader, _ call: ScriptCall, ticket id: Int64) throws -> ScriptValue {
        guard let ticket = try reader.get("ticket", id) else { throw KernelError.recordNotFound("ticket", id) }
        let messages = try reader.find(Query("ticket_message", filter: .eq("ticket", .integer(id)), sort: [SortKey("at"), SortKey("id")], limit: 500)).records
        var out: [String: ScriptValue] = [
            "ticket": .record(ticket), "messages": .list(messages.map(ScriptValue.record)),
            "sla": try SLAClock.state(reader, ticket: ticket, now: Date()).script,
            "suggestions": .list(try KnowledgeBase.suggest(reader, subject: ticket["subject"].textValue ?? "", limit: 3).map(ScriptValue.record)),
        ]
        guard let customer = ticket["customer"].integerValue else { return .table(out) }
        if let c = try reader.get("customer", customer) { out["customer"] = .record(c) }
        let schema = reader.schema
        func allowed(_ entity: String) -> Bool { schema.entities[entity] != nil && (call.access?.allows(.read, on: entity) ?? true) }
        if allowed("order") {
            out["orders"] = .list(try reader.find(Query("order", filter: .eq("customer", .integer(customer)), sort: [SortKey("id", descending: true)], limit: 10)).records.map(ScriptValue.record))
        }
        if allowed("opportunity"), let field = schema.pipelines["opportunity"]?.first?.field {
            let closed = (schema.pipelines["opportunity"] ?? []).flatMap { $0.stages.filter { $0.outcome != nil }.map(\.name) }
            out["opportunities"] = .list(try reader.find(Query("opportunity", filter: .all([.eq("customer", .integer(customer)),
                                                                                           .condition(field: field, op: .notIn, value: .list(closed))]),
                                                              sort: [SortKey("id", descending: true)], limit: 10)).records.map(ScriptValue.record))
        }
        out["past_tickets"] = .list(try reader.find(Query("ticket", filter: .all([.eq("customer", .integer(customer)), .condition(field: "id", op: .ne, value: .integer(id))]),
                                                          sort: [SortKey("id", descending: true)], limit: 10)).records.map(ScriptValue.record))
        return .table(out)
    }
}
