import CRMKernel

/// `crm.service.sla{...}`: targets per priority and customer grade in working time on a
/// business calendar, the statuses that pause the clock, the warning threshold and the
/// escalation actions at warning and at breach.
public struct SLAPolicies: Sendable, Hashable {
    /// One policy: the targets for tickets of a priority (and grade).
    public struct Policy: Sendable, Hashable {
        /// Priority matched; nil: any.
        public var priority: String?
        /// Customer grade matched; nil: any.
        public var grade: String?
        /// First response within this many working seconds.
        public var responseSeconds: Int
        /// Resolution within this many working seconds.
        public var resolutionSeconds: Int
    }

    /// An escalation action.
    public enum Action: String, Sendable, Hashable, CaseIterable {
        /// A notification to the ticket's assignee.
        case notifyAssignee = "notify_assignee"
        /// A notification to the assignee's manager (or the team's manager).
        case notifyManager = "notify_manager"
        /// One priority step up (低 → 中 → 高 → 紧急).
        case raisePriority = "raise_priority"
        /// Routed again to another available agent of the team.
        case reassign
    }

    /// Policies in order (first match wins).
    public var policies: [Policy] = []
    /// The business calendar the clock runs on.
    public var calendar = "default"
    /// Statuses that pause the clock.
    public var pause: [String] = ["待客户回复"]
    /// Percent of a target at which the warning fires.
    public var warnPercent = 75
    /// Actions at the warning.
    public var onWarning: [Action] = [.notifyAssignee]
    /// Actions at the breach.
    public var onBreach: [Action] = [.notifyManager]

    /// The setting's key.
    public static let settingKey = "service.sla"

    /// The policies in force.
    public static func inForce(_ schema: Schema) -> SLAPolicies {
        schema.setting(settingKey, as: SLAPolicies.self) ?? SLAPolicies()
    }

    /// The policy for a ticket's priority and customer grade.
    public func policy(priority: String?, grade: String?) -> Policy? {
        policies.first { ($0.priority == nil || $0.priority == priority) && ($0.grade == nil || $0.grade == grade) }
    }

    static var setting: PluginSetting {
        PluginSetting("sla", summary: "crm.service.sla{calendar = \"default\", pause = {\"待客户回复\"}, warn_percent = 75, policies = {{priority = \"紧急\", first_response_minutes = 30, resolution_hours = 4}}, escalation = {warning = {\"notify_assignee\"}, breach = {\"notify_manager\", \"raise_priority\"}}}",
                      default: .table([:])) { try parse($0) }
    }

    static let keys = ["calendar", "pause", "warn_percent", "policies", "escalation"]
    static let policyKeys = ["priority", "grade", "first_response_minutes", "resolution_hours"]

    /// Parses the script table, naming the policy and key that is wrong.
    static func parse(_ value: ScriptValue) throws -> SLAPolicies {
        let t = try ServiceRules.table(value, "sla")
        if let unknown = t.keys.sorted().first(where: { !keys.contains($0) }) {
            throw KernelError(.validation, "crm.service.sla: unknown key '\(unknown)' (known: \(keys.joined(separator: ", ")))")
        }
        var s = SLAPolicies()
        if let c = t["calendar"] { guard let name = c.text else { throw KernelError(.validation, "crm.service.sla.calendar: expects a calendar name") }; s.calendar = name }
        if t["pause"] != nil { s.pause = try ServiceRules.texts(t["pause"], "sla.pause") }
        if let w = t["warn_percent"] {
            let n = try ServiceRules.count(w, "sla.warn_percent")
            guard (1...99).contains(n) else { throw KernelError(.validation, "crm.service.sla.warn_percent: expects 1 to 99") }
            s.warnPercent = n
        }
        if case .list(let list) = t["policies"] ?? .list([]) {
            for (i, item) in list.enumerated() {
                let path = "sla.policies[\(i + 1)]"
                let p = try ServiceRules.table(item, path)
                if let unknown = p.keys.sorted().first(where: { !policyKeys.contains($0) }) {
                    throw KernelError(.validation, "crm.service.\(path): unknown key '\(unknown)' (known: \(policyKeys.joined(separator: ", ")))")
                }
                guard let r = p["first_response_minutes"], let h = p["resolution_hours"] else {
                    throw KernelError(.validation, "crm.service.\(path): first_response_minutes and resolution_hours are required")
                }
                let minutes = try ServiceRules.count(r, "\(path).first_response_minutes"), hours = try ServiceRules.count(h, "\(path).resolution_hours")
                guard minutes > 0, hours > 0 else { throw KernelError(.validation, "crm.service.\(path): targets must be positive") }
                s.policies.append(Policy(priority: p["priority"]?.text, grade: p["grade"]?.text, responseSeconds: minutes * 60, resolutionSeconds: hours * 3600))
            }
        } else if case .table(let e) = t["policies"] ?? .null, e.isEmpty {
        } else {
            throw KernelError(.validation, "crm.service.sla.policies: expects a list of policies")
        }
        if let e = t["escalation"] {
            let table = try ServiceRules.table(e, "sla.escalation")
            if let unknown = table.keys.sorted().first(where: { !["warning", "breach"].contains($0) }) {
                throw KernelError(.validation, "crm.service.sla.escalation: unknown key '\(unknown)' (known: warning, breach)")
            }
            s.onWarning = try actions(table["warning"], "sla.escalation.warning")
            s.onBreach = try actions(table["breach"], "sla.escalation.breach")
        }
        return s
    }

    private static func actions(_ v: ScriptValue?, _ path: String) throws -> [Action] {
        try ServiceRules.texts(v, path).map { name in
            guard let a = Action(rawValue: name) else {
                throw KernelError(.validation, "crm.service.\(path): unknown action '\(name)' (known: \(Action.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return a
        }
    }
}
