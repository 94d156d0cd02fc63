import CRMKernel

extension SpecParser {
    /// A role from `crm.role(id, spec)`:
    ///
    /// ```lua
    /// crm.role("sales_rep", {
    ///   label = "销售专员", label_en = "Sales representative",
    ///   scope = "own",                      -- own | team | team_tree | all
    ///   grants = { customer = {"read", "create", "update"}, product = {"read"}, ["*"] = {} },
    ///   scopes = { product = "all" },       -- per-entity scope
    ///   hidden = { product = {"cost_price"} },
    ///   readonly = { customer = {"owner"} },
    ///   unowned = { "customer" },           -- also sees customers without an owner (公海)
    /// })
    /// ```
    /// A grant may be `"*"` (every action) instead of a list.
    static func role(_ id: String, _ t: LuaTable) throws(LuaError) -> RoleDefinition {
        let known: Set<String> = ["label", "label_en", "scope", "scopes", "grants", "hidden", "readonly", "unowned"]
        for key in t.fields.keys where !known.contains(key) {
            throw .script("crm.role: unknown key '\(key)' (known: \(known.sorted().joined(separator: ", ")))")
        }
        func scope(_ v: LuaValue, _ what: String) throws(LuaError) -> RecordScope {
            guard let s = v.stringValue, let scope = RecordScope(rawValue: s) else {
                throw .script("crm.role: \(what) must be one of \(RecordScope.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return scope
        }
        func byEntity(_ key: String) throws(LuaError) -> [String: LuaValue] {
            switch t[key] {
            case .nil: return [:]
            case .table(let m) where m.array.isEmpty: return m.fields
            default: throw .script("crm.role: \(key) must be a table keyed by entity")
            }
        }
        var grants: [String: Set<AccessAction>] = [:]
        for (entity, v) in try byEntity("grants") {
            if v.stringValue == "*" { grants[entity] = Set(AccessAction.allCases); continue }
            var actions = Set<AccessAction>()
            for name in try strings(v, "crm.role: grants.\(entity)") {
                guard let a = AccessAction(rawValue: name) else {
                    throw .script("crm.role: grants.\(entity): unknown action '\(name)' (known: \(AccessAction.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                actions.insert(a)
            }
            grants[entity] = actions
        }
        var scopes: [String: RecordScope] = [:]
        for (entity, v) in try byEntity("scopes") { scopes[entity] = try scope(v, "scopes.\(entity)") }
        var hidden: [String: Set<String>] = [:], readOnly: [String: Set<String>] = [:]
        for (entity, v) in try byEntity("hidden") { hidden[entity] = Set(try strings(v, "crm.role: hidden.\(entity)")) }
        for (entity, v) in try byEntity("readonly") { readOnly[entity] = Set(try strings(v, "crm.role: readonly.\(entity)")) }
        return RoleDefinition(id: id, label: try label(t, fallback: id), grants: grants,
                              scope: t["scope"] == .nil ? .own : try scope(t["scope"], "scope"),
                              scopes: scopes, hidden: hidden, readOnly: readOnly,
                              unowned: Set(try strings(t["unowned"], "crm.role: unowned")))
    }
}
