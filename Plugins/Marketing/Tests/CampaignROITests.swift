import CRMKernel
@testable import CRMMarketing
import CRMScripting
import Foundation
import Testing

/// Scores from the stock policy, and a campaign's ROI moving when a converted lead's deal is won.
struct CampaignROITests {
    @Test func theStockPolicyScoresOnSaveAndOnATouch() throws {
        let f = try MarketingFixture()
        let bare = try f.lead(["source": .text("其他")])
        let rich = try f.lead(["source": .text("转介绍"), "phone": .text("13800138009"), "email": .text("a@b.cn"), "company": .text("甲"),
                               "region": .text("广东"), "product_interest": .text("空压机")])
        #expect(bare["score"] == .integer(15) && rich["score"] == .integer(30 + 25 + 10 + 10), "\(bare["score"]) \(rich["score"])")
        // A repeat through a capture form is a touch: the lead is rescored.
        _ = try f.store.write(as: .system) { tx in
            try LeadCapture.record(tx, fields: ["name": "甲", "phone": "13800138009"], form: CaptureForms.Form(
                name: "t", fields: ["name", "phone"], required: ["name"], source: "官网表单", campaign: nil, honeypot: nil, minFillSeconds: 0))
        }
        #expect(try f.store.get("lead", rich.id)?["score"] == .integer(85))
        // A company's pack replaces the policy.
        let g = try MarketingFixture(companyLua: #"crm.policy("marketing.score", function(args) return 42 end)"#)
        #expect(try g.lead()["score"] == .integer(42))
    }

    @Test func roiCountsLeadsCostOnceAndTheAttributedWonAmount() throws {
        let f = try MarketingFixture()
        let expo = try f.campaign("秋季展会"), ads = try f.campaign("信息流广告")
        for (item, fen) in [("展位", Int64(60_000_00)), ("物料", Int64(40_000_00))] {
            _ = try f.store.create("campaign_cost", ["campaign": .integer(expo), "item": .text(item), "amount": .integer(fen)])
        }
        _ = try f.store.create("campaign_cost", ["campaign": .integer(expo), "item": .text("预算"), "kind": .text("预计"), "amount": .integer(150_000_00)])
        let lina = f.users["lina"]!
        let lead = try f.lead(["company": .text("深圳恒远贸易有限公司"), "phone": .text("13800138011"), "campaign": .integer(expo), "owner": .integer(lina)])
        _ = try f.store.create("lead_touch", ["lead": .integer(lead.id), "campaign": .integer(expo), "at": .datetime(Date(timeIntervalSince1970: 1_700_000_000))])
        _ = try f.store.create("lead_touch", ["lead": .integer(lead.id), "campaign": .integer(ads), "at": .datetime(Date(timeIntervalSince1970: 1_700_100_000))])
        for _ in 0..<3 { _ = try f.lead(["campaign": .integer(expo)]) }
        let console = Console(host: f.host) { _ in }
        let converted = console.evaluate("return crm.marketing.convert(\(lead.id), {opportunity = {amount = 30000000}}).opportunity")
        #expect(converted.error == nil, "\(converted)")
        let won = console.evaluate("return crm.opportunities.win(\(converted.output)).id")
        #expect(won.error == nil, "\(won)")
        let roi = console.evaluate("local r = crm.marketing.roi(\(expo)) return r.leads, r.converted, r.opportunities, r.attributed_revenue, r.actual_cost, r.cost_per_lead, r.cost_per_converted, r.roi, r.model")
        #expect(roi.error == nil, "\(roi)")
        #expect(roi.output == "4\n1\n1\n30000000\n10000000\n2500000\n10000000\n2.0000\nfirst_touch", "\(roi.output)")
        // The ads campaign got nothing under first touch.
        #expect(console.evaluate("return crm.marketing.roi(\(ads)).attributed_revenue").output == "0")
    }

    @Test func aCompanyPackChoosesEqualSplitAndReattributes() throws {
        let f = try MarketingFixture(companyLua: #"crm.policy("marketing.attribution", require("lib.attribution").equal_split)"#)
        let expo = try f.campaign("秋季展会"), ads = try f.campaign("信息流广告")
        let lead = try f.lead(["company": .text("深圳恒远贸易有限公司"), "phone": .text("13800138011"), "campaign": .integer(expo), "owner": .integer(f.users["lina"]!)])
        for (campaign, at) in [(expo, 1_700_000_000.0), (ads, 1_700_100_000.0)] {
            _ = try f.store.create("lead_touch", ["lead": .integer(lead.id), "campaign": .integer(campaign), "at": .datetime(Date(timeIntervalSince1970: at))])
        }
        let console = Console(host: f.host) { _ in }
        let deal = console.evaluate("return crm.marketing.convert(\(lead.id), {opportunity = {amount = 30000001}}).opportunity")
        #expect(console.evaluate("return crm.opportunities.win(\(deal.output)).id").error == nil)
        let split = console.evaluate("return crm.marketing.roi(\(expo)).attributed_revenue + crm.marketing.roi(\(ads)).attributed_revenue, crm.marketing.roi(\(ads)).model")
        #expect(split.output == "30000001\nequal_split", "\(split)")
        #expect(console.evaluate("return crm.marketing.reattribute()").output == "1")
        #expect(try f.store.count("campaign_attribution") == 2)
    }

    @Test func conversionRateByScoreBand() throws {
        let f = try MarketingFixture()
        _ = try f.lead(["source": .text("其他")])
        let console = Console(host: f.host) { _ in }
        let bands = console.evaluate("local b = crm.marketing.score_bands() return #b, b[1].band, b[1].leads, b[1].converted")
        #expect(bands.output == "5\n0-19\n1\n0", "\(bands)")
    }
}
