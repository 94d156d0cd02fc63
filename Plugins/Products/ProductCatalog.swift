import CRMKernel
import Foundation

/// Conversions between the kernel's money values (`Decimal` yuan) and integer fen.
public enum Money {
    /// `amount` in whole fen, rounded half away from zero.
    public static func fen(_ amount: Decimal) -> Int64 {
        NSDecimalNumber(decimal: (amount * 100).rounded(scale: 0)).int64Value
    }

    /// `fen` as a yuan amount (`Value.decimal`) for a `.money` field.
    public static func yuan(_ fen: Int64) -> Decimal { Decimal(fen) / 100 }
}

/// What another module needs to know of a product to put it on a line.
public struct ProductInfo: Sendable, Hashable {
    /// Record id.
    public var id: Int64
    /// 产品编码.
    public var code: String
    /// 产品名称.
    public var name: String
    /// 单位.
    public var unit: String
    /// 上架 or 下架.
    public var status: String
    /// 目录价 in fen.
    public var listPriceFen: Int64
    /// 成本价 in fen; nil when not set or hidden from the reader's user.
    public var costPriceFen: Int64?
    /// VAT rate in percent (13, 9, 6, 3, 0 ...).
    public var taxRatePercent: Decimal
    /// Whether stock is kept (a service has none).
    public var isStocked: Bool
    /// Whether quantities may have decimals.
    public var allowsDecimalQuantity: Bool
    /// The parent product of a variant.
    public var parent: Int64?

    init(_ record: Record) {
        id = record.id
        code = record["code"].textValue ?? ""
        name = record["name"].textValue ?? ""
        unit = record["unit"].textValue ?? ""
        status = record["status"].textValue ?? ProductStatus.onSale
        listPriceFen = record["list_price"].decimalValue.map(Money.fen) ?? 0
        costPriceFen = record["cost_price"].decimalValue.map(Money.fen)
        taxRatePercent = record["tax_rate"].textValue.flatMap { Decimal(string: $0) } ?? 0
        isStocked = record["kind"].textValue != ProductKind.service
        allowsDecimalQuantity = record["decimal_quantity"] == .bool(true)
        parent = record["parent"].integerValue
    }
}

/// Reading products for other modules (orders put them on lines).
public enum ProductCatalog {
    /// The product `id` as `reader`'s user sees it (cost nil when hidden), or nil.
    public static func product(_ reader: RecordReader, _ id: Int64) throws -> ProductInfo? {
        try reader.get("product", id).map(ProductInfo.init)
    }

    /// The product `id` when it may go on a new line for `quantity`: refused (field errors on
    /// `product` and `quantity`) when it does not exist, is 下架, the quantity is not above zero,
    /// or has decimals the product does not allow.
    public static func requireSellable(_ reader: RecordReader, product id: Int64, quantity: Decimal) throws -> ProductInfo {
        guard let info = try product(reader, id) else {
            throw KernelError(.validation, "product \(id) does not exist", entity: "product",
                              fieldErrors: [FieldError(field: "product", message: "产品 #\(id) 不存在")])
        }
        var errors: [FieldError] = []
        if info.status == ProductStatus.withdrawn { errors.append(FieldError(field: "product", message: "产品 \(info.code) 已下架，不能加入新的明细")) }
        if quantity <= 0 { errors.append(FieldError(field: "quantity", message: "数量必须大于 0")) }
        if !info.allowsDecimalQuantity, quantity != quantity.rounded(scale: 0) {
            errors.append(FieldError(field: "quantity", message: "产品 \(info.code) 不允许小数数量"))
        }
        guard errors.isEmpty else {
            throw KernelError(.validation, errors.map(\.description).joined(separator: "; "), entity: "product", fieldErrors: errors)
        }
        return info
    }
}
