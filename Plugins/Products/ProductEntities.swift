import CRMKernel

/// The catalog's entities: `product_category` (a tree), `product` (with variants), `product_image`
/// and `warehouse`.
enum ProductEntities {
    /// 上架 (on sale) and 下架 (withdrawn: no new lines).
    static let statuses = [ProductStatus.onSale, ProductStatus.withdrawn]
    /// VAT rates offered by default (the value is the percentage).
    static let taxRates = ["13", "9", "6", "3", "0"]

    /// 产品分类: a tree of any depth through `parent`; a cycle is refused (`CategoryTree`).
    static var category: EntityDefinition {
        EntityDefinition("product_category", label: LocalizedText("产品分类", en: "Product category"), titleField: "name", fields: [
            FieldDefinition("name", .text, label: LocalizedText("分类名称", en: "Name"), required: true, searchable: true, maxLength: 100),
            FieldDefinition("parent", .reference, label: LocalizedText("上级分类", en: "Parent"), indexed: true, target: "product_category"),
            FieldDefinition("sort_order", .integer, label: LocalizedText("排序", en: "Sort order")),
        ])
    }

    /// 产品: one sellable item, or a variant (SKU) of one (`parent` set).
    static var product: EntityDefinition {
        EntityDefinition("product", label: LocalizedText("产品", en: "Product"), titleField: "name", fields: [
            FieldDefinition("code", .text, label: LocalizedText("产品编码", en: "Code"), required: true, unique: true, searchable: true, maxLength: 64),
            FieldDefinition("name", .text, label: LocalizedText("产品名称", en: "Name"), required: true, indexed: true, searchable: true, maxLength: 200),
            FieldDefinition("category", .reference, label: LocalizedText("产品分类", en: "Category"), indexed: true, target: "product_category"),
            FieldDefinition("specification", .text, label: LocalizedText("规格型号", en: "Specification"), searchable: true, maxLength: 200),
            FieldDefinition("unit", .text, label: LocalizedText("单位", en: "Unit"), required: true, defaultValue: .text("个"), maxLength: 16),
            FieldDefinition("status", .choice, label: LocalizedText("状态", en: "Status"), required: true,
                            defaultValue: .text(ProductStatus.onSale), indexed: true, options: statuses.map { ChoiceOption($0) }),
            FieldDefinition("list_price", .money, label: LocalizedText("目录价", en: "List price"), required: true, min: 0),
            FieldDefinition("cost_price", .money, label: LocalizedText("成本价", en: "Cost price"), min: 0),
            FieldDefinition("tax_rate", .choice, label: LocalizedText("税率(%)", en: "Tax rate (%)"), required: true, defaultValue: .text("13"),
                            options: taxRates.map { ChoiceOption($0, label: LocalizedText("\($0)%")) }),
            FieldDefinition("kind", .choice, label: LocalizedText("类型", en: "Kind"), required: true, defaultValue: .text(ProductKind.stocked),
                            options: [ChoiceOption(ProductKind.stocked, label: LocalizedText("库存商品", en: "Stocked")),
                                      ChoiceOption(ProductKind.service, label: LocalizedText("服务", en: "Service"))]),
            FieldDefinition("decimal_quantity", .boolean, label: LocalizedText("允许小数数量", en: "Decimal quantities"), defaultValue: .bool(false)),
            FieldDefinition("description", .longText, label: LocalizedText("产品描述", en: "Description"), maxLength: 10000),
            FieldDefinition("parent", .reference, label: LocalizedText("主产品", en: "Parent product"), indexed: true, target: "product",
                            help: "变体（SKU）所属的主产品"),
            FieldDefinition("variant_label", .text, label: LocalizedText("变体属性", en: "Variant"), maxLength: 200, help: "如 红/L"),
            FieldDefinition("price_adjustment", .money, label: LocalizedText("加价", en: "Price adjustment"),
                            help: "变体目录价 = 主产品目录价 + 加价"),
        ])
    }

    /// 产品图片: one image file of a product, kept under `files/product/<id>/<name>`.
    static var image: EntityDefinition {
        EntityDefinition("product_image", label: LocalizedText("产品图片", en: "Product image"), titleField: "name", fields: [
            FieldDefinition("product", .reference, label: LocalizedText("产品", en: "Product"), required: true, indexed: true, target: "product"),
            FieldDefinition("name", .text, label: LocalizedText("文件名", en: "File name"), required: true, maxLength: 200),
            FieldDefinition("size", .integer, label: LocalizedText("大小（字节）", en: "Size (bytes)"), required: true),
            FieldDefinition("sha256", .text, label: LocalizedText("SHA-256 校验值", en: "SHA-256"), maxLength: 64),
            FieldDefinition("path", .text, label: LocalizedText("存储路径", en: "Stored at"), maxLength: 400),
        ])
    }

    /// 仓库.
    static var warehouse: EntityDefinition {
        EntityDefinition("warehouse", label: LocalizedText("仓库", en: "Warehouse"), titleField: "name", fields: [
            FieldDefinition("code", .text, label: LocalizedText("仓库编码", en: "Code"), required: true, unique: true, maxLength: 32),
            FieldDefinition("name", .text, label: LocalizedText("仓库名称", en: "Name"), required: true, unique: true, maxLength: 100),
            FieldDefinition("address", .text, label: LocalizedText("地址", en: "Address"), maxLength: 200),
        ])
    }
}

/// The values of `product.status`.
public enum ProductStatus {
    /// 上架: may be put on new lines.
    public static let onSale = "上架"
    /// 下架: withdrawn, refused on new lines.
    public static let withdrawn = "下架"
}

/// The values of `product.kind`.
public enum ProductKind {
    /// Goods kept in stock (moves in the ledger).
    public static let stocked = "stocked"
    /// A service: no stock.
    public static let service = "service"
}
