import CRMKernel
import Foundation

/// The ticket's own rules, as hooks: its number, routing on create, checks of the product and
/// order it names (when those modules are enabled), the status history the SLA clock reads,
/// the solved and closed times, the SLA figures kept when it is solved, and the rating it asks.
enum TicketLifecycle {
    static var hooks: HookSet {
        var set = HookSet()
        set.onBeforeSave("ticket") { ctx in try beforeSave(&ctx) }
        set.onAfterSave("ticket") { ctx in try afterSave(ctx) }
        set.onAfterSave("ticket_message") { ctx in try ConversationRules.afterSave(ctx) }
        set.onBeforeSave("ticket_message") { ctx in try ConversationRules.beforeSave(&ctx) }
        set.onBeforeSave("kb_article") { ctx in KnowledgeBase.beforeSave(&ctx) }
        set.onAfterSave("message") { ctx in try ReplyMail.messageSaved(ctx) }
        return set
    }

    static func beforeSave(_ ctx: inout SaveContext) throws {
        guard ctx.operation != .delete else { return }
        let statuses = ServiceRules.inForce(ctx.tx.schema).statuses
        if ctx.operation == .create {
            if (ctx.values["number"] ?? .null).isEmpty { ctx.values["number"] = .text(try ctx.tx.nextNumber("ticket")) }
            if (ctx.values["assignee"] ?? .null).isEmpty {
                let d = try TicketRouting.decide(ctx.tx, ticket: ctx.values)
                if let team = d.team, (ctx.values["team"] ?? .null).isEmpty { ctx.values["team"] = .integer(team) }
                if let a = d.assignee {
                    ctx.values["assignee"] = .integer(a)
                    ctx.values["owner"] = .integer(a)
                    if (ctx.values["status"] ?? .null).isEmpty || ctx.values["status"] == .text(statuses.new) { ctx.values["status"] = .text(statuses.assigned) }
                }
                if let rule = d.rule { ctx.values["routing_rule"] = .text(rule) }
            }
        }
        for (field, entity) in [("product", "product"), ("order", "order")] {
            guard ctx.changed(field), let id = ctx.values[field]?.integerValue, ctx.tx.schema.entities[entity] != nil else { continue }
            if try !ctx.tx.reader.system.exists(entity, id) { ctx.reject(field, "no \(entity) #\(id)") }
        }
        guard ctx.changed("status"), let status = ctx.values["status"]?.textValue else { return }
        if status == statuses.solved {
            ctx.values["solved_at"] = .datetime(ctx.tx.now)
            if let id = ctx.id {
                // The figures of record, as the clock stood when solved (reports sum these).
                let state = try SLAClock.state(ctx.tx.reader, id: id, values: ctx.values, pending: SLAClock.Stay(status: status, at: ctx.tx.now), now: ctx.tx.now)
                ctx.values["sla_response_seconds"] = state.response.map { .integer(Int64($0.elapsed)) } ?? .null
                ctx.values["sla_resolution_seconds"] = state.resolution.map { .integer(Int64($0.elapsed)) } ?? .null
                ctx.values["sla_breached"] = state.policy == nil ? .null : .bool(state.overall == "breached")
            }
        }
        else if status == statuses.closed { ctx.values["closed_at"] = .datetime(ctx.tx.now) }
        else if !statuses.finished.contains(status) {
            ctx.values["solved_at"] = .null
            ctx.values["sla_breached"] = .null
            ctx.values["sla_resolution_seconds"] = .null
        }
    }

    static func afterSave(_ ctx: AfterSaveContext) throws {
        let t = ctx.record
        if ctx.changed("assignee") { try TicketRouting.notifyAssignee(ctx.tx, ticket: t) }
        guard ctx.operation == .create || ctx.changed("status"), let status = t["status"].textValue else { return }
        try ctx.tx.asSystem {
            _ = try ctx.tx.create("ticket_status", ["ticket": .integer(t.id), "status": .text(status), "from_status": ctx.old?["status"] ?? .null,
                                                    "at": .datetime(ctx.tx.now), "moved_by": ctx.tx.user.id.map(Value.integer) ?? .null,
                                                    "owner": .null])
        }
        let statuses = ServiceRules.inForce(ctx.tx.schema).statuses
        if status == statuses.solved, ctx.operation == .update { try Ratings.ask(ctx.tx, ticket: t) }
    }
}
