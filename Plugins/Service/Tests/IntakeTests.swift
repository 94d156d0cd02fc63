import CRMKernel
@testable import CRMService
import Foundation
import Testing
import CRMModuleTestSupport

/// The public ticket form and the inbound-mail webhook over HTTP.
struct IntakeTests {
    static let key = "inbound-key-0123456789"
    static let rules = #"crm.service.rules{ forms = { support = { honeypot = "website", min_fill_seconds = 3, category = "使用咨询" } }, inbound_key = "\#(key)" }"#

    @Test func aFormPostBecomesARoutedTicketMatchedToTheContact() async throws {
        let f = try ServiceFixture(companyLua: Self.rules)
        let started = Int(Date().timeIntervalSince1970) - 30
        try await f.withClient { client in
            let r = try await client.call(.post, "/public/service/tickets/support",
                                          json: #"{"subject":"设备安装后无法开机","category":"安装调试","email":"wangfang@huaqiang.cn","name":"王芳","description":"开机无反应","_started":\#(started),"website":""}"#)
            #expect(r.status == 200 && (r.data["number"] as? String)?.hasPrefix("GD-") == true, "\(r.text)")
        }
        let t = try #require(try f.store.find(Query("ticket")).records.first)
        #expect(t["channel"] == .text("网页表单") && t["contact"] == .integer(f.contact) && t["customer"] == .integer(f.customer))
        #expect(t["assignee"] == .integer(f.users["sunli"]!))
        #expect(try f.store.count("ticket_message", filter: .eq("ticket", .integer(t.id))) == 1)
    }

    @Test func botsAreAnsweredAlikeAndNothingIsWritten() async throws {
        let f = try ServiceFixture(companyLua: Self.rules)
        let now = Int(Date().timeIntervalSince1970)
        try await f.withClient { client in
            let honeypot = try await client.call(.post, "/public/service/tickets/support", json: #"{"subject":"x","email":"a@b.cn","website":"http://spam","_started":\#(now - 60)}"#)
            let fast = try await client.call(.post, "/public/service/tickets/support", json: #"{"subject":"x","email":"a@b.cn","_started":\#(now + 86_400)}"#)
            #expect(honeypot.status == 200 && fast.status == 200 && honeypot.text == fast.text)
        }
        #expect(try f.store.count("ticket") == 0)
    }

    @Test func badFieldsAreRefusedByNameAndAFloodIsLimited() async throws {
        let f = try ServiceFixture(companyLua: Self.rules)
        try await f.withClient { client in
            let unknown = try await client.call(.post, "/public/service/tickets/support", json: #"{"subject":"x","email":"a@b.cn","salary":"1"}"#)
            #expect(unknown.status == 400 && unknown.text.contains("salary"))
            let html = try await client.call(.post, "/public/service/tickets/support", json: #"{"subject":"<script>x</script>","email":"a@b.cn"}"#)
            #expect(html.status == 400 && html.text.contains("subject"))
            let missing = try await client.call(.post, "/public/service/tickets/support", json: #"{"description":"x"}"#)
            #expect(missing.status == 400 && missing.text.contains("subject") && missing.text.contains("email"))
            let noForm = try await client.call(.post, "/public/service/tickets/nope", json: #"{"subject":"x","email":"a@b.cn"}"#)
            #expect(noForm.status == 404)
            var statuses: [Int] = []
            for _ in 0..<12 { statuses.append(try await client.call(.post, "/public/service/tickets/support", json: #"{"subject":"x"}"#).status) }
            #expect(statuses.contains(429))
            // The server is still up.
            #expect(try await client.call(.get, "/api/v1/modules", token: f.tokens["boss"]).status == 200)
        }
        #expect(try f.store.count("ticket") == 0)
    }

    @Test func inboundMailMatchesTheSenderFlagsAStrangerAndThreadsAReply() async throws {
        let f = try ServiceFixture(companyLua: Self.rules)
        try await f.withClient { client in
            let known = try await client.call(.post, "/public/service/inbound-mail?key=\(Self.key)",
                                              json: #"{"from":"王芳 <WangFang@huaqiang.cn>","subject":"发票抬头开错","text":"请重开发票"}"#)
            #expect(known.status == 200 && known.data["unmatched_sender"] as? Bool == false, "\(known.text)")
            let stranger = try await client.call(.post, "/public/service/inbound-mail?key=\(Self.key)",
                                                 json: #"{"from":"nobody@example.com","subject":"你好","text":"咨询"}"#)
            #expect(stranger.data["unmatched_sender"] as? Bool == true)
            let number = try #require(known.data["number"] as? String)
            let id = try #require(known.data["ticket"] as? Int)
            _ = try f.store.update("ticket", Int64(id), ["status": .text("已解决")])
            let reply = try await client.call(.post, "/public/service/inbound-mail?key=\(Self.key)",
                                              json: #"{"from":"wangfang@huaqiang.cn","subject":"Re: 发票抬头开错 [工单 \#(number)]","text":"还没收到"}"#)
            #expect(reply.data["threaded"] as? Bool == true && reply.data["ticket"] as? Int == id)
            let noKey = try await client.call(.post, "/public/service/inbound-mail", json: #"{"from":"a@b.cn","subject":"x","text":"y"}"#)
            #expect(noKey.status == 403)
            let badFrom = try await client.call(.post, "/public/service/inbound-mail?key=\(Self.key)", json: #"{"from":"not an address","text":"y"}"#)
            #expect(badFrom.status == 400 && badFrom.text.contains("from"))
        }
        let tickets = try f.store.find(Query("ticket", sort: [SortKey("id")])).records
        #expect(tickets.count == 2)
        #expect(tickets[0]["contact"] == .integer(f.contact) && tickets[0]["channel"] == .text("邮件") && tickets[0]["status"] == .text("处理中"))
        #expect(tickets[1]["contact"] == .null && tickets[1]["unmatched_sender"] == .bool(true) && tickets[1]["requester_email"] == .text("nobody@example.com"))
        #expect(try f.store.count("ticket_message", filter: .eq("ticket", .integer(tickets[0].id))) >= 2)
    }
}
