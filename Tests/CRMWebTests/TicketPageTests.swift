import CRMKernel
import Foundation
import HummingbirdTesting
import Testing

/// The service module's ticket page, from its folder: the ticket with its conversation and a
/// reply form posting to `/do/service/reply` (typed members: `template:int`, `internal:bool`).
struct TicketPageTests {
    @Test func anAgentReadsATicketAndAddsAnInternalNoteFromItsPage() async throws {
        let f = try WebFixture()
        let store = f.host.workspace.store
        let ticket = try store.create("ticket", ["subject": .text("打印机<b>卡纸</b>"), "channel": .text("API")]).id
        try await f.withClient { c in
            let b = Browser(c)
            try await b.signIn("boss")
            let page = try await b.get("/tickets/\(ticket)")
            #expect(page.status == 200, "\(page.html)")
            #expect(page.html.contains("打印机&lt;b&gt;卡纸") && !page.html.contains("<b>卡纸") && page.html.contains("action=\"/do/service/reply\""))
            let sent = try await b.post("/do/service/reply", [("_csrf", try #require(page.hidden("_csrf"))), ("_token", try #require(page.hidden("_token"))),
                                                              ("_back", "/tickets/\(ticket)"), ("next", "/tickets/\(ticket)"), ("ticket_id", String(ticket)),
                                                              ("template:int", ""), ("body", "已联系<客户>"), ("internal:bool", "1")])
            #expect(sent.location == "/tickets/\(ticket)?saved=1", "\(sent.status) \(sent.html)")
            let notes = try store.find(Query("ticket_message", filter: .eq("ticket", .integer(ticket)))).records
            #expect(notes.count == 1 && notes.first?["direction"] == .text("internal") && notes.first?["body"] == .text("已联系<客户>"))
            let shown = try await b.get("/tickets/\(ticket)")
            #expect(shown.html.contains("已联系&lt;客户&gt;") && shown.html.contains("message internal"))
            let badTemplate = try await b.post("/do/service/reply", [("_csrf", try #require(shown.hidden("_csrf"))), ("_token", try #require(shown.hidden("_token"))),
                                                                     ("_back", "/tickets/\(ticket)"), ("next", "/tickets/\(ticket)"), ("ticket_id", String(ticket)),
                                                                     ("template:int", "第一个"), ("body", "x")])
            #expect(badTemplate.status == 422 && badTemplate.html.contains("id=\"reply-error\"") && badTemplate.html.contains("template"))
        }
    }
}
