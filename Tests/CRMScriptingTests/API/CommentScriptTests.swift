import CRMKernel
@testable import CRMScripting
import Foundation
import Testing

/// `crm.comment` and `crm.comments`: comments as the acting user, mentions notifying users who
/// may see the record (others told back in `cannot_see`), records out of scope refused.
struct CommentScriptTests {
    @Test func aCommentMentioningAUserNotifiesThemAndReportsUnknownNamesAndUsersWhoCannotSeeIt() throws {
        let f = try ScriptFixture(ScriptFixture.stockPack)
        defer { f.cleanUp() }
        let store = f.workspace.store
        let host = try f.host()
        let chen = try store.create("user", ["name": .text("chen"), "role": .text("sales_manager"), "display_name": .text("陈经理")]).id
        let team = try store.create("team", ["name": .text("华东"), "manager": .integer(chen)]).id
        let lina = try store.create("user", ["name": .text("lina"), "role": .text("sales_rep"), "display_name": .text("李娜"), "team": .integer(team)]).id
        let wang = try store.create("user", ["name": .text("wang"), "role": .text("sales_rep"), "display_name": .text("王强")]).id
        let mine = try store.create("customer", ["name": .text("李娜的客户"), "phone": .text("13900000501"), "industry": .text("制造业"),
                                                 "source": .text("展会推荐"), "owner": .integer(lina)]).id
        let theirs = try store.create("customer", ["name": .text("王强的客户"), "phone": .text("13900000502"), "industry": .text("制造业"),
                                                   "source": .text("展会推荐"), "owner": .integer(wang)]).id
        try host.engine.act(as: "lina")
        let console = Console(host: host) { _ in }
        let posted = console.evaluate("""
            local r = crm.comment('customer', \(mine), '@陈经理 帮忙看看 @没有这人 @王强')
            return r.mentioned[1] .. ' ' .. #r.mentioned .. ' ' .. r.unknown[1] .. ' ' .. r.cannot_see[1] .. ' ' .. r.comment.body
            """)
        #expect(posted.output == "\(chen) 1 没有这人 王强 @陈经理 帮忙看看 @没有这人 @王强", "\(String(describing: posted.error))")
        #expect(console.evaluate("#crm.comments('customer', \(mine))").output == "1")
        let notes = try store.find(Query("notification", filter: .eq("user", .integer(chen)))).records
        #expect(notes.count == 1 && notes.first?["kind"] == .text("comment.mention") && notes.first?["title"].textValue?.hasPrefix("李娜") == true)
        // 王强, a rep, does not see 李娜's customer: no notification (its title names the customer).
        #expect(try store.count("notification", filter: .eq("user", .integer(wang))) == 0)
        #expect(console.evaluate("crm.comment('customer', \(theirs), '看不见的客户')").error?.contains("does not exist") == true)
        #expect(console.evaluate("crm.comments('customer', \(theirs))").error?.contains("does not exist") == true)
        #expect(console.evaluate("crm.comment('customer', \(mine), '   ')").error?.contains("body") == true)
        #expect(try store.count("comment") == 1)
    }
}
