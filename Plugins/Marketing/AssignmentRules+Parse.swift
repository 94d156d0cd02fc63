import CRMKernel

extension AssignmentRules {
    /// `crm.marketing.assignment_rules{...}`.
    static var setting: PluginSetting {
        PluginSetting("assignment_rules",
                      summary: "crm.marketing.assignment_rules{rules = {{name = \"华南\", when = {region = {\"广东\"}, product_interest = {...}, source = {...}, min_score = 60, max_score = 100}, users = {\"lina\", {user = \"wangqiang\", weight = 2}}, strategy = \"round_robin\"|\"least_open\"|\"weighted\", daily_cap = 30, monthly_cap = 500}}, default_owner = \"zhangwei\"}",
                      default: .table([:])) { try parse($0) }
    }

    static let knownKeys = ["rules", "default_owner"]
    static let ruleKeys = ["name", "when", "users", "strategy", "daily_cap", "monthly_cap"]
    static let conditionKeys = ["region", "product_interest", "source", "min_score", "max_score"]

    /// Parses the script table, naming the key (`rules[2].strategy`) that is wrong.
    static func parse(_ value: ScriptValue) throws -> AssignmentRules {
        let fields = try table(value, "assignment_rules", "expects a table such as {rules = {...}, default_owner = \"zhangwei\"}")
        if let unknown = fields.keys.sorted().first(where: { !knownKeys.contains($0) }) {
            throw KernelError(.validation, "assignment_rules: unknown key '\(unknown)' (known: \(knownKeys.joined(separator: ", ")))")
        }
        var result = AssignmentRules.none
        if let owner = fields["default_owner"], owner != .null {
            guard let login = owner.text, !login.isEmpty else { throw KernelError(.validation, "assignment_rules.default_owner: expects a user's login name") }
            result.defaultOwner = login
        }
        var names = Set<String>()
        for (index, item) in try list(fields["rules"] ?? .list([]), "assignment_rules.rules").enumerated() {
            let path = "assignment_rules.rules[\(index + 1)]"
            let rule = try parseRule(item, path)
            guard names.insert(rule.name).inserted else { throw KernelError(.validation, "\(path).name: '\(rule.name)' is used twice") }
            result.rules.append(rule)
        }
        return result
    }

    private static func parseRule(_ value: ScriptValue, _ path: String) throws -> Rule {
        let t = try table(value, path, "expects {name = ..., when = {...}, users = {...}, strategy = ...}")
        if let unknown = t.keys.sorted().first(where: { !ruleKeys.contains($0) }) {
            throw KernelError(.validation, "\(path): unknown key '\(unknown)' (known: \(ruleKeys.joined(separator: ", ")))")
        }
        guard let name = t["name"]?.text?.trimmingCharacters(in: .whitespaces), !name.isEmpty else {
            throw KernelError(.validation, "\(path).name: is required")
        }
        let strategyText = t["strategy"]?.text ?? Strategy.roundRobin.rawValue
        guard let strategy = Strategy(rawValue: strategyText) else {
            throw KernelError(.validation, "\(path).strategy: '\(strategyText)' is not one of \(Strategy.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var members: [Member] = []
        for (i, entry) in try list(t["users"] ?? .null, "\(path).users").enumerated() {
            if let login = entry.text, !login.isEmpty { members.append(Member(login: login, weight: 1)); continue }
            let m = try table(entry, "\(path).users[\(i + 1)]", "expects a login name or {user = \"lina\", weight = 2}")
            guard let login = m["user"]?.text, !login.isEmpty else { throw KernelError(.validation, "\(path).users[\(i + 1)].user: is required") }
            let weight = try m["weight"].map { try count($0, "\(path).users[\(i + 1)].weight") } ?? 1
            guard weight >= 1 else { throw KernelError(.validation, "\(path).users[\(i + 1)].weight: expects 1 or more") }
            members.append(Member(login: login, weight: weight))
        }
        guard !members.isEmpty else { throw KernelError(.validation, "\(path).users: needs at least one user") }
        return Rule(name: name, condition: try parseCondition(t["when"] ?? .table([:]), "\(path).when"), members: members, strategy: strategy,
                    dailyCap: try t["daily_cap"].map { try count($0, "\(path).daily_cap") },
                    monthlyCap: try t["monthly_cap"].map { try count($0, "\(path).monthly_cap") })
    }

    private static func parseCondition(_ value: ScriptValue, _ path: String) throws -> Condition {
        let t = try table(value, path, "expects {region = {...}, product_interest = {...}, source = {...}, min_score = 60}")
        if let unknown = t.keys.sorted().first(where: { !conditionKeys.contains($0) }) {
            throw KernelError(.validation, "\(path): unknown key '\(unknown)' (known: \(conditionKeys.joined(separator: ", ")))")
        }
        func texts(_ key: String) throws -> [String] {
            guard let v = t[key], v != .null else { return [] }
            if let one = v.text { return [one] }
            if case .value(.list(let l)) = v { return l }
            return try list(v, "\(path).\(key)").map { item in
                guard let text = item.text else { throw KernelError(.validation, "\(path).\(key): expects names") }
                return text
            }
        }
        return Condition(regions: try texts("region"), products: try texts("product_interest"), sources: try texts("source"),
                         minScore: try t["min_score"].map { Int64(try count($0, "\(path).min_score")) },
                         maxScore: try t["max_score"].map { Int64(try count($0, "\(path).max_score")) })
    }

    static func table(_ value: ScriptValue, _ path: String, _ message: String) throws -> [String: ScriptValue] {
        switch value {
        case .table(let t): return t
        case .list(let items) where items.isEmpty: return [:]
        default: throw KernelError(.validation, "\(path): \(message)")
        }
    }

    static func list(_ value: ScriptValue, _ path: String) throws -> [ScriptValue] {
        switch value {
        case .list(let items): return items
        case .table(let t) where t.isEmpty: return []
        case .value(.list(let l)): return l.map { .value(.text($0)) }
        default: throw KernelError(.validation, "\(path): expects a list")
        }
    }

    static func count(_ value: ScriptValue, _ path: String) throws -> Int {
        guard let n = value.integer, n >= 0 else { throw KernelError(.validation, "\(path): expects a whole number, 0 or more") }
        return Int(n)
    }
}
