import CRMKernel
@testable import CRMOrders
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The same access over HTTP: actions, records without cost for the rep, the print view.
struct OrderHTTPTests {
    @Test func theRepSavesAndSubmitsThroughActionsSeesNoMarginAndPrintsEscapedHTML() async throws {
        let f = try OrderFixture()
        let rep = try #require(f.tokens["rep"]), boss = try #require(f.tokens["boss_zhang"])
        let customer = f.customer
        try await f.withClient { c in
            let body = #"[{"customer": \#(customer), "title": "<合同>", "lines": [{"description": "实施 & 培训", "quantity": "2", "sales_price": "1000", "tax_rate": "6", "unit_cost": "400"}]}]"#
            let saved = try await c.send(.post, "/api/v1/actions/orders/save_order", token: rep, body: body)
            #expect(saved.status == 200, "\(saved.text)")
            let id = try #require((saved.object["result"] as? [String: Any])?["id"] as? Int, "\(saved.text)")
            #expect(!saved.text.contains("\"margin\""), "the rep does not see the margin in the answer either")
            let asRep = try await c.send(.get, "/api/v1/records/order/\(id)", token: rep)
            #expect(asRep.status == 200 && asRep.text.contains("\"total\"") && !asRep.text.contains("\"margin\""), "\(asRep.text)")
            let asManager = try await c.send(.get, "/api/v1/records/order/\(id)", token: boss)
            #expect(asManager.text.contains("\"margin\""))
            let bad = try await c.send(.post, "/api/v1/actions/orders/add_line", token: rep, body: #"["order", \#(id), {"description": "x", "quantity": "-1", "sales_price": "1"}]"#)
            #expect(bad.status == 422 || bad.status == 400, "\(bad.status) \(bad.text)")
            #expect(bad.text.contains("quantity"))
            let printed = try await c.send(.get, "/api/v1/modules/orders/orders/\(id)/print", token: rep)
            #expect(printed.status == 200 && printed.text.contains("实施 &amp; 培训") && !printed.text.contains("实施 & 培训"))
            let submitted = try await c.send(.post, "/api/v1/actions/orders/submit", token: rep, body: "[\(id)]")
            // No step of the stock flow applies to an undiscounted order with a healthy margin: approved at once.
            #expect(submitted.status == 200 && submitted.text.contains("已审批"), "\(submitted.text)")
            let history = try await c.send(.get, "/api/v1/approvals?entity=order&record_id=\(id)", token: rep)
            #expect(history.status == 200 && history.text.contains("\"approved\""), "\(history.text)")
        }
    }
}

/// A response read as text.
struct Reply {
    var status: Int
    var text: String
    var object: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
}

extension TestClientProtocol {
    /// Sends a request as `token`'s user with an optional JSON body.
    func send(_ method: HTTPRequest.Method, _ uri: String, token: String?, body: String? = nil) async throws -> Reply {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { r in
            Reply(status: Int(r.status.code), text: String(buffer: r.body))
        }
    }
}
