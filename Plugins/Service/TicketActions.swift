import CRMKernel
import Foundation

/// Ticket actions beyond plain field changes: merging a duplicate into another ticket.
enum TicketActions {
    /// Merges ticket `duplicate` into `target`: its conversation moves over, an internal note
    /// records the merge on both, and the duplicate ends as merged (`merged_into`).
    static func merge(_ tx: WriteContext, duplicate: Int64, into target: Int64) throws -> Record {
        guard duplicate != target else {
            throw KernelError(.validation, "into: a ticket cannot be merged into itself", entity: "ticket", fieldErrors: [FieldError(field: "into", message: "is the same ticket")])
        }
        guard let dup = try tx.reader.get("ticket", duplicate) else { throw KernelError.recordNotFound("ticket", duplicate) }
        guard let kept = try tx.reader.get("ticket", target) else { throw KernelError.recordNotFound("ticket", target) }
        let statuses = ServiceRules.inForce(tx.schema).statuses
        for (t, field) in [(dup, "ticket"), (kept, "into")] where [statuses.merged, statuses.invalid, statuses.closed].contains(t["status"].textValue ?? "") {
            throw KernelError(.invalidState, "\(field): ticket \(t["number"].textValue ?? "") is \(t["status"].textValue ?? "") and cannot be merged",
                              entity: "ticket", fieldErrors: [FieldError(field: field, message: "is \(t["status"].textValue ?? "")")])
        }
        try tx.asSystem {
            var after: String? = nil
            repeat {
                let page = try tx.reader.system.find(Query("ticket_message", filter: .eq("ticket", .integer(duplicate)), sort: [SortKey("id")], limit: 500, after: after))
                for m in page.records { _ = try tx.update("ticket_message", m.id, ["ticket": .integer(target)]) }
                after = page.nextCursor
            } while after != nil
            _ = try tx.create("ticket_message", ["ticket": .integer(target), "direction": .text("internal"), "at": .datetime(tx.now), "delivery": .text("无需发送"),
                                                 "body": .text("已合并工单 \(dup["number"].textValue ?? "")：\(dup["subject"].textValue ?? "")"), "owner": kept["assignee"]])
        }
        return try tx.update("ticket", duplicate, ["status": .text(statuses.merged), "merged_into": .integer(target)])
    }
}
