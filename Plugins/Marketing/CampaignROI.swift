import CRMKernel
import Foundation

/// A campaign's return on investment: leads, converted leads, opportunities, the won amount the
/// attribution policy credits it with, its actual cost (counted once, from its cost lines), cost
/// per lead and per converted lead, and ROI = (attributed won revenue − actual cost) / actual cost.
/// Money is in fen; ratios are decimal text, computed without floating point.
enum CampaignROI {
    /// The report for campaign `id`, read under `reader`'s access.
    static func report(_ reader: RecordReader, campaign id: Int64) throws -> ScriptValue {
        guard let campaign = try reader.get("campaign", id) else { throw KernelError.recordNotFound("campaign", id) }
        let system = reader.system
        let byCampaign = Filter.eq("campaign", .integer(id))
        let leads = try system.count("lead", filter: byCampaign)
        let converted = try system.count("lead", filter: .all([byCampaign, .eq("status", .text(MarketingStatus.converted))]))
        let opportunities = try system.count("lead", filter: .all([byCampaign, .eq("status", .text(MarketingStatus.converted)),
                                                                   .condition(field: "opportunity", op: .isNotEmpty, value: .null)]))
        let rows = try system.aggregate("campaign_attribution", groupBy: [GroupKey("model")], measures: [.sum("amount"), .count], filter: byCampaign)
        var revenue: Int64 = 0, deals: Int64 = 0
        var models: [String] = []
        for row in rows {
            revenue += fen(row.values[0])
            deals += row.values[1].integerValue ?? 0
            if let model = row.group["model"]?.textValue { models.append(model) }
        }
        let cost = fen(campaign["actual_cost"])
        return .table([
            "campaign": .value(.integer(id)), "name": campaign["name"].isEmpty ? .null : .value(campaign["name"]),
            "leads": .value(.integer(Int64(leads))), "converted": .value(.integer(Int64(converted))),
            "opportunities": .value(.integer(Int64(opportunities))), "won_deals": .value(.integer(deals)),
            "attributed_revenue": .value(.integer(revenue)), "actual_cost": .value(.integer(cost)),
            "cost_per_lead": leads > 0 ? .value(.integer(rounded(cost, Int64(leads)))) : .null,
            "cost_per_converted": converted > 0 ? .value(.integer(rounded(cost, Int64(converted)))) : .null,
            "roi": cost > 0 ? .value(.text(ratio(revenue - cost, cost))) : .null,
            "model": .value(.text(models.isEmpty ? Attribution.currentModelName : models.joined(separator: "+"))),
        ])
    }

    /// An integer or decimal sum as fen.
    static func fen(_ value: Value) -> Int64 {
        switch value {
        case .integer(let i): return i
        case .decimal(let d): return NSDecimalNumber(decimal: d).int64Value
        default: return 0
        }
    }

    /// `a / b` rounded half up, for non-negative `a`.
    static func rounded(_ a: Int64, _ b: Int64) -> Int64 { (a + b / 2) / b }

    /// `a / b` as decimal text with four places (`-0.2500`), rounded half away from zero.
    static func ratio(_ a: Int64, _ b: Int64) -> String {
        let scaled = (abs(a) * 10_000 + b / 2) / b
        return (a < 0 && scaled > 0 ? "-" : "") + "\(scaled / 10_000)." + String(format: "%04lld", scaled % 10_000)
    }

    /// `crm.marketing.roi(campaign_id)` and `crm.marketing.score_bands()`.
    static var functions: [ScriptFunction] {
        [
            ScriptFunction("roi", summary: "crm.marketing.roi(campaign_id) → leads, converted, opportunities, attributed_revenue, actual_cost, cost_per_lead, cost_per_converted, roi, model",
                           effect: .read, access: .read("campaign", recordArguments: [0])) { call in
                guard let id = call[0].integer else { throw KernelError(.validation, "crm.marketing.roi needs a campaign id") }
                return try call.read { try report($0, campaign: id) }
            },
            ScriptFunction("score_bands", summary: "crm.marketing.score_bands() → leads and conversion rate per score band (0-19 … 80-100)",
                           effect: .read, access: .read("lead")) { call in
                let filter = try call.scoped(nil, on: "lead")
                return try call.read { reader in try scoreBands(reader, filter: filter) }
            },
        ]
    }

    /// Leads and converted leads per score band of 20 points, with the conversion rate.
    static func scoreBands(_ reader: RecordReader, filter: Filter?) throws -> ScriptValue {
        var bands: [ScriptValue] = []
        for low in stride(from: 0, through: 80, by: 20) {
            let high = low == 80 ? 100 : low + 19
            let band = Filter.all([.condition(field: "score", op: .ge, value: .integer(Int64(low))),
                                   .condition(field: "score", op: .le, value: .integer(Int64(high)))] + (filter.map { [$0] } ?? []))
            let leads = try reader.count("lead", filter: band)
            let converted = try reader.count("lead", filter: .all([band, .eq("status", .text(MarketingStatus.converted))]))
            bands.append(.table(["band": .value(.text("\(low)-\(high)")), "leads": .value(.integer(Int64(leads))),
                                 "converted": .value(.integer(Int64(converted))),
                                 "rate": leads > 0 ? .value(.text(ratio(Int64(converted), Int64(leads)))) : .null]))
        }
        return .list(bands)
    }
}
