import CRMKernel
@testable import CRMOrders
import CRMProducts
import Foundation
import Testing

/// Lines for catalog products: priced by the `products.price` policy with its trace, cost
/// frozen, 下架 and price floor refused, stock reserved on submit and taken on approval.
struct OrderProductTests {
    typealias F = OrderFixture

    /// A product on sale with stock in one warehouse.
    func catalog(_ f: F, stock: Decimal = 10) throws -> (product: Int64, withdrawn: Int64, warehouse: Int64) {
        try f.store.write(as: .system) { tx in
            let w = try tx.create("warehouse", ["code": .text("SZ"), "name": .text("深圳仓")]).id
            let p = try tx.create("product", ["code": .text("P-001"), "name": .text("工业空压机"), "unit": .text("台"), "list_price": .decimal(10_000),
                                              "cost_price": .decimal(6_000), "tax_rate": .text("13"), "kind": .text(ProductKind.stocked)]).id
            let old = try tx.create("product", ["code": .text("P-002"), "name": .text("旧款冷干机"), "unit": .text("台"), "list_price": .decimal(5_000),
                                                "status": .text(ProductStatus.withdrawn), "tax_rate": .text("13")]).id
            _ = try StockLedger.receive(tx, product: p, warehouse: w, quantity: stock)
            return (p, old, w)
        }
    }

    @Test func aLineWithoutAPriceIsPricedByThePolicyWithItsTraceAndItsCostFrozen() throws {
        let f = try F()
        let c = try catalog(f)
        let order = try f.draft([["product": .integer(c.product), "quantity": .decimal(2)]])
        let line = try #require(try f.store.find(Query("order_line", filter: .eq("order", .integer(order.id)))).records.first)
        #expect(line["sales_price"] == .decimal(10_000) && line["unit_cost"] == .decimal(6_000) && line["tax_rate"] == .decimal(13))
        #expect(line["price_trace"].textValue?.isEmpty == false, "\(line["price_trace"])")
        #expect(line["description"] == .text("工业空压机") && line["unit"] == .text("台"))
        _ = try f.store.write(as: .system) { try $0.update("product", c.product, ["cost_price": .decimal(9_000)]) }
        #expect(try f.get("order_line", line.id)["unit_cost"] == .decimal(6_000), "the catalog moving does not move the margin")
    }

    @Test func aWithdrawnProductAWholeUnitProductInFractionsAndAPriceBelowTheFloorAreRefused() throws {
        let f = try F()
        let c = try catalog(f)
        let order = try f.draft([])
        let cases: [([String: Value], String)] = [
            (["product": .integer(c.withdrawn), "quantity": .decimal(1)], "product"),
            (["product": .integer(c.product), "quantity": .decimal(Decimal(string: "1.5")!)], "quantity"),
            (["product": .integer(c.product), "quantity": .decimal(1), "sales_price": .decimal(5_000)], "sales_price"),
        ]
        for (line, field) in cases {
            let e = kernelError { _ = try f.write(as: f.rep) { try OrderService.addLine($0, entity: "order", id: order.id, line) } }
            #expect(e?.fieldErrors.map(\.field).contains(field) == true, "\(field): \(String(describing: e))")
        }
        #expect(try f.store.count("order_line") == 0)
    }

    @Test func stockIsReservedOnSubmitTakenOnApprovalAndReleasedWhenVoided() throws {
        let f = try F()
        let c = try catalog(f)
        let order = try f.draft([["product": .integer(c.product), "quantity": .decimal(3)]])
        func level() throws -> StockLevel { try f.store.read { try StockLedger.available($0, product: c.product, warehouse: c.warehouse) } }
        _ = try f.write(as: f.rep) { try OrderWorkflow.submit($0, order.id) }
        #expect(try level() == StockLevel(onHand: 10, reserved: 3))
        _ = try f.write(as: f.manager) { try OrderWorkflow.approved($0, order.id) }
        #expect(try level() == StockLevel(onHand: 7, reserved: 0))
        #expect(try f.get("order", order.id)["stock_state"] == .text("taken"))
        let other = try f.draft([["product": .integer(c.product), "quantity": .decimal(2)]])
        _ = try f.write(as: f.rep) { try OrderWorkflow.submit($0, other.id) }
        #expect(try level().reserved == 2)
        _ = try f.write(as: f.rep) { try OrderWorkflow.withdraw($0, other.id) }
        _ = try f.write(as: f.rep) { try OrderWorkflow.void($0, other.id, reason: "客户取消") }
        #expect(try level() == StockLevel(onHand: 7, reserved: 0))
    }

    @Test func takingStockBelowZeroIsRefusedAndTheOrderStaysSubmitted() throws {
        let f = try F()
        let c = try catalog(f, stock: 1)
        let order = try f.draft([["product": .integer(c.product), "quantity": .decimal(5)]])
        let e = kernelError { _ = try f.write(as: f.rep) { try OrderWorkflow.submit($0, order.id) } }
        #expect(e != nil && e?.fieldErrors.isEmpty == false, "\(String(describing: e))")
        #expect(try f.get("order", order.id)["status"] == .text("草稿"))
        #expect(try f.store.read { try StockLedger.available($0, product: c.product, warehouse: c.warehouse) } == StockLevel(onHand: 1, reserved: 0))
    }
}
