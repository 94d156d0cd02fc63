import CRMKernel

/// Lead scores come from the policy `marketing.score` (the stock pack's weighs source,
/// completeness, region, touches and recency; a company replaces it in Lua). It runs on every
/// save of a lead, so a touch (which updates the lead) rescores it too.
enum LeadScoring {
    /// `marketing.score`: `{lead = {...fields}, touches = n}` → 0–100.
    static let policy = ScriptPolicy("score", summary: "crm.marketing.score{lead = {...}, touches = n, days_since_touch = n} → the lead's score, 0–100")

    /// Fields the policy is not told about (bookkeeping of the module and the kernel).
    static let withheld: Set<String> = ["score", "phone_key", "email_key", "pool_warned_at", "created_by", "updated_by"]

    /// Sets `score` from the policy in force, unless the lead is converted or invalid.
    static func score(_ ctx: inout SaveContext) throws {
        guard let status = ctx.values["status"]?.textValue, status != MarketingStatus.converted, status != MarketingStatus.invalid else { return }
        var lead: [String: ScriptValue] = [:]
        for (key, value) in ctx.values where !withheld.contains(key) && value != .null { lead[key] = .value(value) }
        if let id = ctx.id { lead["id"] = .value(.integer(id)) }
        let lastTouch = LeadAssignment.instant(ctx.values["last_touch_at"] ?? .null) ?? ctx.tx.now
        let days = Int64(max(0, ctx.tx.now.timeIntervalSince(lastTouch)) / 86_400)
        let answer: ScriptValue
        do {
            answer = try ctx.tx.policy("marketing.score", .table(["lead": .table(lead), "touches": .value(ctx.values["touches"] ?? .integer(1)),
                                                                  "days_since_touch": .value(.integer(days))]))
        } catch let error as KernelError where error.kind == .scriptFailed && error.message.hasPrefix("no Lua implementation") {
            // A workspace without a script pack (no Lua engine): leads stay unscored.
            return
        }
        guard let score = answer.integer ?? answer.text.flatMap({ Int64($0) }) else {
            throw KernelError(.scriptFailed, "policy marketing.score returned \(answer), not a whole number from 0 to 100")
        }
        ctx.values["score"] = .integer(min(100, max(0, score)))
    }
}
