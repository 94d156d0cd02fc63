extension Filter {
    /// Reads the filter tables scripts write (see docs/lua-api.md, `crm.find`):
    ///
    /// - `{industry = "制造业", city = "深圳"}`: every field equals its value;
    /// - an array value means "one of": `{grade = {"A", "B"}}`;
    /// - operators: `{amount = {gt = 1000, le = 5000}}` with `eq ne lt le gt ge in not_in contains
    ///   starts_with is_empty is_not_empty`;
    /// - combinations: `{_or = {{grade = "A"}, {grade = "B"}}}`, `{_and = {...}}`, `{_not = {...}}`.
    ///
    /// Returns nil for null (no filter).
    public init?(script value: ScriptValue) throws(KernelError) {
        switch value {
        case .value(.null): return nil
        case .list(let items) where items.isEmpty: return nil
        case .table(let fields): self = try Self.parse(fields, depth: 1)
        default: throw KernelError(.validation, "a filter must be a table such as {city = \"深圳\"}")
        }
    }

    private static func parse(_ table: [String: ScriptValue], depth: Int) throws(KernelError) -> Filter {
        // Refused while reading, so a deeply nested table is never walked further.
        guard depth <= maxDepth else {
            throw KernelError(.validation, "the filter is nested more than \(maxDepth) levels deep (_and/_or/_not); flatten it",
                              fieldErrors: [FieldError(field: "filter", message: "nested more than \(maxDepth) levels")])
        }
        var parts: [Filter] = []
        for key in table.keys.sorted() {
            let v = table[key]!
            switch key {
            case "_or", "_and":
                guard case .list(let items) = v else { throw KernelError(.validation, "\(key) needs an array of filters") }
                var subs: [Filter] = []
                for item in items {
                    guard case .table(let t) = item else { throw KernelError(.validation, "\(key) needs an array of filters") }
                    subs.append(try parse(t, depth: depth + 1))
                }
                parts.append(key == "_or" ? .any(subs) : .all(subs))
            case "_not":
                guard case .table(let t) = v else { throw KernelError(.validation, "_not needs a filter table") }
                parts.append(.not(try parse(t, depth: depth + 1)))
            default:
                parts.append(contentsOf: try conditions(key, v))
            }
        }
        return parts.count == 1 ? parts[0] : .all(parts)
    }

    private static func operand(_ v: ScriptValue, _ field: String) throws(KernelError) -> Value {
        switch v {
        case .value(let value): return value
        case .list(let items):
            var list: [String] = []
            for item in items {
                guard case .value(let value) = item, value != .null else {
                    throw KernelError.invalid("filter", field: field, "a list in a filter may hold only values")
                }
                list.append(value.description)
            }
            return .list(list)
        default: throw KernelError.invalid("filter", field: field, "expected a value or a list")
        }
    }

    private static func conditions(_ field: String, _ v: ScriptValue) throws(KernelError) -> [Filter] {
        switch v {
        case .list: return [.condition(field: field, op: .in, value: try operand(v, field))]
        case .table(let ops):
            var out: [Filter] = []
            for name in ops.keys.sorted() {
                guard let op = FilterOperator(rawValue: name) else {
                    throw KernelError.invalid("filter", field: field,
                        "unknown filter operator '\(name)' on \(field) (use \(FilterOperator.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                let arg = ops[name]!
                if op == .isEmpty || op == .isNotEmpty {
                    let flag = arg != .value(.bool(false)) && arg != .null
                    out.append(.condition(field: field, op: flag ? op : (op == .isEmpty ? .isNotEmpty : .isEmpty), value: .null))
                } else {
                    out.append(.condition(field: field, op: op, value: try operand(arg, field)))
                }
            }
            return out
        default:
            return [.condition(field: field, op: .eq, value: try operand(v, field))]
        }
    }
}
