import CRMKernel
import Foundation
import HummingbirdTesting
import Testing

/// The generic record pages: create once per form, stale saves, errors at the field,
/// escaping, scope and hidden fields.
struct RecordPageTests {
    static func customer(_ name: String, phone: String) -> [(String, String)] {
        [("name", name), ("phone", phone), ("industry", "制造业"), ("source", "展会推荐"), ("notes", "备注内容")]
    }

    @Test func aFormPostedTwiceCreatesOneRecord() async throws {
        let f = try WebFixture()
        try await f.withClient { c in
            let b = Browser(c)
            try await b.signIn("rep1")
            let form = try await b.get("/e/customer/new")
            #expect(form.html.contains("备注"))  // seed 004's optional 备注
            let fields = [("_csrf", try #require(form.hidden("_csrf"))), ("_once", try #require(form.hidden("_once")))] + Self.customer("双击公司", phone: "13900000002")
            let first = try await b.post("/e/customer", fields)
            let second = try await b.post("/e/customer", fields)
            #expect(first.status == 303 && second.status == 303)
            let location = try #require(first.location)
            #expect(location.hasPrefix("/e/customer/"))
            #expect(second.location.map { location.hasPrefix($0) } == true)
            #expect(try f.host.workspace.store.count("customer") == 1)
            let detail = try await b.get(location)
            #expect(detail.html.contains("双击公司") && detail.html.contains("备注内容"))
        }
    }

    @Test func aRefusedSaveShowsTheErrorAtTheFieldAndKeepsTheText() async throws {
        let f = try WebFixture()
        try await f.withClient { c in
            let b = Browser(c)
            try await b.signIn("rep1")
            let form = try await b.get("/e/customer/new")
            let once = try #require(form.hidden("_once"))
            let refused = try await b.post("/e/customer", [("_csrf", try #require(form.hidden("_csrf"))), ("_once", once), ("name", "缺电话公司"), ("industry", "制造业"), ("source", "展会推荐")])
            #expect(refused.status == 400)
            #expect(refused.html.contains("id=\"err-phone\""))
            #expect(refused.html.contains("value=\"缺电话公司\""))
            #expect(refused.hidden("_once") == once)  // the corrected form can still be sent once
            #expect(try f.host.workspace.store.count("customer") == 0)
        }
    }

    @Test func aStaleEditIsToldAndDoesNotOverwrite() async throws {
        let f = try WebFixture()
        try await f.withClient { c in
            let b = Browser(c)
            try await b.signIn("rep1")
            let form = try await b.get("/e/customer/new")
            let made = try await b.post("/e/customer", [("_csrf", try #require(form.hidden("_csrf"))), ("_once", try #require(form.hidden("_once")))] + Self.customer("原名公司", phone: "13900000003"))
            let path = String(try #require(made.location?.split(separator: "?").first))
            let edit = try await b.get(path + "/edit")
            let opened = try #require(edit.hidden("_version"))
            // Someone else saves after the form was opened: the record's version moves on.
            let id = try #require(Int64(path.split(separator: "/").last ?? ""))
            _ = try f.host.workspace.store.update("customer", id, ["city": .text("深圳")])
            let stale = try await b.post(path, [("_csrf", try #require(edit.hidden("_csrf"))), ("_version", opened), ("name", "我的新名")] + Self.customer("我的新名", phone: "13900000003").dropFirst())
            #expect(stale.status == 409)
            #expect(stale.html.contains("已被其他人修改"))
            #expect(stale.html.contains("value=\"我的新名\""))  // the user's text is kept
            let current = try #require(stale.hidden("_version"))
            #expect(current != opened)
            #expect(try f.host.workspace.store.get("customer", id)?["name"] == .text("原名公司"))
            // Saving again from the refreshed form (the current version) goes through knowingly.
            let again = try await b.post(path, [("_csrf", try #require(edit.hidden("_csrf"))), ("_version", current), ("name", "我的新名")] + Self.customer("我的新名", phone: "13900000003").dropFirst())
            #expect(again.status == 303 || again.status == 302)
            #expect(try f.host.workspace.store.get("customer", id)?["name"] == .text("我的新名"))
            // A form without a version is refused, nothing written.
            let bare = try await b.post(path, [("_csrf", try #require(edit.hidden("_csrf"))), ("name", "无版本")] + Self.customer("无版本", phone: "13900000003").dropFirst())
            #expect(bare.status == 400)
        }
    }

    @Test func aBulkActionAsksForConfirmationThenChangesAllSelected() async throws {
        let f = try WebFixture()
        let store = f.host.workspace.store
        let ids = try (1...2).map { i in
            try store.create("customer", ["name": .text("批量\(i)"), "phone": .text("1390000002\(i)"), "industry": .text("制造业"),
                                          "source": .text("展会推荐"), "owner": .integer(f.ids["rep1"]!)]).id
        }
        try await f.withClient { c in
            let b = Browser(c)
            try await b.signIn("rep1")
            let csrf = try await b.csrf()
            let fields = [("_csrf", csrf)] + ids.map { ("ids", String($0)) } + [("action", "tag"), ("value", "重点跟进")]
            let confirm = try await b.post("/e/customer/bulk", fields)
            #expect(confirm.status == 200 && confirm.html.contains("请确认") && confirm.html.contains("name=\"confirm\" value=\"1\""))
            #expect(try store.get("customer", ids[0])?["tags"].isEmpty == true)
            let done = try await b.post("/e/customer/bulk", fields + [("confirm", "1")])
            #expect(done.status == 303)
            for id in ids { #expect(try store.get("customer", id)?["tags"] == .list(["重点跟进"])) }
            let refused = try await b.post("/e/customer/bulk", [("_csrf", csrf), ("ids", String(ids[0])), ("action", "delete"), ("confirm", "1")])
            #expect(refused.status == 403)  // a sales rep may not delete customers
            #expect(try store.get("customer", ids[0]) != nil)
        }
    }

    /// A record's page lists the records pointing to it: the ten newest by their titles (escaped),
    /// the count of all and a link to all of them, for an administrator and a rep alike.
    @Test func theDetailPageListsRelatedRecordsByTitleWithTheirCount() async throws {
        let f = try WebFixture()
        let store = f.host.workspace.store
        let rep = try #require(f.ids["rep1"]), other = try #require(f.ids["rep2"])
        let customer = try store.create("customer", ["name": .text("关联测试公司"), "phone": .text("13900000077"), "industry": .text("制造业"),
                                                     "source": .text("展会推荐"), "owner": .integer(rep)]).id
        for n in 1...12 {
            _ = try store.create("contact", ["customer": .integer(customer), "name": .text("联系人<\(n)>"), "owner": .integer(n == 12 ? other : rep)])
        }
        try await f.withClient { c in
            let b = Browser(c)
            try await b.signIn("boss")
            let all = try await b.get("/e/customer/\(customer)")
            #expect(all.html.contains("联系人 (12)"))
            #expect(all.html.contains("联系人&lt;12&gt;") && all.html.contains("联系人&lt;3&gt;") && !all.html.contains("联系人&lt;2&gt;"))
            #expect(all.html.contains("/e/contact?f.customer=\(customer)"))
            // A rep reads them as a restricted user (the kernel's scope: a contact goes with its customer).
            try await b.signIn("rep1")
            let mine = try await b.get("/e/customer/\(customer)")
            #expect(mine.html.contains("联系人 (12)") && mine.html.contains("联系人&lt;12&gt;") && !mine.html.contains("联系人&lt;2&gt;"))
        }
    }
}
