import CRMKernel
import Foundation

/// The lead pool (线索池): leads not followed up in time go back to it (a job, hourly), their
/// owners warned before; users claim leads from it within a daily quota and a cooldown.
enum LeadPool {
    /// What one run of the return job did.
    struct RunReport: Sendable, Hashable {
        var returned: [Int64] = []
        var warned = 0
    }

    /// Returns the leads due at `now` to the pool and warns the owners of those due within the
    /// warning time (once per assignment).
    static func run(_ tx: WriteContext, now: Date) throws -> RunReport {
        let rules = LeadPoolRules.inForce(tx.schema)
        var report = RunReport()
        let shortest = ([rules.defaultHours] + Array(rules.bySource.values) + rules.byScore.map(\.hours)).min() ?? rules.defaultHours
        let horizon = now.addingTimeInterval(-Double(max(0, shortest - rules.warnHours)) * 3600)
        let candidates = Filter.all([
            .condition(field: "status", op: .in, value: .list([MarketingStatus.assigned, MarketingStatus.working])),
            .condition(field: "owner", op: .isNotEmpty, value: .null),
            .condition(field: "assigned_at", op: .lt, value: .datetime(horizon)),
        ])
        var after: String? = nil
        repeat {
            let page = try tx.reader.system.find(Query("lead", filter: candidates, sort: [SortKey("id")], limit: 1000, after: after))
            for lead in page.records {
                guard report.returned.count < rules.maxPerRun else { return report }
                let hours = rules.hours(source: lead["source"].textValue, score: lead["score"].integerValue ?? 0)
                let since = [LeadAssignment.instant(lead["last_followup_at"]), LeadAssignment.instant(lead["assigned_at"])].compactMap { $0 }.max() ?? now
                let due = since.addingTimeInterval(Double(hours) * 3600)
                guard let owner = lead["owner"].integerValue else { continue }
                if due <= now {
                    try tx.asSystem {
                        _ = try tx.update("lead", lead.id, ["owner": .null, "status": .text(MarketingStatus.pooled)])
                        try recordEvent(tx, lead: lead.id, action: "回收", user: nil, previousOwner: owner, reason: "超过\(hours)小时未跟进")
                    }
                    report.returned.append(lead.id)
                } else if due.addingTimeInterval(-Double(rules.warnHours) * 3600) <= now, lead["pool_warned_at"] == .null {
                    try tx.asSystem {
                        try Notifications.send(Notifications.Message(user: owner, kind: "lead_pool_warning", title: "线索即将退回线索池：\(lead["name"].textValue ?? "")",
                                                                     body: "请在 \(DateCoding.iso(due)) 前跟进，否则将退回线索池", entity: "lead", recordID: lead.id,
                                                                     key: "lead_pool_warning:\(lead.id):\(lead["assigned_at"].description)"), in: tx)
                        _ = try tx.update("lead", lead.id, ["pool_warned_at": .datetime(now)])
                    }
                    report.warned += 1
                }
            }
            after = page.nextCursor
        } while after != nil
        return report
    }

    /// `marketing.lead_pool`, hourly.
    static var job: ScheduledJob {
        ScheduledJob(id: "marketing.lead_pool", label: LocalizedText("未跟进线索退回线索池", en: "Return unworked leads to the pool"),
                     schedule: .every(3600)) { tx, now in
            let report = try run(tx, now: now)
            return "\(report.returned.count) lead(s) returned, \(report.warned) owner(s) warned"
        }
    }

