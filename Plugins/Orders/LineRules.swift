import CRMKernel
import CRMProducts
import Foundation

/// Checks and fills every `order_line` write, whoever writes it: the document must exist and
/// not be locked; quantity positive (whole unless the product allows decimals); discount
/// 0…100 %; a product on sale (上架); its list price, tax rate and unit, and its cost frozen
/// when the line is written; the sales price from the `products.price` policy when none is
/// given (its trace kept on the line); the line amount by the company's rounding rule.
enum LineRules {
    /// Fields whose change moves the document's totals.
    static let pricedFields = ["quantity", "list_price", "sales_price", "discount", "tax_rate", "unit_cost", "product", "order", "quote"]

    /// Fields a writer edits; the others are derived (and may be refreshed on a locked document).
    static let editableFields = pricedFields + ["description", "unit", "position", "price_trace"]

    static func check(_ ctx: inout SaveContext) throws {
        if ctx.operation == .update, !editableFields.contains(where: ctx.changed) { return }
        let settings = OrderSettings.current(ctx.tx.schema)
        let source = ctx.operation == .delete ? (ctx.old?.values ?? [:]) : ctx.values
        guard let doc = OrderDocuments.ref(of: source) else {
            ctx.reject("order", "一行只能属于一张订单或一张报价单 (a line belongs to exactly one order or quote)")
            return
        }
        let reader = ctx.tx.asSystem { ctx.tx.reader }
        guard let document = try reader.get(doc.entity, doc.id) else {
            ctx.reject(doc.entity, "\(doc.entity) \(doc.id) does not exist")
            return
        }
        if let reason = OrderDocuments.lockReason(document, settings) {
            ctx.reject(doc.entity, reason)
            return
        }
        if ctx.operation == .update, let old = ctx.old, OrderDocuments.ref(of: old.values) != doc {
            ctx.reject(doc.entity, "a line cannot move to another document")
            return
        }
        guard ctx.operation != .delete else { return }
        try fill(&ctx, reader, document)
    }

    /// Validates the line's inputs and fills what the module derives.
    private static func fill(_ ctx: inout SaveContext, _ reader: RecordReader, _ document: Record) throws {
        let quantity = (ctx.values["quantity"] ?? .null).decimalOrZero
        if quantity <= 0 { ctx.reject("quantity", "数量必须大于 0 (quantity must be positive)") }
        let discount = (ctx.values["discount"] ?? .null).decimalOrZero
        if discount < 0 || discount > 100 { ctx.reject("discount", "折扣必须在 0 到 100% 之间 (discount must be between 0 and 100 %)") }
        let productChanged = ctx.operation == .create || ctx.changed("product")
        if let productID = ctx.values["product"]?.integerValue {
            guard let product = try reader.get("product", productID) else {
                ctx.reject("product", "product \(productID) does not exist")
                return
            }
            if productChanged, product["status"].textValue == ProductFacts.offSale {
                ctx.reject("product", "产品「\(product["name"])」已下架，不能加入新的行 (product is off sale)")
            }
            if !ProductFacts.allowsDecimals(product), quantity != quantity.rounded(0) {
                ctx.reject("quantity", "产品「\(product["name"])」的数量必须是整数 (this product is sold in whole units)")
            }
            if productChanged {
                for (field, value) in [("list_price", product["list_price"]), ("tax_rate", Value.decimal(product["tax_rate"].decimalOrZero)),
                                       ("unit", product["unit"])]
                where (ctx.values[field] ?? .null).isEmpty || ctx.changed("product") {
                    ctx.values[field] = value
                }
                ctx.values["category"] = product["category"]
                if (ctx.values["description"] ?? .null).isEmpty || ctx.changed("product") { ctx.values["description"] = product["name"] }
            }
            // The cost is frozen whenever the line is written (so margin never moves with the catalog).
            if productChanged || ctx.changed("quantity") { ctx.values["unit_cost"] = product["cost_price"].isEmpty ? .money(0) : product["cost_price"] }
        } else if (ctx.values["description"] ?? .null).isEmpty {
            ctx.reject("description", "没有产品的行需要填写说明 (a line without a product needs a description)")
        }
        guard ctx.rejections.isEmpty else { return }
        if (ctx.values["sales_price"] ?? .null).isEmpty {
            try LinePricing.price(&ctx, reader, document, quantity: quantity)
        }
        if (ctx.values["sales_price"] ?? .null).isEmpty {
            ctx.reject("sales_price", "没有产品的行需要填写销售单价 (a line without a product needs a sales price)")
            return
        }
        if (ctx.values["discount"] ?? .null).isEmpty { ctx.values["discount"] = .decimal(0) }
        if (ctx.values["tax_rate"] ?? .null).isEmpty { ctx.values["tax_rate"] = .decimal(0) }
        if (ctx.values["unit_cost"] ?? .null).isEmpty { ctx.values["unit_cost"] = .money(0) }
        let alone = OrderMath.compute([input(ctx.values)], rule: OrderSettings.current(ctx.tx.schema).rounding)
        ctx.values["amount"] = .money(alone.lines[0].amountFen)
        ctx.values["cost"] = .money(alone.lines[0].costFen)
        if ctx.operation == .create, (ctx.values["position"] ?? .null).isEmpty, let doc = OrderDocuments.ref(of: ctx.values) {
            ctx.values["position"] = .integer(Int64(try reader.count("order_line", filter: .eq(doc.entity, .integer(doc.id))) + 1))
        }
    }

    /// The computation input of a line's values.
    static func input(_ values: [String: Value]) -> LineInput {
        let list = values["list_price"] ?? .null
        return LineInput(quantity: (values["quantity"] ?? .null).decimalOrZero, listPriceFen: list.isEmpty ? nil : list.fen,
                         salesPriceFen: (values["sales_price"] ?? .null).fen, discountPercent: (values["discount"] ?? .null).decimalOrZero,
                         taxRatePercent: (values["tax_rate"] ?? .null).decimalOrZero, unitCostFen: (values["unit_cost"] ?? .null).fen)
    }
}

/// What the module reads from a `product` record (the products module's fields).
enum ProductFacts {
    /// The status of a product that cannot be put on a new line.
    static let offSale = ProductStatus.withdrawn

    /// Whether the product may be sold in fractions.
    static func allowsDecimals(_ product: Record) -> Bool { product["decimal_quantity"] == .bool(true) }

    /// Whether the product is kept in stock (moves in the ledger).
    static func isStocked(_ product: Record) -> Bool { product["kind"].textValue == ProductKind.stocked }
}

extension Decimal {
    /// Rounded to `scale` decimals, half away from zero.
    func rounded(_ scale: Int) -> Decimal {
        var v = self, out = Decimal()
        NSDecimalRound(&out, &v, scale, .plain)
        return out
    }
}
