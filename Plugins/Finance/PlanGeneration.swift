import CRMKernel
import CRMOrders
import Foundation

/// Installments from an order's payment terms (`30 % 定金, 60 % 验收后, 10 % 质保金 12 个月后`)
/// by the Lua policy `finance.plan_terms` (stock in `50_finance.lua`), or entered by hand.
///
/// The policy gets `{terms, total_fen, start}` and answers a list of
/// `{name, percent, amount_fen, months, days}` (amounts in integer fen; the last installment
/// takes the rounding remainder) or `{error = "..."}`; the shares must add up to the order
/// total exactly. Due dates are `start` (the signing date, else today) plus months and days.
public enum PlanGeneration {
    /// The policy's declaration.
    public static let policy = ScriptPolicy("plan_terms",
        summary: "finance.plan_terms{terms, total_fen, start} → {{name, percent, amount_fen, months, days}, ...} or {error = \"...\"}")

    /// One installment to write.
    public struct Installment: Sendable, Hashable {
        /// 款项 (定金, 验收款 …).
        public var name: String
        /// Percent text, when from terms.
        public var percent: String?
        /// Amount, fen.
        public var amountFen: Int64
        /// Due date `YYYY-MM-DD`.
        public var dueDate: String
    }

    /// The installments the policy derives from `terms` for `totalFen` starting `start`.
    static func installments(_ tx: WriteContext, terms: String, totalFen: Int64, start: String) throws -> [Installment] {
        let answer = try tx.policy("finance.plan_terms", .table(["terms": .value(.text(terms)), "total_fen": .value(.integer(totalFen)),
                                                                 "start": .value(.text(start))]))
        if let error = answer.fields?["error"]?.text {
            throw KernelError.invalid("order", field: "payment_terms", "付款条件无法生成回款计划：\(error)")
        }
        guard case .list(let items) = answer, !items.isEmpty else {
            throw KernelError.invalid("order", field: "payment_terms", "付款条件「\(terms)」没有可识别的比例 (no percentages found in the terms)")
        }
        let out = try items.enumerated().map { index, item -> Installment in
            guard let f = item.fields, let amount = f["amount_fen"]?.integer else {
                throw KernelError(.scriptFailed, "finance.plan_terms: item \(index + 1) needs amount_fen (integer fen)")
            }
            let months = Int(f["months"]?.integer ?? 0), days = Int(f["days"]?.integer ?? 0)
            guard let due = FinanceDates.adding(months: months, days: days, to: start) else {
                throw KernelError(.scriptFailed, "finance.plan_terms: item \(index + 1) has no valid due date")
            }
            let percent: String? = switch f["percent"] { case .value(.text(let t)): t; case .value(.integer(let i)): String(i); default: nil }
            return Installment(name: f["name"]?.text ?? "第\(index + 1)期", percent: percent, amountFen: amount, dueDate: due)
        }
        let sum = out.reduce(Int64(0)) { $0 + $1.amountFen }
        guard sum == totalFen, out.allSatisfy({ $0.amountFen > 0 }) else {
            throw KernelError.invalid("order", field: "payment_terms", "回款计划合计 \(MoneyText.yuan(sum)) 与订单总额 \(MoneyText.yuan(totalFen)) 不符 (the installments do not add up to the order total)")
        }
        return out
    }

    /// Generates `order`'s installments from its payment terms (or `terms`), replacing
    /// installments without receipts when `replace`; returns the new installments.
    static func generate(_ tx: WriteContext, order id: Int64, terms override: String?, remindDays: Int64?, replace: Bool) throws -> [Record] {
        guard let order = try tx.reader.get("order", id) else { throw KernelError.recordNotFound("order", id) }
        let terms = override ?? order["payment_terms"].textValue ?? ""
        guard !terms.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw KernelError.invalid("order", field: "payment_terms", "订单没有付款条件 (the order has no payment terms)")
        }
        let existing = try PlanQueries.plans(tx.reader, order: id)
        if !existing.isEmpty {
            guard replace else {
                throw KernelError(.conflict, "订单 \(order["number"]) 已有回款计划 (the order already has installments; pass replace = true)",
                                  entity: "payment_plan", fieldErrors: [FieldError(field: "order", message: "already has installments")])
            }
            if existing.contains(where: { FinanceMoney.fen($0["received"]) != 0 }) {
                throw KernelError.invalid("payment_plan", field: "received", "已有回款的计划不能重新生成 (installments with receipts cannot be replaced)")
            }
        }
        let start = try order["signed_date"].textValue ?? OrderDay.today(tx)
        let list = try installments(tx, terms: terms, totalFen: FinanceMoney.fen(order["total"]), start: start)
        for plan in existing { try tx.delete("payment_plan", plan.id) }
        return try list.enumerated().map { index, item in
            var values: [String: Value] = ["order": .integer(id), "seq": .integer(Int64(index + 1)), "name": .text(item.name),
                                           "due_date": .text(item.dueDate), "amount": FinanceMoney.value(item.amountFen)]
            if let percent = item.percent, let d = Decimal(string: percent, locale: Locale(identifier: "en_US_POSIX")) { values["percent"] = .decimal(d) }
            if let remindDays { values["remind_days"] = .integer(remindDays) }
            return try tx.create("payment_plan", values)
        }
    }

    /// Replaces `order`'s installments with `items` entered by hand (`{due_date, amount, name,
    /// method, remind_days}`); their sum may not exceed the order total.
    static func set(_ tx: WriteContext, order id: Int64, items: [[String: Value]]) throws -> [Record] {
        let existing = try PlanQueries.plans(tx.reader, order: id)
        if existing.contains(where: { FinanceMoney.fen($0["received"]) != 0 }) {
            throw KernelError.invalid("payment_plan", field: "received", "已有回款的计划不能整体替换 (installments with receipts cannot be replaced)")
        }
        for plan in existing { try tx.delete("payment_plan", plan.id) }
        return try items.enumerated().map { index, item in
            var values = item
            values["order"] = .integer(id)
            values["seq"] = .integer(Int64(index + 1))
            return try tx.create("payment_plan", values)
        }
    }
}

/// Today in the workspace's time zone.
enum OrderDay {
    static func today(_ tx: WriteContext) throws -> String { try OrderActions.today(tx.asSystem { tx.reader }) }
}

/// Today in the workspace's time zone, from a reader.
enum OrderDayReader {
    static func today(_ reader: RecordReader) throws -> String { try OrderActions.today(reader.system) }
}
