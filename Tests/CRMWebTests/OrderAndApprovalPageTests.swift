import CRMKernel
import Foundation
import HummingbirdTesting
import Testing

/// The orders module's document page (lines edited in place, totals the module recomputed,
/// submit) and the approvals waiting for me (approve, reject with a reason).
struct OrderAndApprovalPageTests {
    /// A draft order of rep1 for a customer of theirs.
    static func draftOrder(_ f: WebFixture) throws -> Int64 {
        let store = f.host.workspace.store
        let customer = try store.create("customer", ["name": .text("订单客户"), "phone": .text("13900000201"), "industry": .text("制造业"),
                                                     "source": .text("展会推荐"), "owner": .integer(f.ids["rep1"]!)]).id
        return try store.create("order", ["customer": .integer(customer), "title": .text("网页<b>合同</b>"), "owner": .integer(f.ids["rep1"]!)]).id
    }

    /// The first `data-approval` id in a page.
    static func approvalID(_ html: String) -> String? {
        guard let range = html.range(of: "data-approval=\"") else { return nil }
        return String(html[range.upperBound...].prefix(while: \.isNumber))
    }

    @Test func editingALineRecomputesTheTotalAndARefusalIsToldAtTheLines() async throws {
        let f = try WebFixture()
        let order = try Self.draftOrder(f)
        let store = f.host.workspace.store
        try await f.withClient { c in
            let b = Browser(c)
            try await b.signIn("rep1")
            let path = "/e/order/\(order)"
            let page = try await b.get(path)
            #expect(page.status == 200 && page.html.contains("id=\"lines\"") && page.html.contains("网页&lt;b&gt;合同"))
            let csrf = try #require(page.hidden("_csrf"))
            let added = try await b.post("/orders/lines/add", [("_csrf", csrf), ("entity", "order"), ("id", String(order)),
                                                               ("description", "实施服务"), ("quantity", "2"), ("sales_price", "1000")])
            #expect(added.status == 303)
            #expect(try store.get("order", order)?["total"] == .decimal(2000))
            let line = try #require(try store.find(Query("order_line", filter: .eq("order", .integer(order)))).records.first)
            let edited = try await b.post("/orders/lines/\(line.id)", [("_csrf", csrf), ("_back", path), ("quantity", "3"), ("sales_price", "1000"), ("discount", "0")])
            #expect(edited.location == path + "?saved=1#lines")
            #expect(try store.get("order", order)?["total"] == .decimal(3000))
            let shown = try await b.get(path)
            #expect(shown.html.contains("id=\"doc-total\">¥3000"))
            #expect(!shown.html.contains("id=\"doc-margin\""))  // hidden from a 销售专员
            let refused = try await b.post("/orders/lines/\(line.id)", [("_csrf", csrf), ("_back", path), ("quantity", "很多")])
            let told = try await b.get(try #require(refused.location))
            #expect(told.html.contains("id=\"line-error\""))
            #expect(try store.get("order", order)?["total"] == .decimal(3000))
            let noCSRF = try await b.post("/orders/lines/\(line.id)", [("_back", path), ("quantity", "9")])
            #expect(noCSRF.status == 403)
            #expect(try store.get("order_line", line.id)?["quantity"] == .decimal(3))
        }
    }

    @Test func anApproverDecidesFromTheApprovalsPage() async throws {
        let f = try WebFixture()
        let order = try Self.draftOrder(f)
        let store = f.host.workspace.store
        try await f.withClient { c in
            let rep = Browser(c), boss = Browser(c)
            try await rep.signIn("rep1")
            try await boss.signIn("boss")
            let csrf = try await rep.csrf()
            // Over 500,000 yuan: the stock flow asks an administrator.
            _ = try await rep.post("/orders/lines/add", [("_csrf", csrf), ("entity", "order"), ("id", String(order)),
                                                         ("description", "整体解决方案"), ("quantity", "1"), ("sales_price", "600000")])
            let page = try await rep.get("/e/order/\(order)")
            #expect(page.html.contains("id=\"submit-order\""))
            let submitted = try await rep.post("/orders/submit", [("_csrf", csrf), ("id", String(order))])
            #expect(submitted.location?.contains("line_error") == false)
            #expect(try await rep.get("/approvals").html.contains("没有等待您处理的审批"))
            let waiting = try await boss.get("/approvals")
            #expect(waiting.status == 200 && waiting.html.contains("网页&lt;b&gt;合同"))
            let id = try #require(Self.approvalID(waiting.html))
            let bossCSRF = try #require(waiting.hidden("_csrf"))
            let noReason = try await boss.post("/approvals/\(id)/reject", [("_csrf", bossCSRF), ("comment", "")])
            #expect(noReason.status == 400)
            let approved = try await boss.post("/approvals/\(id)/approve", [("_csrf", bossCSRF), ("comment", "同意")])
            #expect(approved.location == "/approvals?done=approve")
            #expect(try store.get("order", order)?["status"] == .text("已审批"))
            #expect(!(try await boss.get("/approvals").html.contains("data-approval=\"\(id)\"")))
        }
    }
}
