import CRMKernel
import Foundation

/// Sales by product over a period (quantity, amount, margin), grouped by product, category (the
/// product's category when the line was written) or rep, read from the lines of the orders that count in sales (`counted`, kept by
/// `OrderTotals`). The amount is the line's share of its order's total (`net_amount`), so the
/// rows add up to the orders report. Margin is left out for a reader who may not see it.
public enum SalesByProduct {
    /// How lines are grouped.
    public enum Grouping: String, Sendable, CaseIterable {
        case product, category, rep
    }

    /// One group.
    public struct Row: Sendable, Hashable {
        /// Product id, category id or user id (null: free-text lines, or products without a category).
        public var key: Value
        /// Σ quantity.
        public var quantity: Decimal
        /// Σ net amount, fen.
        public var amountFen: Int64
        /// Σ margin, fen; nil when hidden from the reader.
        public var marginFen: Int64?
        /// Number of lines.
        public var lines: Int64
    }

    /// The report for lines dated within `from...to` (inclusive `YYYY-MM-DD`).
    public static func run(_ reader: RecordReader, by grouping: Grouping, from: String, to: String) throws -> [Row] {
        for (name, day) in [("from", from), ("to", to)] where !DateCoding.isValidDate(day) {
            throw KernelError.invalid("order_line", field: name, "expects a date YYYY-MM-DD")
        }
        let filter = Filter.all([.eq("counted", .bool(true)), .condition(field: "date", op: .ge, value: .text(from)),
                                 .condition(field: "date", op: .le, value: .text(to))])
        let showMargin = reader.mayRead("order_line", "margin")
        var measures: [Measure] = [.count, .sum("quantity"), .sum("net_amount")]
        if showMargin { measures.append(.sum("margin")) }
        let field = grouping == .rep ? "rep" : grouping == .category ? "category" : "product"
        let rows = try reader.aggregate("order_line", groupBy: [GroupKey(field)], measures: measures, filter: filter).map { r in
            Row(key: r.group[field] ?? .null, quantity: r.values[1].decimalOrZero, amountFen: r.values[2].fen,
                marginFen: showMargin ? r.values[3].fen : nil, lines: r.values[0].integerValue ?? 0)
        }
        return rows.sorted { $0.amountFen > $1.amountFen }
    }
}
