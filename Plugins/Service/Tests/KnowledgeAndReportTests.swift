import CRMKernel
@testable import CRMService
import CRMScripting
import Foundation
import Testing
import CRMModuleTestSupport

/// Knowledge base, templates, escalations, reports and the Lua functions.
struct KnowledgeAndReportTests {
    func article(_ f: ServiceFixture, _ title: String, _ body: String, status: String = "已发布") throws -> Record {
        let a = try f.store.create("kb_article", ["title": .text(title), "body": .text(body), "owner": .null])
        if status == "草稿" { return a }
        _ = try f.store.update("kb_article", a.id, ["status": .text("审核中")])
        return try f.store.update("kb_article", a.id, ["status": .text(status)])
    }

    @Test func publishedArticlesAreFoundByTwoCharacterTermsAndSuggestedFromASubject() throws {
        let f = try ServiceFixture()
        let install = try article(f, "设备安装后无法开机的排查步骤", "检查电源电压与急停按钮。")
        _ = try article(f, "发票重开流程", "注明正确抬头与税号。")
        _ = try article(f, "开机自检草稿", "未发布", status: "草稿")
        #expect(install["published_at"] != .null)
        let found = try f.store.read { try KnowledgeBase.search($0, "开机") }
        #expect(found.map(\.id) == [install.id])
        let suggested = try f.store.read { try KnowledgeBase.suggest($0, subject: "设备无法开机怎么办") }
        #expect(suggested.first?.id == install.id)
        let voted = try f.store.write(as: .system) { try KnowledgeBase.vote($0, article: install.id, helpful: true) }
        #expect(voted["helpful"] == .integer(1))
        // 草稿 cannot jump to 已发布.
        let draft = try article(f, "草稿二", "内容", status: "草稿")
        #expect(kernelError { _ = try f.store.update("kb_article", draft.id, ["status": .text("已发布")]) }?.fieldErrors.first?.field == "status")
    }

    @Test func aTemplateFillsItsVariablesAndAnUnknownOneIsNamed() throws {
        let f = try ServiceFixture()
        let t = try f.ticket()
        let template = try f.store.create("reply_template", ["name": .text("受理"), "body": .text("{{contact}}您好，工单 {{number}} 已由{{agent}}受理。"), "owner": .null])
        let message = try f.store.write(as: ActingUser(id: f.users["sunli"], name: "sunli", role: "service_agent")) { tx in
            try Replies.reply(tx, ticket: t.id, body: nil, template: template.id, article: nil, internal: false)
        }
        #expect(message["body"] == .text("王芳您好，工单 \(t["number"].textValue!) 已由sunli受理。"))
        let bad = try f.store.create("reply_template", ["name": .text("坏模板"), "body": .text("{{salary}}"), "owner": .null])
        let error = kernelError { _ = try f.store.write(as: .system) { try Replies.reply($0, ticket: t.id, body: nil, template: bad.id, article: nil, internal: false) } }
        #expect(error?.message.contains("salary") == true)
        #expect(try f.store.count("ticket_message", filter: .eq("ticket", .integer(t.id))) == 1)
    }

    @Test func aBreachedTicketEscalatesToTheManagerOnceAndRaisesItsPriority() throws {
        let f = try ServiceFixture()
        let t = try f.ticket(["priority": .text("中")])
        let later = Date().addingTimeInterval(20 * 86_400)
        let first = try f.store.write(as: .system) { try ServiceJobs.escalate($0, now: later) }
        let second = try f.store.write(as: .system) { try ServiceJobs.escalate($0, now: later) }
        #expect(first.breached == 1 && second.breached == 0)
        let now = try #require(try f.store.get("ticket", t.id))
        #expect(now["priority"] == .text("高") && now["sla_escalated"].textValue?.contains("breach") == true)
        let notes = try f.store.find(Query("notification", filter: .eq("kind", .text("ticket.sla_breach")))).records
        #expect(notes.count == 1 && notes.first?["user"] == .integer(f.users["zhouyan"]!))
    }

    @Test func theSLAAndCSATReportsAgreeWithTheTickets() throws {
        let f = try ServiceFixture()
        for i in 0..<3 {
            let t = try f.ticket(["category": .text(i == 2 ? "故障报修" : "安装调试")])
            _ = try f.store.update("ticket", t.id, ["status": .text("已解决")])
            let token = try RatingTests.token(f, ticket: t.id)
            _ = try Ratings.rate(f.store, token: token, score: Int64(5 - i * 2), comment: nil)
        }
        let sla = try f.store.read { try ServiceReports.sla($0, .table(["by": .value(.text("agent"))])) }
        guard case .list(let rows) = sla else { Issue.record("not a list"); return }
        let solved = rows.compactMap { $0.fields?["solved"]?.integer }.reduce(0, +)
        #expect(solved == 3 && rows.count == 2)
        // Two breached tickets (marked so directly) are counted as two, not as "some".
        for t in try f.store.find(Query("ticket", limit: 2)).records { _ = try f.store.update("ticket", t.id, ["sla_breached": .bool(true)]) }
        let again = try f.store.read { try ServiceReports.sla($0, .table(["by": .value(.text("team"))])) }
        guard case .list(let teamRows) = again else { Issue.record("not a list"); return }
        #expect(teamRows.first?.fields?["breached"]?.integer == 2 && teamRows.first?.fields?["met"]?.integer == 1)
        let csat = try f.store.read { try ServiceReports.csat($0, .table(["by": .value(.text("team"))])) }
        guard case .list(let c) = csat, let row = c.first?.fields else { Issue.record("no csat"); return }
        // Scores 5, 3, 1: one satisfied of three, average 3.00.
        #expect(row["ratings"]?.integer == 3 && row["satisfied"]?.integer == 1 && row["csat_percent"]?.integer == 33 && row["average_x100"]?.integer == 300)
        let bad = kernelError { _ = try f.store.read { try ServiceReports.sla($0, .table(["by": .value(.text("weather"))])) } }
        #expect(bad?.fieldErrors.first?.field == "by")
    }

    @Test func theLuaFunctionsAnswerAndBadSettingsNameTheirKey() throws {
        let f = try ServiceFixture()
        let t = try f.ticket()
        let console = Console(host: f.host) { _ in }
        let sla = console.evaluate("return crm.service.sla_state(\(t.id)).state")
        #expect(sla.error == nil && sla.output.contains("ok"), "\(sla)")
        let routed = console.evaluate("return crm.service.route(\(t.id)).rule")
        #expect(routed.error == nil, "\(routed)")
        for (lua, needle) in [(#"crm.service.sla{ escalation = { breach = { "call_the_police" } } }"#, "call_the_police"),
                              (#"crm.service.routing{ rules = { { name = "x" } } }"#, "team"),
                              (#"crm.calendar("bad", { hours = { { "09:00", "12:00" }, { "11:00", "14:00" } } })"#, "overlap")] {
            try lua.write(to: f.host.workspace.scriptsDirectory.appendingPathComponent("90_company.lua"), atomically: true, encoding: .utf8)
            var message = ""
            do { try f.host.reload() } catch { message = "\(error)" }
            #expect(message.contains(needle), "\(lua) → \(message)")
        }
        // The rules in force stay those of the last good load; the server's store still answers.
        #expect(try f.store.count("ticket") == 1)
    }
}
