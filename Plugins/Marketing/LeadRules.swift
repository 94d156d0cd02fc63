import CRMCustomers
import CRMKernel
import Foundation

/// What every save of a lead, a cost line or a follow-up keeps true, in the save's transaction:
/// the 查重 keys, the status rules, a converted lead's lock, the campaign's cost totals and a
/// lead's last follow-up time.
enum LeadRules {
    static var hooks: HookSet {
        var set = HookSet()
        set.onBeforeSave("lead") { ctx in try apply(&ctx) }
        set.onBeforeSave("campaign_cost") { ctx in try costTotals(&ctx) }
        set.onBeforeSave("followup") { ctx in try followup(&ctx) }
        set.onBeforeSave("task") { ctx in try task(&ctx) }
        return set
    }

    /// The normalized phone of a lead (the customers module's 查重 normalization).
    static func phoneKey(_ text: String?) -> String? { text.flatMap(DuplicateKeys.phone) }

    /// The normalized email of a lead: trimmed, lowercased; nil when it has no `@`.
    static func emailKey(_ text: String?) -> String? {
        guard let key = text?.trimmingCharacters(in: .whitespacesAndNewlines).lowercased(), key.contains("@") else { return nil }
        return key
    }

    /// Keys, status rules and stamps of a lead.
    static func apply(_ ctx: inout SaveContext) throws {
        guard ctx.operation != .delete else { return }
        if ctx.operation == .update, ctx.old?["status"] == .text(MarketingStatus.converted) {
            throw KernelError(.invalidState, "lead \(ctx.id ?? 0) is converted (已转化) and can no longer change", entity: "lead",
                              fieldErrors: [FieldError(field: "status", message: "已转化的线索不能修改")])
        }
        ctx.values["phone_key"] = phoneKey(ctx.values["phone"]?.textValue).map(Value.text) ?? .null
        ctx.values["email_key"] = emailKey(ctx.values["email"]?.textValue).map(Value.text) ?? .null
        if (ctx.values["last_touch_at"] ?? .null) == .null { ctx.values["last_touch_at"] = .datetime(ctx.tx.now) }
        var status = ctx.values["status"]?.textValue ?? MarketingStatus.new
        if status == MarketingStatus.converted, (ctx.values["customer"] ?? .null) == .null || (ctx.values["converted_at"] ?? .null) == .null {
            ctx.reject("status", "线索只能通过转化操作变为已转化 (use crm.marketing.convert)")
        }
        if status == MarketingStatus.invalid, (ctx.values["invalid_reason"]?.textValue ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            ctx.reject("invalid_reason", "标记为无效时必须填写原因 (a reason is required when a lead is marked invalid)")
        }
        let owner = ctx.values["owner"] ?? .null
        let ownerChanged = ctx.operation == .create ? owner != .null : owner != (ctx.old?["owner"] ?? .null)
        if ownerChanged, owner != .null {
            ctx.values["assigned_at"] = .datetime(ctx.tx.now)
            ctx.values["pool_warned_at"] = .null
            if status == MarketingStatus.new || status == MarketingStatus.pooled { status = MarketingStatus.assigned }
        } else if owner == .null, status == MarketingStatus.assigned || status == MarketingStatus.working {
            status = MarketingStatus.pooled
        }
        ctx.values["status"] = .text(status)
        try LeadScoring.score(&ctx)
    }

    /// A cost line's campaign gets its expected and actual totals recomputed.
    static func costTotals(_ ctx: inout SaveContext) throws {
        var campaigns = Set<Int64>()
        if let id = ctx.values["campaign"]?.integerValue { campaigns.insert(id) }
        if let id = ctx.old?["campaign"].integerValue { campaigns.insert(id) }
        for campaign in campaigns {
            var totals: [String: Int64] = ["预计": 0, "实际": 0]
            let lines = try ctx.tx.reader.system.find(Query("campaign_cost", filter: .eq("campaign", .integer(campaign)), limit: 10_000)).records
            for line in lines where line.id != ctx.id {
                totals[line["kind"].textValue ?? "实际", default: 0] += CampaignROI.fen(line["amount"])
            }
            if ctx.operation != .delete, ctx.values["campaign"]?.integerValue == campaign {
                totals[ctx.values["kind"]?.textValue ?? "实际", default: 0] += CampaignROI.fen(ctx.values["amount"] ?? .null)
            }
            try ctx.tx.asSystem {
                _ = try ctx.tx.update("campaign", campaign, ["expected_cost": .integer(totals["预计"] ?? 0), "actual_cost": .integer(totals["实际"] ?? 0)])
            }
        }
    }

    /// A follow-up names a customer or a lead; one on a lead stamps the lead's last follow-up
    /// time and moves it from 已分配 to 跟进中.
    static func followup(_ ctx: inout SaveContext) throws {
        guard ctx.operation != .delete else { return }
        let lead = ctx.values["lead"] ?? .null
        if (ctx.values["customer"] ?? .null) == .null, lead == .null {
            ctx.reject("customer", "跟进记录需要关联客户或线索 (a follow-up needs a customer or a lead)")
            return
        }
        guard case .integer(let leadID) = lead, let record = try ctx.tx.reader.get("lead", leadID) else { return }
        guard record["status"] != .text(MarketingStatus.converted) else {
            if ctx.operation == .create || ctx.changed("lead") {
                ctx.reject("lead", "线索已转化，请在客户上跟进 (the lead is converted; follow up on its customer)")
            }
            return
        }
        var changes: [String: Value] = [:]
        let at = ctx.values["followed_at"] ?? .datetime(ctx.tx.now)
        if case .datetime(let when) = at {
            if case .datetime(let last) = record["last_followup_at"], last >= when {} else { changes["last_followup_at"] = .datetime(when) }
        }
        if record["status"] == .text(MarketingStatus.assigned) { changes["status"] = .text(MarketingStatus.working) }
        if !changes.isEmpty { try ctx.tx.asSystem { _ = try ctx.tx.update("lead", leadID, changes) } }
    }

    /// A task on a lead must name a lead that exists.
    static func task(_ ctx: inout SaveContext) throws {
        guard ctx.operation != .delete, case .integer(let leadID) = ctx.values["lead"] ?? .null, ctx.changed("lead") else { return }
        if try ctx.tx.reader.get("lead", leadID) == nil { ctx.reject("lead", "lead \(leadID) does not exist") }
    }
}
