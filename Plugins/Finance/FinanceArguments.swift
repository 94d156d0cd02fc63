import CRMKernel

/// Reading the arguments of `crm.finance.*` calls.
enum FinanceArguments {
    /// The id in argument `index`.
    static func id(_ call: ScriptCall, _ index: Int, _ function: String, _ what: String) throws -> Int64 {
        guard let id = call[index].integer else { throw KernelError(.validation, "crm.finance.\(function) needs \(what) id (argument \(index + 1))") }
        return id
    }

    /// A `{field = value}` table (empty for nil); `amount_fen` (integer fen) becomes `amount`.
    static func values(_ arg: ScriptValue, _ function: String, _ what: String = "fields") throws -> [String: Value] {
        var out: [String: Value] = [:]
        switch arg {
        case .value(.null): return [:]
        case .record(let r): out = r.values
        case .table(let t):
            for (k, v) in t {
                switch v {
                case .value(let value): out[k] = value
                case .list(let items) where items.isEmpty: out[k] = .list([])
                case .list(let items):
                    out[k] = .list(try items.map { item in
                        guard let text = item.text else { throw KernelError(.validation, "crm.finance.\(function): \(what).\(k) must be a list of texts") }
                        return text
                    })
                default: throw KernelError(.validation, "crm.finance.\(function): \(what).\(k) must be a value")
                }
            }
        case .list(let items) where items.isEmpty: return [:]
        default: throw KernelError(.validation, "crm.finance.\(function): \(what) must be a table {field = value}")
        }
        if let fen = out.removeValue(forKey: "amount_fen") {
            guard let n = fen.integerValue else { throw KernelError.invalid(function, field: "amount_fen", "amount_fen 必须是整数分 (amount_fen must be whole fen)") }
            out["amount"] = FinanceMoney.value(n)
        }
        return out
    }

    /// A list of tables (`lines`, `plans`).
    static func list(_ arg: ScriptValue?, _ function: String, _ what: String) throws -> [[String: Value]] {
        switch arg {
        case nil, .value(.null)?: return []
        case .list(let items)?: return try items.enumerated().map { try values($0.element, function, "\(what)[\($0.offset + 1)]") }
        case .table(let t)? where t.isEmpty: return []
        default: throw KernelError(.validation, "crm.finance.\(function): \(what) must be a list of tables")
        }
    }

    /// A text option of a table argument.
    static func text(_ arg: ScriptValue, _ key: String) -> String? { arg.fields?[key]?.text }

    /// A date option (`YYYY-MM-DD`), defaulting to today.
    static func day(_ call: ScriptCall, _ arg: ScriptValue, _ key: String, entity: String) throws -> String {
        if let text = text(arg, key) { return try FinanceDates.require(text, field: key, entity: entity) }
        return try call.read { try OrderDayReader.today($0) }
    }

    /// A table of plain values as a script value.
    static func table(_ fields: [String: Value]) -> ScriptValue { .table(fields.mapValues(ScriptValue.value)) }
}
