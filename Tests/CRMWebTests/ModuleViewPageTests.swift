import CRMKernel
import Foundation
import HummingbirdTesting
import Testing

/// Module pages rendered from the module's own template and data function, and the one route
/// their forms post to (`POST /do/<module>/<function>`).
struct ModuleViewPageTests {
    /// A customer in the 公海 (no owner).
    static func pooled(_ f: WebFixture, _ name: String, phone: String) throws -> Int64 {
        try f.host.workspace.store.create("customer", ["name": .text(name), "phone": .text(phone), "industry": .text("制造业"),
                                                      "source": .text("展会推荐")]).id
    }

    @Test func thePoolPageIsTheModulesTemplateWithEveryValueEscaped() async throws {
        let f = try WebFixture()
        _ = try Self.pooled(f, "公海<script>客户", phone: "13900000301")
        try await f.withClient { c in
            let b = Browser(c)
            try await b.signIn("rep1")
            let pool = try await b.get("/customers/pool")
            #expect(pool.status == 200, "\(pool.html)")
            #expect(pool.html.contains("公海&lt;script&gt;客户") && !pool.html.contains("<script>客户"))
            #expect(pool.html.contains("action=\"/do/customers/claim\"") && pool.html.contains("<main"))
            #expect(pool.hidden("_token")?.count == 32)
            let en = Browser(c)
            try await en.signIn("rep2")
            _ = try await en.post("/lang", [("_csrf", try await en.csrf()), ("to", "en"), ("_back", "/")])
            #expect(try await en.get("/customers/pool").html.contains(">Claim</button>"))
        }
    }

    @Test func aFormActionClaimsOnceAndGoesToTheLocalNextPath() async throws {
        let f = try WebFixture()
        let id = try Self.pooled(f, "领取客户", phone: "13900000302")
        let store = f.host.workspace.store
        try await f.withClient { c in
            let b = Browser(c)
            try await b.signIn("rep1")
            let pool = try await b.get("/customers/pool")
            let csrf = try #require(pool.hidden("_csrf")), token = try #require(pool.hidden("_token"))
            let form = [("_csrf", csrf), ("_token", token), ("_back", "/customers/pool"), ("next", "/e/customer/{id}"), ("id", String(id))]
            let claimed = try await b.post("/do/customers/claim", form)
            #expect(claimed.status == 303 && claimed.location == "/e/customer/\(id)?saved=1", "\(claimed.status) \(claimed.html)")
            #expect(try store.get("customer", id)?["owner"] == .integer(f.ids["rep1"]!))
            // The same form again (a double click): where the first went, nothing done twice.
            let again = try await b.post("/do/customers/claim", form)
            #expect(again.status == 303 && again.location == "/e/customer/\(id)?saved=1")
            let noToken = try await b.post("/do/customers/claim", [("_csrf", csrf), ("next", "/customers/pool"), ("id", String(id))])
            #expect(noToken.status == 400)
        }
    }

    @Test func aFormActionIsRefusedWithoutCSRFForAnUnknownFunctionOrAForeignNextPath() async throws {
        let f = try WebFixture()
        let id = try Self.pooled(f, "未领客户", phone: "13900000303")
        let store = f.host.workspace.store
        try await f.withClient { c in
            let b = Browser(c)
            try await b.signIn("rep1")
            let pool = try await b.get("/customers/pool")
            let csrf = try #require(pool.hidden("_csrf"))
            let noCSRF = try await b.post("/do/customers/claim", [("_token", try #require(pool.hidden("_token"))), ("next", "/customers/pool"), ("id", String(id))])
            #expect(noCSRF.status == 403)
            for path in ["/do/customers/no_such_function", "/do/no_such_module/claim"] {
                let unknown = try await b.post(path, [("_csrf", csrf), ("_token", "t-\(path)"), ("next", "/customers/pool"), ("id", String(id))])
                #expect(unknown.status == 404, "\(path)")
            }
            for next in ["https://evil.example/x", "//evil.example/x", "/\\evil.example", "/\t/evil.example", "javascript:alert(1)"] {
                let bad = try await b.post("/do/customers/claim", [("_csrf", csrf), ("_token", "t-\(next)"), ("next", next), ("id", String(id))])
                #expect(bad.status == 400 && bad.location == nil, "\(next)")
            }
            #expect(try store.get("customer", id)?["owner"] == .null)
        }
    }

    @Test func aRefusedFormActionReRendersThePageWithTheFieldError() async throws {
        let f = try WebFixture()
        _ = try Self.pooled(f, "错误客户", phone: "13900000304")
        try await f.withClient { c in
            let b = Browser(c)
            try await b.signIn("rep1")
            let pool = try await b.get("/customers/pool")
            let refused = try await b.post("/do/customers/claim", [("_csrf", try #require(pool.hidden("_csrf"))), ("_token", try #require(pool.hidden("_token"))),
                                                                   ("_back", "/customers/pool"), ("next", "/customers/pool"), ("id", "不是编号")])
            #expect(refused.status == 422)
            #expect(refused.html.contains("role=\"alert\"") && refused.html.contains("id must be a record id") && refused.html.contains("错误客户"))
            #expect(refused.html.contains("name=\"_back\" value=\"/customers/pool\""), "the language switch returns to the page, not to the action")
        }
    }

    @Test func theOwnerReleasesACustomerFromItsPageWithAReason() async throws {
        let f = try WebFixture()
        let store = f.host.workspace.store
        let id = try store.create("customer", ["name": .text("退回客户"), "phone": .text("13900000305"), "industry": .text("制造业"),
                                               "source": .text("展会推荐"), "owner": .integer(f.ids["rep1"]!)]).id
        try await f.withClient { c in
            let boss = Browser(c)
            try await boss.signIn("boss")
            #expect(!(try await boss.get("/e/customer/\(id)").html.contains("id=\"release\"")))  // not the owner: no release card
            let b = Browser(c)
            try await b.signIn("rep1")
            let page = try await b.get("/e/customer/\(id)")
            #expect(page.html.contains("id=\"release\"") && page.html.contains("action=\"/do/customers/release\""))
            let form = { (reason: String, token: String) in
                [("_csrf", page.hidden("_csrf") ?? ""), ("_token", token), ("_back", "/e/customer/\(id)"), ("next", "/customers/pool"), ("id", String(id)), ("reason", reason)]
            }
            let noReason = try await b.post("/do/customers/release", form("", "r-1"))
            #expect(noReason.status == 422 && noReason.html.contains("id=\"release-error\""), "\(noReason.status)")
            #expect(try store.get("customer", id)?["owner"] == .integer(f.ids["rep1"]!))
            let released = try await b.post("/do/customers/release", form("客户搬迁", "r-2"))
            #expect(released.location == "/customers/pool?saved=1", "\(released.status) \(released.html)")
            #expect(try store.get("customer", id)?["owner"] == .null)
        }
    }
}
