import CRMKernel
import Foundation

/// A customer's story in one list, newest first: its follow-ups, its tasks, the changes to its
/// own fields (from the audit log), and the records of any other entity in force that point at
/// it (contacts, opportunities, orders … as modules add them).
enum CustomerTimeline {
    /// One entry of the timeline.
    struct Entry {
        var at: Date
        var kind: String
        var entity: String
        var id: Int64
        var title: String
        var summary: String
        var user: String?

        var script: ScriptValue {
            var t: [String: ScriptValue] = ["at": .value(.datetime(at)), "kind": .value(.text(kind)), "entity": .value(.text(entity)),
                                            "id": .value(.integer(id)), "title": .value(.text(title)), "summary": .value(.text(summary))]
            if let user { t["user"] = .value(.text(user)) }
            return .table(t)
        }
    }

    /// Fields kept by the module itself, left out of the change entries.
    static let bookkeeping: Set<String> = ["name_key", "phone_key", "updated_at", "updated_by", "last_followup_at"]

    static func entries(_ call: ScriptCall, customer id: Int64, limit: Int) throws -> [Entry] {
        var out: [Entry] = []
        try call.read { reader in
            guard try reader.exists("customer", id) else { throw KernelError.recordNotFound("customer", id) }
            let schema = reader.schema
            for name in schema.entityNames where name != "customer" {
                guard let entity = schema.entities[name], call.access?.allows(.read, on: name) ?? true else { continue }
                for field in entity.fields where field.type == .reference && field.target == "customer" {
                    let page = try reader.find(Query(name, filter: .eq(field.name, .integer(id)),
                                                     sort: [SortKey("id", descending: true)], limit: limit))
                    for r in page.records where call.canSee(r) { out.append(entry(r, entity)) }
                }
            }
        }
        for change in try call.store.history("customer", id, as: call.access) {
            let fields = change.changes.filter { !bookkeeping.contains($0.field) }
            guard change.action != "update" || !fields.isEmpty else { continue }
            let summary = change.action == "update"
                ? fields.map { "\($0.field): \(text($0.old)) → \(text($0.new))" }.joined(separator: "；")
                : change.action
            out.append(Entry(at: change.at, kind: "change", entity: "customer", id: id, title: change.action, summary: summary,
                             user: change.userName))
        }
        return Array(out.sorted { ($0.at, $0.id) > ($1.at, $1.id) }.prefix(limit))
    }

    private static func entry(_ r: Record, _ entity: EntitySchema) -> Entry {
        let created = date(r["created_at"]) ?? Date(timeIntervalSince1970: 0)
        switch entity.name {
        case "followup":
            return Entry(at: date(r["followed_at"]) ?? created, kind: "followup", entity: "followup", id: r.id,
                         title: text(r["subject"]).isEmpty ? text(r["type"]) : text(r["subject"]),
                         summary: String(text(r["content"]).prefix(120)), user: nil)
        case "task":
            return Entry(at: date(r["due_at"]) ?? created, kind: "task", entity: "task", id: r.id, title: text(r["title"]),
                         summary: text(r["status"]), user: nil)
        default:
            let title = entity.definition.titleField.map { text(r[$0]) } ?? ""
            return Entry(at: created, kind: entity.name, entity: entity.name, id: r.id,
                         title: title.isEmpty ? "\(entity.definition.label.zh) #\(r.id)" : title,
                         summary: entity.definition.label.zh, user: nil)
        }
    }

    private static func date(_ v: Value) -> Date? {
        if case .datetime(let d) = v { return d }
        return nil
    }

    private static func text(_ v: Value) -> String {
        if case .null = v { return "" }
        return v.description
    }

    /// `crm.customers.timeline(id, {limit = n})`.
    static var function: ScriptFunction {
        ScriptFunction("timeline", summary: "crm.customers.timeline(id, {limit = 100}) → { {at, kind, entity, id, title, summary, user}, ... } newest first",
                           effect: .read, access: .read("customer", recordArguments: [0])) { call in
            guard let id = call[0].integer else {
                throw KernelError(.validation, "crm.customers.timeline needs a customer id", entity: "customer")
            }
            let limit = Int(call[1].fields?["limit"]?.integer ?? 100)
            guard limit > 0 else { throw KernelError(.validation, "crm.customers.timeline: limit must be positive", entity: "customer") }
            return .list(try entries(call, customer: id, limit: limit).map(\.script))
        }
    }
}
