import CRMKernel
import Foundation
import HummingbirdTesting
import Testing

/// The kanban with its stage gate, saved views, module pages and page weight.
struct ModulePageTests {
    @Test func aStageGateRefusesAMoveNamingTheMissingFields() async throws {
        let f = try WebFixture()
        try await f.withClient { c in
            let b = Browser(c)
            try await b.signIn("rep1")
            let form = try await b.get("/e/customer/new")
            let made = try await b.post("/e/customer", [("_csrf", try #require(form.hidden("_csrf"))), ("_once", try #require(form.hidden("_once")))] + RecordPageTests.customer("看板客户", phone: "13900000008"))
            let customer = try #require(made.location?.split(separator: "?").first?.split(separator: "/").last)
            let dealForm = try await b.get("/e/opportunity/new")
            let deal = try await b.post("/e/opportunity", [("_csrf", try #require(dealForm.hidden("_csrf"))), ("_once", try #require(dealForm.hidden("_once"))),
                                                           ("name", "看板商机"), ("customer", String(customer)), ("stage", "方案制定")])
            let id = String(try #require(deal.location?.split(separator: "?").first?.split(separator: "/").last))
            let board = try await b.get("/opportunities/kanban")
            #expect(board.status == 200 && board.html.contains("看板商机") && board.html.contains("data-stage=\"合同谈判\""))
            let csrf = try #require(board.hidden("_csrf"))
            let refused = try await b.post("/opportunities/kanban/move", [("_csrf", csrf), ("id", id), ("stage", "合同谈判")])
            #expect(refused.status == 422)
            #expect(refused.html.contains("预计金额") && refused.html.contains("决策人"))
            let json = try await b.send(.post, "/opportunities/kanban/move", body: "_csrf=\(csrf)&id=\(id)&stage=\(b.enc("合同谈判"))", headers: [.accept: "application/json"])
            #expect(json.status == 422 && json.html.contains("\"ok\":false"))
            #expect(try f.host.workspace.store.get("opportunity", Int64(id)!)?["stage"] == .text("方案制定"))
            let moved = try await b.post("/opportunities/kanban/move", [("_csrf", csrf), ("id", id), ("stage", "需求确认")])
            #expect(moved.status == 303)
            #expect(try f.host.workspace.store.get("opportunity", Int64(id)!)?["stage"] == .text("需求确认"))
        }
    }

    @Test func typingACustomerThatExistsShowsADuplicateWarningAndSavingIsRefusedAtTheField() async throws {
        let f = try WebFixture()
        try await f.withClient { c in
            let b = Browser(c)
            try await b.signIn("rep1")
            let form = try await b.get("/e/customer/new")
            #expect(form.html.contains("hx-get=\"/customers/duplicates\""))
            _ = try await b.post("/e/customer", [("_csrf", try #require(form.hidden("_csrf"))), ("_once", try #require(form.hidden("_once")))] + RecordPageTests.customer("深圳华信科技", phone: "13900000009"))
            let hint = try await b.get("/customers/duplicates?name=" + b.enc("深圳华信科技") + "&phone=13900000010")
            #expect(hint.html.contains("疑似重复") && hint.html.contains("深圳华信科技"))
            #expect(try await b.get("/customers/duplicates?name=" + b.enc("全新公司")).html.isEmpty)
            let again = try await b.get("/e/customer/new")
            let refused = try await b.post("/e/customer", [("_csrf", try #require(again.hidden("_csrf"))), ("_once", try #require(again.hidden("_once")))] + RecordPageTests.customer("深圳华信科技", phone: "13900000010"))
            #expect(refused.status == 409 && refused.html.contains("id=\"err-name\""))
        }
    }

    @Test func aSavedViewIsListedForItsUserOrEveryoneWhenShared() async throws {
        let f = try WebFixture()
        try await f.withClient { c in
            let rep1 = Browser(c), rep2 = Browser(c)
            try await rep1.signIn("rep1")
            try await rep2.signIn("rep2")
            let csrf = try await rep1.csrf()
            #expect(try await rep1.post("/e/customer/views", [("_csrf", csrf), ("view_name", "我的A类"), ("query", "f.grade=A&after=xyz")]).status == 303)
            #expect(try await rep1.post("/e/customer/views", [("_csrf", csrf), ("view_name", "团队视图"), ("query", "q=深圳"), ("shared", "1")]).status == 303)
            let mine = try await rep1.get("/e/customer")
            #expect(mine.html.contains("我的A类") && mine.html.contains("href=\"/e/customer?f.grade=A\"") && mine.html.contains("团队视图"))
            let theirs = try await rep2.get("/e/customer")
            #expect(!theirs.html.contains("我的A类") && theirs.html.contains("团队视图"))
        }
    }

    @Test func moduleDeclaredPagesRenderAndPagesStaySmall() async throws {
        let f = try WebFixture()
        try await f.withClient { c in
            let b = Browser(c)
            try await b.signIn("rep1")
            let home = try await b.get("/")
            #expect(home.status == 200 && home.html.contains("销售漏斗") && home.html.contains("<svg"))
            for path in ["/customers", "/customers/pool", "/followups", "/tasks", "/calendar", "/calendar?week=2026-12-07", "/notifications", "/search?q=张伟"] {
                #expect(try await b.get(path).status == 200, "\(path)")
            }
            let english = try await b.post("/lang", [("to", "en"), ("_back", "/customers")])
            #expect(english.location == "/customers")
            #expect(try await b.get("/customers").html.contains("Customers"))
            var scripts = 0
            for name in ["htmx.min.js", "Sortable.min.js", "app.js", "app.css"] {
                let asset = try await b.get("/static/\(name)")
                #expect(asset.status == 200)
                scripts += asset.html.utf8.count
            }
            let board = try await b.get("/opportunities/kanban")
            #expect(board.html.utf8.count + scripts < 300_000)
        }
    }
}
