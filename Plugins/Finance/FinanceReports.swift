import CRMKernel

/// The finance reports, in integer fen, each with totals equal to the sums of its rows:
/// 回款 by month, rep or team against the 回款 targets (`sales_target` with kind 回款);
/// income and expense by month and category (from the fund movements, so they match the
/// ledger to the fen); expenses per customer (cost of sale).
public enum FinanceReports {
    /// The `kind` this module adds to `sales_target`: 签约 (sales, the default) or 回款 (collection).
    static var targetKindField: FieldDefinition {
        FieldDefinition("kind", .choice, label: LocalizedText("目标类型", en: "Target kind"), defaultValue: .text("签约"),
                        options: [ChoiceOption("签约"), ChoiceOption("回款")])
    }

    /// One row of the 回款-vs-target report.
    public struct CollectionRow: Sendable, Hashable {
        /// The month (`2026-11`), or the user or team id.
        public var key: Value
        /// A name for the key.
        public var label: String
        /// Target, fen.
        public var targetFen: Int64
        /// Approved receipts net of refunds (reversed receipts excluded), fen.
        public var receivedFen: Int64
        /// received / target, `"85.20"`.
        public var rate: String { FinanceMoney.percent(receivedFen, of: targetFen) }
    }

    /// 回款 from month `from` to month `to` (`YYYY-MM`) `by` month, rep or team, with targets.
    public static func collection(_ reader: RecordReader, from: String, to: String, by: String = "month") throws -> [CollectionRow] {
        guard FinanceDates.parse(from + "-01") != nil else { throw KernelError.invalid("payment", field: "from", "月份格式应为 YYYY-MM (expects a month YYYY-MM)") }
        guard FinanceDates.parse(to + "-01") != nil, to >= from else { throw KernelError.invalid("payment", field: "to", "月份格式应为 YYYY-MM，且不早于 from (expects a month YYYY-MM not before from)") }
        let group: GroupKey, targetGroup: String
        switch by {
        case "month": group = GroupKey("received_on", bucket: .month); targetGroup = "period"
        case "rep": group = GroupKey("owner"); targetGroup = "user"
        case "team": group = GroupKey("team"); targetGroup = "team"
        default: throw KernelError.invalid("payment", field: "by", "分组应为 month、rep 或 team (group by month, rep or team)")
        }
        let filter = Filter.all([.eq("status", .text(PaymentStatus.approved)),
                                 .condition(field: "received_on", op: .ge, value: .text(from + "-01")),
                                 .condition(field: "received_on", op: .le, value: .text(to + "-31"))])
        var received: [Value: Int64] = [:], targets: [Value: Int64] = [:]
        for row in try reader.aggregate("payment", groupBy: [group], measures: [.sum("amount")], filter: filter) {
            received[monthKey(row.group[group.field] ?? .null), default: 0] += FinanceMoney.fen(row.values[0])
        }
        let targetFilter = Filter.all([.eq("kind", .text("回款")), .condition(field: "period", op: .ge, value: .text(from)),
                                       .condition(field: "period", op: .le, value: .text(to))])
        let months = by == "month"
        for row in try reader.aggregate("sales_target", groupBy: [GroupKey(targetGroup), GroupKey("user")], measures: [.sum("amount")], filter: targetFilter) {
            // Per month: the people's targets (team targets would count twice); per rep: theirs; per team: the team's.
            if months || by == "rep", (row.group["user"] ?? .null).isEmpty { continue }
            if by == "team", !(row.group["user"] ?? .null).isEmpty { continue }
            let key = row.group[targetGroup] ?? .null
            if months, key.textValue?.count != 7 { continue }  // quarterly targets are not spread over months
            targets[key, default: 0] += FinanceMoney.fen(row.values[0])
        }
        let keys = Set(received.keys).union(targets.keys)
        let labels = months ? [:] : try GroupLabels.labels(reader, field: by == "rep" ? "owner" : "team", keys: Array(keys))
        return keys.map { key in
            CollectionRow(key: key, label: months ? (key.textValue ?? "") : (labels[key] ?? "—"), targetFen: targets[key] ?? 0, receivedFen: received[key] ?? 0)
        }.sorted { months ? $0.label < $1.label : ($0.receivedFen, $1.label) > ($1.receivedFen, $0.label) }
    }

    /// `2026-11-05`/`2026-11` → `2026-11`.
    private static func monthKey(_ value: Value) -> Value {
        guard let text = value.textValue, text.count >= 7 else { return value }
        return .text(String(text.prefix(7)))
    }

    /// One month × category of income and expense.
    public struct CategoryRow: Sendable, Hashable {
        /// `2026-11`.
        public var month: String
        /// 回款, 退款, 交通, 借款 …
        public var category: String
        /// Money in, fen.
        public var inFen: Int64
        /// Money out (positive), fen.
        public var outFen: Int64
    }

    /// Income and expense by month and category over `from`…`to` (days, inclusive).
    public static func incomeExpense(_ reader: RecordReader, from: String, to: String) throws -> [CategoryRow] {
        _ = try FinanceDates.require(from, field: "from", entity: "fund_movement")
        _ = try FinanceDates.require(to, field: "to", entity: "fund_movement")
        var rows: [String: CategoryRow] = [:]
        for (op, isIn) in [(FilterOperator.gt, true), (.lt, false)] {
            let filter = Filter.all([.condition(field: "date", op: .ge, value: .text(from)), .condition(field: "date", op: .le, value: .text(to)),
                                     .condition(field: "amount", op: op, value: .integer(0))])
            for row in try reader.aggregate("fund_movement", groupBy: [GroupKey("date", bucket: .month), GroupKey("category")],
                                            measures: [.sum("amount")], filter: filter) {
                let month = monthKey(row.group["date"] ?? .null).textValue ?? "", category = row.group["category"]?.textValue ?? "其他"
                var r = rows["\(month)|\(category)"] ?? CategoryRow(month: month, category: category, inFen: 0, outFen: 0)
                if isIn { r.inFen += FinanceMoney.fen(row.values[0]) } else { r.outFen -= FinanceMoney.fen(row.values[0]) }
                rows["\(month)|\(category)"] = r
            }
        }
        return rows.values.sorted { ($0.month, $0.category) < ($1.month, $1.category) }
    }

    /// Paid expense lines per customer over `from`…`to`: `(customer, name, fen)`, biggest first.
    public static func expensesByCustomer(_ reader: RecordReader, from: String, to: String) throws -> [(key: Value, label: String, fen: Int64)] {
        let filter = Filter.all([.condition(field: "paid_on", op: .ge, value: .text(from)), .condition(field: "paid_on", op: .le, value: .text(to)),
                                 .condition(field: "customer", op: .isNotEmpty, value: .null)])
        let rows = try reader.aggregate("expense_line", groupBy: [GroupKey("customer")], measures: [.sum("amount")], filter: filter)
        let labels = try GroupLabels.labels(reader, field: "customer", keys: rows.map { $0.group["customer"] ?? .null })
        return rows.map { row in
            let key = row.group["customer"] ?? .null
            return (key, labels[key] ?? "—", FinanceMoney.fen(row.values[0]))
        }.sorted { $0.fen > $1.fen }
    }
}
