import CRMKernel
import Foundation

/// Stock of one product (in one warehouse or all): what is on hand, what is reserved for
/// documents, and what is left to promise.
public struct StockLevel: Sendable, Hashable {
    /// Sum of receipts, issues, adjustments and transfers.
    public var onHand: Decimal
    /// Sum of reservations less releases.
    public var reserved: Decimal
    /// `onHand - reserved`.
    public var available: Decimal { onHand - reserved }

    /// Creates a level.
    public init(onHand: Decimal, reserved: Decimal) {
        self.onHand = onHand
        self.reserved = reserved
    }
}

/// The stock ledger: every change of stock is a new `stock_move` row (never an update); levels
/// are sums over the rows of one product, read through an index that covers them.
///
/// Orders reserve, release and take through here, inside their own transaction, naming the
/// document (`("order", 12)`). The ledger writes on its own account (`asSystem`): the document
/// is the caller's authority. Every write checks the company's `StockPolicy.allowNegative`.
public enum StockLedger {
    /// A source document: its entity and id.
    public typealias Document = (entity: String, id: Int64)

    /// Stock of `product` in `warehouse`, or over all warehouses when nil.
    public static func available(_ reader: RecordReader, product: Int64, warehouse: Int64?) throws -> StockLevel {
        var filter = Filter.eq("product", .integer(product))
        if let warehouse { filter = .all([filter, .eq("warehouse", .integer(warehouse))]) }
        let rows = try reader.aggregate("stock_move", groupBy: [GroupKey("reason")], measures: [.sum("quantity")], filter: filter)
        var level = StockLevel(onHand: 0, reserved: 0)
        for row in rows {
            guard let reason = row.group["reason"]?.textValue.flatMap(StockReason.init(rawValue:)),
                  let sum = row.values.first?.decimalValue else { continue }
            if reason.isReservation { level.reserved += sum } else { level.onHand += sum }
        }
        return level
    }

    /// Sets `quantity` aside for `document` (a 预留 move).
    @discardableResult
    public static func reserve(_ tx: WriteContext, product: Int64, warehouse: Int64, quantity: Decimal, document: Document) throws -> Record {
        try requirePositive(quantity)
        return try append(tx, product: product, warehouse: warehouse, quantity: quantity, reason: .reserve, document: document)
    }

    /// Gives back what `document` reserved of `product` in `warehouse`: `quantity`, or all of it
    /// when nil. Returns the 释放 move, or nil when nothing was reserved.
    @discardableResult
    public static func release(_ tx: WriteContext, product: Int64, warehouse: Int64, quantity: Decimal? = nil, document: Document) throws -> Record? {
        if let quantity { try requirePositive(quantity) }
        let held = try reserved(tx.reader.system, product: product, warehouse: warehouse, document: document)
        let amount = min(quantity ?? held, held)
        guard amount > 0 else { return nil }
        return try append(tx, product: product, warehouse: warehouse, quantity: -amount, reason: .release, document: document)
    }

    /// Takes `quantity` out of stock for `document` (a 出库 move), first releasing what the
    /// document had reserved of it (up to `quantity`).
    @discardableResult
    public static func take(_ tx: WriteContext, product: Int64, warehouse: Int64, quantity: Decimal, document: Document) throws -> Record {
        try requirePositive(quantity)
        try release(tx, product: product, warehouse: warehouse, quantity: quantity, document: document)
        return try append(tx, product: product, warehouse: warehouse, quantity: -quantity, reason: .issue, document: document)
    }

    /// Receives `quantity` into stock (入库).
    @discardableResult
    public static func receive(_ tx: WriteContext, product: Int64, warehouse: Int64, quantity: Decimal,
                               document: Document? = nil, note: String? = nil) throws -> Record {
        try requirePositive(quantity)
        return try append(tx, product: product, warehouse: warehouse, quantity: quantity, reason: .receipt, document: document, note: note)
    }

    /// Corrects stock after a count (盘点调整) by a signed `delta`; `reason` is required.
    @discardableResult
    public static func adjust(_ tx: WriteContext, product: Int64, warehouse: Int64, delta: Decimal, reason: String) throws -> Record {
        try append(tx, product: product, warehouse: warehouse, quantity: delta, reason: .adjustment, note: reason)
    }

    /// What `document` still holds reserved of `product` in `warehouse`.
    public static func reserved(_ reader: RecordReader, product: Int64, warehouse: Int64, document: Document) throws -> Decimal {
        let filter = Filter.all([.eq("document_entity", .text(document.entity)), .eq("document_id", .integer(document.id)),
                                 .eq("product", .integer(product)), .eq("warehouse", .integer(warehouse)),
                                 .condition(field: "reason", op: .in, value: .list([StockReason.reserve.rawValue, StockReason.release.rawValue]))])
        let rows = try reader.aggregate("stock_move", measures: [.sum("quantity")], filter: filter)
        return rows.first?.values.first?.decimalValue ?? 0
    }

    /// Appends one move on the module's account; the before-save rules (`StockRules`) check it.
    static func append(_ tx: WriteContext, product: Int64, warehouse: Int64, quantity: Decimal, reason: StockReason,
                       document: Document? = nil, note: String? = nil) throws -> Record {
        var values: [String: Value] = ["product": .integer(product), "warehouse": .integer(warehouse),
                                       "quantity": .decimal(quantity), "reason": .text(reason.rawValue)]
        if let document { values["document_entity"] = .text(document.entity); values["document_id"] = .integer(document.id) }
        if let note { values["note"] = .text(note) }
        return try tx.asSystem { try tx.create("stock_move", values) }
    }

    static func requirePositive(_ quantity: Decimal) throws {
        guard quantity > 0 else {
            throw KernelError(.validation, "quantity must be greater than zero (got \(quantity.plainString))", entity: "stock_move",
                              fieldErrors: [FieldError(field: "quantity", message: "数量必须大于 0")])
        }
    }
}
