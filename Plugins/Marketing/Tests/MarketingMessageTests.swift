import CRMKernel
@testable import CRMMarketing
import CRMScripting
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import CRMModuleTestSupport

/// Templates, a campaign send to a target group, 退订 by link and by reply, delayed triggered
/// sends, and the capture form at `/public/leads/{form}` taking a plain HTML form post.
struct MarketingMessageTests {
    static let lua = """
    crm.marketing.messaging{ public_url = "https://crm.example.com", daily_cap = 100 }
    crm.marketing.capture_forms({ web = { fields = { "name", "phone", "email" }, required = { "name" }, source = "官网表单" } })
    """

    func template(_ f: MarketingFixture, _ name: String, channel: String = "email", subject: String = "{{campaign.name}} 邀请函",
                  body: String = "{{lead.name}} 您好：欢迎参加 {{campaign.name}}。退订：{{unsubscribe_url}}") throws {
        var values: [String: Value] = ["name": .text(name), "channel": .text(channel), "body": .text(body)]
        if channel == "email" { values["subject"] = .text(subject) }
        _ = try f.store.create("message_template", values)
    }

    @Test func aTemplateNamingAnUnknownVariableIsRefusedNamingIt() throws {
        let f = try MarketingFixture(companyLua: Self.lua)
        let error = kernelError { try template(f, "坏模板", body: "您好 {{lead.salary}}") }
        #expect(error?.fieldErrors.contains { $0.field == "body" && $0.message.contains("lead.salary") } == true)
        #expect(kernelError { try template(f, "无主题", subject: "") }?.fieldErrors.contains { $0.field == "subject" } == true)
        #expect(try f.store.count("message_template") == 0)
    }

