import CRMKernel

extension PoolRules {
    /// `crm.customers.pool_rules{...}`.
    static var setting: PluginSetting {
        PluginSetting("pool_rules",
                      summary: "crm.customers.pool_rules{pools = {{name = \"华南公海\", provinces = {\"广东\"}}, {name = \"默认公海\"}}, daily_claims = 20, max_held = 200, cooldown_days = 30, warn_days = 3, max_per_run = 5000, reclaim = {default = {no_followup_days = 30, no_deal_days = 90}, A = {...}}}",
                      default: .table([:])) { try parse($0) }
    }

    static let knownKeys = ["pools", "daily_claims", "max_held", "cooldown_days", "warn_days", "max_per_run", "reclaim"]

    /// Parses the script table; keys left out keep their standard value.
    static func parse(_ value: ScriptValue) throws -> PoolRules {
        let fields = try table(value, "expects a table such as {daily_claims = 20, max_held = 200}")
        var rules = standard
        for key in fields.keys.sorted() {
            let entry = fields[key]!
            switch key {
            case "pools": rules.pools = try parsePools(entry)
            case "daily_claims": rules.dailyClaims = try count(entry, key)
            case "max_held": rules.maxHeld = try count(entry, key)
            case "cooldown_days": rules.cooldownDays = try count(entry, key)
            case "warn_days": rules.warnDays = try count(entry, key)
            case "max_per_run": rules.maxPerRun = max(1, try count(entry, key))
            case "reclaim":
                for (grade, rule) in try table(entry, "reclaim: expects a table keyed by grade, e.g. {default = {...}, A = {...}}") {
                    let parsed = try parseReclaim(rule, "reclaim.\(grade)")
                    if grade == "default" { rules.reclaimDefault = parsed } else { rules.byGrade[grade] = parsed }
                }
            default:
                throw KernelError(.validation, "unknown key '\(key)' (known: \(knownKeys.joined(separator: ", ")))")
            }
        }
        return rules
    }

    private static func parsePools(_ value: ScriptValue) throws -> [Pool] {
        guard case .list(let items) = value, !items.isEmpty else {
            throw KernelError(.validation, "pools: expects a list such as {{name = \"华南公海\", provinces = {\"广东\"}}, {name = \"默认公海\"}}")
        }
        var pools: [Pool] = []
        for (i, item) in items.enumerated() {
            let t = try table(item, "pools[\(i + 1)]: expects {name = ..., provinces = {...}}")
            guard let name = t["name"]?.text?.trimmingCharacters(in: .whitespaces), !name.isEmpty else {
                throw KernelError(.validation, "pools[\(i + 1)]: name is required")
            }
            var provinces: [String] = []
            switch t["provinces"] ?? .null {
            case .value(.null): break
            case .list(let list): provinces = list.compactMap(\.text)
            case .value(.list(let list)): provinces = list
            default: throw KernelError(.validation, "pools[\(i + 1)].provinces: expects a list of province names")
            }
            if let unknown = t.keys.first(where: { !["name", "provinces"].contains($0) }) {
                throw KernelError(.validation, "pools[\(i + 1)]: unknown key '\(unknown)' (known: name, provinces)")
            }
            pools.append(Pool(name: name, provinces: provinces))
        }
        return pools
    }

    private static func parseReclaim(_ value: ScriptValue, _ path: String) throws -> Reclaim {
        let t = try table(value, "\(path): expects {no_followup_days = 30, no_deal_days = 90}")
        if let unknown = t.keys.first(where: { !["no_followup_days", "no_deal_days"].contains($0) }) {
            throw KernelError(.validation, "\(path): unknown key '\(unknown)' (known: no_followup_days, no_deal_days)")
        }
        func days(_ key: String) throws -> Int? {
            guard let v = t[key], v != .null else { return nil }
            let n = try count(v, "\(path).\(key)")
            return n > 0 ? n : nil
        }
        return Reclaim(noFollowupDays: try days("no_followup_days"), noDealDays: try days("no_deal_days"))
    }

    private static func table(_ value: ScriptValue, _ message: String) throws -> [String: ScriptValue] {
        switch value {
        case .table(let t): return t
        case .list(let items) where items.isEmpty: return [:]
        default: throw KernelError(.validation, message)
        }
    }

    private static func count(_ value: ScriptValue, _ key: String) throws -> Int {
        guard let n = value.integer, n >= 0 else { throw KernelError(.validation, "\(key): expects a whole number, 0 or more") }
        return Int(n)
    }
}
