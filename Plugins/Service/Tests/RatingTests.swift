import CRMKernel
@testable import CRMService
import Foundation
import Testing
import CRMModuleTestSupport

/// The signed, expiring, one-time rating link.
struct RatingTests {
    /// The token in the link sent for `ticket`.
    static func token(_ f: ServiceFixture, ticket: Int64) throws -> String {
        let out = try f.store.find(Query("ticket_message", filter: .all([.eq("ticket", .integer(ticket)), .eq("direction", .text("out"))]),
                                         sort: [SortKey("id", descending: true)], limit: 1)).records
        let body = try #require(out.first?["body"].textValue)
        let range = try #require(body.range(of: "/rate/"))
        return String(body[range.upperBound...].prefix { !$0.isWhitespace })
    }

    @Test func aRatingIsRecordedOnceAndASecondUseIsRefused() async throws {
        let f = try ServiceFixture()
        let t = try f.ticket()
        _ = try f.store.update("ticket", t.id, ["status": .text("已解决")])
        let token = try Self.token(f, ticket: t.id)
        try await f.withClient { client in
            let page = try await client.call(.get, "/public/service/ratings/\(token)")
            #expect(page.status == 200 && page.data["number"] as? String == t["number"].textValue)
            let bad = try await client.call(.post, "/public/service/ratings/\(token)", json: #"{"score":9}"#)
            #expect(bad.status == 400 && bad.text.contains("score"))
            let first = try await client.call(.post, "/public/service/ratings/\(token)", json: #"{"score":5,"comment":"很满意"}"#)
            #expect(first.status == 200, "\(first.text)")
            let second = try await client.call(.post, "/public/service/ratings/\(token)", json: #"{"score":1}"#)
            #expect(second.status >= 400 && second.text.contains("already"))
            let altered = token.dropLast() + (token.last == "0" ? "1" : "0")
            let tampered = try await client.call(.post, "/public/service/ratings/\(altered)", json: #"{"score":1}"#)
            #expect(tampered.status == 404)
        }
        let rating = try #require(try f.store.find(Query("ticket_rating")).records.first)
        #expect(rating["score"] == .integer(5) && rating["agent"] == .integer(f.users["sunli"]!))
    }

    @Test func anExpiredLinkIsRefused() throws {
        let f = try ServiceFixture()
        let t = try f.ticket()
        _ = try f.store.update("ticket", t.id, ["status": .text("已解决")])
        let token = try Self.token(f, ticket: t.id)
        let error = kernelError { _ = try f.store.read { try Ratings.open($0, token: token, now: Date().addingTimeInterval(15 * 86_400)) } }
        #expect(error?.kind == .invalidState && error?.message.contains("expired") == true)
    }

    @Test func noRatingIsAskedForATicketTheAgentOpenedAndSolvedThemself() throws {
        let f = try ServiceFixture()
        let agent = ActingUser(id: f.users["sunli"], name: "sunli", role: "service_agent")
        let t = try f.store.write(as: agent) { tx in
            try tx.create("ticket", ["subject": .text("电话咨询"), "category": .text("安装调试"), "assignee": .integer(f.users["sunli"]!), "owner": .integer(f.users["sunli"]!)])
        }
        _ = try f.store.write(as: agent) { try $0.update("ticket", t.id, ["status": .text("已解决")]) }
        #expect(try f.store.count("ticket_rating") == 0)
    }
}