    @Test func aCampaignSendQueuesRenderedMessagesSkipsOptOutsAndCountsDelivery() async throws {
        let f = try MarketingFixture(companyLua: Self.lua)
        let campaign = try f.campaign("春季展")
        try template(f, "邀请")
        let withEmail = try f.lead(["name": .text("韩梅梅"), "email": .text("meimei@example.com"), "campaign": .integer(campaign)])
        _ = try f.lead(["name": .text("无邮箱"), "phone": .text("13800000001"), "campaign": .integer(campaign)])
        _ = try f.lead(["name": .text("已退订"), "email": .text("Stop@Example.com"), "campaign": .integer(campaign)])
        try f.store.write(as: .system) { tx in _ = try MarketingMessaging.optOut(tx, .email, "stop@example.com", via: "手工") }
        let body = #"{"args":[{"campaign":\#(campaign),"template":"邀请","to":"lead"}]}"#
        try await f.withClient { c in
            let sent = try await c.call(.post, "/api/v1/actions/marketing/send_campaign", token: f.tokens["chenjing"], json: body)
            #expect(sent.status == 200, "\(sent.text)")
            let report = try #require(sent.object["result"] as? [String: Any])
            #expect(report["queued"] as? Int == 1 && report["no_address"] as? Int == 1 && report["opted_out"] as? Int == 1)
            let again = try await c.call(.post, "/api/v1/actions/marketing/send_campaign", token: f.tokens["chenjing"], json: body)
            #expect((again.object["result"] as? [String: Any])?["duplicate"] as? Int == 1)
            #expect(try await c.call(.post, "/api/v1/actions/marketing/send_campaign", token: f.tokens["lina"], json: body).status == 403)
        }
        let message = try #require(try f.store.find(Query("message", filter: .eq("source", .text("campaign:\(campaign)")))).records.first)
        #expect(message["to"] == .text("meimei@example.com"))
        #expect(message["subject"] == .text("春季展 邀请函"))
        let text = try #require(message["body"].textValue)
        #expect(text.hasPrefix("韩梅梅 您好：欢迎参加 春季展。退订：https://crm.example.com/public/marketing/unsubscribe/"))
        #expect(message["record_id"] == .integer(withEmail.id))
        // The link in the message opts the address out; the campaign's delivery counts it.
        let link = try #require(text.components(separatedBy: "https://crm.example.com").last)
        try await f.withClient { c in
            #expect(try await c.call(.get, link).status == 200)
            #expect(try await c.call(.get, "/public/marketing/unsubscribe/0123456789abcdef0123456789abcdef").status == 404)
            let delivery = try await c.call(.post, "/api/v1/actions/marketing/campaign_delivery", token: f.tokens["chenjing"], json: #"{"args":[\#(campaign)]}"#)
            let counts = try #require(delivery.object["result"] as? [String: Any])
            #expect(counts["待发送"] as? Int == 1 && counts["opted_out"] as? Int == 1 && counts["total"] as? Int == 1)
        }
        #expect(try f.store.count("message_opt_out", filter: .eq("address", .text("meimei@example.com"))) == 1)
    }

    @Test func aReplySayingStopOptsTheSenderOutWithTheGatewayToken() async throws {
        let f = try MarketingFixture(companyLua: Self.lua)
        try MessageSettings.set("messages.sms.url", "http://127.0.0.1:9/send", in: f.store)
        try MessageSettings.set("messages.sms.token", "gw", in: f.store)
        try await f.withClient { c in
            #expect(try await c.call(.post, "/public/marketing/replies?token=bad", json: #"{"from":"13800138000","text":"TD"}"#).status == 403)
            let hello = try await c.call(.post, "/public/marketing/replies?token=gw", json: #"{"from":"13800138000","text":"你好"}"#)
            #expect((hello.object["data"] as? [String: Any])?["opted_out"] as? Bool == false)
            let stop = try await c.call(.post, "/public/marketing/replies?token=gw", json: #"{"from":"+86 138 0013 8000","text":" 退订 "}"#)
            #expect((stop.object["data"] as? [String: Any])?["opted_out"] as? Bool == true)
        }
        let lead = try f.lead(["name": .text("短信用户"), "phone": .text("13800138000")])
        _ = try f.store.create("message_template", ["name": .text("短信"), "channel": .text("sms"), "body": .text("{{lead.name}}，新品上市")])
        let outcome = try f.store.write(as: .system) { tx in
            try MarketingMessaging.send(tx, template: try MarketingMessaging.template(tx.reader, "短信"), to: lead, campaign: nil)
        }
        #expect(outcome == .optedOut)
    }

    @Test func aTriggeredSendWaitsForItsDelay() throws {
        let f = try MarketingFixture(companyLua: Self.lua + """
        crm.on("lead.after_create", function(lead)
          crm.marketing.send_template("欢迎", {entity = "lead", id = lead.id, delay_hours = 24, key = "welcome"})
        end)
        """)
        try template(f, "欢迎", subject: "欢迎", body: "{{lead.name}}，感谢关注")
        let lead = try f.lead(["name": .text("李雷"), "email": .text("lilei@example.com")])
        let message = try #require(try f.store.find(Query("message")).records.first)
        #expect(message["record_id"] == .integer(lead.id))
        guard case .datetime(let at) = message["next_attempt_at"] else { Issue.record("no next attempt"); return }
        #expect(at.timeIntervalSinceNow > 23 * 3600)
    }

    @Test func thePublicLeadsPathTakesAPlainHTMLFormPost() async throws {
        let f = try MarketingFixture(companyLua: Self.lua)
        try await f.withClient { c in
            let reply = try await c.execute(uri: "/public/leads/web", method: .post,
                                            headers: [.contentType: "application/x-www-form-urlencoded"],
                                            body: ByteBuffer(string: "name=%E5%BC%A0%E4%B8%89&phone=13900000009&email=zs%40example.com")) { r in
                Int(r.status.code)
            }
            #expect(reply == 200)
            let twice = try await c.execute(uri: "/public/leads/web", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                            body: ByteBuffer(string: "name=a&name=b&phone=1")) { r in Int(r.status.code) }
            #expect(twice == 400)
        }
        let lead = try #require(try f.store.find(Query("lead")).records.first)
        #expect(lead["name"] == .text("张三") && lead["email"] == .text("zs@example.com"))
    }
}
