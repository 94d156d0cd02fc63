import CRMKernel

/// Price books (价目表) and their entries.
enum PriceBookEntities {
    /// 价目表. Applies to everyone (默认), a customer grade, one customer or a channel, between
    /// `valid_from` and `valid_to` (inclusive, either open); the highest `priority` wins.
    static var book: EntityDefinition {
        EntityDefinition("price_book", label: LocalizedText("价目表", en: "Price book"), titleField: "name", fields: [
            FieldDefinition("name", .text, label: LocalizedText("名称", en: "Name"), required: true, unique: true, maxLength: 100),
            FieldDefinition("applies_to", .choice, label: LocalizedText("适用范围", en: "Applies to"), required: true,
                            defaultValue: .text(PriceBookScope.everyone.rawValue), indexed: true,
                            options: PriceBookScope.allCases.map { ChoiceOption($0.rawValue) }),
            FieldDefinition("grade", .text, label: LocalizedText("客户等级", en: "Customer grade"), indexed: true, maxLength: 32),
            FieldDefinition("customer", .reference, label: LocalizedText("客户", en: "Customer"), indexed: true, target: "customer"),
            FieldDefinition("channel", .text, label: LocalizedText("渠道", en: "Channel"), indexed: true, maxLength: 64),
            FieldDefinition("valid_from", .date, label: LocalizedText("生效日期", en: "Valid from")),
            FieldDefinition("valid_to", .date, label: LocalizedText("失效日期", en: "Valid to")),
            FieldDefinition("priority", .integer, label: LocalizedText("优先级", en: "Priority"), defaultValue: .integer(0), help: "数字大者优先"),
            FieldDefinition("discount", .decimal, label: LocalizedText("整单折扣(%)", en: "Discount (%)"), min: 0, max: 100, scale: 2,
                            help: "未单独列出的产品按目录价下浮此百分比；为空则只对列出的产品生效"),
            FieldDefinition("rounding", .choice, label: LocalizedText("取整", en: "Rounding"), required: true,
                            defaultValue: .text(PriceRounding.fen.rawValue), options: PriceRounding.allCases.map { ChoiceOption($0.rawValue) }),
            FieldDefinition("active", .boolean, label: LocalizedText("启用", en: "Active"), defaultValue: .bool(true)),
        ])
    }

    /// 价目表明细: the price (fixed, or a discount off the list price) of one product from a
    /// quantity on.
    static var entry: EntityDefinition {
        EntityDefinition("price_book_entry", label: LocalizedText("价目表明细", en: "Price book entry"), fields: [
            FieldDefinition("book", .reference, label: LocalizedText("价目表", en: "Price book"), required: true, target: "price_book"),
            FieldDefinition("product", .reference, label: LocalizedText("产品", en: "Product"), required: true, indexed: true, target: "product"),
            FieldDefinition("min_quantity", .decimal, label: LocalizedText("起订数量", en: "From quantity"), required: true,
                            defaultValue: .decimal(1), min: 0, scale: StockEntities.quantityScale),
            FieldDefinition("price", .money, label: LocalizedText("单价", en: "Price"), min: 0),
            FieldDefinition("discount", .decimal, label: LocalizedText("折扣(%)", en: "Discount (%)"), min: 0, max: 100, scale: 2),
        ], indexes: [["book", "product", "min_quantity"]])
    }
}

/// Whom a price book applies to.
public enum PriceBookScope: String, Sendable, CaseIterable {
    /// 默认: everyone.
    case everyone = "默认"
    /// 客户等级: customers of one grade (`grade`).
    case grade = "客户等级"
    /// 指定客户: one customer (`customer`).
    case customer = "指定客户"
    /// 渠道: sales through one channel (`channel`).
    case channel = "渠道"

    /// Which field names the audience, if any.
    var field: String? {
        switch self {
        case .everyone: return nil
        case .grade: return "grade"
        case .customer: return "customer"
        case .channel: return "channel"
        }
    }

    /// Ranks books of equal priority: the more specific first.
    var specificity: Int {
        switch self {
        case .customer: return 3
        case .grade: return 2
        case .channel: return 1
        case .everyone: return 0
        }
    }
}

/// How a price book rounds the prices it gives.
public enum PriceRounding: String, Sendable, CaseIterable {
    /// To the fen (no rounding).
    case fen = "分"
    /// Half up to the jiao (10 fen).
    case jiao = "角"
    /// Half up to the yuan (100 fen).
    case yuan = "元"

    /// The step in fen.
    public var fenStep: Int64 {
        switch self {
        case .fen: return 1
        case .jiao: return 10
        case .yuan: return 100
        }
    }
}
