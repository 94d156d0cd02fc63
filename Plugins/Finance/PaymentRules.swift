import CRMKernel
import CRMOrders
import Foundation

/// The rules every write of a plan or a receipt passes (hooks, so the API, Lua and imports
/// all meet them): plans of an order never exceed its total; a receipt is for an approved order,
/// within its outstanding amount (plus the company's tolerance), not dated past the company's
/// limit; an approved receipt is locked. Numbers, customer, owner and team come from the order.
enum PaymentRules {
    /// Fields of a receipt that are frozen once it leaves draft.
    static let lockedFields = ["order", "plan", "amount", "kind", "received_on", "account", "method"]

    static func hooks(into set: inout HookSet) {
        set.onBeforeSave("payment_plan") { ctx in try checkPlan(&ctx) }
        set.onBeforeSave("payment") { ctx in try checkPayment(&ctx) }
        set.onBeforeSave("payment_allocation") { ctx in
            if ctx.operation != .create { ctx.reject("amount", "回款分配只能由系统写入，不能修改 (allocations are written by the module only)") }
        }
        set.onBeforeSave("fund_movement") { ctx in
            if ctx.operation != .create { ctx.reject("amount", "资金流水不能修改或删除 (a fund movement cannot be changed or deleted)") }
        }
        // An order voided: its installments are void too (the derived status says 作废).
        set.onAfterSave("order") { ctx in
            guard ctx.operation == .update, ctx.changed("status") else { return }
            let void = ctx.record["status"] == .text(OrderSettings.current(ctx.tx.schema).status("void"))
            try ctx.tx.asSystem {
                for plan in try PlanQueries.plans(ctx.tx.reader, order: ctx.record.id) where plan["cancelled"] != .bool(void) {
                    _ = try ctx.tx.update("payment_plan", plan.id, ["cancelled": .bool(void)])
                }
            }
        }
    }

    /// The order a plan or receipt points at, read as the system; rejects `order` when missing.
    static func order(_ ctx: inout SaveContext) throws -> Record? {
        guard let id = ctx.values["order"]?.integerValue else { return nil }
        guard let order = try ctx.tx.asSystem({ try ctx.tx.reader.get("order", id) }) else {
            ctx.reject("order", "订单 \(id) 不存在 (no such order)")
            return nil
        }
        return order
    }

    /// Stamps customer, owner and team from the order.
    static func stampParties(_ ctx: inout SaveContext, _ order: Record) {
        ctx.values["customer"] = order["customer"]
        ctx.values["owner"] = order["owner"]
        ctx.values["team"] = order["team"]
    }

    private static func checkPlan(_ ctx: inout SaveContext) throws {
        if ctx.operation == .delete {
            if FinanceMoney.fen(ctx.old?["received"] ?? .null) != 0 { ctx.reject("received", "已有回款的计划不能删除 (an installment with receipts cannot be deleted)") }
            return
        }
        guard let order = try order(&ctx) else { return }
        if ctx.operation == .create || ctx.changed("order") { stampParties(&ctx, order) }
        if ctx.operation == .create {
            ctx.values["cancelled"] = .bool(order["status"] == .text(OrderSettings.current(ctx.tx.schema).status("void")))
            if (ctx.values["received"] ?? .null).isEmpty { ctx.values["received"] = FinanceMoney.value(0) }
        }
        let amount = FinanceMoney.fen(ctx.values["amount"] ?? .null)
        if amount <= 0 { ctx.reject("amount", "计划金额必须大于 0 (an installment's amount must be above zero)") }
        let received = FinanceMoney.fen(ctx.values["received"] ?? .null)
        if ctx.operation == .update, ctx.changed("amount"), amount < received {
            ctx.reject("amount", "计划金额不能小于已回款 \(MoneyText.yuan(received)) (below what was received)")
        }
        guard ctx.operation == .create || ctx.changed("amount") || ctx.changed("order") else { return }
        let others = try ctx.tx.asSystem { try PlanQueries.plans(ctx.tx.reader, order: order.id) }.filter { $0.id != ctx.id }
        let total = FinanceMoney.fen(order["total"])
        let planned = others.reduce(Int64(0)) { $0 + FinanceMoney.fen($1["amount"]) } + amount
        if planned > total {
            ctx.reject("amount", "回款计划合计 \(MoneyText.yuan(planned)) 超过订单总额 \(MoneyText.yuan(total)) (the installments would exceed the order total)")
        }
        if ctx.operation == .create, (ctx.values["seq"] ?? .null).isEmpty {
            ctx.values["seq"] = .integer(Int64((others.compactMap { $0["seq"].integerValue }.max() ?? 0) + 1))
        }
    }

    private static func checkPayment(_ ctx: inout SaveContext) throws {
        let status = ctx.old?["status"].textValue ?? PaymentStatus.draft
        let editable = [PaymentStatus.draft, PaymentStatus.rejected].contains(status)
        switch ctx.operation {
        case .delete:
            if !editable { ctx.reject("status", "只能删除草稿或被驳回的回款单 (only a draft receipt can be deleted; reverse an approved one)") }
            return
        case .update where !editable:
            for field in lockedFields where ctx.changed(field) {
                ctx.reject(field, "回款单状态为\(status)，不能修改 (a receipt in status \(status) is locked)")
            }
            return
        case .create:
            if (ctx.values["number"] ?? .null).isEmpty { ctx.values["number"] = .text(try ctx.tx.nextNumber("payment")) }
            ctx.values["status"] = .text(PaymentStatus.draft)
            ctx.values["allocated"] = FinanceMoney.value(0)
        case .update: break
        }
        guard let order = try order(&ctx) else { return }
        stampParties(&ctx, order)
        let amount = FinanceMoney.fen(ctx.values["amount"] ?? .null)
        if (ctx.values["kind"] ?? .null).isEmpty { ctx.values["kind"] = .text(amount < 0 ? "refund" : "receipt") }
        for error in try PaymentChecks.problems(ctx.tx, values: ctx.values, order: order, excluding: ctx.id) {
            ctx.reject(error.field, error.message)
        }
    }
}
