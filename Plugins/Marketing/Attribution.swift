import CRMKernel
import Foundation

/// Crediting won deals to campaigns with the policy `marketing.attribution`, over the touches
/// of the leads the deal's customer was converted from. A deal's amount is split in whole fen
/// (the remainder goes to the largest share), kept in `campaign_attribution` rows named by the
/// model; a campaign's cost is never part of this (the ROI report counts it once).
enum Attribution {
    /// The model named by reports with no attributed deal yet.
    static let currentModelName = "first_touch"

    /// `marketing.attribution`: `{touches = {{campaign =, at =, source =}...}, amount =}` →
    /// `{model = "first_touch", shares = {{campaign = id, weight = n}...}}`.
    static let policy = ScriptPolicy("attribution",
                                     summary: "crm.marketing.attribution{touches = {{campaign =, at =, source =}}, amount =} → {model =, shares = {{campaign =, weight =}}}")

    /// Re-credits opportunity `id` (won) in `tx`: its old rows go, new ones follow the policy in force.
    static func attribute(_ tx: WriteContext, opportunity id: Int64) throws {
        let reader = tx.reader.system
        try tx.asSystem {
            for old in try reader.find(Query("campaign_attribution", filter: .eq("opportunity", .integer(id)), limit: 10_000)).records {
                try tx.delete("campaign_attribution", old.id)
            }
        }
        guard let deal = try reader.get("opportunity", id), !deal["won_date"].isEmpty, let customer = deal["customer"].integerValue else { return }
        let amount = CampaignROI.fen(deal["amount"])
        var touches: [(at: String, campaign: Int64, source: String)] = []
        for lead in try reader.ids("lead", where: "customer", equals: .integer(customer), limit: 1000) {
            for touch in try reader.find(Query("lead_touch", filter: .eq("lead", .integer(lead)), limit: 1000)).records {
                guard let campaign = touch["campaign"].integerValue else { continue }
                touches.append((touch["at"].description, campaign, touch["source"].textValue ?? ""))
            }
        }
        guard !touches.isEmpty, amount > 0 else { return }
        touches.sort { $0.at < $1.at }
        let argument = ScriptValue.table([
            "amount": .value(.integer(amount)), "customer": .value(.integer(customer)), "opportunity": .value(.integer(id)),
            "touches": .list(touches.map { .table(["at": .value(.text($0.at)), "campaign": .value(.integer($0.campaign)), "source": .value(.text($0.source))]) }),
        ])
        let answer = try tx.policy("marketing.attribution", argument)
        guard let model = answer.fields?["model"]?.text, case .list(let items)? = answer.fields?["shares"] else {
            throw KernelError(.scriptFailed, "policy marketing.attribution must return {model = \"...\", shares = {{campaign = id, weight = n}...}}")
        }
        var weights: [(campaign: Int64, weight: Int64)] = []
        for item in items {
            guard let campaign = item.fields?["campaign"]?.integer, let weight = item.fields?["weight"]?.integer, weight >= 0 else {
                throw KernelError(.scriptFailed, "policy marketing.attribution: each share needs a campaign id and a whole weight of 0 or more")
            }
            if weight > 0 { weights.append((campaign, weight)) }
        }
        let total = weights.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return }
        var shares = weights.map { (campaign: $0.campaign, fen: amount * $0.weight / total) }
        let rest = amount - shares.reduce(0) { $0 + $1.fen }
        if let largest = shares.indices.max(by: { shares[$0].fen < shares[$1].fen }) { shares[largest].fen += rest }
        try tx.asSystem {
            for share in shares where share.fen > 0 {
                _ = try tx.create("campaign_attribution", ["campaign": .integer(share.campaign), "opportunity": .integer(id), "customer": .integer(customer),
                                                           "amount": .integer(share.fen), "model": .text(model), "at": .datetime(tx.now), "owner": .null])
            }
        }
    }

    /// `marketing.attribution`: a won deal (the opportunities module's `opportunity.won`, read
    /// from the durable outbox) is credited to the campaigns that brought its customer.
    static var consumer: EventConsumer {
        EventConsumer("attribution", events: ["opportunity.won"], summary: "赢单金额按归因模型计入市场活动 (credit won deals to campaigns)") { event, tx in
            guard let id = event.recordID else { return }
            try attribute(tx, opportunity: id)
        }
    }

    /// `crm.marketing.reattribute()`: every won deal credited again with the policy in force.
    static var reattribute: ScriptFunction {
        ScriptFunction("reattribute", summary: "crm.marketing.reattribute() → deals credited again with the attribution policy in force",
                       effect: .write, access: .admin("campaign")) { call in
            try call.write { tx in
                var after: String? = nil, count: Int64 = 0
                let won = Filter.condition(field: "won_date", op: .isNotEmpty, value: .null)
                repeat {
                    let page = try tx.reader.system.find(Query("opportunity", filter: won, sort: [SortKey("id")], limit: 1000, after: after))
                    for deal in page.records { try attribute(tx, opportunity: deal.id); count += 1 }
                    after = page.nextCursor
                } while after != nil
                return .value(.integer(count))
            }
        }
    }
}
