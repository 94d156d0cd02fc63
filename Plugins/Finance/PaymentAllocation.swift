import CRMKernel

/// Spreading an approved receipt (or refund) over its order's installments with the Lua policy
/// `finance.allocate` (stock: the named installment first, then the oldest due; a refund takes
/// back from the latest). The policy only proposes; every share is checked here (known
/// installment, same sign as the receipt, never past what is open or received, no more than the
/// receipt) before it is written as a `payment_allocation` and added to the installment.
public enum PaymentAllocation {
    /// The policy's declaration.
    public static let policy = ScriptPolicy("allocate",
        summary: "finance.allocate{amount_fen, plan, plans = {{id, seq, due_date, amount_fen, received_fen, open_fen}, ...}} → {{plan = id, amount_fen = n}, ...}")

    /// The policy's argument for `amount` fen of `order`'s receipt (named installment `plan`).
    static func argument(amount: Int64, plan: Int64?, plans: [Record]) -> ScriptValue {
        .table([
            "amount_fen": .value(.integer(amount)),
            "plan": .value(plan.map(Value.integer) ?? .null),
            "plans": .list(plans.map { p in
                let amount = FinanceMoney.fen(p["amount"]), received = FinanceMoney.fen(p["received"])
                return .table(["id": .value(.integer(p.id)), "seq": .value(p["seq"]), "due_date": .value(p["due_date"]),
                               "amount_fen": .value(.integer(amount)), "received_fen": .value(.integer(received)),
                               "open_fen": .value(.integer(max(0, amount - received)))])
            }),
        ])
    }

    /// Allocates approved receipt `payment` dated `day`; returns the fen allocated.
    static func allocate(_ tx: WriteContext, _ payment: Record, day: String) throws -> Int64 {
        guard let orderID = payment["order"].integerValue else { return 0 }
        let amount = FinanceMoney.fen(payment["amount"])
        let plans = try PlanQueries.plans(tx.reader, order: orderID).filter { $0["cancelled"] != .bool(true) }
        guard !plans.isEmpty else { return 0 }
        let proposal = try tx.policy("finance.allocate", argument(amount: amount, plan: payment["plan"].integerValue, plans: plans))
        let shares = try parse(proposal, amount: amount, plans: plans)
        var total: Int64 = 0
        for (planID, share) in shares where share != 0 {
            guard let plan = plans.first(where: { $0.id == planID }) else { continue }
            _ = try tx.create("payment_allocation", ["payment": .integer(payment.id), "plan": .integer(planID), "order": .integer(orderID),
                                                     "amount": FinanceMoney.value(share), "received_on": .text(day), "owner": plan["owner"]])
            try add(tx, plan, share, day: day)
            total += share
        }
        return total
    }

    /// Takes back every allocation of `payment` on `day` (a reversal); returns the fen taken back.
    static func reverse(_ tx: WriteContext, _ payment: Record, day: String) throws -> Int64 {
        var total: Int64 = 0
        var byPlan: [Int64: Int64] = [:]
        for allocation in try PlanQueries.allocations(tx.reader, payment: payment.id) {
            guard let plan = allocation["plan"].integerValue else { continue }
            byPlan[plan, default: 0] += FinanceMoney.fen(allocation["amount"])
        }
        for (planID, share) in byPlan.sorted(by: { $0.key < $1.key }) where share != 0 {
            guard let plan = try tx.reader.get("payment_plan", planID) else { continue }
            _ = try tx.create("payment_allocation", ["payment": .integer(payment.id), "plan": .integer(planID), "order": payment["order"],
                                                     "amount": FinanceMoney.value(-share), "received_on": .text(day), "owner": plan["owner"]])
            try add(tx, plan, -share, day: day)
            total -= share
        }
        return total
    }

    /// Adds `share` fen to installment `plan` and keeps its paid-in-full date.
    private static func add(_ tx: WriteContext, _ plan: Record, _ share: Int64, day: String) throws {
        let received = FinanceMoney.fen(plan["received"]) + share
        let paid = received >= FinanceMoney.fen(plan["amount"])
        _ = try tx.update("payment_plan", plan.id, ["received": FinanceMoney.value(received),
                                                    "paid_on": paid ? (plan["paid_on"].isEmpty ? .text(day) : plan["paid_on"]) : .null])
    }

    /// The policy's answer as (installment, fen) pairs, checked.
    static func parse(_ value: ScriptValue, amount: Int64, plans: [Record]) throws -> [(Int64, Int64)] {
        let items: [ScriptValue]
        switch value {
        case .list(let list): items = list
        case .table(let t) where t.isEmpty: items = []
        default: throw KernelError(.scriptFailed, "finance.allocate must return a list {{plan = id, amount_fen = n}, ...}")
        }
        var out: [(Int64, Int64)] = [], sum: Int64 = 0
        var left = Dictionary(uniqueKeysWithValues: plans.map { p in
            (p.id, (open: FinanceMoney.fen(p["amount"]) - FinanceMoney.fen(p["received"]), received: FinanceMoney.fen(p["received"])))
        })
        for (index, item) in items.enumerated() {
            guard let plan = item.fields?["plan"]?.integer, let share = item.fields?["amount_fen"]?.integer else {
                throw KernelError(.scriptFailed, "finance.allocate: item \(index + 1) needs plan (id) and amount_fen (integer fen)")
            }
            guard let room = left[plan] else { throw KernelError(.scriptFailed, "finance.allocate: plan \(plan) is not an installment of this order") }
            guard share == 0 || (share > 0) == (amount > 0) else { throw KernelError(.scriptFailed, "finance.allocate: share \(share) has the wrong sign") }
            if share > 0, share > room.open { throw KernelError(.scriptFailed, "finance.allocate: \(share) fen is more than installment \(plan)'s open \(room.open)") }
            if share < 0, -share > room.received { throw KernelError(.scriptFailed, "finance.allocate: \(-share) fen is more than installment \(plan) received") }
            left[plan] = (room.open - share, room.received + share)
            sum += share
            out.append((plan, share))
        }
        guard sum.magnitude <= amount.magnitude else { throw KernelError(.scriptFailed, "finance.allocate: the shares add up to more than the receipt") }
        return out
    }
}
