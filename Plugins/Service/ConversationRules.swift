import CRMKernel
import Foundation

/// The conversation's effects on its ticket: the first reply out is the first response; a
/// customer's message reopens a solved ticket and ends a wait for the customer; a message that
/// used an article counts for it. Merged, closed and invalid tickets take no messages from users.
enum ConversationRules {
    static func beforeSave(_ ctx: inout SaveContext) throws {
        guard ctx.operation == .create else { return }
        if (ctx.values["at"] ?? .null).isEmpty { ctx.values["at"] = .datetime(ctx.tx.now) }
        if ctx.values["direction"] == .text("out"), (ctx.values["author"] ?? .null).isEmpty, let user = ctx.tx.user.id {
            ctx.values["author"] = .integer(user)
        }
        // The system (imports, demo data, merges) may file history on any ticket.
        guard ctx.tx.user.id != nil, let id = ctx.values["ticket"]?.integerValue, let ticket = try ctx.tx.reader.system.get("ticket", id) else { return }
        let statuses = ServiceRules.inForce(ctx.tx.schema).statuses
        let status = ticket["status"].textValue ?? ""
        if [statuses.merged, statuses.invalid, statuses.closed].contains(status) {
            ctx.reject("ticket", "ticket \(ticket["number"].textValue ?? "#\(id)") is \(status) and takes no messages")
        }
    }

    static func afterSave(_ ctx: AfterSaveContext) throws {
        guard ctx.operation == .create, let id = ctx.record["ticket"].integerValue,
              let ticket = try ctx.tx.reader.system.get("ticket", id) else { return }
        let statuses = ServiceRules.inForce(ctx.tx.schema).statuses
        let status = ticket["status"].textValue ?? ""
        var changes: [String: Value] = [:]
        switch ctx.record["direction"].textValue {
        case "out":
            if ticket["first_response_at"].isEmpty, !statuses.finished.contains(status) { changes["first_response_at"] = ctx.record["at"] }
            if [statuses.new, statuses.assigned].contains(status) { changes["status"] = .text(statuses.working) }
        case "in":
            if [statuses.solved, statuses.waitingCustomer].contains(status) { changes["status"] = .text(statuses.working) }
        default: break
        }
        if let article = ctx.record["article"].integerValue, let a = try ctx.tx.reader.system.get("kb_article", article) {
            try ctx.tx.asSystem { _ = try ctx.tx.update("kb_article", article, ["used": .integer((a["used"].integerValue ?? 0) + 1)]) }
        }
        guard !changes.isEmpty else { return }
        try ctx.tx.asSystem { _ = try ctx.tx.update("ticket", id, changes) }
    }
}
