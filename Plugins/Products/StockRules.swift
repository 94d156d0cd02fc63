import CRMKernel
import Foundation

/// The ledger's rules, as a before-save hook on `stock_move` (so they hold for every writer:
/// the Swift API, Lua, the records API and imports): moves are never changed or deleted; the
/// quantity's sign matches the reason; services have no stock; whole-unit products move in
/// whole units; an adjustment says why; and available stock stays at or above zero unless the
/// company's `StockPolicy` allows otherwise.
enum StockRules {
    static var hooks: HookSet {
        var set = HookSet()
        set.onBeforeSave("stock_move") { ctx in try check(&ctx) }
        return set
    }

    static func check(_ ctx: inout SaveContext) throws {
        guard ctx.operation == .create else {
            ctx.reject("id", "库存流水只能追加，不能修改或删除（请另记一笔调整）")
            return
        }
        guard let reason = ctx.values["reason"]?.textValue.flatMap(StockReason.init(rawValue:)) else { return }  // required/choice checks follow
        guard let quantity = ctx.values["quantity"]?.decimalValue else { return }
        if quantity == 0 { ctx.reject("quantity", "数量不能为 0") }
        if reason.requiredSign > 0 && quantity < 0 { ctx.reject("quantity", "\(reason.rawValue)的数量必须为正数") }
        if reason.requiredSign < 0 && quantity > 0 { ctx.reject("quantity", "\(reason.rawValue)的数量必须为负数") }
        if reason == .adjustment, ctx.values["note"]?.isEmpty ?? true { ctx.reject("note", "盘点调整必须填写原因") }
        guard let productID = ctx.values["product"]?.integerValue,
              let product = try ctx.tx.reader.system.get("product", productID) else { return }  // reference check follows
        if product["kind"].textValue == ProductKind.service { ctx.reject("product", "服务类产品没有库存") }
        if product["decimal_quantity"] != .bool(true), quantity != quantity.rounded(scale: 0) {
            ctx.reject("quantity", "产品 \(product["code"]) 不允许小数数量")
        }
        guard ctx.rejections.isEmpty, let warehouse = ctx.values["warehouse"]?.integerValue else { return }
        try checkLevel(&ctx, product: product, warehouse: warehouse, quantity: quantity, reason: reason)
    }

    /// Refuses a move that lowers availability below zero (unless allowed) or releases more
    /// than is reserved.
    static func checkLevel(_ ctx: inout SaveContext, product: Record, warehouse: Int64, quantity: Decimal, reason: StockReason) throws {
        let lowersAvailable = reason.isReservation ? quantity > 0 : quantity < 0
        let releases = reason.isReservation && quantity < 0
        guard lowersAvailable || releases else { return }
        let level = try StockLedger.available(ctx.tx.reader.system, product: product.id, warehouse: warehouse)
        if releases {
            if level.reserved + quantity < 0 {
                ctx.reject("quantity", "释放数量超过已预留数量（已预留 \(level.reserved.plainString)）")
            }
            return
        }
        let after = level.available - (reason.isReservation ? quantity : -quantity)
        guard after < 0, !StockPolicy.current(ctx.tx.schema).allowNegative else { return }
        ctx.reject("quantity", "可用库存不足：产品 \(product["code"]) 在该仓库可用 \(level.available.plainString)，需要 \(abs(quantity).plainString)")
    }
}
