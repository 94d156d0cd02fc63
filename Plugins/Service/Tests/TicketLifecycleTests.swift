import CRMKernel
@testable import CRMService
import Foundation
import Testing
import CRMModuleTestSupport

/// Numbers, routing, the status rules, reopening, merging, auto-close.
struct TicketLifecycleTests {
    @Test func aTicketGetsANumberAndGoesToAnAvailableAgentWithTheSkill() throws {
        let f = try ServiceFixture()
        let install = try f.ticket(["category": .text("安装调试")])
        let repair = try f.ticket(["category": .text("故障报修")])
        #expect(install["number"].textValue?.hasPrefix("GD-") == true)
        #expect(install["assignee"] == .integer(f.users["sunli"]!) && install["status"] == .text("已分配"))
        #expect(repair["assignee"] == .integer(f.users["liuyang"]!) && repair["team"] == .integer(f.team))
        // hefang has the billing skill but is not taking tickets: an available agent gets it.
        let billing = try f.ticket(["category": .text("账单发票")])
        #expect(billing["assignee"] != .integer(f.users["hefang"]!) && billing["assignee"] != .null)
        // The assignee is told at once.
        let notes = try f.store.find(Query("notification", filter: .all([.eq("user", .integer(f.users["sunli"]!)), .eq("kind", .text("ticket.assigned"))]))).records
        #expect(notes.contains { $0["record_id"] == .integer(install.id) })
        // The status history starts with the ticket.
        #expect(try f.store.count("ticket_status", filter: .eq("ticket", .integer(install.id))) == 1)
    }

    @Test func withoutTheSkillTheLeastLoadedAvailableAgentGetsIt() throws {
        let f = try ServiceFixture()
        _ = try f.ticket(["category": .text("安装调试")])
        _ = try f.ticket(["category": .text("安装调试")])
        let other = try f.ticket(["category": .text("使用咨询")])
        #expect(other["assignee"] == .integer(f.users["liuyang"]!))
    }

    @Test func aMoveTheStagesForbidIsRefusedByFieldAndNothingIsWritten() throws {
        let f = try ServiceFixture()
        let t = try f.ticket()
        let error = kernelError { _ = try f.store.update("ticket", t.id, ["status": .text("已关闭")]) }
        #expect(error?.fieldErrors.first?.field == "status")
        #expect(try f.store.get("ticket", t.id)?["status"] == .text("已分配"))
        #expect(try f.store.count("ticket_status", filter: .eq("ticket", .integer(t.id))) == 1)
        let invalid = kernelError { _ = try f.store.update("ticket", t.id, ["status": .text("无效")]) }
        #expect(invalid?.fieldErrors.first?.field == "invalid_reason")
    }

    @Test func aReplyIsAFirstResponseAndACustomerMessageReopensASolvedTicket() throws {
        let f = try ServiceFixture()
        let t = try f.ticket()
        _ = try f.store.write(as: ActingUser(id: f.users["sunli"], name: "sunli", role: "service_agent")) { tx in
            try Replies.reply(tx, ticket: t.id, body: "您好，请检查电源。", template: nil, article: nil, internal: false)
        }
        var now = try #require(try f.store.get("ticket", t.id))
        #expect(now["status"] == .text("处理中") && !now["first_response_at"].isEmpty)
        let out = try f.store.find(Query("ticket_message", filter: .all([.eq("ticket", .integer(t.id)), .eq("direction", .text("out"))]))).records
        #expect(out.first?["delivery"] == .text("待发送") && out.first?["to_address"] == .text("wangfang@huaqiang.cn"))
        _ = try f.store.update("ticket", t.id, ["status": .text("已解决")])
        now = try #require(try f.store.get("ticket", t.id))
        #expect(!now["solved_at"].isEmpty && now["sla_breached"] == .bool(false))
        _ = try f.store.create("ticket_message", ["ticket": .integer(t.id), "direction": .text("in"), "body": .text("还是不行"), "owner": .null])
        now = try #require(try f.store.get("ticket", t.id))
        #expect(now["status"] == .text("处理中") && now["solved_at"] == .null)
        // One rating link was asked when it was solved, not again.
        _ = try f.store.update("ticket", t.id, ["status": .text("已解决")])
        #expect(try f.store.count("ticket_rating", filter: .eq("ticket", .integer(t.id))) == 1)
    }

    @Test func mergingMovesTheConversationAndEndsTheDuplicate() throws {
        let f = try ServiceFixture()
        let kept = try f.ticket(), dup = try f.ticket()
        _ = try f.store.create("ticket_message", ["ticket": .integer(dup.id), "direction": .text("in"), "body": .text("重复提交"), "owner": .null])
        let merged = try f.store.write(as: .system) { try TicketActions.merge($0, duplicate: dup.id, into: kept.id) }
        #expect(merged["status"] == .text("已合并") && merged["merged_into"] == .integer(kept.id))
        #expect(try f.store.count("ticket_message", filter: .eq("ticket", .integer(dup.id))) == 0)
        #expect(try f.store.count("ticket_message", filter: .eq("ticket", .integer(kept.id))) == 2)
        let again = kernelError { _ = try f.store.write(as: .system) { try TicketActions.merge($0, duplicate: kept.id, into: dup.id) } }
        #expect(again?.fieldErrors.first?.field == "into")
        let itself = kernelError { _ = try f.store.write(as: .system) { try TicketActions.merge($0, duplicate: kept.id, into: kept.id) } }
        #expect(itself?.kind == .validation)
    }

    @Test func solvedTicketsCloseThemselvesAfterTheDaysSet() throws {
        let f = try ServiceFixture()
        let t = try f.ticket()
        _ = try f.store.update("ticket", t.id, ["status": .text("已解决")])
        let soon = try f.store.write(as: .system) { try ServiceJobs.closeSolved($0, now: Date().addingTimeInterval(6 * 86_400)) }
        let later = try f.store.write(as: .system) { try ServiceJobs.closeSolved($0, now: Date().addingTimeInterval(8 * 86_400)) }
        #expect(soon == 0 && later == 1)
        #expect(try f.store.get("ticket", t.id)?["status"] == .text("已关闭"))
    }

    @Test func aRuleNamingAMissingTeamLeavesTheTicketUnassignedNotLost() throws {
        let f = try ServiceFixture(companyLua: #"crm.service.routing{ default_team = "没有这个组" }"#)
        let t = try f.ticket()
        #expect(t["assignee"] == .null && t["status"] == .text("新建"))
    }
}
