import CRMKernel
import Foundation

/// How a company rounds document amounts to the fen (`crm.orders.rounding("line" | "total")`).
///
/// - `line` (default): each line amount is rounded to the fen (half away from zero, 四舍五入);
///   the subtotal is the sum of the rounded lines; each line's tax is rounded on the line.
/// - `total`: line amounts stay exact; the subtotal, the total and the tax are rounded once, on
///   the document.
///
/// In both, the order discount is applied to the subtotal and the total rounded once; the total,
/// tax, cost and margin are then spread back over the lines (largest remainder), so the lines of
/// every report add up to the document to the fen.
public enum RoundingRule: String, Sendable, Hashable, CaseIterable {
    /// Round every line.
    case line
    /// Round the document total only.
    case total
}

/// What one line needs to be computed. Prices in fen (tax included), percentages as decimals.
public struct LineInput: Sendable, Hashable {
    /// Quantity (may be fractional when the product allows it).
    public var quantity: Decimal
    /// Catalog unit price in fen, when known (for the effective discount).
    public var listPriceFen: Int64?
    /// Unit sales price in fen before the line discount.
    public var salesPriceFen: Int64
    /// Line discount in percent (0…100).
    public var discountPercent: Decimal
    /// Tax rate in percent; prices include tax.
    public var taxRatePercent: Decimal
    /// Unit cost in fen frozen on the line (tax excluded).
    public var unitCostFen: Int64

    /// Creates a line input.
    public init(quantity: Decimal, listPriceFen: Int64? = nil, salesPriceFen: Int64, discountPercent: Decimal = 0,
                taxRatePercent: Decimal = 0, unitCostFen: Int64 = 0) {
        self.quantity = quantity
        self.listPriceFen = listPriceFen
        self.salesPriceFen = salesPriceFen
        self.discountPercent = discountPercent
        self.taxRatePercent = taxRatePercent
        self.unitCostFen = unitCostFen
    }
}

/// The computed figures of one line, all in fen.
public struct LineFigures: Sendable, Hashable {
    /// Line amount before the order discount (rounded for display in both rules).
    public var amountFen: Int64
    /// Share of the document total after the order discount.
    public var netFen: Int64
    /// Share of the document tax.
    public var taxFen: Int64
    /// Quantity × unit cost, rounded.
    public var costFen: Int64
    /// net − tax − cost.
    public var marginFen: Int64
    /// Quantity × list price, rounded (the sales price when there is no list price).
    public var listAmountFen: Int64
}

/// The computed figures of a quote or order, all in fen except the percentages.
public struct DocumentFigures: Sendable, Hashable {
    /// Each line, in input order.
    public var lines: [LineFigures]
    /// Σ list amounts.
    public var listTotalFen: Int64
    /// Σ line amounts before the order discount.
    public var subtotalFen: Int64
    /// subtotal − total.
    public var discountFen: Int64
    /// What the customer pays, tax included.
    public var totalFen: Int64
    /// Tax included in the total.
    public var taxFen: Int64
    /// Σ line costs.
    public var costFen: Int64
    /// total − tax − cost.
    public var marginFen: Int64
    /// (list total − total) / list total × 100, two decimals (0 without a list total).
    public var discountPercent: Decimal
    /// margin / (total − tax) × 100, two decimals; nil when nothing is sold.
    public var marginPercent: Decimal?
}

