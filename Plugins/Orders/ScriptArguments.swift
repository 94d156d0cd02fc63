import CRMKernel

/// Reading the arguments of `crm.orders.*` calls.
enum ScriptArguments {
    /// The id in argument `index`.
    static func id(_ call: ScriptCall, _ index: Int, _ function: String, _ what: String) throws -> Int64 {
        guard let id = call[index].integer else { throw KernelError(.validation, "crm.orders.\(function) needs \(what) id (argument \(index + 1))") }
        return id
    }

    /// A `{field = value}` table (empty for nil).
    static func values(_ arg: ScriptValue, _ function: String, _ what: String = "fields") throws -> [String: Value] {
        switch arg {
        case .value(.null): return [:]
        case .record(let r): return r.values
        case .table(let t):
            var out: [String: Value] = [:]
            for (k, v) in t {
                switch v {
                case .value(let value): out[k] = value
                case .list(let items) where items.isEmpty: out[k] = .list([])
                default: throw KernelError(.validation, "crm.orders.\(function): \(what).\(k) must be a value")
                }
            }
            return out
        case .list(let items) where items.isEmpty: return [:]
        default: throw KernelError(.validation, "crm.orders.\(function): \(what) must be a table {field = value}")
        }
    }

    /// A document table: header fields plus an optional `lines` list of line tables.
    static func document(_ arg: ScriptValue, _ function: String) throws -> (id: Int64?, header: [String: Value], lines: [[String: Value]]?) {
        guard case .table(var t) = arg else { throw KernelError(.validation, "crm.orders.\(function) needs a table {customer = ..., lines = {...}}") }
        var lines: [[String: Value]]? = nil
        if let l = t.removeValue(forKey: "lines") {
            switch l {
            case .list(let items): lines = try items.enumerated().map { try values($0.element, function, "lines[\($0.offset + 1)]") }
            case .table(let items) where items.isEmpty: lines = []
            default: throw KernelError(.validation, "crm.orders.\(function): lines must be a list of tables")
            }
        }
        let id = t.removeValue(forKey: "id")?.integer
        return (id, try values(.table(t), function), lines)
    }

    /// A text option of a table argument.
    static func text(_ arg: ScriptValue, _ key: String) -> String? { arg.fields?[key]?.text }

    /// A table of plain values as a script value.
    static func table(_ fields: [String: Value]) -> ScriptValue { .table(fields.mapValues(ScriptValue.value)) }
}
