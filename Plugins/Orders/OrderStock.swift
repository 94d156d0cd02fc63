import CRMKernel
import CRMProducts
import Foundation

/// The order's side of the products module's stock ledger. When an order reserves and when it
/// takes its stocked lines' quantities is the company's `crm.products.stock_policy`
/// (`reserve_on` submit | approval | none, `take_on` approval | delivery | manual; delivery is
/// when the order starts executing). Reservations follow the lines (a 变更 re-reserves only the
/// difference); withdrawing, rejecting or voiding releases them. Taking takes only what was not
/// taken yet (a change that lowers a quantity receives the difference back). Moves name the
/// order as their document; available stock below zero is refused by the ledger.
enum OrderStock {
    /// After the order went into approval.
    static func onSubmitted(_ tx: WriteContext, _ order: Record) throws {
        if policy(tx).reserveOn == .submit { try reserve(tx, order) }
    }

    /// After approval.
    static func onApproved(_ tx: WriteContext, _ order: Record) throws {
        let p = policy(tx)
        if p.takeOn == .approval { return try take(tx, order) }
        if p.reserveOn == .approval || p.reserveOn == .submit { try reserve(tx, order) }
    }

    /// When execution starts.
    static func onStarted(_ tx: WriteContext, _ order: Record) throws {
        if policy(tx).takeOn == .delivery { try take(tx, order) }
    }

    /// When the order leaves approval without being approved, or is voided: reservations go back.
    static func onReleased(_ tx: WriteContext, _ order: Record) throws {
        try tx.asSystem {
            let moved = try products(tx, order)
            guard !moved.isEmpty else { return }
            let warehouse = try self.warehouse(tx, order)
            for product in moved.sorted() {
                try StockLedger.release(tx, product: product, warehouse: warehouse, document: (entity: "order", id: order.id))
            }
            try mark(tx, order, "released")
        }
    }

    /// Takes what the lines need now and was not taken yet (the manual way, or the policy's).
    static func take(_ tx: WriteContext, _ order: Record) throws {
        try tx.asSystem {
            let needed = try self.needed(tx, order)
            let all = Set(needed.keys).union(try products(tx, order))
            guard !all.isEmpty else { return }
            let warehouse = try self.warehouse(tx, order)
            let document = (entity: "order", id: order.id)
            for product in all.sorted() {
                let diff = (needed[product] ?? 0) - (try taken(tx, order, product))
                if diff > 0 { try StockLedger.take(tx, product: product, warehouse: warehouse, quantity: diff, document: document) }
                if diff < 0 { try StockLedger.receive(tx, product: product, warehouse: warehouse, quantity: -diff, document: document, note: "订单变更退回") }
                try StockLedger.release(tx, product: product, warehouse: warehouse, document: document)
            }
            try mark(tx, order, "taken")
        }
    }

    /// Reserves what the lines need beyond what is taken, adjusting earlier reservations.
    static func reserve(_ tx: WriteContext, _ order: Record) throws {
        try tx.asSystem {
            let needed = try self.needed(tx, order)
            let all = Set(needed.keys).union(try products(tx, order))
            guard !all.isEmpty else { return }
            let warehouse = try self.warehouse(tx, order)
            let document = (entity: "order", id: order.id)
            for product in all.sorted() {
                let want = max(0, (needed[product] ?? 0) - (try taken(tx, order, product)))
                let held = try StockLedger.reserved(tx.reader, product: product, warehouse: warehouse, document: document)
                if want > held { try StockLedger.reserve(tx, product: product, warehouse: warehouse, quantity: want - held, document: document) }
                if want < held { try StockLedger.release(tx, product: product, warehouse: warehouse, quantity: held - want, document: document) }
            }
            try mark(tx, order, "reserved")
        }
    }

    private static func policy(_ tx: WriteContext) -> StockPolicy { StockPolicy.current(tx.schema) }

    /// Quantities of stocked products on the order's lines.
    static func needed(_ tx: WriteContext, _ order: Record) throws -> [Int64: Decimal] {
        var out: [Int64: Decimal] = [:]
        for line in try OrderDocuments.lines(tx.reader, OrderDocuments.Ref(entity: "order", id: order.id)) {
            guard let product = line["product"].integerValue, let p = try tx.reader.get("product", product), ProductFacts.isStocked(p) else { continue }
            out[product, default: 0] += line["quantity"].decimalOrZero
        }
        return out
    }

    /// Products with moves of this order (so a line removed by a change is released too).
    private static func products(_ tx: WriteContext, _ order: Record) throws -> Set<Int64> {
        let rows = try tx.reader.aggregate("stock_move", groupBy: [GroupKey("product")], measures: [.count], filter: documentFilter(order))
        return Set(rows.compactMap { $0.group["product"]?.integerValue })
    }

    /// What the order has taken of `product` so far (issues less receipts).
    private static func taken(_ tx: WriteContext, _ order: Record, _ product: Int64) throws -> Decimal {
        let rows = try tx.reader.aggregate("stock_move", measures: [.sum("quantity")], filter: .all([
            documentFilter(order), .eq("product", .integer(product)),
            .condition(field: "reason", op: .in, value: .list([StockReason.issue.rawValue, StockReason.receipt.rawValue])),
        ]))
        return -(rows.first?.values.first?.decimalOrZero ?? 0)
    }

    private static func documentFilter(_ order: Record) -> Filter {
        .all([.eq("document_entity", .text("order")), .eq("document_id", .integer(order.id))])
    }

    /// The order's warehouse, or the first warehouse (then kept on the order).
    private static func warehouse(_ tx: WriteContext, _ order: Record) throws -> Int64 {
        if let w = order["warehouse"].integerValue { return w }
        guard let first = try tx.reader.find(Query("warehouse", sort: [SortKey("id")], limit: 1)).records.first else {
            throw KernelError.invalid("order", field: "warehouse", "没有仓库，无法预留或出库 (no warehouse to reserve or take stock from)")
        }
        _ = try tx.update("order", order.id, ["warehouse": .integer(first.id)])
        return first.id
    }

    private static func mark(_ tx: WriteContext, _ order: Record, _ state: String) throws {
        _ = try tx.update("order", order.id, ["stock_state": .text(state)])
    }
}
