import CRMKernel
import CRMProducts
import Foundation
import Testing

/// Pricing through the stock Lua policy: the default book's quantity breaks, the VIP book for
/// grade A, a customer's own book, channels, validity dates, rounding and the trace; a company
/// wrapping the policy; bad price books refused.
struct PricingTests {
    /// Books: 标准 (everyone: paper −5% from 10, −10% from 50), VIP (grade A, priority 10, −8%,
    /// rounded to the yuan, valid in 2026), 经销商 (channel, priority 5, −15%).
    static func books(_ f: ProductsFixture) throws {
        try f.write { tx in
            let standard = try tx.create("price_book", ["name": .text("标准价目表"), "applies_to": .text("默认")]).id
            for (from, discount) in [(10, 5), (50, 10)] {
                try tx.create("price_book_entry", ["book": .integer(standard), "product": .integer(f.paper),
                                                   "min_quantity": .decimal(Decimal(from)), "discount": .decimal(Decimal(discount))])
            }
            try tx.create("price_book", ["name": .text("VIP 价目表"), "applies_to": .text("客户等级"), "grade": .text("A"), "priority": .integer(10),
                                         "discount": .decimal(8), "rounding": .text("元"), "valid_from": .text("2026-01-01"), "valid_to": .text("2026-12-31")])
            try tx.create("price_book", ["name": .text("经销商价目表"), "applies_to": .text("渠道"), "channel": .text("经销商"), "priority": .integer(5),
                                         "discount": .decimal(15)])
        }
    }

    func price(_ f: ProductsFixture, _ product: Int64, customer: Int64? = nil, quantity: Decimal = 1, date: String = "2026-12-01",
               channel: String? = nil) throws -> PricedLine {
        try f.write { tx in try ProductPricing.price(tx, product: product, customer: customer, quantity: quantity, date: date, channel: channel) }
    }

    @Test func theListPriceWhenNoBookApplies() throws {
        let f = try ProductsFixture()
        let line = try price(f, f.printer, customer: f.plainCustomer)
        #expect(line == PricedLine(unitPriceFen: 10_000, trace: "目录价 100.00"))
    }

    @Test func quantityBreaksOfTheDefaultBook() throws {
        let f = try ProductsFixture()
        try Self.books(f)
        #expect(try price(f, f.paper, customer: f.plainCustomer, quantity: 9).unitPriceFen == 1250)
        let ten = try price(f, f.paper, customer: f.plainCustomer, quantity: 10)
        #expect(ten == PricedLine(unitPriceFen: 1188, trace: "目录价 12.50 → 标准价目表 −5%（满 10）"))
        #expect(try price(f, f.paper, customer: f.plainCustomer, quantity: 60).unitPriceFen == 1125)
    }

    @Test func theVIPBookForGradeAWithRoundingAndItsValidity() throws {
        let f = try ProductsFixture()
        try Self.books(f)
        let vip = try price(f, f.printer, customer: f.vipCustomer)
        #expect(vip == PricedLine(unitPriceFen: 9200, trace: "目录价 100.00 → VIP 价目表 −8% → 四舍五入到元"))
        // 12.50 −8% = 11.50 → 12.00 (rounded to the yuan, half up); VIP outranks the default book.
        #expect(try price(f, f.paper, customer: f.vipCustomer, quantity: 60).unitPriceFen == 1200)
        // Out of its dates the VIP book does not apply.
        #expect(try price(f, f.printer, customer: f.vipCustomer, date: "2027-01-05").unitPriceFen == 10_000)
    }

