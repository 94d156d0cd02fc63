import CRMKernel

/// Reads the filter tables scripts pass to `crm.find` and `crm.count`.
///
/// - `{industry = "制造业", city = "深圳"}`: every field equals its value;
/// - `{amount = {gt = 1000, le = 5000}}`: operators `eq ne lt le gt ge in not_in contains
///   starts_with is_empty is_not_empty` (`in`/`not_in` take an array);
/// - `{_or = { {grade = "A"}, {grade = "B"} }}`, `{_not = {...}}`: combinations;
/// - a list field equal to a string means "contains that item".
enum FilterParser {
    static func parse(_ value: LuaValue) throws(LuaError) -> Filter? {
        switch value {
        case .nil: return nil
        case .table(let t): return try parse(t)
        default: throw .script("a filter must be a table such as {city = \"深圳\"}")
        }
    }

    static func parse(_ table: LuaTable) throws(LuaError) -> Filter {
        var parts: [Filter] = []
        for key in table.fields.keys.sorted() {
            let v = table.fields[key]!
            switch key {
            case "_or", "_and":
                guard case .table(let list) = v, list.fields.isEmpty else { throw .script("\(key) needs an array of filters") }
                var subs: [Filter] = []
                for item in list.array {
                    guard case .table(let t) = item else { throw .script("\(key) needs an array of filters") }
                    subs.append(try parse(t))
                }
                parts.append(key == "_or" ? .any(subs) : .all(subs))
            case "_not":
                guard case .table(let t) = v else { throw .script("_not needs a filter table") }
                parts.append(.not(try parse(t)))
            default:
                parts.append(contentsOf: try conditions(key, v))
            }
        }
        if !table.array.isEmpty { throw .script("a filter is a table of field = value pairs, not an array") }
        return parts.count == 1 ? parts[0] : .all(parts)
    }

    private static func conditions(_ field: String, _ v: LuaValue) throws(LuaError) -> [Filter] {
        guard case .table(let ops) = v, !ops.fields.isEmpty else {
            if case .table(let t) = v, !t.array.isEmpty {
                return [.condition(field: field, op: .in, value: try LuaBridge.value(v, field: field))]
            }
            return [.condition(field: field, op: .eq, value: try LuaBridge.value(v, field: field))]
        }
        var out: [Filter] = []
        for name in ops.fields.keys.sorted() {
            guard let op = FilterOperator(rawValue: name) else {
                throw .script("unknown filter operator '\(name)' on \(field) (use \(FilterOperator.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let operand = ops.fields[name]!
            if op == .isEmpty || op == .isNotEmpty {
                let flag = operand.isTruthy
                out.append(.condition(field: field, op: flag ? op : (op == .isEmpty ? .isNotEmpty : .isEmpty), value: .null))
            } else {
                out.append(.condition(field: field, op: op, value: try LuaBridge.value(operand, field: field)))
            }
        }
        return out
    }
}
