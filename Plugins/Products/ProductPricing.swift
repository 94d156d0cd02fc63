import CRMKernel
import Foundation

/// A priced line: the unit price in fen and how it was found, to keep on the line.
public struct PricedLine: Sendable, Hashable {
    /// The unit price in fen.
    public var unitPriceFen: Int64
    /// How it was found: `目录价 100.00 → VIP 价目表 −8% → 四舍五入到元`.
    public var trace: String

    /// Creates a priced line.
    public init(unitPriceFen: Int64, trace: String) {
        self.unitPriceFen = unitPriceFen
        self.trace = trace
    }
}

/// Pricing: the Lua policy `products.price`, which the stock pack (`Scripts/30_products.lua`)
/// implements from the price books and a company may replace or wrap.
///
/// The policy takes `{product = id, customer = id, quantity = "2", date = "2026-12-01", channel = "经销商"}`
/// (quantity a decimal string, customer and channel optional) and returns
/// `{price = <integer fen>, trace = "..."}`. Money never crosses as a Lua float.
public enum ProductPricing {
    /// The policy's declaration.
    public static let policy = ScriptPolicy("price",
        summary: "crm.products.price{product, customer, quantity = \"2\", date = \"2026-12-01\", channel} → {price = <fen>, trace}")

    /// Prices one unit of `product` for `customer` (optional) at `quantity` on `date`
    /// (`YYYY-MM-DD`), inside `tx` (the policy reads under the transaction's access).
    public static func price(_ tx: WriteContext, product: Int64, customer: Int64?, quantity: Decimal, date: String,
                             channel: String? = nil) throws -> PricedLine {
        let argument = try self.argument(product: product, customer: customer, quantity: quantity, date: date, channel: channel)
        return try parse(try tx.policy("products.price", argument))
    }

    /// The same outside a transaction, reading as `access`.
    public static func price(_ store: RecordStore, as access: AccessGuard, product: Int64, customer: Int64?, quantity: Decimal,
                             date: String, channel: String? = nil) throws -> PricedLine {
        let argument = try self.argument(product: product, customer: customer, quantity: quantity, date: date, channel: channel)
        return try parse(try store.policy("products.price", argument, as: access))
    }

    /// The policy's argument; a quantity not above zero or a malformed date is refused first.
    static func argument(product: Int64, customer: Int64?, quantity: Decimal, date: String, channel: String?) throws -> ScriptValue {
        var errors: [FieldError] = []
        if quantity <= 0 { errors.append(FieldError(field: "quantity", message: "数量必须大于 0")) }
        if !DateCoding.isValidDate(date) { errors.append(FieldError(field: "date", message: "'\(date)' 不是日期（YYYY-MM-DD）")) }
        guard errors.isEmpty else { throw KernelError.invalid("product", errors) }
        var table: [String: ScriptValue] = ["product": .value(.integer(product)), "quantity": .value(.text(quantity.plainString)),
                                            "date": .value(.text(date))]
        if let customer { table["customer"] = .value(.integer(customer)) }
        if let channel { table["channel"] = .value(.text(channel)) }
        return .table(table)
    }

    /// Reads `{price = <integer fen>, trace = "..."}`; anything else is the script's fault.
    static func parse(_ result: ScriptValue) throws -> PricedLine {
        guard let fields = result.fields else {
            throw KernelError(.scriptFailed, "products.price must return a table {price = <integer fen>, trace = \"...\"}")
        }
        guard let fen = fields["price"]?.integer else {
            throw KernelError(.scriptFailed, "products.price returned price = \(fields["price"].map { "\($0)" } ?? "nil"); it must be an integer number of fen")
        }
        guard fen >= 0 else { throw KernelError(.scriptFailed, "products.price returned a negative price (\(fen) fen)") }
        return PricedLine(unitPriceFen: fen, trace: fields["trace"]?.text ?? "")
    }
}