    /// `user` claims unowned lead `id`: within the daily quota, not during the cooldown of a lead
    /// they lost.
    static func claim(_ tx: WriteContext, lead id: Int64, user: Int64) throws -> Record {
        let rules = LeadPoolRules.inForce(tx.schema)
        let reader = tx.reader.system
        guard let lead = try reader.get("lead", id) else { throw KernelError.recordNotFound("lead", id) }
        guard lead["owner"] == .null, [MarketingStatus.new, MarketingStatus.pooled].contains(lead["status"].textValue ?? "") else {
            throw KernelError(.invalidState, "lead \(id) is not in the lead pool", entity: "lead")
        }
        let calendar = try reader.workspaceCalendar()
        let today = calendar.startOfDay(for: tx.now)
        let claimed = try reader.count("lead_pool_event", filter: .all([.eq("user", .integer(user)), .eq("action", .text("领取")),
                                                                        .condition(field: "at", op: .ge, value: .datetime(today))]))
        guard claimed < rules.dailyClaims else {
            throw KernelError(.forbidden, "you claimed \(claimed) leads today, the most allowed is \(rules.dailyClaims)", entity: "lead")
        }
        let cooldownStart = tx.now.addingTimeInterval(-Double(rules.cooldownDays) * 86_400)
        let lost = try reader.count("lead_pool_event", filter: .all([.eq("lead", .integer(id)), .eq("previous_owner", .integer(user)),
                                                                     .condition(field: "action", op: .in, value: .list(["退回", "回收"])),
                                                                     .condition(field: "at", op: .ge, value: .datetime(cooldownStart))]))
        guard lost == 0 else {
            throw KernelError(.forbidden, "you gave lead \(id) back less than \(rules.cooldownDays) days ago; it cannot be claimed back yet", entity: "lead")
        }
        return try tx.asSystem {
            let updated = try tx.update("lead", id, ["owner": .integer(user), "assignment_rule": .text("领取")])
            try recordEvent(tx, lead: id, action: "领取", user: user, previousOwner: nil, reason: nil)
            return updated
        }
    }

    /// The owner gives lead `id` back to the pool with a reason.
    static func release(_ tx: WriteContext, lead id: Int64, user: Int64?, reason: String) throws -> Record {
        guard let lead = try tx.reader.get("lead", id) else { throw KernelError.recordNotFound("lead", id) }
        guard let owner = lead["owner"].integerValue, MarketingStatus.open.contains(lead["status"].textValue ?? "") else {
            throw KernelError(.invalidState, "lead \(id) is not assigned to anyone", entity: "lead")
        }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw KernelError(.validation, "reason: is required", entity: "lead", fieldErrors: [FieldError(field: "reason", message: "is required")])
        }
        return try tx.asSystem {
            let updated = try tx.update("lead", id, ["owner": .null, "status": .text(MarketingStatus.pooled)])
            try recordEvent(tx, lead: id, action: "退回", user: user, previousOwner: owner, reason: reason)
            return updated
        }
    }

    static func recordEvent(_ tx: WriteContext, lead: Int64, action: String, user: Int64?, previousOwner: Int64?, reason: String?) throws {
        var values: [String: Value] = ["lead": .integer(lead), "action": .text(action), "at": .datetime(tx.now),
                                       "owner": (user ?? previousOwner).map(Value.integer) ?? .null]
        if let user { values["user"] = .integer(user) }
        if let previousOwner { values["previous_owner"] = .integer(previousOwner) }
        if let reason { values["reason"] = .text(reason) }
        _ = try tx.create("lead_pool_event", values)
    }
}

/// `crm.marketing.claim`, `release` and `return_unworked`.
enum LeadPoolFunctions {
    static var all: [ScriptFunction] {
        [
            ScriptFunction("claim", summary: "crm.marketing.claim(lead_id) → the lead, now yours (daily quota, cooldown)",
                           effect: .write, access: .read("lead", recordArguments: [0])) { call in
                guard let id = call[0].integer, let user = call.user.id else { throw KernelError(.validation, "crm.marketing.claim needs a lead id and a signed-in user") }
                return .record(try call.write { try LeadPool.claim($0, lead: id, user: user) })
            },
            ScriptFunction("release", summary: "crm.marketing.release(lead_id, reason) → the lead, back in the pool",
                           effect: .write, access: .update("lead", recordArguments: [0])) { call in
                guard let id = call[0].integer else { throw KernelError(.validation, "crm.marketing.release needs a lead id") }
                return .record(try call.write { try LeadPool.release($0, lead: id, user: call.user.id, reason: call[1].text ?? "") })
            },
            ScriptFunction("return_unworked", summary: "crm.marketing.return_unworked() → {returned =, warned =} (what the hourly job does)",
                           effect: .write, access: .admin("lead")) { call in
                let report = try call.write { tx in try tx.asSystem { try LeadPool.run(tx, now: tx.now) } }
                return .table(["returned": .list(report.returned.map { .value(.integer($0)) }), "warned": .value(.integer(Int64(report.warned)))])
            },
        ]
    }
}
