import CRMKernel
import CRMServer
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Comments with @mentions on a record's page and timeline: posted once per form, escaped,
/// the mentioned user notified, unknown and ambiguous names and users who may not see the record
/// told, out of scope a 404.
struct CommentPageTests {
    /// A customer of rep1 and users to mention: 张伟 (unique, the manager of rep1's team, so sees
    /// the customer) and two 王芳.
    static func setUp(_ f: WebFixture) throws -> (customer: Int64, zhangwei: Int64) {
        let store = f.host.workspace.store
        var zhangwei: Int64 = 0
        try store.write(as: .system) { tx in
            zhangwei = try tx.create("user", ["name": .text("zhangwei"), "role": .text("sales_manager"), "display_name": .text("张伟")]).id
            let team = try tx.create("team", ["name": .text("华东销售"), "manager": .integer(zhangwei)]).id
            _ = try tx.update("user", f.ids["rep1"]!, ["team": .integer(team)])
            for login in ["wangfang1", "wangfang2"] {
                _ = try tx.create("user", ["name": .text(login), "role": .text("sales_rep"), "display_name": .text("王芳")])
            }
        }
        let customer = try store.create("customer", ["name": .text("评论客户<script>x</script>"), "phone": .text("13900000101"), "industry": .text("制造业"),
                                                     "source": .text("展会推荐"), "owner": .integer(f.ids["rep1"]!)]).id
        return (customer, zhangwei)
    }

