import CRMKernel
import CRMProducts
import Foundation
import Testing

/// The catalog: unique codes, the tax-rate list, the category tree without cycles, the cost
/// price hidden from sales roles, variants kept in step with their parent, and images.
struct CatalogTests {
    @Test func aDuplicateCodeIsRefusedOnTheCodeField() throws {
        let f = try ProductsFixture()
        let error = kernelError { _ = try f.write { tx in try f.product(tx, "PR-1", "另一台打印机", price: 1, cost: 1) } }
        #expect(error?.fieldErrors.first?.field == "code")
        #expect(try f.store.read { try $0.count("product") } == 4)
    }

    @Test func aTaxRateOutsideTheListIsRefused() throws {
        let f = try ProductsFixture()
        let error = kernelError { _ = try f.write { tx in try f.product(tx, "X-1", "x", price: 1, cost: 1, extra: ["tax_rate": .text("17")]) } }
        #expect(error?.fieldErrors.first?.field == "tax_rate")
        let info = try f.store.read { try ProductCatalog.product($0, f.service) }
        #expect(info?.taxRatePercent == 6)
        #expect(info?.isStocked == false)
    }

    @Test func aCategoryCannotMoveUnderItsOwnBranch() throws {
        let f = try ProductsFixture()
        let (top, mid, leaf) = try f.write { tx in
            let top = try tx.create("product_category", ["name": .text("办公设备")]).id
            let mid = try tx.create("product_category", ["name": .text("打印机"), "parent": .integer(top)]).id
            let leaf = try tx.create("product_category", ["name": .text("激光打印机"), "parent": .integer(mid)]).id
            return (top, mid, leaf)
        }
        let cycle = kernelError { _ = try f.write { tx in try tx.update("product_category", top, ["parent": .integer(leaf)]) } }
        #expect(cycle?.fieldErrors.first?.field == "parent")
        let itself = kernelError { _ = try f.write { tx in try tx.update("product_category", mid, ["parent": .integer(mid)]) } }
        #expect(itself?.fieldErrors.first?.field == "parent")
        #expect(try f.store.get("product_category", top)?["parent"] == .null)
        // Moving a leaf elsewhere is fine.
        try f.write { tx in _ = try tx.update("product_category", leaf, ["parent": .integer(top)]) }
    }

    @Test func salesRolesDoNotSeeTheCostPriceAndFinanceDoes() throws {
        let f = try ProductsFixture()
        for name in ["lina", "zhang"] {
            let record = try f.store.read(as: try f.access(name)) { try $0.get("product", f.printer) }
            #expect(record?["list_price"] == .decimal(100))
            #expect(record?.values["cost_price"] == nil, "\(name) sees the cost")
            let info = try f.store.read(as: try f.access(name)) { try ProductCatalog.product($0, f.printer) }
            #expect(info?.costPriceFen == nil)
        }
        let finance = try f.store.read(as: try f.access("qian")) { try $0.get("product", f.printer) }
        #expect(finance?["cost_price"] == .decimal(70))
        let rep = kernelError { _ = try f.store.write(as: try f.access("lina")) { tx in try tx.update("product", f.printer, ["list_price": .decimal(1)]) } }
        #expect(rep?.kind == .forbidden)
    }

    @Test func aWithdrawnProductOrABadQuantityIsNotSellable() throws {
        let f = try ProductsFixture()
        try f.write { tx in _ = try tx.update("product", f.paper, ["status": .text(ProductStatus.withdrawn)]) }
        let withdrawn = kernelError { _ = try f.store.read { try ProductCatalog.requireSellable($0, product: f.paper, quantity: 1) } }
        #expect(withdrawn?.fieldErrors.first?.field == "product")
        let negative = kernelError { _ = try f.store.read { try ProductCatalog.requireSellable($0, product: f.printer, quantity: -1) } }
        #expect(negative?.fieldErrors.first?.field == "quantity")
        let fraction = kernelError { _ = try f.store.read { try ProductCatalog.requireSellable($0, product: f.printer, quantity: 0.5) } }
        #expect(fraction?.fieldErrors.first?.field == "quantity")
        #expect(try f.store.read { try ProductCatalog.requireSellable($0, product: f.cable, quantity: 0.5) }.code == "CB-1")
    }

