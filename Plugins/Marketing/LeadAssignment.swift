import CRMKernel
import Foundation

/// Assigning leads for real (in the lead's transaction) and replaying the rules over past leads
/// without writing (`crm.marketing.simulate_assignment`).
enum LeadAssignment {
    /// Places lead `id` by the rules in force and saves its owner, status and rule, all in `tx`
    /// with the counters. A lead that already has an owner is left alone.
    @discardableResult
    static func assign(_ tx: WriteContext, lead id: Int64) throws -> AssignmentDecision {
        guard let lead = try tx.reader.system.get("lead", id) else { throw KernelError.recordNotFound("lead", id) }
        return try assign(tx, lead: lead)
    }

    /// The same for a lead record read (or just created) in `tx`, as the system sees it.
    @discardableResult
    static func assign(_ tx: WriteContext, lead: Record) throws -> AssignmentDecision {
        guard lead["owner"] == .null else { return AssignmentDecision(owner: lead["owner"].integerValue, rule: nil, capped: []) }
        let rules = AssignmentRules.inForce(tx.schema), facts = LeadFacts(lead.values)
        // No rule applies and there is no default owner: the lead stays in the pool, and there
        // is no user, counter or calendar to read for that.
        guard let logins = AssignmentEngine.logins(rules, for: facts) else { return AssignmentDecision(owner: nil, rule: nil, capped: []) }
        let engine = try AssignmentEngine(reader: tx.reader, rules: rules, logins: logins)
        var state = DatabaseAssignmentState(tx: tx)
        let day = AssignmentEngine.day(tx.now, calendar: try tx.reader.workspaceCalendar())
        let decision = try engine.assign(facts, day: day, state: &state)
        if let owner = decision.owner {
            try tx.asSystem {
                _ = try tx.update("lead", lead.id, ["owner": .integer(owner), "assignment_rule": decision.rule.map(Value.text) ?? .text("默认负责人")])
            }
        }
        return decision
    }

    /// Replays the rules in force over the leads created from `from` to `to` (inclusive days,
    /// yyyy-MM-dd) in creation order, with counters starting empty: the load per user, the caps
    /// hit, the leads no rule placed, per rule matches. Nothing is written.
    static func simulate(_ reader: RecordReader, from: String, to: String) throws -> ScriptValue {
        let engine = try AssignmentEngine(reader: reader)
        let calendar = try reader.workspaceCalendar()
        guard let start = dayStart(from, calendar), let end = dayStart(to, calendar)?.addingTimeInterval(86_400) else {
            throw KernelError(.validation, "from/to: expects days such as 2026-11-01", fieldErrors: [FieldError(field: "from", message: "expects yyyy-MM-dd")])
        }
        var state = SimulatedAssignmentState()
        var load: [Int64: Int] = [:], capsHit: [Int64: Int] = [:], byRule: [String: Int] = [:]
        var unmatched = 0, total = 0, toDefault = 0
        var after: String? = nil
        let filter = Filter.all([.condition(field: "created_at", op: .ge, value: .datetime(start)),
                                 .condition(field: "created_at", op: .lt, value: .datetime(end))])
        repeat {
            let page = try reader.system.find(Query("lead", filter: filter, sort: [SortKey("id")], limit: 2000, after: after))
            for lead in page.records {
                total += 1
                let day = instant(lead["created_at"]).map { AssignmentEngine.day($0, calendar: calendar) } ?? from
                let decision = try engine.assign(LeadFacts(lead.values), day: day, state: &state)
                for user in decision.capped { capsHit[user, default: 0] += 1 }
                if let owner = decision.owner { load[owner, default: 0] += 1 }
                if let rule = decision.rule { byRule[rule, default: 0] += 1 } else { unmatched += 1; if decision.owner != nil { toDefault += 1 } }
            }
            after = page.nextCursor
        } while after != nil
        let logins = Dictionary(engine.users.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
        func perUser(_ counts: [Int64: Int]) -> ScriptValue {
            .table(Dictionary(counts.map { (logins[$0.key] ?? String($0.key), ScriptValue.value(.integer(Int64($0.value)))) }, uniquingKeysWith: { a, _ in a }))
        }
        return .table([
            "from": .value(.text(from)), "to": .value(.text(to)), "leads": .value(.integer(Int64(total))),
            "load": perUser(load), "caps_hit": perUser(capsHit),
            "by_rule": .table(byRule.mapValues { .value(.integer(Int64($0))) }),
            "unmatched": .value(.integer(Int64(unmatched))), "to_default_owner": .value(.integer(Int64(toDefault))),
            "to_pool": .value(.integer(Int64(unmatched - toDefault))),
        ])
    }

    /// A datetime value as a date.
    static func instant(_ value: Value) -> Date? {
        switch value {
        case .datetime(let d): return d
        case .text(let t): return DateCoding.parseInstant(t)
        default: return nil
        }
    }

    private static func dayStart(_ text: String, _ calendar: Calendar) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }
}
