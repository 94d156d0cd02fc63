import CRMKernel
import CRMScripting
@testable import CRMOrders
import Foundation
import Testing

/// Lines and totals: what is computed, and bad input refused with the field named and nothing written.
struct OrderLineTests {
    typealias F = OrderFixture

    @Test func savingAnOrderComputesLinesAndTotalsInFenWithTheOrderDiscountSpread() throws {
        let f = try F()
        let saved = try f.draft([F.line(quantity: 3, price: Decimal(string: "3.33")!, discount: 10, tax: 13, cost: 1),
                                 F.line("培训", quantity: 1, price: Decimal(string: "10.01")!, tax: 6, cost: 0)], discount: 5)
        #expect(saved["margin"] == .null, "the rep does not see the margin")
        let order = try f.get("order", saved.id)
        #expect(order["status"] == .text("草稿"))
        #expect(order["number"].textValue?.hasPrefix("HT-") == true)
        #expect(order["subtotal"] == .decimal(19))
        #expect(order["total"] == .decimal(Decimal(string: "18.05")!))
        #expect(order["line_count"] == .integer(2))
        let lines = try f.store.find(Query("order_line", filter: .eq("order", .integer(order.id)), sort: [SortKey("position")])).records
        #expect(lines.map { $0["amount"] } == [.decimal(Decimal(string: "8.99")!), .decimal(Decimal(string: "10.01")!)])
        let net = lines.map { $0["net_amount"].fen }.reduce(0, +), margin = lines.map { $0["margin"].fen }.reduce(0, +)
        #expect(net == order["total"].fen && margin == order["margin"].fen)
        let expected = OrderMath.compute(lines.map { LineInput(values: $0.values) }, orderDiscountPercent: 5, rule: .line)
        #expect(expected.totalFen == order["total"].fen && expected.taxFen == order["tax"].fen && expected.marginFen == order["margin"].fen)
    }

    @Test func aNegativeQuantityADiscountOver100AndAMissingPriceAreFieldErrorsAndNothingIsWritten() throws {
        let f = try F()
        let order = try f.draft()
        let before = try f.store.count("order_line")
        for (line, field) in [(F.line(quantity: -1), "quantity"), (F.line(discount: 120), "discount"),
                              (["description": Value.text("x"), "quantity": .decimal(1)], "sales_price"), (["quantity": Value.decimal(1), "sales_price": .decimal(1)], "description")] {
            let e = kernelError { _ = try f.write(as: f.rep) { try OrderService.addLine($0, entity: "order", id: order.id, line) } }
            #expect(e?.fieldErrors.map(\.field).contains(field) == true, "\(field): \(String(describing: e))")
        }
        #expect(try f.store.count("order_line") == before)
        #expect(try f.get("order", order.id)["total"] == order["total"])
    }

    @Test func aRepCannotWriteLinesDirectlyNorSetTheStatusOrTotals() throws {
        let f = try F()
        let order = try f.draft()
        #expect(kernelError { _ = try f.write(as: f.rep) { try $0.create("order_line", ["order": .integer(order.id)].merging(F.line()) { $1 }) } }?.kind == .forbidden)
        #expect(kernelError { _ = try f.write(as: f.rep) { try $0.update("order", order.id, ["status": .text("已审批")]) } } != nil)
        #expect(kernelError { _ = try f.write(as: f.rep) { try $0.update("order", order.id, ["total": .decimal(1)]) } } != nil)
        #expect(try f.get("order", order.id)["status"] == .text("草稿"))
    }

    @Test func theTotalRoundingRuleFromLuaRoundsOnceOnTheDocument() throws {
        let f = try F()
        let console = Console(host: f.host) { _ in }
        try FileManager.default.createDirectory(at: f.host.workspace.scriptsDirectory.appendingPathComponent("company"), withIntermediateDirectories: true)
        try "crm.orders.rules{ rounding = \"total\" }\n".write(to: f.host.workspace.scriptsDirectory.appendingPathComponent("90_company.lua"), atomically: true, encoding: .utf8)
        let reload = console.evaluate(".reload")
        #expect(reload.error == nil, "\(reload)")
        #expect(OrderSettings.current(f.store.schema).rounding == .total)
        let half = F.line(quantity: 1, price: Decimal(string: "0.01")!, discount: 50, tax: 0, cost: 0)
        let order = try f.draft([half, half, half])
        #expect(order["total"] == .decimal(Decimal(string: "0.02")!))
        let lua = console.evaluate("return crm.orders.compute{ lines = { {quantity = 1, sales_price = \"0.01\", discount = 50}, {quantity = 1, sales_price = \"0.01\", discount = 50}, {quantity = 1, sales_price = \"0.01\", discount = 50} } }.total")
        #expect(lua.output == "2", "\(lua)")
    }
}
