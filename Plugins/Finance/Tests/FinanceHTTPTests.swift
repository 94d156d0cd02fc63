import CRMKernel
@testable import CRMFinance
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The same access over HTTP: the rep records a receipt through the action and sees only her
/// orders' installments; only 财务 approves; a bad amount names the field.
struct FinanceHTTPTests {
    @Test func theRepRecordsAReceiptThroughTheActionAndFinanceApprovesIt() async throws {
        let f = try FinanceFixture()
        let order = try f.order(yuan: 1_000)
        try f.run("crm.finance.generate_plans(\(order))", as: "cw")
        let rep = try #require(f.tokens["rep"]), cw = try #require(f.tokens["cw"])
        let today = f.today
        try await f.withClient { c in
            let plans = try await c.send(.get, "/api/v1/records/payment_plan", token: rep)
            #expect(plans.status == 200 && (plans.object["data"] as? [Any])?.count == 3, "\(plans.text)")
            let bad = try await c.send(.post, "/api/v1/actions/finance/record_payment", token: rep,
                                       body: #"[{"order": \#(order), "amount_fen": 100000000, "received_on": "\#(today)"}]"#)
            #expect(bad.status == 422 || bad.status == 400, "\(bad.status) \(bad.text)")
            #expect(bad.text.contains("amount"))
            let made = try await c.send(.post, "/api/v1/actions/finance/record_payment", token: rep,
                                        body: #"[{"order": \#(order), "amount_fen": 30000, "received_on": "\#(today)"}]"#)
            #expect(made.status == 200 && made.text.contains("审批中"), "\(made.text)")
            let pending = try await c.send(.get, "/api/v1/approvals/pending", token: cw)
            #expect(pending.status == 200, "\(pending.text)")
            let approval = try #require((pending.object["data"] as? [[String: Any]])?.first?["id"] as? Int, "\(pending.text)")
            let byRep = try await c.send(.post, "/api/v1/approvals/\(approval)/approve", token: rep, body: #"{"comment": "ok"}"#)
            #expect(byRep.status == 403 || byRep.status == 404, "a rep never approves: \(byRep.status)")
            let byFinance = try await c.send(.post, "/api/v1/approvals/\(approval)/approve", token: cw, body: #"{"comment": "已到账"}"#)
            #expect(byFinance.status == 200, "\(byFinance.text)")
            let figures = try await c.send(.post, "/api/v1/actions/finance/order_figures", token: rep, body: "[\(order)]")
            #expect(figures.status == 200 && figures.text.contains("\"received_fen\":30000"), "\(figures.text)")
            let forbidden = try await c.send(.post, "/api/v1/actions/finance/send_reminders", token: rep, body: "[]")
            #expect(forbidden.status == 403, "\(forbidden.status)")
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
