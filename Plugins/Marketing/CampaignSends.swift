import CRMKernel
import Foundation

/// Sending a template to a campaign's target group (its saved customer filter, or leads), and
/// counting a campaign's deliveries.
enum CampaignSends {
    /// Most recipients one send reaches.
    static let maxRecipients = 50_000

    /// The counts of one send, by outcome.
    struct Report {
        var counts: [MarketingMessaging.Outcome: Int] = [:]
        var recipients = 0

        var script: ScriptValue {
            var t: [String: ScriptValue] = ["recipients": .value(.integer(Int64(recipients)))]
            for o in MarketingMessaging.Outcome.allCases { t[o.rawValue] = .value(.integer(Int64(counts[o] ?? 0))) }
            return .table(t)
        }
    }

    /// Sends `templateName` to `target` records (`customer` or `lead`) matching `filter` (by
    /// default the campaign's `audience` for customers, the campaign's own leads for leads), all
    /// in `tx`. Read access of the caller applies to who is reached.
    static func send(_ tx: WriteContext, campaign campaignID: Int64, template templateName: String,
                     target: String, filter: Filter?) throws -> Report {
        guard ["customer", "lead", "contact"].contains(target) else {
            throw KernelError(.validation, "send_campaign: to must be customer, lead or contact", fieldErrors: [FieldError(field: "to", message: "unknown target '\(target)'")])
        }
        guard let campaign = try tx.reader.get("campaign", campaignID) else { throw KernelError.recordNotFound("campaign", campaignID) }
        let template = try MarketingMessaging.template(tx.reader.system, templateName)
        var chosen = filter
        if chosen == nil {
            switch target {
            case "lead": chosen = .eq("campaign", .integer(campaignID))
            default: chosen = try audience(campaign)
            }
        }
        var report = Report()
        var after: Int64 = 0
        while report.recipients < maxRecipients {
            let page = try tx.reader.find(Query(target, filter: .all([chosen, .condition(field: "id", op: .gt, value: .integer(after))].compactMap { $0 }),
                                                sort: [SortKey("id")], limit: 500)).records
            if page.isEmpty { break }
            for recipient in page {
                report.recipients += 1
                let outcome = try MarketingMessaging.send(tx, template: template, to: recipient, campaign: campaign)
                report.counts[outcome, default: 0] += 1
            }
            after = page.last!.id
        }
        return report
    }

    /// The campaign's saved customer filter (JSON in `audience`), or nil (everyone).
    static func audience(_ campaign: Record) throws -> Filter? {
        guard case .text(let json) = campaign["audience"], !json.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) else {
            throw KernelError(.validation, "campaign \(campaign.id): audience is not JSON", entity: "campaign",
                              fieldErrors: [FieldError(field: "audience", message: "not JSON")])
        }
        do {
            return try Filter(script: scriptValue(object))
        } catch {
            throw KernelError(.validation, "campaign \(campaign.id): audience: \(error.message)", entity: "campaign",
                              fieldErrors: [FieldError(field: "audience", message: error.message)])
        }
    }

    /// A JSON value as a script value (numbers: integers when whole).
    static func scriptValue(_ any: Any) -> ScriptValue {
        switch any {
        case let d as [String: Any]: return .table(d.mapValues(scriptValue))
        case let a as [Any]: return .list(a.map(scriptValue))
        case let s as String: return .value(.text(s))
        case let n as NSNumber:
            // JSON true/false arrive as numbers too; audiences compare choices and text, rarely booleans.
            if let i = Int64(exactly: n.doubleValue) { return .value(.integer(i)) }
            return .value(.decimal(Decimal(string: n.stringValue) ?? 0))
        default: return .null
        }
    }

    /// Delivery of a campaign's messages: counts by the kernel message status, plus 退订 since.
    static func delivery(_ reader: RecordReader, campaign: Int64) throws -> ScriptValue {
        let counts = try Messages.counts(source: "campaign:\(campaign)", in: reader.system)
        var t: [String: ScriptValue] = [:]
        for (status, n) in counts { t[status.rawValue] = .value(.integer(Int64(n))) }
        t["total"] = .value(.integer(Int64(counts.values.reduce(0, +))))
        let sends = try reader.system.find(Query("marketing_send", filter: .eq("campaign", .integer(campaign)), limit: 100_000)).records
        let addresses = Set(sends.map { MarketingMessaging.optOutKey(MessageChannel(rawValue: $0["channel"].textValue ?? "email") ?? .email, $0["address"].textValue ?? "") })
        var optedOut = 0
        for key in addresses where try !reader.system.ids("message_opt_out", where: "key", equals: .text(key), limit: 1).isEmpty { optedOut += 1 }
        t["opted_out"] = .value(.integer(Int64(optedOut)))
        return .table(t)
    }
}
