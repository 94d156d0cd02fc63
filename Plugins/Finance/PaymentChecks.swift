import CRMKernel
import CRMOrders
import Foundation

/// What a receipt must satisfy when it is saved as a draft and again when it is submitted and
/// approved (the order may have moved in between).
enum PaymentChecks {
    /// The field errors of a receipt with `values` for `order` (empty when it is acceptable).
    static func problems(_ tx: WriteContext, values: [String: Value], order: Record, excluding id: Int64?) throws -> [FieldError] {
        var errors: [FieldError] = []
        let settings = FinanceSettings.current(tx.schema), orderSettings = OrderSettings.current(tx.schema)
        let amount = FinanceMoney.fen(values["amount"] ?? .null)
        let kind = values["kind"]?.textValue ?? "receipt"
        if kind == "receipt", amount <= 0 { errors.append(FieldError(field: "amount", message: "回款金额必须大于 0 (a receipt's amount must be above zero; a refund is kind refund)")) }
        if kind == "refund", amount >= 0 { errors.append(FieldError(field: "amount", message: "退款金额必须为负数 (a refund's amount is negative)")) }
        let status = order["status"].textValue ?? ""
        let open = ["approved", "executing", "completed"].map(orderSettings.status)
        if status == orderSettings.status("void") {
            errors.append(FieldError(field: "order", message: "订单 \(order["number"]) 已作废，不能登记回款 (the order is void)"))
        } else if !open.contains(status) {
            errors.append(FieldError(field: "order", message: "订单 \(order["number"]) 状态为\(status)，审批通过后才能登记回款 (the order is not approved)"))
        }
        if let planID = values["plan"]?.integerValue {
            let plan = try tx.asSystem { try tx.reader.get("payment_plan", planID) }
            if plan?["order"] != .integer(order.id) {
                errors.append(FieldError(field: "plan", message: "回款计划 \(planID) 不属于订单 \(order["number"]) (the installment belongs to another order)"))
            }
        }
        if let day = values["received_on"]?.textValue {
            let today = try OrderActions.today(tx.asSystem { tx.reader })
            if let limit = FinanceDates.adding(months: 0, days: settings.futureDays, to: today), day > limit {
                errors.append(FieldError(field: "received_on", message: "回款日期 \(day) 晚于允许的 \(limit) (a receipt may be dated at most \(settings.futureDays) day(s) after today)"))
            }
        }
        if let method = values["method"]?.textValue, !method.isEmpty, !settings.methods.contains(method) {
            errors.append(FieldError(field: "method", message: "未知的回款方式「\(method)」(known: \(settings.methods.joined(separator: ", ")))"))
        }
        let total = FinanceMoney.fen(order["total"]), received = FinanceMoney.fen(order["received"])
        if kind == "receipt", amount > 0, amount > total - received + settings.toleranceFen {
            errors.append(FieldError(field: "amount", message: "回款金额 \(MoneyText.yuan(amount)) 超过未回款金额 \(MoneyText.yuan(total - received)) (over the order's outstanding amount)"))
        }
        if kind == "refund", amount < 0, -amount > received {
            errors.append(FieldError(field: "amount", message: "退款金额 \(MoneyText.yuan(-amount)) 超过已回款 \(MoneyText.yuan(received)) (a refund cannot exceed what was received)"))
        }
        return errors
    }

    /// Throws the problems of the stored receipt `payment` as one validation error.
    static func require(_ tx: WriteContext, _ payment: Record) throws {
        guard let orderID = payment["order"].integerValue, let order = try tx.asSystem({ try tx.reader.get("order", orderID) }) else {
            throw KernelError.invalid("payment", field: "order", "回款单没有订单 (the receipt has no order)")
        }
        let errors = try problems(tx, values: payment.values, order: order, excluding: payment.id)
        if !errors.isEmpty { throw KernelError.invalid("payment", errors) }
    }
}

/// Reading plans and receipts.
enum PlanQueries {
    /// The installments of `order`, by number.
    static func plans(_ reader: RecordReader, order: Int64) throws -> [Record] {
        try reader.find(Query("payment_plan", filter: .eq("order", .integer(order)), sort: [SortKey("seq"), SortKey("id")], limit: 1000)).records
    }

    /// The allocations of receipt `payment`.
    static func allocations(_ reader: RecordReader, payment: Int64) throws -> [Record] {
        try reader.find(Query("payment_allocation", filter: .eq("payment", .integer(payment)), limit: 1000)).records
    }
}
