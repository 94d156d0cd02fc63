import CRMKernel
import Foundation
import Testing
@testable import CRMService
import CRMTestSupport
import CRMModuleTestSupport

/// Replies and rating links go out as kernel e-mails to a real SMTP server (aiosmtpd).
@Suite(.serialized)
struct ReplyMailTests {
    /// Points the workspace's e-mail settings at `server`.
    static func configure(_ f: ServiceFixture, _ server: PythonTestServer) throws {
        try MessageSettings.set("messages.email.from", "客服部 <service@example.com>", in: f.store)
        try MessageSettings.set("messages.email.host", "127.0.0.1", in: f.store)
        try MessageSettings.set("messages.email.port", "\(server.port)", in: f.store)
    }

    /// Runs the kernel's sender until `done` holds or 20 s pass.
    static func deliver(_ f: ServiceFixture, until done: () throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            _ = try await MessageDelivery(store: f.store).deliverDue()
            if try done() { return true }
            await Task.yield()
        }
        return try done()
    }

    static func outgoing(_ f: ServiceFixture, _ ticket: Int64) throws -> [Record] {
        try f.store.find(Query("ticket_message", filter: .all([.eq("ticket", .integer(ticket)), .eq("direction", .text("out"))]),
                               sort: [SortKey("id")])).records
    }

    @Test func aTemplateReplyAndTheRatingLinkArriveAsMailThatThreads() async throws {
        let server = try PythonTestServer.smtp()
        let f = try ServiceFixture()
        try Self.configure(f, server)
        let t = try f.ticket()
        let number = try #require(t["number"].textValue)
        let template = try f.store.create("reply_template", ["name": .text("受理"), "body": .text("{{contact}}您好，工单 {{number}} 已受理。"), "owner": .null])
        let agent = ActingUser(id: f.users["sunli"], name: "sunli", role: "service_agent")
        let reply = try f.store.write(as: agent) { tx in
            try Replies.reply(tx, ticket: t.id, body: nil, template: template.id, article: nil, internal: false)
        }
        #expect(try f.store.get("ticket_message", reply.id)?["delivery"] == .text("待发送"))
        let queued = try f.store.find(Query("message", filter: .eq("source", .text("service")))).records
        #expect(queued.count == 1 && queued.first?["to"] == .text("wangfang@huaqiang.cn") && queued.first?["record_id"] == .integer(reply.id))
        _ = try f.store.update("ticket", t.id, ["status": .text("已解决")])

        #expect(try await Self.deliver(f) { server.mails().count >= 2 })
        let subjects = try server.mails().map(TestMail.subject)
        let expected = "Re: 设备安装后无法开机 [工单 \(number)]"
        #expect(subjects == [expected, expected])
        #expect(InboundMail.references(expected) == [number])
        let body = try String(contentsOf: server.mails()[0], encoding: .utf8)
        #expect(body.contains("To: wangfang@huaqiang.cn"))
        // The replies' delivery follows the kernel message: both sent.
        let out = try Self.outgoing(f, t.id)
        #expect(out.count == 2 && out.allSatisfy { $0["delivery"] == .text("已发送") })
        #expect(out.last?["body"].textValue?.contains("/rate/") == true)
        // Nothing goes out twice.
        _ = try await MessageDelivery(store: f.store).deliverDue()
        #expect(server.mails().count == 2)
    }

    @Test func aRefusedAddressMarksTheReplyFailedAndNoAddressSendsNothing() async throws {
        let server = try PythonTestServer.smtp()
        let f = try ServiceFixture()
        try Self.configure(f, server)
        let refused = try f.ticket(["contact": .null, "requester_email": .text("reject@huaqiang.cn")])
        let phone = try f.ticket(["contact": .null])
        let agent = ActingUser(id: f.users["sunli"], name: "sunli", role: "service_agent")
        try f.store.write(as: agent) { tx in
            _ = try Replies.reply(tx, ticket: refused.id, body: "您好，请检查电源。", template: nil, article: nil, internal: false)
            _ = try Replies.reply(tx, ticket: phone.id, body: "已电话回访。", template: nil, article: nil, internal: false)
        }
        let phoneReply = try #require(try Self.outgoing(f, phone.id).first)
        #expect(phoneReply["delivery"] == .text("无需发送") && phoneReply["to_address"] == .null)
        #expect(try f.store.count("message", filter: .eq("source", .text("service"))) == 1)
        #expect(try await Self.deliver(f) { try Self.outgoing(f, refused.id).first?["delivery"] == .text("发送失败") })
        let failed = try #require(try Self.outgoing(f, refused.id).first)
        #expect(failed["delivery_error"].textValue?.contains("550") == true)
        #expect(server.mails().isEmpty)
    }
}
