import CRMKernel
@testable import CRMService
import Foundation
import Testing
import CRMModuleTestSupport

/// The stock roles' grants: an agent works their own tickets, the manager all; the rating's
/// signing key is never shown.
struct ServiceGrantTests {
    @Test func anAgentSeesTheirOwnTicketsAndTheManagerAllButNobodyTheSigningKey() async throws {
        let f = try ServiceFixture()
        let mine = try f.ticket(["category": .text("安装调试")]), theirs = try f.ticket(["category": .text("故障报修")])
        _ = try f.store.update("ticket", mine.id, ["status": .text("已解决")])
        try await f.withClient { client in
            #expect(try await client.call(.get, "/api/v1/records/ticket/\(mine.id)", token: f.tokens["sunli"]).status == 200)
            #expect(try await client.call(.get, "/api/v1/records/ticket/\(theirs.id)", token: f.tokens["sunli"]).status == 404)
            #expect(try await client.call(.get, "/api/v1/records/ticket/\(theirs.id)", token: f.tokens["zhouyan"]).status == 200)
            let ratings = try await client.call(.get, "/api/v1/records/ticket_rating", token: f.tokens["zhouyan"])
            #expect(ratings.status == 200 && ratings.text.contains("asked_at") && !ratings.text.contains("nonce"), "\(ratings.text)")
            let report = try await client.call(.post, "/api/v1/actions/service/sla_report", token: f.tokens["sunli"], json: #"[{"by":"team"}]"#)
            #expect(report.status == 200)
        }
    }
}
