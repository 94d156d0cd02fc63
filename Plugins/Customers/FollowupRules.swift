import CRMKernel
import Foundation

/// Keeps a customer's `last_followup_at` and `next_followup_at` in step with its follow-ups
/// (跟进记录), in the same transaction as the follow-up itself.
///
/// A follow-up without `followed_at` is stamped with the time it is saved. Saving one moves the
/// customer's last follow-up time forward (never back) and, when the follow-up names a next
/// follow-up time, sets the customer's to it; deleting one recomputes the last time from the
/// follow-ups that remain.
enum FollowupRules {
    static var hooks: HookSet {
        var set = HookSet()
        set.onBeforeSave("followup") { ctx in try apply(&ctx) }
        return set
    }

    static func apply(_ ctx: inout SaveContext) throws {
        if ctx.operation == .delete {
            guard case .integer(let customer) = ctx.values["customer"] ?? .null, let id = ctx.id else { return }
            let latest = try ctx.tx.reader.find(Query("followup", filter: .all([.eq("customer", .integer(customer)),
                                                                                .condition(field: "id", op: .ne, value: .integer(id))]),
                                                      sort: [SortKey("followed_at", descending: true)], limit: 1)).records.first
            try ctx.tx.update("customer", customer, ["last_followup_at": latest?["followed_at"] ?? .null])
            return
        }
        if (ctx.values["followed_at"] ?? .null) == .null { ctx.values["followed_at"] = .datetime(ctx.tx.now) }
        guard case .integer(let customerID) = ctx.values["customer"] ?? .null,
              let customer = try ctx.tx.reader.get("customer", customerID) else { return }
        var changes: [String: Value] = [:]
        if case .datetime(let at) = ctx.values["followed_at"] ?? .null {
            if case .datetime(let last) = customer["last_followup_at"], last >= at {} else { changes["last_followup_at"] = .datetime(at) }
        }
        if let next = ctx.values["next_followup_at"], next != .null, next != customer["next_followup_at"] {
            changes["next_followup_at"] = next
        }
        if !changes.isEmpty { try ctx.tx.update("customer", customerID, changes) }
    }
}
