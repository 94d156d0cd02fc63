import CRMKernel
import Foundation

/// Quote versions and conversions: a new version copies the lines and leaves the old one
/// read-only; a quote becomes an order keeping its lines; a won opportunity becomes an order in
/// one step (from its current quote, or from its amount as one line).
enum QuoteActions {
    /// Header fields a new version or an order takes from a quote.
    static let copiedHeader = ["customer", "contact", "opportunity", "title", "order_discount", "owner"]
    /// Line fields copied to a new document (the rest is derived again when written).
    static let copiedLine = ["position", "product", "description", "unit", "quantity", "list_price", "sales_price", "discount", "tax_rate", "price_trace"]

    /// Creates version n+1 of quote `id` with the same lines; the old version becomes read-only.
    static func newVersion(_ tx: WriteContext, _ id: Int64, fields: [String: Value] = [:]) throws -> Record {
        let quote = try current(tx, id)
        var header = quote.values.filter { copiedHeader.contains($0.key) }
        for key in ["number", "valid_until", "notes"] { header[key] = quote[key] }
        header["doc_version"] = .integer((quote["doc_version"].integerValue ?? 1) + 1)
        header["previous"] = .integer(id)
        let created = try createDocument(tx, "quote", header.merging(fields) { $1 })
        try copyLines(tx, from: OrderDocuments.Ref(entity: "quote", id: id), to: OrderDocuments.Ref(entity: "quote", id: created.id))
        _ = try tx.asSystem { try tx.update("quote", id, ["superseded": .bool(true)]) }
        return try tx.reader.get("quote", created.id) ?? created
    }

    /// Turns quote `id` into an order with its lines; the quote links to the order.
    static func toOrder(_ tx: WriteContext, _ id: Int64, fields: [String: Value] = [:]) throws -> Record {
        let quote = try current(tx, id)
        var header = quote.values.filter { copiedHeader.contains($0.key) }
        header["quote"] = .integer(id)
        if let opportunity = quote["opportunity"].integerValue, let o = try tx.asSystem({ try tx.reader.get("opportunity", opportunity) }) {
            header["opportunity_amount"] = o["amount"]
        }
        let order = try createDocument(tx, "order", header.merging(fields) { $1 })
        try copyLines(tx, from: OrderDocuments.Ref(entity: "quote", id: id), to: OrderDocuments.Ref(entity: "order", id: order.id))
        _ = try tx.asSystem { try tx.update("quote", id, ["order": .integer(order.id)]) }
        try OpportunityLink.link(tx, order: order.id, opportunity: header["opportunity"]?.integerValue)
        return try tx.reader.get("order", order.id) ?? order
    }

    /// Creates a document the module derives from another the caller can see: the caller must
    /// be allowed to create it; the fields the module sets itself (number, version, links,
    /// owner) are written by the module.
    static func createDocument(_ tx: WriteContext, _ entity: String, _ values: [String: Value]) throws -> Record {
        try tx.access.require(.create, on: entity)
        return try tx.asSystem { try tx.create(entity, values) }
    }

    /// The quote, refused when it is an old version or already converted.
    static func current(_ tx: WriteContext, _ id: Int64) throws -> Record {
        guard let quote = try tx.reader.get("quote", id) else { throw KernelError.recordNotFound("quote", id) }
        if let reason = OrderDocuments.lockReason(quote, OrderSettings.current(tx.schema)) {
            throw KernelError(.invalidState, reason, entity: "quote", fieldErrors: [FieldError(field: "quote", message: reason)])
        }
        return quote
    }

    /// Copies the lines of `source` to `target` (each written anew: checked, cost frozen now).
    static func copyLines(_ tx: WriteContext, from source: OrderDocuments.Ref, to target: OrderDocuments.Ref) throws {
        let lines = try tx.asSystem { try OrderDocuments.lines(tx.reader, source) }
        try tx.asSystem {
            for line in lines {
                var values = line.values.filter { copiedLine.contains($0.key) && !$0.value.isEmpty }
                values[target.entity] = .integer(target.id)
                _ = try tx.create("order_line", values)
            }
        }
    }
}

/// An opportunity and its order point at each other.
enum OpportunityLink {
    /// Makes a won opportunity an order in one step: from its current quote when it has one,
    /// else one line for its amount. Refused when it is not won or already has an order.
    static func toOrder(_ tx: WriteContext, opportunity id: Int64, fields: [String: Value] = [:]) throws -> Record {
        guard let opp = try tx.reader.get("opportunity", id) else { throw KernelError.recordNotFound("opportunity", id) }
        guard !opp["won_date"].isEmpty else {
            throw KernelError.invalid("opportunity", field: "stage", "商机「\(opp["name"])」尚未赢单，不能转为订单 (only a won opportunity becomes an order)")
        }
        if let existing = opp["order"].integerValue {
            throw KernelError(.conflict, "商机「\(opp["name"])」已转为订单 \(existing) (the opportunity already has an order)", entity: "opportunity",
                              fieldErrors: [FieldError(field: "order", message: "already converted to order \(existing)")])
        }
        let quotes = try tx.reader.find(Query("quote", filter: .all([.eq("opportunity", .integer(id)), .condition(field: "superseded", op: .ne, value: .bool(true))]),
                                              sort: [SortKey("doc_version", descending: true)], limit: 1)).records
        if let quote = quotes.first, quote["order"].isEmpty {
            return try QuoteActions.toOrder(tx, quote.id, fields: fields)
        }
        let amount = opp["amount"]
        guard !amount.isEmpty, amount.fen > 0 else {
            throw KernelError.invalid("opportunity", field: "amount", "商机没有报价单也没有金额，无法生成订单 (the opportunity has neither a quote nor an amount)")
        }
        var header: [String: Value] = ["customer": opp["customer"], "contact": opp["contact"], "opportunity": .integer(id),
                                       "title": opp["name"], "opportunity_amount": amount]
        if !opp["owner"].isEmpty { header["owner"] = opp["owner"] }
        let order = try QuoteActions.createDocument(tx, "order", header.merging(fields) { $1 })
        _ = try tx.asSystem {
            try tx.create("order_line", ["order": .integer(order.id), "description": .text("商机：\(opp["name"])"), "quantity": .decimal(1),
                                         "sales_price": amount, "tax_rate": .decimal(defaultTaxRate)])
        }
        try link(tx, order: order.id, opportunity: id)
        return try tx.reader.get("order", order.id) ?? order
    }

    /// The tax rate of the one line made from an opportunity's amount (VAT on goods).
    static let defaultTaxRate: Decimal = 13

    /// Sets `opportunity.order`.
    static func link(_ tx: WriteContext, order: Int64, opportunity: Int64?) throws {
        guard let opportunity else { return }
        _ = try tx.asSystem { try tx.update("opportunity", opportunity, ["order": .integer(order)]) }
    }
}
