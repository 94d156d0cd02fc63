import CRMKernel

/// A flow as the pack declared it: steps with their Lua conditions, kept by position so a rebuilt
/// Lua state finds the functions again.
struct DeclaredApprovalFlow {
    struct Step {
        var name: String
        var approver: ApproverRule
        var condition: LuaFunctionRef?
    }

    var entity: String
    var steps: [Step]
    var location: SourceLocation?
}

/// Parses `crm.approvals.flow(entity, {steps = {...}})`.
enum ApprovalSpecParser {
    static let stepKeys: Set<String> = ["name", "approver", "when"]

    static func flow(_ entity: String, _ spec: LuaTable) throws(LuaError) -> [DeclaredApprovalFlow.Step] {
        let name = "crm.approvals.flow"
        for key in spec.fields.keys where key != "steps" {
            throw .script("\(name): unknown option '\(key)' (known: steps)")
        }
        guard spec.array.isEmpty, case .table(let list) = spec["steps"], list.fields.isEmpty, !list.array.isEmpty else {
            throw .script("\(name): expects {steps = {{name = …, approver = …, when = function(doc) … end}, …}} for '\(entity)'")
        }
        var steps: [DeclaredApprovalFlow.Step] = []
        for (i, item) in list.array.enumerated() {
            guard case .table(let t) = item else { throw .script("\(name): step \(i + 1) of '\(entity)' must be a table") }
            for key in t.fields.keys where !stepKeys.contains(key) {
                throw .script("\(name): step \(i + 1) of '\(entity)': unknown key '\(key)' (known: name, approver, when)")
            }
            guard case .string(let stepName) = t["name"], !stepName.isEmpty else {
                throw .script("\(name): step \(i + 1) of '\(entity)' needs a name")
            }
            let approver = try approverRule(t["approver"], "\(name): step '\(stepName)' of '\(entity)'")
            var condition: LuaFunctionRef?
            switch t["when"] {
            case .nil: break
            case .function(let f): condition = f
            default: throw .script("\(name): step '\(stepName)' of '\(entity)': when must be a function(doc) returning true or false")
            }
            steps.append(DeclaredApprovalFlow.Step(name: stepName, approver: approver, condition: condition))
        }
        return steps
    }

    /// `"manager"`, `{user = "name"}`, `{role = "finance"}`, `{any_of = {…}}` or `{all_of = {…}}`.
    static func approverRule(_ value: LuaValue, _ context: String) throws(LuaError) -> ApproverRule {
        let usage = "approver must be \"manager\", {user = \"login\"}, {role = \"role_id\"}, {any_of = {\"a\", \"b\"}} or {all_of = {\"a\", \"b\"}}"
        switch value {
        case .string("manager"): return .ownerManager
        case .table(let t) where t.fields.count == 1 && t.array.isEmpty:
            let (key, v) = t.fields.first!
            switch (key, v) {
            case ("user", .string(let s)) where !s.isEmpty: return .user(s)
            case ("role", .string(let s)) where !s.isEmpty: return .role(s)
            case ("any_of", .table(let list)), ("all_of", .table(let list)):
                var names: [String] = []
                for item in list.array {
                    guard case .string(let s) = item, !s.isEmpty else { throw .script("\(context): \(key) must list login names") }
                    names.append(s)
                }
                guard list.fields.isEmpty, !names.isEmpty else { throw .script("\(context): \(key) must list at least one login name") }
                return key == "any_of" ? .anyOf(names) : .allOf(names)
            default: throw .script("\(context): \(usage)")
            }
        default: throw .script("\(context): \(usage)")
        }
    }
}
