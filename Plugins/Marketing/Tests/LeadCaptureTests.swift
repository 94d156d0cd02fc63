import CRMKernel
@testable import CRMMarketing
import CRMScripting
import Foundation
import Testing
import CRMModuleTestSupport

/// The public capture route: a real post, a repeat, a bot, bad fields, a flood.
struct LeadCaptureTests {
    static let rules = """
    crm.marketing.assignment_rules({ rules = { { name = "华南", when = { region = { "广东" } }, users = { "lina", "wangqiang" } } } })
    crm.marketing.capture_forms({ web = { fields = { "name", "company", "phone", "email", "region", "product_interest" },
      required = { "name" }, source = "官网表单", campaign = "春季展", honeypot = "homepage", min_fill_seconds = 3 } })
    """

    @Test func aPostCreatesAnAssignedLeadAndARepeatBecomesATouch() async throws {
        let f = try MarketingFixture(companyLua: Self.rules)
        let campaign = try f.campaign("春季展")
        let started = Int(Date().timeIntervalSince1970) - 10
        try await f.withClient { client in
            let first = try await client.call(.post, "/public/marketing/leads/web",
                                              json: #"{"name":"韩梅梅","phone":"138 0013 8000","region":"广东","_started":\#(started),"homepage":""}"#)
            #expect(first.status == 200 && (first.object["data"] as? [String: Any])?["received"] as? Bool == true, "\(first.text)")
            // The same person again, phone written differently, with an email this time.
            let again = try await client.call(.post, "/public/marketing/leads/web",
                                              json: #"{"name":"韩梅梅","phone":"+86 13800138000","email":"HMM@example.cn","_started":\#(started)}"#)
            #expect(again.status == 200)
        }
        let leads = try f.store.find(Query("lead")).records
        #expect(leads.count == 1)
        let lead = try #require(leads.first)
        #expect(lead["touches"] == .integer(2) && lead["email"] == .text("HMM@example.cn"))
        #expect(lead["campaign"] == .integer(campaign) && lead["source"] == .text("官网表单"))
        #expect(lead["owner"] == .integer(f.users["lina"]!) && lead["status"] == .text(MarketingStatus.assigned))
        #expect(try f.store.count("lead_touch", filter: .eq("lead", .integer(lead.id))) == 2)
    }

    @Test func botsGetTheSameAnswerAndNothingIsSaved() async throws {
        let f = try MarketingFixture(companyLua: Self.rules)
        let now = Int(Date().timeIntervalSince1970)
        try await f.withClient { client in
            let honeypot = try await client.call(.post, "/public/marketing/leads/web",
                                                 json: #"{"name":"bot","phone":"13900000000","homepage":"http://spam","_started":\#(now - 60)}"#)
            let tooFast = try await client.call(.post, "/public/marketing/leads/web", json: #"{"name":"bot","phone":"13900000001","_started":\#(now + 86_400)}"#)
            #expect(honeypot.status == 200 && tooFast.status == 200 && honeypot.text == tooFast.text)
        }
        #expect(try f.store.count("lead") == 0)
    }

    @Test func unknownFieldsHtmlAndMissingFieldsAreRefusedByName() async throws {
        let f = try MarketingFixture(companyLua: Self.rules)
        let started = Int(Date().timeIntervalSince1970) - 10
        try await f.withClient { client in
            let unknown = try await client.call(.post, "/public/marketing/leads/web", json: #"{"name":"a","phone":"13800000002","salary":"1","_started":\#(started)}"#)
            #expect(unknown.status == 400 && unknown.text.contains("salary"), "\(unknown.text)")
            let html = try await client.call(.post, "/public/marketing/leads/web",
                                             json: #"{"name":"<script>alert(1)</script>","phone":"13800000003","_started":\#(started)}"#)
            #expect(html.status == 400 && html.text.contains("name") && html.text.contains("HTML"), "\(html.text)")
            let noContact = try await client.call(.post, "/public/marketing/leads/web", json: #"{"name":"a","_started":\#(started)}"#)
            #expect(noContact.status == 400 && noContact.text.contains("phone"))
            let noForm = try await client.call(.post, "/public/marketing/leads/nope", json: #"{"name":"a"}"#)
            #expect(noForm.status == 404)
        }
        #expect(try f.store.count("lead") == 0)
    }

    @Test func aFloodFromOneAddressIsLimited() async throws {
        let f = try MarketingFixture(companyLua: Self.rules)
        try await f.withClient { client in
            var statuses: [Int] = []
            let started = ContinuousClock.now
            for i in 0..<22 {
                statuses.append(try await client.call(.post, "/public/marketing/leads/web", json: #"{"name":"a","phone":"1380000\#(1000 + i)"}"#).status)
            }
            if ContinuousClock.now - started < .seconds(55) {
                #expect(statuses.prefix(20).allSatisfy { $0 == 200 } && statuses.suffix(2).allSatisfy { $0 == 429 }, "\(statuses)")
            } else {
                // The limit's window is 60 s: on a machine loaded enough that the flood outlasted it
                // (seen once with the whole suite on two cores), a new window began in between, so
                // which of the last requests are refused depends on when; none of the first 20 is.
                #expect(statuses.prefix(20).allSatisfy { $0 == 200 } && statuses.allSatisfy { $0 == 200 || $0 == 429 }, "\(statuses)")
            }
        }
    }

    @Test func badCaptureFormsInLuaNameTheKey() throws {
        let f = try MarketingFixture()
        let console = Console(host: f.host) { _ in }
        let answer = console.evaluate(#"crm.marketing.capture_forms({ web = { fields = { "name", "salary" } } })"#)
        #expect(answer.error?.contains("capture_forms.web.fields: 'salary'") == true, "\(answer)")
    }
}
