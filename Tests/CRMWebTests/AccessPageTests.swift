import CRMKernel
import Foundation
import HummingbirdTesting
import Testing

/// What the pages show follows the user's access: escaping everywhere, 404 out of scope,
/// hidden fields absent, a form kept through a new sign-in.
struct AccessPageTests {
    @Test func scriptInAValueOrALuaLabelIsEscapedEverywhere() async throws {
        let script = """
        crm.field("customer", "x_note", { type = "text", label = "<b>脚本标签</b>", label_en = "<b>label</b>" })
        """
        let f = try WebFixture(companyScript: script)
        try await f.withClient { c in
            let b = Browser(c)
            try await b.signIn("rep1")
            let form = try await b.get("/e/customer/new")
            #expect(form.html.contains("&lt;b&gt;脚本标签&lt;/b&gt;") && !form.html.contains("<b>脚本标签"))
            let evil = "<script>alert(1)</script>\"'"
            let made = try await b.post("/e/customer", [("_csrf", try #require(form.hidden("_csrf"))), ("_once", try #require(form.hidden("_once")))]
                                        + RecordPageTests.customer(evil, phone: "13900000004") + [("x_note", "<img src=x onerror=alert(2)>")])
            let path = String(try #require(made.location?.split(separator: "?").first))
            for page in [try await b.get(path), try await b.get("/e/customer?cols=name,x_note"), try await b.get(path + "/edit"), try await b.get("/search?q=" + b.enc("<script>"))] {
                #expect(page.status == 200)
                #expect(!page.html.contains("<script>alert") && !page.html.contains("<img src=x"))
            }
            #expect(try await b.get(path).html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;"))
        }
    }

    @Test func aRecordOutOfScopeIsANotFoundPage() async throws {
        let f = try WebFixture()
        try await f.withClient { c in
            let owner = Browser(c)
            try await owner.signIn("rep2")
            let form = try await owner.get("/e/customer/new")
            let made = try await owner.post("/e/customer", [("_csrf", try #require(form.hidden("_csrf"))), ("_once", try #require(form.hidden("_once")))] + RecordPageTests.customer("别人的客户", phone: "13900000005"))
            let path = String(try #require(made.location?.split(separator: "?").first))
            #expect(try await owner.get(path).status == 200)

            let other = Browser(c)
            try await other.signIn("rep1")
            for uri in [path, path + "/edit", "/e/customer/999999", "/e/no_such_entity"] {
                let page = try await other.get(uri)
                #expect(page.status == 404, "\(uri)")
                #expect(!page.html.contains("别人的客户"))
            }
            let list = try await other.get("/e/customer")
            #expect(!list.html.contains("别人的客户"))
            let post = try await other.post(path, [("_csrf", try await other.csrf()), ("_version", "1"), ("name", "改名")])
            #expect(post.status == 404)
        }
    }

    @Test func aHiddenFieldIsAbsentAndAReadOnlyOneNotEditable() async throws {
        let script = """
        crm.field("customer", "cost_note", { type = "text", label = "成本备注" })
        crm.role("sales_rep", {
          label = "销售专员", scope = "own",
          grants = { customer = { "read", "create", "update" }, user = { "read" } },
          hidden = { customer = { "cost_note" } },
          readonly = { customer = { "grade" } },
        })
        """
        let f = try WebFixture(companyScript: script)
        let id = try f.host.workspace.store.create("customer", ["name": .text("隐藏字段公司"), "phone": .text("13900000006"), "industry": .text("制造业"),
                                                              "source": .text("展会推荐"), "cost_note": .text("底价八折"), "owner": .integer(f.ids["rep1"]!)]).id
        try await f.withClient { c in
            let b = Browser(c)
            try await b.signIn("rep1")
            for uri in ["/e/customer/\(id)", "/e/customer/\(id)/edit", "/e/customer?cols=name,cost_note", "/e/customer/new"] {
                let page = try await b.get(uri)
                #expect(page.status == 200, "\(uri)")
                #expect(!page.html.contains("成本备注") && !page.html.contains("底价八折") && !page.html.contains("name=\"cost_note\""), "\(uri)")
            }
            let edit = try await b.get("/e/customer/\(id)/edit")
            #expect(!edit.html.contains("name=\"grade\""))
        }
    }

    @Test func aFormWhoseSessionExpiredIsKeptThroughANewSignIn() async throws {
        let f = try WebFixture()
        try await f.withClient { c in
            let b = Browser(c)
            try await b.signIn("rep1")
            let form = try await b.get("/e/customer/new")
            b.cookies["crm_session"] = "crm_expired-token"
            let fields = [("_csrf", try #require(form.hidden("_csrf"))), ("_once", try #require(form.hidden("_once"))), ("_back", "/e/customer/new")] + RecordPageTests.customer("过期表单公司", phone: "13900000007")
            let interrupted = try await b.post("/e/customer", fields)
            #expect(interrupted.status == 401)
            #expect(interrupted.html.contains("name=\"k.name\" value=\"过期表单公司\""))
            var again: [(String, String)] = [("_csrf", try #require(interrupted.hidden("_csrf"))), ("next", "/e/customer/new"), ("username", "rep1"), ("password", WebFixture.password)]
            again += RecordPageTests.customer("过期表单公司", phone: "13900000007").map { ("k." + $0.0, $0.1) }
            let signed = try await b.post("/login", again)
            let back = try #require(signed.location)
            #expect(back.hasPrefix("/e/customer/new?prefill.name="))
            let restored = try await b.get(back)
            #expect(restored.html.contains("value=\"过期表单公司\""))
            #expect(try f.host.workspace.store.count("customer") == 0)
        }
    }
}