    @Test func aMentionNotifiesTheUserAndUnknownAmbiguousOrUnseeingNamesAreTold() async throws {
        let f = try WebFixture()
        let (customer, zhangwei) = try Self.setUp(f)
        let store = f.host.workspace.store
        try await f.withClient { c in
            let b = Browser(c)
            try await b.signIn("rep1")
            let path = "/e/customer/\(customer)"
            let page = try await b.get(path)
            #expect(page.status == 200 && page.html.contains("id=\"timeline\"") && page.html.contains("comment-body"))
            let once = try #require(page.hidden("_once"))
            let text = "@张伟请看 <script>alert(1)</script> @王芳 @不存在的人 @rep2"
            let posted = try await b.post(path + "/comments", [("_csrf", try #require(page.hidden("_csrf"))), ("_once", once), ("body", text)])
            #expect(posted.status == 303)
            // The same form again goes where the first went: one comment.
            let twice = try await b.post(path + "/comments", [("_csrf", try #require(page.hidden("_csrf"))), ("_once", once), ("body", text)])
            #expect(twice.location == posted.location)
            #expect(try store.count("comment") == 1)
            let after = try await b.get(try #require(posted.location))
            #expect(after.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !after.html.contains("<script>alert(1)"))
            #expect(!after.html.contains("评论客户<script>"))
            #expect(after.html.contains("@不存在的人") && after.html.contains("@王芳"))
            let notes = try store.find(Query("notification", filter: .eq("user", .integer(zhangwei)))).records
            #expect(notes.count == 1 && notes.first?["kind"] == .text("comment.mention"))
            #expect(notes.first?["record_id"] == .integer(customer) && notes.first?["title"].textValue?.contains("rep1") == true)
            #expect(try store.count("notification", filter: .eq("kind", .text("comment.mention"))) == 1)  // neither 王芳 nor the author
            // rep2 does not see rep1's customer: not notified (the title names it), and rep1 is told.
            #expect(try store.count("notification", filter: .eq("user", .integer(f.ids["rep2"]!))) == 0)
            #expect(after.html.contains("@rep2") && (after.html.contains("无权查看此记录") || after.html.contains("may not see this record")))
        }
    }

    @Test func aCommentWithoutCSRFOrOnARecordOutOfScopeWritesNothing() async throws {
        let f = try WebFixture()
        let (customer, _) = try Self.setUp(f)
        let store = f.host.workspace.store
        try await f.withClient { c in
            let rep1 = Browser(c), rep2 = Browser(c)
            try await rep1.signIn("rep1")
            try await rep2.signIn("rep2")
            let page = try await rep1.get("/e/customer/\(customer)")
            let noCSRF = try await rep1.post("/e/customer/\(customer)/comments", [("_once", try #require(page.hidden("_once"))), ("body", "@张伟 你好")])
            #expect(noCSRF.status == 403)
            let empty = try await rep1.post("/e/customer/\(customer)/comments", [("_csrf", try #require(page.hidden("_csrf"))), ("_once", try #require(page.hidden("_once"))), ("body", "  ")])
            #expect(empty.status == 400)
            let other = try await rep2.post("/e/customer/\(customer)/comments", [("_csrf", try await rep2.csrf()), ("_once", "x"), ("body", "@张伟 看看")])
            #expect(other.status == 404)
            #expect(try store.count("comment") == 0 && store.count("notification") == 0)
        }
    }

    @Test func theHTTPAPIPostsAndListsCommentsAndRefusesBadBodies() async throws {
        let f = try WebFixture()
        let (customer, zhangwei) = try Self.setUp(f)
        let store = f.host.workspace.store
        let expiry = try TokenLifetime.expiry(days: nil, field: "days")
        let rep1 = try Accounts(store: store).createToken(for: "rep1", label: "test", expiresAt: expiry, by: .system).token
        let rep2 = try Accounts(store: store).createToken(for: "rep2", label: "test", expiresAt: expiry, by: .system).token
        try await f.withClient { c in
            func call(_ method: HTTPRequest.Method, _ uri: String, _ token: String, _ body: String? = nil) async throws -> (Int, String) {
                try await c.execute(uri: uri, method: method, headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                                    body: body.map { ByteBuffer(string: $0) }) { (Int($0.status.code), String(buffer: $0.body)) }
            }
            let uri = "/api/v1/records/customer/\(customer)/comments"
            let (status, json) = try await call(.post, uri, rep1, #"{"body": "@zhangwei 报价已发 @王芳"}"#)
            #expect(status == 201 && json.contains("\"mentioned\":[\(zhangwei)]") && json.contains("\"ambiguous\":[\"王芳\"]"))
            #expect(json.contains("\"cannot_see\":[]"))
            // rep2 does not see rep1's customer: told back, not notified.
            let (hidden, told) = try await call(.post, uri, rep1, #"{"body": "@rep2 你也看看"}"#)
            #expect(hidden == 201 && told.contains("\"mentioned\":[]") && told.contains("\"cannot_see\":[\"rep2\"]"))
            #expect(try store.count("notification", filter: .eq("user", .integer(f.ids["rep2"]!))) == 0)
            let (listed, list) = try await call(.get, uri, rep1)
            #expect(listed == 200 && list.contains("报价已发"))
            #expect(try await call(.post, uri, rep1, #"{"text": "x"}"#).0 == 400)
            #expect(try await call(.post, uri, rep1, #"{"body": ""}"#).0 == 400)
            #expect(try await call(.get, uri, rep2).0 == 404)
            #expect(try await call(.post, uri, rep2, #"{"body": "看看"}"#).0 == 404)
            #expect(try await call(.get, "/api/v1/records/customer/abc/comments", rep1).0 == 404)
            #expect(try store.count("comment") == 2)
            let openapi = try await call(.get, "/api/v1/openapi.json", rep1).1
            #expect(openapi.contains(#"\/api\/v1\/records\/customer\/{id}\/comments"#))  // JSON escapes the slashes
            #expect(openapi.contains("\"cannot_see\""))
        }
    }

    @Test func mentionsMatchTheLongestNameAndSkipEmailAddresses() {
        #expect(Comments.mentionWords(in: "@张伟请看，mail a@b.com 与 @li.na。") == ["张伟请看", "li.na"])
        #expect(Comments.mentionWords(in: "@ 空 @@x") == ["x"])
    }
}
