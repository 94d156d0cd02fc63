import CRMExamplePlugin
import CRMKernel
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

extension TestClientProtocol {
    /// Sends a JSON body as `token`'s user.
    func call(_ method: HTTPRequest.Method, _ uri: String, token: String?, json: String) async throws -> Reply {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(uri: uri, method: method, headers: headers, body: ByteBuffer(string: json)) { r in
            Reply(status: Int(r.status.code), text: String(buffer: r.body), headers: r.headers)
        }
    }
}

/// The approval routes: the same rules as the kernel's, as HTTP statuses.
struct ApprovalHTTPTests {
    @Test func aRefundGoesThroughItsFlowOverHTTP() async throws {
        let a = try ApprovalFixture()
        let refund = try a.refund(discount: "25")
        let t = a.f.tokens
        try await a.f.withClient { client in
            let submitted = try await client.call(.post, "/api/v1/approvals/submit", token: t["rep"], json: "{\"entity\":\"warranty_refund\",\"record_id\":\(refund)}")
            #expect(submitted.status == 200, "\(submitted.text)")
            let id = submitted.object["id"] as? Int ?? 0
            #expect(submitted.object["status"] as? String == "pending")
            #expect((submitted.object["snapshot"] as? [String: Any])?["discount_pct"] != nil)
            let twice = try await client.call(.post, "/api/v1/approvals/submit", token: t["rep"], json: "{\"entity\":\"warranty_refund\",\"record_id\":\(refund)}")
            #expect(twice.status == 409)

            let pending = try await client.call(.get, "/api/v1/approvals/pending", token: t["mgr"])
            #expect(pending.data.map { $0["id"] as? Int } == [id])
            #expect(try await client.call(.get, "/api/v1/approvals/pending", token: t["fin1"]).data.isEmpty)

            let wrong = try await client.call(.post, "/api/v1/approvals/\(id)/approve", token: t["fin1"], json: "{}")
            #expect(wrong.status == 403, "\(wrong.text)")
            let noComment = try await client.call(.post, "/api/v1/approvals/\(id)/reject", token: t["mgr"], json: "{\"comment\":\" \"}")
            #expect(noComment.status == 400 && noComment.text.contains("\"comment\""), "\(noComment.text)")
            let stale = try await client.call(.post, "/api/v1/approvals/\(id)/approve", token: t["mgr"], json: "{\"step\":1}")
            #expect(stale.status == 409, "\(stale.text)")
            let approved = try await client.call(.post, "/api/v1/approvals/\(id)/approve", token: t["mgr"], json: "{\"comment\":\"同意\",\"step\":0}")
            #expect(approved.status == 200 && approved.object["current_step"] as? Int == 1, "\(approved.text)")
            let again = try await client.call(.post, "/api/v1/approvals/\(id)/approve", token: t["mgr"], json: "{}")
            #expect(again.status == 409, "\(again.text)")

            let delegated = try await client.call(.post, "/api/v1/approvals/\(id)/delegate", token: t["fin1"], json: "{\"user\":\"boss2\",\"comment\":\"请代批\"}")
            #expect(delegated.status == 200, "\(delegated.text)")
            let unknown = try await client.call(.post, "/api/v1/approvals/\(id)/delegate", token: t["fin2"], json: "{\"user\":\"ghost\"}")
            #expect(unknown.status == 400 && unknown.text.contains("\"user\""), "\(unknown.text)")
            let done = try await client.call(.post, "/api/v1/approvals/\(id)/approve", token: t["boss2"], json: "")
            #expect(done.status == 200 && done.object["status"] as? String == "approved", "\(done.text)")

            let withdraw = try await client.call(.post, "/api/v1/approvals/\(id)/withdraw", token: t["rep"], json: "{}")
            #expect(withdraw.status == 409 && withdraw.text.contains("already ended"), "\(withdraw.text)")

            let history = try await client.call(.get, "/api/v1/approvals?entity=warranty_refund&record_id=\(refund)", token: t["rep"])
            #expect(history.status == 200 && history.data.count == 1)
            let actions = (history.data.first?["decisions"] as? [[String: Any]])?.map { $0["action"] as? String }
            #expect(actions == ["submit", "approve", "delegate", "approve"])
            #expect(try await client.call(.get, "/api/v1/approvals?entity=warranty_refund&record_id=\(refund)", token: t["other"]).status == 404)
            #expect(try await client.call(.get, "/api/v1/approvals/\(id)", token: t["other"]).status == 404)
            #expect(try await client.call(.get, "/api/v1/approvals/\(id)", token: t["fin2"]).status == 200)
            #expect(try await client.call(.get, "/api/v1/approvals", token: t["rep"]).status == 400)
            #expect(try await client.call(.post, "/api/v1/approvals/\(id)/bless", token: t["rep"], json: "{}").status == 404)
            #expect(try await client.call(.get, "/api/v1/approvals/pending", token: nil).status == 401)
        }
        #expect(try a.status(refund) == "已审批")
    }

    @Test func badSubmissionsAreClearErrors() async throws {
        let a = try ApprovalFixture()
        let refund = try a.refund()
        let t = a.f.tokens
        try await a.f.withClient { client in
            let noEntity = try await client.call(.post, "/api/v1/approvals/submit", token: t["rep"], json: "{\"record_id\":\(refund)}")
            #expect(noEntity.status == 400 && noEntity.text.contains("\"entity\""))
            let noFlow = try await client.call(.post, "/api/v1/approvals/submit", token: t["boss"], json: "{\"entity\":\"warranty_claim\",\"record_id\":1}")
            #expect(noFlow.status == 404 && noFlow.text.contains("no approval flow"), "\(noFlow.text)")
            let notMine = try await client.call(.post, "/api/v1/approvals/submit", token: t["other"], json: "{\"entity\":\"warranty_refund\",\"record_id\":\(refund)}")
            #expect(notMine.status == 404, "\(notMine.text)")
            let forbidden = try await client.call(.post, "/api/v1/approvals/submit", token: t["marketer"], json: "{\"entity\":\"warranty_refund\",\"record_id\":\(refund)}")
            #expect(forbidden.status == 403, "\(forbidden.text)")
            let malformed = try await client.call(.post, "/api/v1/approvals/submit", token: t["rep"], json: "{")
            #expect(malformed.status == 400)
        }
        #expect(try a.trace(refund).first?.hasPrefix("notifications") == true)
    }

    @Test func theOpenAPIDocumentDescribesTheApprovalRoutes() async throws {
        let a = try ApprovalFixture()
        try await a.f.withClient { client in
            let doc = try await client.call(.get, "/api/v1/openapi.json", token: a.f.tokens["rep"])
            let paths = doc.object["paths"] as? [String: Any] ?? [:]
            for path in ["/api/v1/approvals/pending", "/api/v1/approvals", "/api/v1/approvals/{id}", "/api/v1/approvals/submit",
                         "/api/v1/approvals/{id}/approve", "/api/v1/approvals/{id}/reject", "/api/v1/approvals/{id}/withdraw",
                         "/api/v1/approvals/{id}/delegate"] {
                #expect(paths[path] != nil, "\(path)")
            }
        }
    }
}