/// The one function that prices quotes and orders. Swift hooks, the Lua functions
/// (`crm.orders.compute`, `crm.orders.totals`) and every report read what it computed.
public enum OrderMath {
    /// Computes a document from its lines, order discount and rounding rule.
    public static func compute(_ lines: [LineInput], orderDiscountPercent: Decimal = 0, rule: RoundingRule) -> DocumentFigures {
        let exact = lines.map { l in Decimal(l.salesPriceFen) * l.quantity * (100 - l.discountPercent) / 100 }
        let rounded = exact.map(round)
        let subtotal = rule == .line ? rounded.reduce(0, +) : round(exact.reduce(0, +))
        let weights = rule == .line ? rounded.map { Decimal($0) } : exact
        let total = round(Decimal(subtotal) * (100 - orderDiscountPercent) / 100)
        let nets = allocate(total, weights: weights)
        let taxes: [Int64]
        switch rule {
        case .line:
            taxes = zip(nets, lines).map { net, l in round(Decimal(net) * l.taxRatePercent / (100 + l.taxRatePercent)) }
        case .total:
            let exactTaxes = zip(exact, lines).map { e, l in e * (100 - orderDiscountPercent) / 100 * l.taxRatePercent / (100 + l.taxRatePercent) }
            taxes = allocate(round(exactTaxes.reduce(0, +)), weights: exactTaxes)
        }
        var figures: [LineFigures] = []
        for (i, l) in lines.enumerated() {
            let cost = round(Decimal(l.unitCostFen) * l.quantity)
            let list = round(Decimal(l.listPriceFen ?? l.salesPriceFen) * l.quantity)
            figures.append(LineFigures(amountFen: rounded[i], netFen: nets[i], taxFen: taxes[i], costFen: cost,
                                       marginFen: nets[i] - taxes[i] - cost, listAmountFen: list))
        }
        let listTotal = figures.reduce(0) { $0 + $1.listAmountFen }
        let tax = taxes.reduce(0, +), cost = figures.reduce(0) { $0 + $1.costFen }
        let margin = total - tax - cost
        let discount = listTotal > 0 ? percent(Decimal(listTotal - total), of: Decimal(listTotal)) : 0
        let marginPercent = total - tax != 0 ? percent(Decimal(margin), of: Decimal(total - tax)) : nil
        return DocumentFigures(lines: figures, listTotalFen: listTotal, subtotalFen: subtotal, discountFen: subtotal - total,
                               totalFen: total, taxFen: tax, costFen: cost, marginFen: margin,
                               discountPercent: discount, marginPercent: marginPercent)
    }

    /// `part / whole × 100` rounded to two decimals.
    static func percent(_ part: Decimal, of whole: Decimal) -> Decimal {
        var value = part * 100 / whole, out = Decimal()
        NSDecimalRound(&out, &value, 2, .plain)
        return out
    }

    /// Rounds to a whole fen, half away from zero.
    public static func round(_ value: Decimal) -> Int64 {
        var v = value, out = Decimal()
        NSDecimalRound(&out, &v, 0, .plain)
        return NSDecimalNumber(decimal: out).int64Value
    }

    /// Splits `total` over `weights` in proportion, the remainders going to the largest
    /// fractional parts (ties to the earlier line); the parts add up to `total` exactly.
    public static func allocate(_ total: Int64, weights: [Decimal]) -> [Int64] {
        guard !weights.isEmpty else { return [] }
        let sum = weights.reduce(0, +)
        guard sum != 0 else {
            var parts = Array(repeating: Int64(0), count: weights.count)
            parts[0] = total
            return parts
        }
        var parts: [Int64] = [], fractions: [(Decimal, Int)] = []
        for (i, w) in weights.enumerated() {
            let share = Decimal(total) * w / sum
            var floor = Decimal(), s = share
            NSDecimalRound(&floor, &s, 0, total >= 0 ? .down : .up)
            parts.append(NSDecimalNumber(decimal: floor).int64Value)
            fractions.append((abs(share - floor), i))
        }
        var left = total - parts.reduce(0, +)
        let step: Int64 = left >= 0 ? 1 : -1
        for (_, i) in fractions.sorted(by: { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }) where left != 0 {
            parts[i] += step
            left -= step
        }
        return parts
    }

    /// Yuan (a money field's decimal) to fen.
    public static func fen(_ yuan: Decimal) -> Int64 { round(yuan * 100) }

    /// Fen to yuan, the decimal a money field takes.
    public static func yuan(_ fen: Int64) -> Decimal { Decimal(fen) / 100 }
}
