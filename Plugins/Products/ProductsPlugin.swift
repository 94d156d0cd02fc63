import CRMKernel

/// 产品 module: the catalog (category tree, products and their variants, images), price books
/// with pricing as a Lua policy (`products.price`), and stock as an append-only ledger over
/// several warehouses.
public struct ProductsPlugin: Plugin {
    /// Creates the plugin.
    public init() {}

    public var manifest: PluginManifest {
        PluginManifest(id: "products", name: LocalizedText("产品管理", en: "Products"), version: "0.1.0",
                       dependencies: ["customers"],
                       summary: LocalizedText("产品目录、价目表、定价规则与库存台账", en: "Catalog, price books, pricing rules and the stock ledger"))
    }

    public var schema: SchemaDeclarations {
        SchemaDeclarations(entities: [ProductEntities.category, ProductEntities.product, ProductEntities.image, ProductEntities.warehouse,
                                      StockEntities.move, PriceBookEntities.book, PriceBookEntities.entry])
    }

    public func hooks() -> HookSet {
        var set = HookSet()
        set.merge(CategoryTree.hooks)
        set.merge(Variants.hooks)
        set.merge(StockRules.hooks)
        set.merge(PriceBookRules.hooks)
        return set
    }

    public var scriptFunctions: [ScriptFunction] {
        ProductScriptFunctions.all + [.calling(ProductPricing.policy, of: "products", access: .read("product"))]
    }

    /// `products.price`: how a unit price is found (the stock pack reads the price books).
    public var policies: [ScriptPolicy] { [ProductPricing.policy] }

    public var settings: [PluginSetting] { [StockPolicy.setting] }

    public var grants: [RoleGrant] { ProductGrants.all }

    /// `Scripts/`: the stock pricing policy and stock policy (`30_products.lua`).
    public var stockScripts: StockScripts? { StockScripts(target: "CRMProducts") }

    public var routes: [PluginRoute] { ProductImages.routes }

    public var commands: [PluginCommand] { ProductCommands.all }

    public func seedDemo(_ tx: WriteContext, _ demo: inout DemoContext) throws {
        try ProductDemo.seed(tx, &demo)
    }
}
