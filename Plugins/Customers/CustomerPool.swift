import CRMKernel
import Foundation

/// Claiming customers from the 公海 and releasing them back, under the company's pool rules.
///
/// Each call runs in the caller's transaction: a refusal throws before anything is written, so
/// a refused claim or release changes nothing.
public enum CustomerPool {
    /// The acting user claims customer `id` from its pool; returns the updated customer.
    ///
    /// Refused (nothing written) when the customer has an owner, the user has used the day's
    /// quota (`daily_claims`), holds `max_held` customers already, or gave this customer back
    /// (released or reclaimed) less than `cooldown_days` ago.
    @discardableResult
    public static func claim(_ tx: WriteContext, _ id: Int64) throws -> Record {
        guard let user = tx.user.id else {
            throw KernelError(.forbidden, "claiming a customer needs a user (the system cannot hold customers)", entity: "customer")
        }
        guard let customer = try tx.reader.get("customer", id) else { throw KernelError.recordNotFound("customer", id) }
        guard customer["owner"] == .null else {
            let whose = customer["owner"] == .integer(user) ? "you already own it" : "it is owned by user \(customer["owner"])"
            throw KernelError(.conflict, "customer \(id) is not in the pool: \(whose)", entity: "customer")
        }
        let rules = PoolRules.inForce(tx.schema)
        let today = try startOfDay(tx)
        let claimedToday = try tx.reader.count("pool_event", filter: .all([
            .eq("user", .integer(user)), .eq("action", .text(PoolAction.claim)), .condition(field: "at", op: .ge, value: .datetime(today)),
        ]))
        guard claimedToday < rules.dailyClaims else {
            throw KernelError(.forbidden, "daily claim quota reached: \(claimedToday) of \(rules.dailyClaims) claims today", entity: "customer")
        }
        let held = try tx.reader.count("customer", filter: .eq("owner", .integer(user)))
        guard held < rules.maxHeld else {
            throw KernelError(.forbidden, "you hold \(held) customers, the most allowed is \(rules.maxHeld); release some first", entity: "customer")
        }
        if rules.cooldownDays > 0 {
            let since = tx.now.addingTimeInterval(-Double(rules.cooldownDays) * 86_400)
            let recent = try tx.reader.find(Query("pool_event", filter: .all([
                .eq("customer", .integer(id)), .eq("previous_owner", .integer(user)),
                .condition(field: "action", op: .in, value: .list([PoolAction.release, PoolAction.reclaim])),
                .condition(field: "at", op: .ge, value: .datetime(since)),
            ]), sort: [SortKey("at", descending: true)], limit: 1)).records.first
            if case .datetime(let at) = recent?["at"] ?? .null {
                let until = at.addingTimeInterval(Double(rules.cooldownDays) * 86_400)
                throw KernelError(.forbidden, "you gave customer \(id) back on \(DateCoding.iso(at)); you may claim it again after \(DateCoding.iso(until)) (cooldown \(rules.cooldownDays) days)",
                                  entity: "customer")
            }
        }
        let pool = customer["pool"].textValue
        // The pool's rules allowed the claim: the module sets the (read-only) owner and keeps
        // its pool log itself, then returns what the caller may see.
        let caller = tx.access
        let updated = try tx.asSystem {
            let updated = try tx.update("customer", id, ["owner": .integer(user)])
            try PoolRecords.record(tx, customer: id, action: PoolAction.claim, user: user, previousOwner: .null, pool: pool, reason: nil)
            return updated
        }
        return caller.redact(updated)
    }

    /// Gives customer `id` back to its pool with a reason; only its owner or an admin may.
    @discardableResult
    public static func release(_ tx: WriteContext, _ id: Int64, reason: String?) throws -> Record {
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !reason.isEmpty else {
            throw KernelError(.validation, "releasing a customer needs a reason", entity: "customer",
                              fieldErrors: [FieldError(field: "reason", message: "请填写退回公海的原因")])
        }
        guard let customer = try tx.reader.get("customer", id) else { throw KernelError.recordNotFound("customer", id) }
        let owner = customer["owner"]
        guard owner != .null else { throw KernelError(.conflict, "customer \(id) is already in the pool", entity: "customer") }
        guard tx.actsAsAdministrator || owner == tx.user.id.map(Value.integer) else {
            throw KernelError(.forbidden, "only the customer's owner or an administrator may release customer \(id)", entity: "customer")
        }
        let caller = tx.access
        let updated = try tx.asSystem {
            let updated = try tx.update("customer", id, ["owner": .null])
            try PoolRecords.record(tx, customer: id, action: PoolAction.release, user: tx.user.id, previousOwner: owner,
                                   pool: updated["pool"].textValue, reason: reason)
            return updated
        }
        return caller.redact(updated)
    }

    /// The start of the transaction's day in the workspace time zone (setting `time_zone`,
    /// default Asia/Shanghai), as a UTC instant.
    static func startOfDay(_ tx: WriteContext) throws -> Date {
        try tx.reader.workspaceCalendar().startOfDay(for: tx.now)
    }
}