    @Test func aChannelBookAndACustomersOwnBook() throws {
        let f = try ProductsFixture()
        try Self.books(f)
        #expect(try price(f, f.printer, customer: f.plainCustomer, channel: "经销商").trace == "目录价 100.00 → 经销商价目表 −15%")
        try f.write { tx in
            let own = try tx.create("price_book", ["name": .text("乙公司协议价"), "applies_to": .text("指定客户"),
                                                   "customer": .integer(f.plainCustomer), "priority": .integer(20)]).id
            try tx.create("price_book_entry", ["book": .integer(own), "product": .integer(f.printer), "price": .decimal(88.88)])
        }
        #expect(try price(f, f.printer, customer: f.plainCustomer, channel: "经销商")
                == PricedLine(unitPriceFen: 8888, trace: "目录价 100.00 → 乙公司协议价 单价 88.88"))
        // Products the customer's book does not list fall through to the next book.
        #expect(try price(f, f.paper, customer: f.plainCustomer, quantity: 10).unitPriceFen == 1188)
    }

    @Test func aCompanyWrapsTheStockPolicy() throws {
        let f = try ProductsFixture()
        let console = try f.console()
        let wrap = """
        local stock = crm.policy("products.price")
        crm.policy("products.price", function(args)
          local r = stock(args)
          if args.customer == nil then r.price = r.price + 100; r.trace = r.trace .. " → 散客加价 1.00" end
          return r
        end)
        """
        #expect(console.evaluate(wrap).error == nil)
        let line = try price(f, f.printer)
        #expect(line == PricedLine(unitPriceFen: 10_100, trace: "目录价 100.00 → 散客加价 1.00"))
        // From Lua, as the policy in force.
        let lua = console.evaluate("return crm.products.price{product = \(f.printer), quantity = \"1\", date = \"2026-12-01\"}.price")
        #expect(lua.error == nil)
        #expect(lua.output.contains("10100"))
    }

    @Test func aFloatPriceFromAScriptIsRefused() throws {
        let f = try ProductsFixture()
        #expect(try f.console().evaluate("crm.policy(\"products.price\", function(args) return {price = 12.345, trace = \"x\"} end)").error == nil)
        let error = kernelError { _ = try price(f, f.printer) }
        #expect(error?.kind == .scriptFailed)
        #expect(error?.message.contains("integer number of fen") == true)
    }

    @Test func badPricingInputIsRefusedNamingTheField() throws {
        let f = try ProductsFixture()
        #expect(kernelError { _ = try price(f, f.printer, quantity: -2) }?.fieldErrors.first?.field == "quantity")
        #expect(kernelError { _ = try price(f, f.printer, date: "2026-13-01") }?.fieldErrors.first?.field == "date")
        let unknown = kernelError { _ = try price(f, 9999) }
        #expect(unknown?.message.contains("9999") == true)
    }

    @Test func aBadPriceBookIsRefusedAndNothingWritten() throws {
        let f = try ProductsFixture()
        let book = try f.write { tx in try tx.create("price_book", ["name": .text("测试"), "applies_to": .text("默认")]).id }
        let unknownProduct = kernelError { _ = try f.write { tx in
            try tx.create("price_book_entry", ["book": .integer(book), "product": .integer(9999), "price": .decimal(1)])
        } }
        #expect(unknownProduct?.fieldErrors.map(\.field).contains("product") == true)
        let neither = kernelError { _ = try f.write { tx in try tx.create("price_book_entry", ["book": .integer(book), "product": .integer(f.printer)]) } }
        #expect(neither?.fieldErrors.first?.field == "price")
        let noGrade = kernelError { _ = try f.write { tx in try tx.create("price_book", ["name": .text("等级"), "applies_to": .text("客户等级")]) } }
        #expect(noGrade?.fieldErrors.first?.field == "grade")
        let dates = kernelError { _ = try f.write { tx in
            try tx.create("price_book", ["name": .text("日期"), "valid_from": .text("2026-12-01"), "valid_to": .text("2026-11-01")])
        } }
        #expect(dates?.fieldErrors.first?.field == "valid_to")
        #expect(try f.store.read { try $0.count("price_book_entry") } == 0)
        #expect(try f.store.read { try $0.count("price_book") } == 1)
    }

    @Test func aRepPricesForTheirOwnCustomerFromLua() throws {
        let f = try ProductsFixture()
        try Self.books(f)
        let console = try f.console(as: "lina")
        let result = console.evaluate("return crm.products.price{product = \(f.printer), customer = \(f.vipCustomer), quantity = \"1\", date = \"2026-12-01\"}.trace")
        #expect(result.error == nil)
        #expect(result.output.contains("VIP 价目表 −8%"))
        let stock = console.evaluate("return crm.products.available(\(f.printer)).available")
        #expect(stock.output.contains("0"))
    }
}
