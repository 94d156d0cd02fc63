import CRMKernel
import Foundation

/// Checks on price books and entries: a book names its audience (a grade, a customer or a
/// channel, as its `applies_to` says) and a valid date range; an entry gives a price or a
/// discount, for a product that exists, from a quantity of zero or more.
enum PriceBookRules {
    static var hooks: HookSet {
        var set = HookSet()
        set.onBeforeSave("price_book") { ctx in
            guard ctx.operation != .delete else { return }
            if let scope = ctx.values["applies_to"]?.textValue.flatMap(PriceBookScope.init(rawValue:)), let field = scope.field,
               ctx.values[field]?.isEmpty ?? true {
                ctx.reject(field, "适用范围为\(scope.rawValue)时必须填写\(field == "grade" ? "客户等级" : field == "customer" ? "客户" : "渠道")")
            }
            if let from = ctx.values["valid_from"]?.textValue, let to = ctx.values["valid_to"]?.textValue, to < from {
                ctx.reject("valid_to", "失效日期早于生效日期")
            }
        }
        set.onBeforeSave("price_book_entry") { ctx in
            guard ctx.operation != .delete else { return }
            let price = ctx.values["price"] ?? .null, discount = ctx.values["discount"] ?? .null
            if price.isEmpty && discount.isEmpty { ctx.reject("price", "请填写单价或折扣") }
            if !price.isEmpty && !discount.isEmpty { ctx.reject("discount", "单价和折扣只能填一个") }
            if let product = ctx.values["product"]?.integerValue, try !ctx.tx.reader.system.exists("product", product) {
                ctx.reject("product", "产品 #\(product) 不存在")
            }
        }
        return set
    }
}

/// The facts a pricing policy works from, in integers only: fen for money, basis points
/// (1/100 %) for discounts, thousandths for quantities. `crm.products.price_facts{...}`.
public struct PriceFacts: Sendable {
    /// 目录价 in fen.
    public var listPriceFen: Int64
    /// The quantity in thousandths.
    public var quantityMilli: Int64
    /// Books that apply, best first (priority, then customer > grade > channel > 默认).
    public var books: [ScriptValue]

    /// The facts as a Lua table.
    public var scriptValue: ScriptValue {
        .table(["list_price": .value(.integer(listPriceFen)), "quantity_milli": .value(.integer(quantityMilli)), "books": .list(books)])
    }

    /// Collects the facts for `product` sold to `customer` (optional) through `channel` (optional)
    /// on `date` (`YYYY-MM-DD`) for `quantity`.
    public static func collect(_ reader: RecordReader, product: Int64, customer: Int64?, channel: String?,
                               quantity: Decimal, date: String) throws -> PriceFacts {
        var errors: [FieldError] = []
        if quantity <= 0 { errors.append(FieldError(field: "quantity", message: "数量必须大于 0")) }
        if !DateCoding.isValidDate(date) { errors.append(FieldError(field: "date", message: "'\(date)' 不是日期（YYYY-MM-DD）")) }
        let productRecord = try reader.get("product", product)
        if productRecord == nil { errors.append(FieldError(field: "product", message: "产品 #\(product) 不存在")) }
        var grade: String?
        if let customer {
            if let record = try reader.get("customer", customer) { grade = record["grade"].textValue } else {
                errors.append(FieldError(field: "customer", message: "客户 #\(customer) 不存在"))
            }
        }
        guard errors.isEmpty, let productRecord else { throw KernelError.invalid("product", errors) }
        let system = reader.system
        let candidates = try system.find(Query("price_book", filter: .eq("active", .bool(true)), limit: 10_000)).records.filter { book in
            if let from = book["valid_from"].textValue, date < from { return false }
            if let to = book["valid_to"].textValue, date > to { return false }
            switch book["applies_to"].textValue.flatMap(PriceBookScope.init(rawValue:)) {
            case .everyone?: return true
            case .grade?: return grade != nil && book["grade"].textValue == grade
            case .customer?: return customer != nil && book["customer"].integerValue == customer
            case .channel?: return channel != nil && book["channel"].textValue == channel
            case nil: return false
            }
        }
        // A variant without entries of its own is priced by its parent's entries.
        let productIDs = [product] + (productRecord["parent"].integerValue.map { [$0] } ?? [])
        var entriesByBook: [Int64: [Record]] = [:]
        if !candidates.isEmpty {
            let entries = try system.find(Query("price_book_entry", filter: .all([
                .condition(field: "book", op: .in, value: .list(candidates.map { String($0.id) })),
                .condition(field: "product", op: .in, value: .list(productIDs.map(String.init))),
            ]), limit: 10_000)).records
            for entry in entries { entriesByBook[entry["book"].integerValue ?? 0, default: []].append(entry) }
            for (book, list) in entriesByBook where list.contains(where: { $0["product"].integerValue == product }) {
                entriesByBook[book] = list.filter { $0["product"].integerValue == product }
            }
        }
        let ordered = candidates.sorted { a, b in
            let pa = a["priority"].integerValue ?? 0, pb = b["priority"].integerValue ?? 0
            if pa != pb { return pa > pb }
            let sa = specificity(a), sb = specificity(b)
            return sa != sb ? sa > sb : a.id < b.id
        }
        let books: [ScriptValue] = ordered.compactMap { book in
            let entries = entriesByBook[book.id] ?? []
            guard !entries.isEmpty || !book["discount"].isEmpty else { return nil }
            var table: [String: ScriptValue] = [
                "id": .value(.integer(book.id)), "name": book["name"].script, "applies_to": book["applies_to"].script,
                "priority": .value(.integer(book["priority"].integerValue ?? 0)),
                "rounding": .value(.integer(PriceRounding(rawValue: book["rounding"].textValue ?? "")?.fenStep ?? 1)),
                "rounding_label": book["rounding"].script,
                "entries": .list(entries.map(entryFacts)),
            ]
            if let discount = book["discount"].decimalValue { table["discount_bp"] = .value(.integer(basisPoints(discount))) }
            return .table(table)
        }
        return PriceFacts(listPriceFen: productRecord["list_price"].decimalValue.map(Money.fen) ?? 0,
                          quantityMilli: milli(quantity), books: books)
    }

    static func specificity(_ book: Record) -> Int {
        book["applies_to"].textValue.flatMap(PriceBookScope.init(rawValue:))?.specificity ?? 0
    }

    static func entryFacts(_ entry: Record) -> ScriptValue {
        var table: [String: ScriptValue] = ["min_quantity_milli": .value(.integer(milli(entry["min_quantity"].decimalValue ?? 0)))]
        if let price = entry["price"].decimalValue { table["price"] = .value(.integer(Money.fen(price))) }
        if let discount = entry["discount"].decimalValue { table["discount_bp"] = .value(.integer(basisPoints(discount))) }
        return .table(table)
    }

    /// `quantity` in thousandths.
    static func milli(_ quantity: Decimal) -> Int64 { NSDecimalNumber(decimal: (quantity * 1000).rounded(scale: 0)).int64Value }

    /// A percentage in basis points (8.5 → 850).
    static func basisPoints(_ percent: Decimal) -> Int64 { NSDecimalNumber(decimal: (percent * 100).rounded(scale: 0)).int64Value }
}

extension Value {
    /// This value for a script.
    var script: ScriptValue { .value(self) }
}
