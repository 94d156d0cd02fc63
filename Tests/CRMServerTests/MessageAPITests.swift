import CRMKernel
import Foundation
import Testing

/// `GET /api/v1/messages` and `POST /api/v1/messages/{id}/retry`: the outbox, for administrators.
struct MessageAPITests {
    @Test func anAdministratorListsMessagesWithCountsAndRetriesAFailedOne() async throws {
        let f = try ServerFixture()
        let store = f.host.workspace.store
        let (first, failed) = try store.write(as: .system) { tx in
            (try tx.sendMessage(.email(to: "a@example.com", subject: "报价", body: "您好", source: "campaign:1"))!.id,
             try tx.sendMessage(.sms(to: "13800138000", body: "验证码", source: "campaign:1"))!.id)
        }
        _ = try store.update("message", failed, ["status": .text("失败"), "last_error": .text("SMTP RCPT 被拒绝：550")])
        try await f.withClient { c in
            let all = try await c.call(.get, "/api/v1/messages?source=campaign:1", token: f.tokens["boss"]!)
            #expect(all.status == 200)
            #expect(all.data.map { $0["id"] as? Int } == [Int(failed), Int(first)])
            let counts = try #require(all.object["counts"] as? [String: Any])
            #expect(counts["待发送"] as? Int == 1 && counts["失败"] as? Int == 1)
            #expect(try await c.call(.get, "/api/v1/messages?status=%E5%A4%B1%E8%B4%A5", token: f.tokens["boss"]!).data.count == 1)
            #expect(try await c.call(.get, "/api/v1/messages?status=done", token: f.tokens["boss"]!).status == 400)
            #expect(try await c.call(.get, "/api/v1/messages", token: f.tokens["rep1"]!).status == 403)
            #expect(try await c.call(.post, "/api/v1/messages/\(first)/retry", token: f.tokens["boss"]!).status == 409)
            let retried = try await c.call(.post, "/api/v1/messages/\(failed)/retry", token: f.tokens["boss"]!)
            #expect(retried.status == 200 && retried.object["status"] as? String == "待发送")
            #expect(try await c.call(.post, "/api/v1/messages/99999/retry", token: f.tokens["boss"]!).status == 404)
            #expect(try await c.call(.post, "/api/v1/messages/x/retry", token: f.tokens["boss"]!).status == 400)
        }
    }
}
