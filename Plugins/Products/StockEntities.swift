import CRMKernel

/// The stock ledger's entity `stock_move`: one signed movement of one product in one warehouse.
/// Rows are only ever appended; on hand, reserved and available are sums over them.
enum StockEntities {
    /// Quantities keep three decimals (0.001).
    static let quantityScale = 3

    /// 库存流水.
    static var move: EntityDefinition {
        EntityDefinition("stock_move", label: LocalizedText("库存流水", en: "Stock move"), fields: [
            FieldDefinition("product", .reference, label: LocalizedText("产品", en: "Product"), required: true, target: "product"),
            FieldDefinition("warehouse", .reference, label: LocalizedText("仓库", en: "Warehouse"), required: true, indexed: true, target: "warehouse"),
            FieldDefinition("quantity", .decimal, label: LocalizedText("数量", en: "Quantity"), required: true, scale: quantityScale,
                            help: "入库为正，出库为负；预留为正，释放为负"),
            FieldDefinition("reason", .choice, label: LocalizedText("原因", en: "Reason"), required: true,
                            options: StockReason.allCases.map { ChoiceOption($0.rawValue) }),
            FieldDefinition("document_entity", .text, label: LocalizedText("来源单据类型", en: "Source entity"), maxLength: 64),
            FieldDefinition("document_id", .integer, label: LocalizedText("来源单据", en: "Source id")),
            FieldDefinition("note", .text, label: LocalizedText("说明", en: "Note"), maxLength: 500),
        ], indexes: [
            ["product", "warehouse", "reason", "quantity"],  // levels of one product: covering
            ["document_entity", "document_id", "product"],   // what one document reserved / took
        ])
    }
}

/// Why stock moved. The first four change what is on hand; 预留 and 释放 change what is reserved.
public enum StockReason: String, Sendable, CaseIterable {
    /// Goods received (positive).
    case receipt = "入库"
    /// Goods shipped or taken (negative).
    case issue = "出库"
    /// Counted stock corrected (either sign; a note is required).
    case adjustment = "盘点调整"
    /// Moved between warehouses (either sign).
    case transfer = "调拨"
    /// Set aside for a document (positive).
    case reserve = "预留"
    /// A reservation given back (negative).
    case release = "释放"

    /// Whether the move changes the reserved quantity rather than the quantity on hand.
    public var isReservation: Bool { self == .reserve || self == .release }

    /// The sign the quantity must have: 1, -1, or 0 for either.
    var requiredSign: Int {
        switch self {
        case .receipt, .reserve: return 1
        case .issue, .release: return -1
        case .adjustment, .transfer: return 0
        }
    }
}
