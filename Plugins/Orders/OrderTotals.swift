import CRMKernel
import Foundation

/// Recomputes a quote's or order's totals with `OrderMath.compute` and spreads them back over
/// its lines (`net_amount`, `tax`, `margin`), plus the lines' `date` and `counted` (whether the
/// order counts in sales) that the reports read. Writes only what changed, as the system.
enum OrderTotals {
    /// Recomputes `doc` and returns the figures.
    @discardableResult
    static func recompute(_ tx: WriteContext, _ doc: OrderDocuments.Ref) throws -> DocumentFigures? {
        try tx.asSystem {
            guard let document = try tx.reader.get(doc.entity, doc.id) else { return nil }
            let settings = OrderSettings.current(tx.schema)
            let lines = try OrderDocuments.lines(tx.reader, doc)
            let figures = OrderMath.compute(lines.map { LineInput(values: $0.values) },
                                            orderDiscountPercent: document["order_discount"].decimalOrZero, rule: settings.rounding)
            let counted = Value.bool(doc.entity == "order" && countsInSales(document, settings))
            let date = document["signed_date"].isEmpty ? (document["approved_at"].isEmpty ? Value.null : try day(tx, document["approved_at"])) : document["signed_date"]
            for (line, f) in zip(lines, figures.lines) {
                var changes: [String: Value] = [:]
                for (field, value) in [("net_amount", Value.money(f.netFen)), ("tax", .money(f.taxFen)), ("margin", .money(f.marginFen)),
                                       ("amount", .money(f.amountFen)), ("cost", .money(f.costFen)), ("counted", counted), ("date", date),
                                       ("rep", document["owner"]), ("owner", document["owner"]), ("batch", .null)]
                where line[field] != value {
                    changes[field] = value
                }
                if !changes.isEmpty { _ = try tx.update("order_line", line.id, changes) }
            }
            var header: [String: Value] = [
                "list_total": .money(figures.listTotalFen), "subtotal": .money(figures.subtotalFen), "discount_amount": .money(figures.discountFen),
                "total": .money(figures.totalFen), "tax": .money(figures.taxFen), "cost": .money(figures.costFen), "margin": .money(figures.marginFen),
                "discount_percent": .decimal(figures.discountPercent), "margin_percent": figures.marginPercent.map(Value.decimal) ?? .null,
                "line_count": .integer(Int64(lines.count)),
            ]
            if doc.entity == "order" { header["outstanding"] = .money(figures.totalFen - document["received"].fen) }
            header = header.filter { document[$0.key] != $0.value }
            if !header.isEmpty { _ = try tx.update(doc.entity, doc.id, header) }
            return figures
        }
    }

    /// Whether an order in this status counts in sales reports (approved, executing, completed).
    static func countsInSales(_ order: Record, _ settings: OrderSettings) -> Bool {
        let status = order["status"].textValue ?? ""
        return ["approved", "executing", "completed"].map(settings.status).contains(status)
    }

    /// The workspace-calendar day of a datetime value.
    static func day(_ tx: WriteContext, _ value: Value) throws -> Value {
        guard case .datetime(let at) = value else { return .null }
        let calendar = try tx.reader.workspaceCalendar()
        let c = calendar.dateComponents([.year, .month, .day], from: at)
        return .text(String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0))
    }
}

extension LineInput {
    /// The computation input of a stored line.
    init(values: [String: Value]) { self = LineRules.input(values) }
}