    @Test func variantsAreGeneratedOnceAndFollowTheirParent() throws {
        let f = try ProductsFixture()
        let shirt = try f.write { tx in try f.product(tx, "TS-1", "T恤", price: 59, cost: 20, extra: ["unit": .text("件"), "specification": .text("纯棉")]) }
        let created = try f.write { tx in
            try Variants.generate(tx, parent: shirt, attributes: [Variants.Attribute("颜色", ["白", "黑"]), Variants.Attribute("尺寸", ["M", "XL"])],
                                  adjustments: ["XL": 500])
        }
        #expect(created.map { $0["code"].textValue ?? "" } == ["TS-1-白-M", "TS-1-白-XL", "TS-1-黑-M", "TS-1-黑-XL"])
        #expect(created[1]["list_price"] == .decimal(64))
        #expect(created[1]["name"] == .text("T恤 白/XL"))
        #expect(created[0]["unit"] == .text("件"))
        // Generating again adds only the new combinations.
        let again = try f.write { tx in
            try Variants.generate(tx, parent: shirt, attributes: [Variants.Attribute("颜色", ["白", "黑", "蓝"]), Variants.Attribute("尺寸", ["M", "XL"])])
        }
        #expect(again.count == 2)
        // The parent's change reaches every variant in the same write.
        try f.write { tx in _ = try tx.update("product", shirt, ["list_price": .decimal(69), "unit": .text("套"), "name": .text("文化衫")]) }
        let xl = try #require(try f.store.get("product", created[1].id))
        #expect(xl["list_price"] == .decimal(74))
        #expect(xl["unit"] == .text("套"))
        #expect(xl["name"] == .text("文化衫 白/XL"))
        // A variant keeps its own stock.
        try f.write { tx in _ = try StockLedger.receive(tx, product: created[1].id, warehouse: f.warehouses[0], quantity: 8) }
        #expect(try f.level(created[1].id).onHand == 8)
        #expect(try f.level(shirt).onHand == 0)
    }

    @Test func aVariantCannotHaveVariants() throws {
        let f = try ProductsFixture()
        let variant = try f.write { tx in try Variants.generate(tx, parent: f.printer, attributes: [Variants.Attribute("颜色", ["白"])]) }[0]
        let error = kernelError { _ = try f.write { tx in try Variants.generate(tx, parent: variant.id, attributes: [Variants.Attribute("尺寸", ["M"])]) } }
        #expect(error?.fieldErrors.first?.field == "parent")
        let empty = kernelError { _ = try f.write { tx in try Variants.generate(tx, parent: f.paper, attributes: [Variants.Attribute("颜色", [])]) } }
        #expect(empty?.fieldErrors.first?.field == "attributes")
    }

    @Test func imagesAreKeptInTheWorkspaceAndOnlyImagesAccepted() throws {
        let f = try ProductsFixture()
        let image = try f.write { tx in try ProductImages.attach(tx, directory: f.directory, product: f.printer, name: "front.png", data: Data([0x89, 0x50])) }
        #expect(image["path"] == .text("files/product/\(f.printer)/front.png"))
        #expect(FileManager.default.fileExists(atPath: f.directory.appendingPathComponent("files/product/\(f.printer)/front.png").path))
        let text = kernelError { _ = try f.write { tx in try ProductImages.attach(tx, directory: f.directory, product: f.printer, name: "notes.txt", data: Data([1])) } }
        #expect(text?.fieldErrors.first?.field == "name")
    }
}

/// The stock grants beyond cost: who may change price books, and company fields on products.
struct CatalogAccessTests {
    @Test func managersKeepPriceBooksAndRepsOnlyReadThem() throws {
        let f = try ProductsFixture()
        let book = try f.store.write(as: try f.access("zhang")) { tx in
            try tx.create("price_book", ["name": .text("华南促销"), "applies_to": .text("默认"), "discount": .decimal(3)]).id
        }
        let rep = kernelError { _ = try f.store.write(as: try f.access("lina")) { tx in try tx.update("price_book", book, ["discount": .decimal(50)]) } }
        #expect(rep?.kind == .forbidden)
        #expect(try f.store.read(as: try f.access("lina")) { try $0.get("price_book", book) }?["discount"] == .decimal(3))
        let moves = kernelError { _ = try f.store.write(as: try f.access("zhang")) { tx in
            try tx.create("stock_move", ["product": .integer(f.printer), "warehouse": .integer(f.warehouses[0]), "quantity": .decimal(1), "reason": .text("入库")])
        } }
        #expect(moves?.kind == .forbidden)
    }

    @Test func aCompanyFieldWorksOnProductsLikeAnyEntity() throws {
        let f = try ProductsFixture()
        #expect(try f.console().evaluate(#"crm.field("product", "brand", {type = "text", label = "品牌"})"#).error == nil)
        try f.write { tx in _ = try tx.update("product", f.printer, ["brand": .text("惠普")]) }
        #expect(try f.store.get("product", f.printer)?["brand"] == .text("惠普"))
    }
}
