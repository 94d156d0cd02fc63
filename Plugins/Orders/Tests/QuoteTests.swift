import CRMKernel
@testable import CRMOrders
import Foundation
import Testing

/// Quote versions, quote → order, won opportunity → order in one step, the print view.
struct QuoteTests {
    typealias F = OrderFixture

    func quote(_ f: F) throws -> Record {
        try f.write(as: f.rep) {
            try OrderService.save($0, entity: "quote", id: nil, header: ["customer": .integer(f.customer), "title": .text("报价 <甲>")],
                                  lines: [F.line(), F.line("培训 & 支持", quantity: 1, price: 500)])
        }
    }

    @Test func aNewVersionCopiesTheLinesAndLeavesTheOldOneReadOnly() throws {
        let f = try F()
        let v1 = try quote(f)
        let v2 = try f.write(as: f.rep) { try QuoteActions.newVersion($0, v1.id, fields: ["order_discount": .decimal(10)]) }
        #expect(v2["doc_version"] == .integer(2) && v2["previous"] == .integer(v1.id) && v2["number"] == v1["number"])
        #expect(v2["line_count"] == .integer(2) && v2["total"].fen == (v1["total"].fen * 9 / 10))
        #expect(try f.get("quote", v1.id)["superseded"] == .bool(true))
        let line = try f.store.find(Query("order_line", filter: .eq("quote", .integer(v1.id)))).records[0]
        let e = kernelError { _ = try f.write(as: f.rep) { try OrderService.updateLine($0, line.id, ["quantity": .decimal(9)]) } }
        #expect(e?.fieldErrors.first?.field == "quote")
        #expect(kernelError { _ = try f.write(as: f.rep) { try QuoteActions.newVersion($0, v1.id) } }?.kind == .invalidState)
    }

    @Test func aQuoteBecomesAnOrderKeepingItsLinesOnce() throws {
        let f = try F()
        let q = try quote(f)
        let order = try f.write(as: f.rep) { try QuoteActions.toOrder($0, q.id) }
        #expect(order["quote"] == .integer(q.id) && order["total"] == q["total"] && order["line_count"] == .integer(2))
        #expect(try f.get("quote", q.id)["order"] == .integer(order.id))
        #expect(kernelError { _ = try f.write(as: f.rep) { try QuoteActions.toOrder($0, q.id) } }?.kind == .invalidState)
    }

    @Test func aWonOpportunityBecomesAnOrderInOneStepAndLinksBack() throws {
        let f = try F()
        let opp = try f.write(as: f.rep) { try $0.create("opportunity", ["name": .text("华信 ERP"), "customer": .integer(f.customer), "amount": .decimal(120_000)]) }
        #expect(kernelError { _ = try f.write(as: f.rep) { try OpportunityLink.toOrder($0, opportunity: opp.id) } }?.fieldErrors.first?.field == "stage")
        _ = try f.store.write(as: .system) { try $0.update("opportunity", opp.id, ["stage": .text("赢单"), "decision_maker": .text("王总"),
                                                                                "expected_close_date": .text("2026-12-31")]) }
        let order = try f.write(as: f.rep) { try OpportunityLink.toOrder($0, opportunity: opp.id) }
        #expect(order["opportunity"] == .integer(opp.id) && order["opportunity_amount"] == .decimal(120_000) && order["total"] == .decimal(120_000))
        #expect(try f.get("opportunity", opp.id)["order"] == .integer(order.id))
        #expect(kernelError { _ = try f.write(as: f.rep) { try OpportunityLink.toOrder($0, opportunity: opp.id) } }?.kind == .conflict)
    }

    @Test func thePrintViewEscapesWhatItShowsAndLeavesOutTheMargin() throws {
        let f = try F()
        let q = try quote(f)
        let html = try f.store.read { try PrintView.render($0, q) }
        #expect(html.contains("报价 &lt;甲&gt;") == false)  // the title is not printed raw
        #expect(html.contains("培训 &amp; 支持") && !html.contains("培训 & 支持"))
        #expect(html.contains("lang=\"zh-CN\"") && !html.contains("毛利"))
    }
}
