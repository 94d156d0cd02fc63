import CRMKernel

/// 回款计划 status, derived when read from the amounts, the due date and the as-of date (so no
/// job has to remember to mark anything overdue): 作废 (order void), 已回款, 已逾期 (due before the
/// as-of date and not fully received), 部分回款, 待回款.
public enum PlanStatus {
    public static let pending = "待回款", partial = "部分回款", paid = "已回款", overdue = "已逾期", void = "作废"

    /// The status of an installment with `amountFen` due `dueDate`, `receivedFen` received by
    /// `asOf`.
    public static func status(amountFen: Int64, receivedFen: Int64, dueDate: String, asOf: String, cancelled: Bool) -> String {
        if cancelled { return void }
        if receivedFen >= amountFen { return paid }
        if dueDate < asOf { return overdue }
        return receivedFen > 0 ? partial : pending
    }

    /// One installment as read on a day.
    public struct Row: Sendable, Hashable {
        public var plan: Record
        public var receivedFen: Int64
        public var openFen: Int64
        public var status: String
        public var overdueDays: Int
    }

    /// `order`'s installments as of `asOf` (receipts dated later are ignored).
    public static func rows(_ reader: RecordReader, order: Int64, asOf: String) throws -> [Row] {
        let plans = try PlanQueries.plans(reader, order: order)
        let later = try laterAllocations(reader, plans: plans.map(\.id), asOf: asOf)
        return plans.map { row($0, later: later[$0.id] ?? 0, asOf: asOf) }
    }

    /// One installment as of `asOf`, given the fen allocated to it after that day.
    static func row(_ plan: Record, later: Int64, asOf: String) -> Row {
        let amount = FinanceMoney.fen(plan["amount"]), received = FinanceMoney.fen(plan["received"]) - later
        let due = plan["due_date"].textValue ?? ""
        let status = status(amountFen: amount, receivedFen: received, dueDate: due, asOf: asOf, cancelled: plan["cancelled"] == .bool(true))
        let overdue = status == overdue ? (FinanceDates.days(from: due, to: asOf) ?? 0) : 0
        return Row(plan: plan, receivedFen: received, openFen: status == void ? 0 : max(0, amount - received), status: status, overdueDays: overdue)
    }

    /// Fen allocated to each of `plans` after `asOf`.
    static func laterAllocations(_ reader: RecordReader, plans: [Int64], asOf: String) throws -> [Int64: Int64] {
        guard !plans.isEmpty else { return [:] }
        var out: [Int64: Int64] = [:]
        for chunk in stride(from: 0, to: plans.count, by: 500).map({ Array(plans[$0..<min($0 + 500, plans.count)]) }) {
            let filter = Filter.all([.condition(field: "received_on", op: .gt, value: .text(asOf)),
                                     .condition(field: "plan", op: .in, value: .list(chunk.map(String.init)))])
            for row in try reader.aggregate("payment_allocation", groupBy: [GroupKey("plan")], measures: [.sum("amount")], filter: filter) {
                if let p = row.group["plan"]?.integerValue { out[p] = FinanceMoney.fen(row.values[0]) }
            }
        }
        return out
    }
}

/// An order's (or a customer's) collection figures: ordered, invoiced, received, outstanding, %.
public struct CollectionFigures: Sendable, Hashable {
    /// Order total(s), fen.
    public var totalFen: Int64
    /// Approved receipts net of refunds and reversals, fen.
    public var receivedFen: Int64
    /// Issued invoices net of 红字, fen.
    public var invoicedFen: Int64
    /// total − received, fen.
    public var outstandingFen: Int64 { totalFen - receivedFen }
    /// received / total, `"33.33"`.
    public var percent: String { FinanceMoney.percent(receivedFen, of: totalFen) }
    /// Planned installments total, fen.
    public var plannedFen: Int64

    /// The figures of order `id`.
    public static func order(_ reader: RecordReader, _ id: Int64) throws -> CollectionFigures {
        guard let order = try reader.get("order", id) else { throw KernelError.recordNotFound("order", id) }
        let invoiced = try reader.aggregate("invoice", measures: [.sum("amount")],
                                            filter: .all([.eq("order", .integer(id)), .condition(field: "status", op: .in, value: .list(InvoiceStatus.counted))]))
        let planned = try reader.aggregate("payment_plan", measures: [.sum("amount")], filter: .eq("order", .integer(id)))
        return CollectionFigures(totalFen: FinanceMoney.fen(order["total"]), receivedFen: FinanceMoney.fen(order["received"]),
                                 invoicedFen: FinanceMoney.fen(invoiced.first?.values[0] ?? .null),
                                 plannedFen: FinanceMoney.fen(planned.first?.values[0] ?? .null))
    }

    /// The figures over customer `id`'s approved, executing and completed orders.
    public static func customer(_ reader: RecordReader, _ id: Int64, statuses: [String]) throws -> CollectionFigures {
        let filter = Filter.all([.eq("customer", .integer(id)), .condition(field: "status", op: .in, value: .list(statuses))])
        let orders = try reader.aggregate("order", measures: [.sum("total"), .sum("received")], filter: filter)
        let invoiced = try reader.aggregate("invoice", measures: [.sum("amount")],
                                            filter: .all([.eq("customer", .integer(id)), .condition(field: "status", op: .in, value: .list(InvoiceStatus.counted))]))
        let planned = try reader.aggregate("payment_plan", measures: [.sum("amount")],
                                           filter: .all([.eq("customer", .integer(id)), .eq("cancelled", .bool(false))]))
        return CollectionFigures(totalFen: FinanceMoney.fen(orders.first?.values[0] ?? .null), receivedFen: FinanceMoney.fen(orders.first?.values[1] ?? .null),
                                 invoicedFen: FinanceMoney.fen(invoiced.first?.values[0] ?? .null),
                                 plannedFen: FinanceMoney.fen(planned.first?.values[0] ?? .null))
    }
}
